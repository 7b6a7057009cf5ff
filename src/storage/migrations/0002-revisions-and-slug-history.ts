import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/** Every save of an article as a revision (who, when, what), and the slugs an article had before. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('article_revisions')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('saved_at', time, (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    // The whole article as saved, as JSON text: readable on both databases, diffable, restorable.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_revisions_pk', ['article_id', 'revision'])
    .execute();

  await db.schema
    .createTable('article_slug_history')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('replaced_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('article_slug_history_pk', ['language', 'slug'])
    .execute();
}
