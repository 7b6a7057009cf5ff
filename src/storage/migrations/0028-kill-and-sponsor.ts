import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14 (decision 0057). A killed story: when it was killed, why (one of `killReasons`, for the
 * legal record) and the notice readers get in its place (in its language; may be empty). While
 * `killed_at` is set the story is visible on no channel (`visibleToReaders`) and its address
 * answers 410 Gone. A sponsored story's sponsor: the advertiser's name readers are told ("Sponsored
 * by …"); empty for every other story.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema.alterTable('articles').addColumn('killed_at', time).execute();
  await db.schema.alterTable('articles').addColumn('kill_reason', 'text').execute();
  await db.schema
    .alterTable('articles')
    .addColumn('kill_notice', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('articles')
    .addColumn('sponsor', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
