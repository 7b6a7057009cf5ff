import { isKiosqueError } from '../errors.js';
import type { ImportKind, ImportLedger, LedgerEntry } from './import-ledger.js';
import type { ImportProgress } from './import-progress.js';
import type { ImportNote, ReportBuilder } from './import-report.js';

/** What a step's write made: the Kiosque id, and whether it wrote its ledger entry itself. */
export interface StepResult {
  kiosqueId: string;
  /** True when the entry was committed in the write's own transaction (articles do). */
  ledgerWritten?: boolean;
}

/**
 * One thing to bring in. The runner looks it up in the ledger: unchanged (same hash) is left
 * alone; otherwise `write` creates it (`previous` null) or updates it, and should commit `entry`
 * with its own write when it can (`WriteEffects.ledger`), so a kill never leaves it made but
 * unrecorded.
 */
export interface ImportStep {
  kind: ImportKind;
  sourceId: string;
  label: string;
  /** `importHash` of everything imported of it: a changed source changes the hash. */
  hash: string;
  write(previous: LedgerEntry | null, entry: (kiosqueId: string) => LedgerEntry): Promise<StepResult | SkipStep>;
}

/** Returned by a step's write to leave the thing out, with the reason shown in the report. */
export interface SkipStep {
  skip: Pick<ImportNote, 'reason' | 'values'>;
}

/** Thrown between steps when the run was asked to stop (a job worker stopping); re-running resumes. */
export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
}

export interface RunOptions {
  system: string;
  importId: string | null;
  ledger: ImportLedger;
  report: ReportBuilder;
  progress: ImportProgress;
  clock: { now(): Date };
  /** Checked before each step. */
  signal?: AbortSignal;
}

/**
 * Runs steps in order, one at a time, each committed before the next starts: a run killed at any
 * point and started again skips what is done (by the ledger) and carries on. A step refused with a
 * `KiosqueError` is reported as skipped (with the error's code) and the run goes on; anything else
 * is a fault and stops the run.
 */
export function createImportRunner(options: RunOptions) {
  const { system, importId, ledger, report, progress, clock } = options;
  const ids = new Map<string, string>();
  let done = 0;
  let total = 0;

  return {
    /** The Kiosque id a source thing became, in this run or an earlier one. */
    async idOf(kind: ImportKind, sourceId: string): Promise<string | null> {
      const known = ids.get(`${kind}:${sourceId}`);
      if (known) return known;
      return (await ledger.find({ system, kind, sourceId }))?.kiosqueId ?? null;
    },

    /** Steps done and expected so far. */
    position: () => ({ done, total }),

    /** How many steps the whole run will take (progress shows `done/total`); call before `run`. */
    expect(steps: number): void {
      total += steps;
      progress.update(done, total, '');
    },

    /** Runs `steps` in order, each counted in the progress. */
    async run(steps: Iterable<ImportStep>): Promise<void> {
      for (const step of steps) {
        if (options.signal?.aborted) throw new ImportInterrupted('The import was asked to stop.');
        await runStep(step);
        done += 1;
        total = Math.max(total, done);
        progress.update(done, total, step.label);
      }
    },

    /** One step on its own (a section named by a post), outside the progress count. */
    runStep,
  };

  async function runStep(step: ImportStep): Promise<string | null> {
    const key = { system, kind: step.kind, sourceId: step.sourceId };
    const previous = await ledger.find(key);
    if (previous && previous.hash === step.hash) {
      report.count(step.kind, 'unchanged');
      ids.set(`${step.kind}:${step.sourceId}`, previous.kiosqueId);
      return previous.kiosqueId;
    }
    const entry = (kiosqueId: string): LedgerEntry => ({ ...key, kiosqueId, hash: step.hash, importId });
    try {
      const result = await step.write(previous, entry);
      if ('skip' in result) {
        report.skip({ kind: step.kind, sourceId: step.sourceId, label: step.label, ...result.skip });
        return null;
      }
      if (!result.ledgerWritten) await ledger.record(entry(result.kiosqueId), clock.now());
      report.count(step.kind, previous ? 'updated' : 'created');
      ids.set(`${step.kind}:${step.sourceId}`, result.kiosqueId);
      return result.kiosqueId;
    } catch (error) {
      if (!isKiosqueError(error)) throw error;
      report.skip({
        kind: step.kind,
        sourceId: step.sourceId,
        label: step.label,
        reason: 'refused',
        values: { code: error.code },
      });
      return null;
    }
  }
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
