import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The newsroom's translation workflow and preflight: which story a translation was made from and
 * at which of its revisions (out of date when the source's words changed since), the revision that
 * last changed a story's words, the wire-copy flag that makes a source credit mandatory, and one
 * story per language in a translation group, held by the database itself.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('syndicated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('articles')
    .addColumn('text_revision', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('articles').addColumn('translation_source_id', 'text').execute();
  await db.schema.alterTable('articles').addColumn('translation_source_revision', 'integer').execute();
  // Until now, any save may have changed the words: the newest revision is the safe answer.
  await sql`update articles set text_revision = revision`.execute(db);
  // A group holding two stories of one language (nothing prevented it before) keeps its oldest;
  // the others move into a group of their own, where an editor can link them again.
  await sql`update articles set translation_group = 'grp_' || id
    where exists (select 1 from articles other
      where other.translation_group = articles.translation_group and other.language = articles.language
        and (other.created_at < articles.created_at or (other.created_at = articles.created_at and other.id < articles.id)))`.execute(
    db,
  );
  await db.schema
    .createIndex('articles_group_language_idx')
    .on('articles')
    .columns(['translation_group', 'language'])
    .unique()
    .execute();
  // The story list's "out of date" filter: translations, then their source by id, both read from
  // these indexes alone (SQLite keeps a story's later columns past its body in overflow pages).
  // bench/story-list.ts, 10,000 stories: counting them went from ~88 ms to ~1 ms.
  await db.schema
    .createIndex('articles_translation_source_idx')
    .on('articles')
    .columns(['translation_source_id', 'translation_group', 'translation_source_revision'])
    .where(sql.ref('translation_source_id'), 'is not', null)
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('articles_text_revision_idx')
    .on('articles')
    .columns(['id', 'translation_group', 'text_revision'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
}
