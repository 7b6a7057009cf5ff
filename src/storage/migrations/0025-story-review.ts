import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14, the review loop (decision 0053): every step of a story's review — submitted, changes
 * requested with the editor's note, approved, sent back, closed by publication — with who and when
 * and the story's revision it answered, numbered per story so two answers at once cannot both be
 * taken; and each story's current review state, kept beside it for the story list's views and the
 * admin's "To review" count. A story without a row was never submitted.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('article_review_steps')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_review_steps_pk', ['article_id', 'seq'])
    .execute();
  await db.schema
    .createTable('article_reviews')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  // "To review" and "Changes requested": the few stories in a state, not a walk over every story.
  await db.schema.createIndex('article_reviews_state').on('article_reviews').columns(['state']).execute();
}
