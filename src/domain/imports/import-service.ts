import type { Clock, IdGenerator } from '../clock.js';
import { isKiosqueError } from '../errors.js';
import type { ImportLedger } from './import-ledger.js';
import type { ImportProgress } from './import-progress.js';
import { createReportBuilder, type ImportReport, type ReportBuilder } from './import-report.js';
import { createImportRunner, ImportInterrupted, type ImportRunner, type ImportStep } from './import-runner.js';
import type { ImportRun, ImportRunStore } from './import-runs.js';
import type { RedirectStore, RedirectTarget } from './redirects.js';
import { redirectKey } from './redirects.js';

/** What an importer is given: the runner (ledger-checked steps), the report, and old addresses. */
export interface ImportContext {
  system: string;
  runner: ImportRunner;
  report: ReportBuilder;
  /** A step that points an old address at what it names now (idempotent; counted as `redirect`). */
  redirectStep(oldPath: string, target: RedirectTarget): ImportStep | null;
  clock: Clock;
}

/** A source system's importer: reads its file, then runs its steps through `context.runner`. */
export type Importer = (context: ImportContext) => Promise<void>;

/** How often a run's progress is written to its row (the admin page polls it). */
const progressEveryMs = 500;

/**
 * The import framework: a run is begun (a row the admin can show), then executed with one
 * source's importer. Steps go through the ledger (re-runs update or skip, never duplicate); the
 * report is stored when the run ends. A file refused as a whole (`KiosqueError` from the importer)
 * fails the run with its code; an interrupted run stays `running` and resumes when run again.
 */
export function createImportService(deps: {
  ledger: ImportLedger;
  runs: ImportRunStore;
  redirects: RedirectStore;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { ledger, runs, redirects, clock, ids } = deps;

  return {
    async begin(input: { system: string; fileName: string; startedBy: string | null }): Promise<ImportRun> {
      const now = clock.now();
      const run: ImportRun = {
        id: ids('imp'),
        ...input,
        status: 'queued',
        done: 0,
        total: 0,
        report: null,
        errorCode: null,
        createdAt: now,
        updatedAt: now,
      };
      await runs.create(run);
      return run;
    },

    find: (id: string) => runs.find(id),
    list: (limit = 20) => runs.list(limit),

    async execute(
      runId: string,
      system: string,
      importer: Importer,
      progress: ImportProgress,
      signal?: AbortSignal,
    ): Promise<ImportReport> {
      const report = createReportBuilder(system);
      let written = 0;
      const tracked: ImportProgress = {
        update(done, total, label) {
          progress.update(done, total, label);
          const now = clock.now().getTime();
          if (now - written >= progressEveryMs || done === total) {
            written = now;
            void runs.update(runId, { done, total }, clock.now()).catch(() => {});
          }
        },
        end: () => progress.end(),
      };
      const runner = createImportRunner({ system, importId: runId, ledger, report, progress: tracked, clock, signal });
      await runs.update(runId, { status: 'running' }, clock.now());
      try {
        await importer({
          system,
          runner,
          report,
          clock,
          redirectStep(oldPath, target) {
            const key = redirectKey(oldPath);
            if (key === null) return null;
            return {
              kind: 'redirect',
              sourceId: key,
              label: key,
              hash: `${target.kind}:${target.id}`,
              async write() {
                await redirects.put(key, target, clock.now());
                return { kiosqueId: target.id };
              },
            };
          },
        });
      } catch (error) {
        progress.end();
        if (error instanceof ImportInterrupted) throw error;
        await runs.update(
          runId,
          { status: 'failed', report: report.report(), errorCode: isKiosqueError(error) ? error.code : 'INTERNAL' },
          clock.now(),
        );
        throw error;
      }
      const { done, total } = runner.position();
      // An importer's estimate may have been high (things it found it had nothing to do for).
      if (total !== done) progress.update(done, done, '');
      progress.end();
      const final = report.report();
      await runs.update(runId, { status: 'done', report: final, done, total: done }, clock.now());
      return final;
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
