import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 13: outgoing webhooks (decision 0048). A webhook belongs to an integration and names one
 * event and one target; its signing secret is kept as it is, since signing needs it (shown once).
 * Each (webhook, event) is one delivery row, unique by the event's key, sent by a durable job.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_by_event').on('webhooks').columns(['event']).execute();
  await db.schema.createIndex('webhooks_by_integration').on('webhooks').columns(['integration_id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    // What happened, once: a story's save, a member's change, a newsletter send.
    .addColumn('event_key', 'text', (c) => c.notNull())
    // The exact JSON sent (signed afresh at each attempt, with that attempt's time).
    .addColumn('body', 'text', (c) => c.notNull())
    // pending → delivered | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('answer', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    // Retries stop 24 hours after this: the first attempt, or the last "Send again".
    .addColumn('window_from', time, (c) => c.notNull())
    .addColumn('last_attempt_at', time)
    .addColumn('next_attempt_at', time)
    .addColumn('finished_at', time)
    .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'event_key'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_log')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_at'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_age').on('webhook_deliveries').columns(['created_at']).execute();
}
