import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The story list's indexes, partial on `deleted_at is null` (the trash has its own). 0004-editor
 * led them with `deleted_at`: PostgreSQL does not treat `is null` as an equality, and SQLite,
 * once ANALYZE had run, skip-scanned the status index and sorted every story instead. Measured at
 * 100,000 stories (bench/generate-site.ts), a filtered page and its count went from 0.3–4 s to
 * under 15 ms. `deleted_at` closes each column list only so that SQLite sees the index covers
 * the count; `headline` in the first lets a headline search read the index, not the table.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('articles_newsroom_idx').execute();
  await db.schema.dropIndex('articles_newsroom_status_idx').execute();
  const live = sql.ref('deleted_at');
  const indexes: [string, string[]][] = [
    ['articles_newsroom_live_idx', ['updated_at', 'id', 'headline', 'deleted_at']],
    ['articles_newsroom_status_idx', ['status', 'updated_at', 'id', 'deleted_at']],
    ['articles_newsroom_language_idx', ['language', 'updated_at', 'id', 'deleted_at']],
    ['articles_newsroom_section_idx', ['section_id', 'updated_at', 'id', 'deleted_at']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('articles').columns(columns).where(live, 'is', null).execute();
  }
  await db.schema
    .createIndex('articles_trash_idx')
    .on('articles')
    .columns(['deleted_at', 'id'])
    .where(live, 'is not', null)
    .execute();
}
