import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 12: how an article's text was made when a machine made it — the provider, the language it
 * was translated from, when, and who reviewed it (decision 0039). An article without a row was
 * written by people. One row per article; the reviewer's name is kept as readers were shown it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('article_machine_translations')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('source_language', 'text', (c) => c.notNull())
    .addColumn('translated_at', time, (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewer_name', 'text')
    .addColumn('reviewed_at', time)
    .execute();
}
