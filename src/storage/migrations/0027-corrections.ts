import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14: corrections and clarifications as records of their own (decision 0056), appended to a
 * story rather than edited into its body. A draft waits in the editor; a published one is never
 * changed again (a later one follows it). A translation's draft made from its source's correction
 * names that correction (`source_correction_id`), and says whether its text still needs a person
 * to translate it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    // correction | clarification
    .addColumn('kind', 'text', (c) => c.notNull())
    // Inline Markdown, rendered and sanitized when shown.
    .addColumn('text', 'text', (c) => c.notNull())
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_correction_id', 'text')
    // The source's revision publishing this draft brings its translation up to (see decision 0056).
    .addColumn('source_revision', 'integer')
    .addColumn('needs_translation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', time)
    .execute();
  await db.schema.createIndex('corrections_by_article').on('corrections').columns(['article_id']).execute();
  // The language's corrections page: published ones, newest first.
  await db.schema
    .createIndex('corrections_published')
    .on('corrections')
    .columns(['language', 'status', 'published_at'])
    .execute();
}
