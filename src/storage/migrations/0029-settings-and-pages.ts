import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14: the site's settings, changed in the admin (decision 0058), and static pages — About,
 * Contact, the policies — per language (decision 0059). Settings are one row per section
 * (`identity`, `navigation`…), its value a JSON document validated by the domain's schema on
 * every read and write, so a section is replaced whole and two sections never fight over a row.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('site_settings')
    .addColumn('section', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('static_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Translations of one page share a group, each language at most once (as stories do).
    .addColumn('page_group', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('static_pages_language_slug')
    .on('static_pages')
    .columns(['language', 'slug'])
    .unique()
    .execute();
  await db.schema
    .createIndex('static_pages_group_language')
    .on('static_pages')
    .columns(['page_group', 'language'])
    .unique()
    .execute();
}
