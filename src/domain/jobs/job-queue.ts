/** Work that must survive a restart (sending newsletters) is kept as jobs in the database. */

export interface Job {
  id: string;
  kind: string;
  /** JSON-compatible data the job's handler validates. */
  payload: unknown;
  /** How many times the job was claimed, this time included. */
  attempts: number;
  runAt: Date;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  /** Not before this time; now when omitted. */
  runAt?: Date;
  /** A second job with the same key is not added (enqueue answers false). */
  key?: string;
}

export type JobOutcome =
  | { status: 'done' }
  | { status: 'retry'; runAt: Date; error: string }
  | { status: 'failed'; error: string };

/**
 * The durable queue jobs run from. A claimed job is leased to one worker until `lockedUntil`;
 * a worker that dies lets the lease run out, and the job is claimed again.
 */
export interface JobQueue {
  enqueue(job: NewJob, now: Date): Promise<boolean>;
  /** The next due job (or one whose lease ran out), leased to `worker` until `leaseUntil`. */
  claim(worker: string, now: Date, leaseUntil: Date): Promise<Job | null>;
  /** Extends the lease; false when the job is no longer this worker's. */
  extend(jobId: string, worker: string, leaseUntil: Date): Promise<boolean>;
  finish(jobId: string, worker: string, outcome: JobOutcome, now: Date): Promise<void>;
}

/** Thrown by a handler that cannot go on now but should be tried again at `runAt`. */
export class RetryLater extends Error {
  override name = 'RetryLater';
  constructor(
    readonly runAt: Date,
    reason: string,
  ) {
    super(reason);
  }
}
