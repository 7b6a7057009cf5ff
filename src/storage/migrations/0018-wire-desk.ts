import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 12, the wire desk: where wire copy comes from (`wire_sources`: feeds polled on a schedule,
 * the watched folder, uploads, pasted URLs, with what the last poll said) and every item received
 * (`wire_items`, the received bytes kept as they came), versions linked to the one they supersede.
 * Articles gain a dateline, a licence note and the wire item they were made from.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('wire_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('feed_url', 'text')
    .addColumn('language', 'text')
    .addColumn('credit_name', 'text', (c) => c.notNull())
    .addColumn('licence_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('poll_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('next_poll_at', time)
    .addColumn('poll_key', 'text')
    .addColumn('consecutive_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_values', 'text')
    .addColumn('last_error_at', time)
    .addColumn('last_success_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wire_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('wire_sources.id'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('wire_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('original_url', 'text')
    // The address as dedupe compares it (`wire-identity.ts#canonicalUrlKey`): no tracking, no www.
    .addColumn('url_key', 'text')
    .addColumn('language', 'text')
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bylines', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', time)
    .addColumn('embargo_until', time)
    .addColumn('rights', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('topics', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('lead_image', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_bytes', bytes, (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('supersedes_id', 'text')
    .addColumn('article_id', 'text')
    .execute();
  // Dedupe, held by the database too (two instances polling at once): one row per wire id and version.
  await db.schema
    .createIndex('wire_items_wire_version_idx')
    .on('wire_items')
    .columns(['wire_id', 'version'])
    .unique()
    .execute();
  await db.schema.createIndex('wire_items_url_idx').on('wire_items').column('url_key').execute();
  await db.schema.createIndex('wire_items_hash_idx').on('wire_items').column('content_hash').execute();
  await db.schema.createIndex('wire_items_received_idx').on('wire_items').columns(['received_at', 'id']).execute();

  await db.schema
    .alterTable('articles')
    .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('articles')
    .addColumn('licence_note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('articles').addColumn('wire_item_id', 'text').execute();
}
