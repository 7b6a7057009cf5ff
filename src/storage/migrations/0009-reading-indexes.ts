import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Indexes that answer the reading site's questions without reading article rows, whose bodies
 * fill overflow pages: measured at 100,000 articles by bench/, counting a language's public
 * stories took ~500 ms through the first listing index and "related" ~650 ms.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // Every public list filters on these four and orders by the last two, `id` breaking ties.
  await db.schema.dropIndex('articles_listing_idx').execute();
  await db.schema
    .createIndex('articles_published_idx')
    .on('articles')
    .columns(['language', 'status', 'deleted_at', 'published_at', 'id'])
    .execute();
  // "Related" counts shared tags from the tag side, then checks each candidate is public.
  await db.schema.dropIndex('article_tags_tag_idx').execute();
  await db.schema.createIndex('article_tags_tag_idx').on('article_tags').columns(['tag_id', 'article_id']).execute();
  await db.schema
    .createIndex('articles_visibility_idx')
    .on('articles')
    .columns(['id', 'language', 'status', 'deleted_at', 'published_at', 'translation_group'])
    .execute();
}
