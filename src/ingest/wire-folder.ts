import { mkdir, readdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorCatalog, isKiosqueError } from '../domain/errors.js';
import type { ReceiveReport, WireDesk } from '../domain/wire/wire-desk.js';

/** What one look at the folder did, file by file. */
export interface FolderTick {
  done: { file: string; report: ReceiveReport }[];
  failed: { file: string; code: string }[];
}

/**
 * The watched folder (KIOSQUE_WIRE_FOLDER): every regular file dropped there is read on each tick
 * and moved to `done/`, or to `failed/` with a `<name>.error.txt` beside it saying why. A file is
 * first claimed by renaming it into `.claimed/`: a rename is atomic, so when several instances
 * watch the same folder exactly one of them gets each file (the others' rename finds nothing).
 * Names starting with a dot are left alone, so a writer can copy into `.name` and rename into
 * place; a file modified less than `settleMs` ago is left for the next tick (still being copied).
 * A claim is dated when it is taken: one older than `staleClaimMs` belongs to an instance that
 * stopped mid-file, and goes back to the folder to be claimed again.
 */
export function createWireFolderWatcher(deps: {
  folder: string;
  desk: Pick<WireDesk, 'builtIn' | 'readFile'>;
  /** Names this process in claimed files, for the logs and a person looking at `.claimed/`. */
  instanceId: string;
  intervalMs: number;
  settleMs?: number;
  /** How old a claim may get before it is taken back (10 minutes). */
  staleClaimMs?: number;
  now?: () => number;
  log: { info(object: object, message: string): void; error(object: object, message: string): void };
}) {
  const { folder, desk, log } = deps;
  const settleMs = deps.settleMs ?? 2000;
  const staleClaimMs = deps.staleClaimMs ?? 600_000;
  const now = deps.now ?? Date.now;
  const claimed = path.join(folder, '.claimed');
  const doneDir = path.join(folder, 'done');
  const failedDir = path.join(folder, 'failed');
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<FolderTick> | null = null;

  /** `dir/name`, or with a time prefix when a file of that name is already there. */
  async function freeName(dir: string, name: string): Promise<string> {
    const plain = path.join(dir, name);
    try {
      await stat(plain);
    } catch {
      return plain;
    }
    return path.join(dir, `${new Date(now()).toISOString().replace(/[:.]/g, '-')}-${name}`);
  }

  /** Claims left by an instance that stopped mid-file go back to the folder (under their own name). */
  async function releaseStaleClaims(): Promise<void> {
    for (const entry of await readdir(claimed, { withFileTypes: true })) {
      const separator = entry.name.indexOf('--');
      if (!entry.isFile() || separator < 0) continue;
      const file = path.join(claimed, entry.name);
      try {
        if (now() - (await stat(file)).mtimeMs < staleClaimMs) continue;
        const back = path.join(folder, entry.name.slice(separator + 2));
        await rename(file, back);
        // Due at once: the file is not being copied any more.
        const past = new Date(now() - settleMs - 1000);
        await utimes(back, past, past);
        log.info({ file: entry.name }, 'wire folder claim released');
      } catch {
        // Another instance released it first.
      }
    }
  }

  async function look(): Promise<FolderTick> {
    const result: FolderTick = { done: [], failed: [] };
    await Promise.all([claimed, doneDir, failedDir].map((dir) => mkdir(dir, { recursive: true })));
    await releaseStaleClaims();
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const from = path.join(folder, entry.name);
      try {
        if (now() - (await stat(from)).mtimeMs < settleMs) continue;
      } catch {
        continue;
      }
      const mine = path.join(claimed, `${deps.instanceId}--${entry.name}`);
      try {
        await rename(from, mine);
      } catch {
        continue; // Another instance claimed it first.
      }
      // The claim's date: a rename keeps the file's own times.
      const at = new Date(now());
      await utimes(mine, at, at).catch(() => undefined);
      try {
        const bytes = await readFile(mine);
        const source = await desk.builtIn('folder');
        const report = await desk.readFile(source, { bytes, filename: entry.name });
        await rename(mine, await freeName(doneDir, entry.name));
        result.done.push({ file: entry.name, report });
        log.info({ file: entry.name, stored: report.stored.length }, 'wire folder file read');
      } catch (error) {
        const code = isKiosqueError(error) ? error.code : 'INTERNAL';
        const target = await freeName(failedDir, entry.name);
        await rename(mine, target);
        const detail = isKiosqueError(error) ? errorCatalog[error.code] : String((error as Error)?.message ?? error);
        await writeFile(`${target}.error.txt`, `${code}\n${detail}\n`, 'utf8');
        result.failed.push({ file: entry.name, code });
        if (!isKiosqueError(error)) log.error({ err: error, file: entry.name }, 'wire folder file failed');
      }
    }
    return result;
  }

  /** One look at the folder; concurrent calls share the look in progress. */
  function tick(): Promise<FolderTick> {
    running ??= look().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    tick,

    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        tick().catch((error) => log.error({ err: error, folder }, 'wire folder unreadable'));
      }, deps.intervalMs);
      timer.unref();
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type WireFolderWatcher = ReturnType<typeof createWireFolderWatcher>;
