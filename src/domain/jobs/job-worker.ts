import type { Clock } from '../clock.js';
import { type Job, type JobQueue, RetryLater } from './job-queue.js';

export interface JobContext {
  jobId: string;
  attempts: number;
  /** Aborted when the worker stops: a long handler should stop at a safe point and throw RetryLater. */
  signal: AbortSignal;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export interface JobWorkerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  /** Unique per process: leases name their holder. */
  workerId: string;
  /** How long a claimed job stays this worker's without a heartbeat. */
  leaseMs: number;
  /** Pause between looks at the queue when it is empty. */
  pollMs?: number;
  /** A job that failed (threw) this many times is given up. */
  maxAttempts?: number;
  logger: { info(object: object, message: string): void; error(object: object, message: string): void };
}

/** Runs jobs from the queue, one at a time, renewing each job's lease while it runs. */
export function createJobWorker(options: JobWorkerOptions) {
  const { queue, handlers, clock, workerId, leaseMs, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? 8;
  let running: Promise<void> | null = null;
  let stopping = new AbortController();
  let wake: (() => void) | null = null;

  const leaseUntil = () => new Date(clock.now().getTime() + leaseMs);

  async function execute(job: Job): Promise<void> {
    const handler = handlers[job.kind];
    const controller = new AbortController();
    const onStop = () => controller.abort();
    stopping.signal.addEventListener('abort', onStop);
    // The heartbeat keeps the lease while the handler works (a send at a slow rate takes long).
    const heartbeat = setInterval(
      () => {
        queue.extend(job.id, workerId, leaseUntil()).then(
          (kept) => {
            if (!kept) controller.abort();
          },
          (error) => logger.error({ err: error, job: job.id }, 'job lease renewal failed'),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      if (!handler) throw new Error(`No handler for jobs of kind "${job.kind}".`);
      await handler(job.payload, { jobId: job.id, attempts: job.attempts, signal: controller.signal });
      await queue.finish(job.id, workerId, { status: 'done' }, clock.now());
    } catch (error) {
      const now = clock.now();
      if (error instanceof RetryLater) {
        await queue.finish(job.id, workerId, { status: 'retry', runAt: error.runAt, error: error.message }, now);
      } else if (job.attempts >= maxAttempts || !handler) {
        logger.error({ err: error, job: job.id, kind: job.kind }, 'job failed for good');
        await queue.finish(job.id, workerId, { status: 'failed', error: String(error) }, now);
      } else {
        const delay = Math.min(3_600_000, 30_000 * 2 ** (job.attempts - 1));
        logger.error({ err: error, job: job.id, kind: job.kind, retryInMs: delay }, 'job failed, will retry');
        await queue.finish(
          job.id,
          workerId,
          { status: 'retry', runAt: new Date(now.getTime() + delay), error: String(error) },
          now,
        );
      }
    } finally {
      clearInterval(heartbeat);
      stopping.signal.removeEventListener('abort', onStop);
    }
  }

  /** Claims and runs one due job; false when none was due. */
  async function runOnce(): Promise<boolean> {
    const job = await queue.claim(workerId, clock.now(), leaseUntil());
    if (!job) return false;
    await execute(job);
    return true;
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let worked = false;
      try {
        worked = await runOnce();
      } catch (error) {
        logger.error({ err: error }, 'job queue unavailable');
      }
      if (!worked && !stopping.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  return {
    runOnce,

    /** Runs due jobs until none is left (tests, and the CLI's one-shot commands). */
    async runUntilIdle(limit = 10_000): Promise<number> {
      let count = 0;
      while (count < limit && (await runOnce())) count++;
      return count;
    },

    /** Starts polling in the background. */
    start(): void {
      if (running) return;
      stopping = new AbortController();
      running = loop();
      logger.info({ worker: workerId }, 'job worker started');
    },

    /** Looks at the queue now rather than at the next poll (a job was just added). */
    nudge(): void {
      wake?.();
    },

    /** Asks the running job to stop at a safe point and waits for the loop to end. */
    async stop(): Promise<void> {
      stopping.abort();
      wake?.();
      await running;
      running = null;
    },
  };
}

export type JobWorker = ReturnType<typeof createJobWorker>;
