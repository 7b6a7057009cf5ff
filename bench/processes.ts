import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/**
 * The machine is shared with other work: the server, the ceiling and the load generator run at
 * nice -20 (when allowed: root) so that they get the CPU they would have on a machine of their own.
 * `nice` execs, so the child's pid is the program's own.
 */
const priority = process.env.BENCH_NICE === 'off' || process.getuid?.() !== 0 ? [] : ['-n', '-20'];
export const niceLevel = priority.length > 0 ? -20 : 0;

export function spawnNiced(args: string[], options: SpawnOptions): ChildProcess {
  return priority.length > 0 ? spawn('nice', [...priority, ...args], options) : spawn(args[0]!, args.slice(1), options);
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent (still compressed). */
  body: Buffer;
}

/** One GET over node:http, keeping the body as sent (no decompression). */
export function get(url: string, headers: Record<string, string> = {}, agent?: import('node:http').Agent) {
  return new Promise<RawResponse>((resolve, reject) => {
    const request = httpRequest(url, { headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningServer {
  process: ChildProcess;
  url: string;
  /** performance.now() when the process was spawned. */
  startedAt: number;
  /** Spawn → first 200 on /health, in ms. */
  healthMs: number;
  /** CPU time the server process had used by then (user + system), in ms: unaffected by other work. */
  healthCpuMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the compiled Kiosque (`node dist/cli/main.js serve`) as its own process on `dataDir`
 * and waits for its first 200 on /health.
 */
export async function startKiosque(options: {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  nodeFlags?: string[];
  demo?: boolean;
}): Promise<RunningServer> {
  const url = `http://127.0.0.1:${options.port}`;
  // Something else on the port (another harness) would answer for Kiosque and be measured instead.
  const taken = await get(`${url}/health`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${options.port} is already in use: set BENCH_PORT to a free one`);
  const started = performance.now();
  const child = spawnNiced(
    [process.execPath, ...(options.nodeFlags ?? []), path.join(root, 'dist/cli/main.js'), 'serve'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: String(options.port),
        HOST: '127.0.0.1',
        KIOSQUE_DATA_DIR: options.dataDir,
        DATABASE_URL: `sqlite:${path.join(options.dataDir, 'kiosque.sqlite')}`,
        KIOSQUE_DEMO: options.demo ? 'on' : 'off',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let healthMs = -1;
  let healthCpuMs = -1;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Kiosque exited before answering:\n${output}`);
    try {
      const response = await get(`${url}/health`);
      if (response.status === 200) {
        healthMs = performance.now() - started;
        healthCpuMs = cpuMs(child.pid!);
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`Kiosque did not answer /health within 120 s:\n${output}`);
    }
    await sleep(5);
  }
  return {
    process: child,
    url,
    startedAt: started,
    healthMs,
    healthCpuMs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the ceiling server on the bytes of `pageUrl`. */
export async function startCeiling(
  pageUrl: string,
  port: number,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawnNiced(
    [process.execPath, '--import', 'tsx', path.join(root, 'bench/ceiling-server.ts'), pageUrl, String(port)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, from /proc/<pid>/status VmRSS, in MB. */
export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export interface LoadResult {
  requestsPerSecond: number;
  requestsTotal: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  latencyMean: number;
  bytesPerSecond: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

/** One autocannon measurement, run in its own process (bench/load.ts). */
export function load(input: {
  url: string;
  connections: number;
  duration: number;
  paths?: string[];
  amount?: number;
}): Promise<LoadResult> {
  const file = path.join(tmpdir(), `kiosque-load-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ ...input, headers: { 'accept-encoding': 'br, gzip' } }));
  return new Promise((resolve, reject) => {
    const child = spawnNiced([process.execPath, '--import', 'tsx', path.join(root, 'bench/load.ts'), file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1)!) as LoadResult);
    });
  });
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** CPU time a live process has used so far (user + system), in ms (10 ms resolution). */
export function cpuMs(pid: number): number {
  return processJiffies(pid) * 10;
}

/** CPU jiffies of a live process (utime + stime), or of this process with its reaped children. */
function processJiffies(pid: number, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14-17 of /proc/<pid>/stat, counted from the state field (index 0 here = field 3).
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return utime + stime + (withChildren ? cutime + cstime : 0);
  } catch {
    return 0;
  }
}

/**
 * Measures how much CPU other work on the machine took while `run` ran, in cores: the harness,
 * its finished load generators and the given live processes are ours, everything else is not.
 * On a shared machine, a figure taken while others compute is marked as such.
 */
export async function withForeignCpu<T>(
  livePids: number[],
  run: () => Promise<T>,
): Promise<T & { foreignCores: number }> {
  const ours = () => processJiffies(process.pid, true) + livePids.reduce((sum, pid) => sum + processJiffies(pid), 0);
  const before = machineJiffies();
  const oursBefore = ours();
  const result = await run();
  const after = machineJiffies();
  const oursAfter = ours();
  const cores = cpus().length;
  const total = after.total - before.total;
  const foreign = after.busy - before.busy - (oursAfter - oursBefore);
  return { ...result, foreignCores: total > 0 ? Math.max(0, (foreign / total) * cores) : 0 };
}

/**
 * Waits (up to `maxMs`) until the machine is quiet: less than 0.2 of a core busy over a second.
 * Returns how busy it still was when the wait ended, in cores.
 */
export async function waitForQuiet(maxMs: number, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  let busyCores = 0;
  for (;;) {
    const before = machineJiffies();
    await sleep(1000);
    const after = machineJiffies();
    busyCores = ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * cpus().length;
    if (busyCores < 0.2) return busyCores;
    if (performance.now() - started > maxMs) {
      log(`  (machine still busy: ${busyCores.toFixed(1)} cores used by other work; measuring anyway)`);
      return busyCores;
    }
  }
}
