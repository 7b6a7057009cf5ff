import type { ImportReport } from './import-report.js';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** One import: from the CLI or queued from the admin, with its progress and, once done, its report. */
export interface ImportRun {
  id: string;
  system: string;
  fileName: string;
  status: ImportStatus;
  startedBy: string | null;
  done: number;
  total: number;
  report: ImportReport | null;
  /** The `KiosqueError` code that refused the whole file (a failed run), else null. */
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Why the port exists: the admin page shows a run's progress and report while a job works on it. */
export interface ImportRunStore {
  create(run: ImportRun): Promise<void>;
  find(id: string): Promise<ImportRun | null>;
  /** Newest first. */
  list(limit: number): Promise<ImportRun[]>;
  update(
    id: string,
    change: Partial<Pick<ImportRun, 'status' | 'done' | 'total' | 'report' | 'errorCode'>>,
    now: Date,
  ): Promise<void>;
}
