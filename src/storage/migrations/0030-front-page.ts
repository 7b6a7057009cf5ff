import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14, front-page curation (decision 0060): per language, a pinned lead and an ordered list of
 * top stories; per section, a pinned lead; per language, a breaking-news banner with its expiry.
 * Picks name stories by id and are kept when a story leaves the site: readers never see a pick that
 * is not public (the reading service asks for picks through the one visibility rule), and a story
 * that comes back is in its place again.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('front_page_picks')
    .addColumn('language', 'text', (c) => c.notNull())
    // `lead` (one, position 0) or `top` (positions 0, 1, 2… in the order staff gave).
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('front_page_picks_pk', ['language', 'slot', 'position'])
    .execute();
  await db.schema
    .createTable('section_leads')
    .addColumn('section_id', 'text', (c) => c.primaryKey().references('sections.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('breaking_banners')
    .addColumn('language', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    // A site path (`/fr/slug`) or an http(s) address, checked against the allow-list when saved.
    .addColumn('link', 'text')
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}
