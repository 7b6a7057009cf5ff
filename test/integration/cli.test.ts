import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, runKiosque } from '../support/kiosque-process.js';
import { freePort } from '../support/test-app.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-cli-'));
  folders.push(folder);
  return folder;
}

/** Runs the shipped `kiosque` command (bin/kiosque.js on dist/, as `npm start` does). */
const kiosque = (args: string[], env: Record<string, string>) => runKiosque(args, env);

// Each case starts a Node process; they are independent, so they run side by side. A loaded
// machine can take seconds to start one: allow a minute and a half each.
describe.concurrent('kiosque command', { timeout: 90_000 }, () => {
  it('stops with one line naming a bad variable', async () => {
    const result = await finished(kiosque(['serve'], { PORT: 'eighty', KIOSQUE_DATA_DIR: tempFolder() }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('kiosque: PORT="eighty" is not valid: expected a whole number from 1 to 65535.');
  });

  it('stops with one clear line when PostgreSQL cannot be reached', async () => {
    const result = await finished(
      kiosque(['serve'], {
        DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/none',
        KIOSQUE_DATA_DIR: tempFolder(),
      }),
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^kiosque: Cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none: /,
    );
    expect(result.stderr).not.toContain('secret');
  });

  it('stops with one clear line when the data folder cannot be written', async () => {
    const folder = tempFolder();
    const file = path.join(folder, 'not-a-folder');
    writeFileSync(file, '');
    const result = await finished(kiosque(['serve'], { KIOSQUE_DATA_DIR: path.join(file, 'data') }));
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kiosque: The data folder .* is not writable \(ENOTDIR\)\. Set KIOSQUE_DATA_DIR/);
  });

  it('migrates a new database and then says it is up to date', async () => {
    const env = { KIOSQUE_DATA_DIR: tempFolder() };
    const first = await finished(kiosque(['migrate'], env));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): 0001-initial, 0002-/);
    const second = await finished(kiosque(['migrate'], env));
    expect(second.stdout.trim()).toBe('The database is up to date.');
  });

  it('serves the demo site, prints its address and the owner’s one-time setup link, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempFolder();
    const child = kiosque(['serve'], { KIOSQUE_DATA_DIR: dataDir, PORT: String(await freePort()) });
    const done = finished(child);
    let printed = '';
    const [address, setupLink] = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address and setup link within 60 s:\n${printed}`)), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const address = /Kiosque is serving (http:\/\/\S+)/.exec(printed);
        const link = /(http:\/\/\S+\/admin\/setup\?token=[\w%-]+)/.exec(printed);
        if (address && link) {
          clearTimeout(timer);
          resolve([address[1]!, link[1]!]);
        }
      });
    });
    const home = await fetch(new URL('/fr/', address));
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Poutine et Xi serrent les rangs');
    // The printed link opens the owner's setup form; a made-up token does not.
    const setup = await fetch(setupLink);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toMatch(/name="password"/);
    const forged = await fetch(new URL('/admin/setup?token=forged', address));
    expect(forged.status).not.toBe(200);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
  });

  it('prints its usage for an unknown command', async () => {
    const result = await finished(kiosque(['frobnicate'], {}));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('serve');
  });
});
