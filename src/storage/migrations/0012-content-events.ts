import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * PostgreSQL only: content events whose JSON is too large for a NOTIFY payload (under 8000 bytes)
 * are written here, and the notification carries the row's id. SQLite runs as one process with an
 * in-process event bus and needs no table.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.schema
    .createTable('content_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Old rows are deleted by age when a new one is written.
  await db.schema.createIndex('content_events_created_idx').on('content_events').column('created_at').execute();
}
