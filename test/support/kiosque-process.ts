import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { TestDatabase } from './databases.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Runs the shipped `kiosque` command — bin/kiosque.js on the compiled dist/, what `npm start`
 * runs — as a child process. The global setup compiles dist/ from the sources once per run.
 */
export function runKiosque(
  args: string[],
  env: Record<string, string>,
  stdio: 'pipe' | 'ignore' = 'pipe',
): ChildProcess {
  return spawn(process.execPath, ['bin/kiosque.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

/** The environment that points a `kiosque serve` at a test database and its data folder. */
export function databaseEnv(database: TestDatabase): Record<string, string> {
  const config = database.config;
  return {
    KIOSQUE_DATA_DIR: database.dataDir,
    DATABASE_URL: config.kind === 'postgres' ? config.url : `sqlite:${config.file}`,
  };
}

/** Resolves when the process has exited, with its exit code or the signal that ended it. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Waits until the server at `url` answers its health check (a cold start takes seconds on a loaded machine). */
export async function answering(url: string, child: ChildProcess, within = 90_000): Promise<void> {
  const until = Date.now() + within;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`kiosque exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(new URL('/health', url))).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`kiosque did not answer at ${url} within ${within / 1000} s`);
}

/** Resolves when the process has closed its output, with its exit code and everything it printed. */
export function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
