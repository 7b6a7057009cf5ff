import type { Clock } from '../clock.js';
import { isKiosqueError, KiosqueError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { RetryLater } from '../jobs/job-queue.js';
import type { JobHandler } from '../jobs/job-worker.js';
import { silentProgress } from './import-progress.js';
import { ImportInterrupted } from './import-runner.js';
import type { ImportRun } from './import-runs.js';
import type { Importer, ImportService } from './import-service.js';

/** Why the port exists: an uploaded export must outlive the request (and a restart) until its job ran. */
export interface ImportFiles {
  put(runId: string, bytes: Uint8Array): Promise<void>;
  get(runId: string): Promise<Uint8Array | null>;
}

const jobKind = 'import.run';

/**
 * Imports started from the admin: the file is checked at once (a refused file is said on the
 * page, nothing kept), kept with the run, and imported by a durable job, so a restart resumes it
 * (the ledger skips what is done). Progress and the report are on the run's row.
 */
export function createImportQueue(deps: {
  imports: ImportService;
  importers: Record<string, (bytes: Uint8Array) => Importer>;
  files: ImportFiles;
  jobs: JobQueue;
  clock: Clock;
  onQueued?: () => void;
}) {
  const { imports, importers, files, jobs, clock } = deps;

  const run: JobHandler = async (payload, context) => {
    const runId = (payload as { runId?: unknown } | null)?.runId;
    const found = typeof runId === 'string' ? await imports.find(runId) : null;
    if (!found || found.status === 'done' || found.status === 'failed') return;
    const bytes = await files.get(found.id);
    const build = importers[found.system];
    if (!bytes || !build) return;
    try {
      await imports.execute(found.id, found.system, build(bytes), silentProgress, context.signal);
    } catch (error) {
      if (error instanceof ImportInterrupted) throw new RetryLater(clock.now(), 'the worker stopped');
      // A refused file or thing is on the run's row; the job is over.
      if (isKiosqueError(error)) return;
      throw error;
    }
  };

  return {
    /** Checks the file, keeps it and queues its import; throws the file's refusal before storing anything. */
    async start(input: { system: string; fileName: string; bytes: Uint8Array; startedBy: string }): Promise<ImportRun> {
      const build = importers[input.system];
      if (!build || input.bytes.length === 0) throw new KiosqueError('IMPORT_FILE_MISSING');
      build(input.bytes);
      const started = await imports.begin({
        system: input.system,
        fileName: input.fileName.slice(0, 200),
        startedBy: input.startedBy,
      });
      await files.put(started.id, input.bytes);
      await jobs.enqueue({ kind: jobKind, payload: { runId: started.id }, key: `import:${started.id}` }, clock.now());
      deps.onQueued?.();
      return started;
    },
    find: imports.find,
    list: imports.list,
    handlers: { [jobKind]: run } as Record<string, JobHandler>,
  };
}

export type ImportQueue = ReturnType<typeof createImportQueue>;
