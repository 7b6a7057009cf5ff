import type { Kysely } from 'kysely';
import type { IdGenerator } from '../domain/clock.js';
import type { Job, JobQueue } from '../domain/jobs/job-queue.js';
import { type Database, type Dialect, toDate } from './schema.js';

/**
 * The job queue on the `jobs` table, for both databases. Claiming is one UPDATE … WHERE id =
 * (SELECT … LIMIT 1) … RETURNING: SQLite runs one writer at a time, so the statement is atomic
 * there; on PostgreSQL the inner SELECT takes `FOR UPDATE SKIP LOCKED`, so several instances
 * claim different jobs without waiting on each other. That one clause is the only dialect part.
 */
export function createSqlJobQueue(db: Kysely<Database>, dialect: Dialect, ids: IdGenerator): JobQueue {
  return {
    async enqueue(job, now) {
      const at = now.toISOString();
      const result = await db
        .insertInto('jobs')
        .values({
          id: ids('job'),
          kind: job.kind,
          payload: JSON.stringify(job.payload ?? null),
          key: job.key ?? null,
          status: 'queued',
          run_at: (job.runAt ?? now).toISOString(),
          attempts: 0,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async claim(worker, now, leaseUntil) {
      const at = now.toISOString();
      const row = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          locked_by: worker,
          locked_until: leaseUntil.toISOString(),
          attempts: eb('attempts', '+', 1),
          updated_at: at,
        }))
        .where('id', '=', (eb) => {
          const next = eb
            .selectFrom('jobs')
            .select('id')
            .where((w) =>
              w.or([
                w.and([w('status', '=', 'queued'), w('run_at', '<=', at)]),
                // A worker that died holding a job: its lease ran out.
                w.and([w('status', '=', 'running'), w('locked_until', '<', at)]),
              ]),
            )
            .orderBy('run_at')
            .orderBy('id')
            .limit(1);
          return dialect === 'postgres' ? next.forUpdate().skipLocked() : next;
        })
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        kind: row.kind,
        payload: JSON.parse(row.payload) as unknown,
        attempts: Number(row.attempts),
        runAt: toDate(row.run_at),
      } satisfies Job;
    },

    async extend(jobId, worker, leaseUntil) {
      const result = await db
        .updateTable('jobs')
        .set({ locked_until: leaseUntil.toISOString() })
        .where('id', '=', jobId)
        .where('locked_by', '=', worker)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async finish(jobId, worker, outcome, now) {
      await db
        .updateTable('jobs')
        .set({
          status: outcome.status === 'retry' ? 'queued' : outcome.status,
          run_at: outcome.status === 'retry' ? outcome.runAt.toISOString() : undefined,
          last_error: outcome.status === 'done' ? null : outcome.error.slice(0, 2000),
          locked_by: null,
          locked_until: null,
          updated_at: now.toISOString(),
        })
        .where('id', '=', jobId)
        // A worker whose lease was taken over must not overwrite the new holder's state.
        .where('locked_by', '=', worker)
        .execute();
    },
  };
}
