import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomIds } from '../../src/app.js';
import type { JobQueue } from '../../src/domain/jobs/job-queue.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrator.js';
import { createSqlJobQueue } from '../../src/storage/sql-job-queue.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';

const at = (iso: string) => new Date(`2026-06-01T${iso}Z`);

// One contract for the JobQueue port, on both databases.
describeEachDatabase('job queue on $kind', ({ kind }) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let queue: JobQueue;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase(database.config);
    await migrateToLatest(handle.db, handle.dialect);
    queue = createSqlJobQueue(handle.db, handle.dialect, randomIds);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('adds a job once per key, and hands out only due jobs, oldest first', async () => {
    expect(await queue.enqueue({ kind: 'k', payload: { n: 1 }, key: 'one' }, at('10:00:00'))).toBe(true);
    expect(await queue.enqueue({ kind: 'k', payload: { n: 2 }, key: 'one' }, at('10:00:00'))).toBe(false);
    await queue.enqueue({ kind: 'k', payload: { n: 3 }, runAt: at('11:00:00') }, at('10:00:01'));
    const first = await queue.claim('w1', at('10:30:00'), at('10:31:00'));
    expect(first).toMatchObject({ kind: 'k', payload: { n: 1 }, attempts: 1 });
    expect(await queue.claim('w1', at('10:30:00'), at('10:31:00'))).toBeNull();
    await queue.finish(first!.id, 'w1', { status: 'done' }, at('10:30:01'));
    const later = await queue.claim('w1', at('11:00:00'), at('11:01:00'));
    expect(later).toMatchObject({ payload: { n: 3 } });
    await queue.finish(later!.id, 'w1', { status: 'done' }, at('11:00:01'));
  });

  it('never hands one job to two workers claiming at once', async () => {
    for (let n = 0; n < 6; n++) await queue.enqueue({ kind: 'race', payload: n }, at('12:00:00'));
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => queue.claim(`w${i}`, at('12:00:01'), at('12:01:00'))),
    );
    const ids = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    for (const [i, claim] of claims.entries()) {
      if (claim) await queue.finish(claim.id, `w${i}`, { status: 'done' }, at('12:00:02'));
    }
  });

  it('gives the job of a worker whose lease ran out to another, and ignores the first one after', async () => {
    await queue.enqueue({ kind: 'lease', payload: null }, at('13:00:00'));
    const held = await queue.claim('dead', at('13:00:00'), at('13:01:00'));
    expect(await queue.claim('alive', at('13:00:30'), at('13:01:30'))).toBeNull();
    expect(await queue.extend(held!.id, 'dead', at('13:02:00'))).toBe(true);
    expect(await queue.claim('alive', at('13:01:30'), at('13:02:30'))).toBeNull();
    const taken = await queue.claim('alive', at('13:02:01'), at('13:03:00'));
    expect(taken).toMatchObject({ id: held!.id, attempts: 2 });
    expect(await queue.extend(held!.id, 'dead', at('13:05:00'))).toBe(false);
    // The old holder's late "done" does not end the new holder's run.
    await queue.finish(held!.id, 'dead', { status: 'done' }, at('13:02:10'));
    expect(await queue.extend(held!.id, 'alive', at('13:04:00'))).toBe(true);
    await queue.finish(held!.id, 'alive', { status: 'retry', runAt: at('14:00:00'), error: 'later' }, at('13:02:20'));
    expect(await queue.claim('alive', at('13:59:59'), at('14:01:00'))).toBeNull();
    expect(await queue.claim('alive', at('14:00:00'), at('14:01:00'))).toMatchObject({ id: held!.id, attempts: 3 });
  });
});
