import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * A story may be under embargo (issue 12, decision 0042): readers see it on no channel before
 * `embargo_until`. Null means no embargo. The publication rule reads it (`visibleToReaders`).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema.alterTable('articles').addColumn('embargo_until', time).execute();
}
