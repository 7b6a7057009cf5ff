import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Newsletters: lists per language, each person's subscription to each list (double opt-in), the
 * consent log, sends and their per-person deliveries, digest queues, and the durable jobs table
 * that sending runs from. Signups stored before this version become pending subscriptions to
 * their language's default list, so they still need to confirm before anything is sent.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('newsletter_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    // Local time of day ("07:00", site time zone) at which the list's digest goes out.
    .addColumn('digest_time', 'text', (c) => c.notNull().defaultTo('07:00'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('newsletter_lists_language_name_unique', ['language', 'name'])
    .execute();

  await db.schema.alterTable('newsletter_signups').addColumn('suppressed_at', time).execute();
  await db.schema.alterTable('newsletter_signups').addColumn('suppression_reason', 'text').execute();

  await db.schema
    .createTable('newsletter_subscriptions')
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_signups.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The signup request a confirmation link answers: a link from before an unsubscribe is void.
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('requested_at', time, (c) => c.notNull())
    .addColumn('confirmation_queued_at', time)
    .addColumn('confirmed_at', time)
    .addColumn('unsubscribed_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_subscriptions_pk', ['subscriber_id', 'list_id'])
    .execute();
  await db.schema
    .createIndex('newsletter_subscriptions_list_idx')
    .on('newsletter_subscriptions')
    .columns(['list_id', 'status', 'subscriber_id'])
    .execute();

  await db.schema
    .createTable('newsletter_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_signups.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('source_path', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('wording_version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('newsletter_consents_subscriber_idx')
    .on('newsletter_consents')
    .columns(['subscriber_id', 'at'])
    .execute();

  // The exact signup text a version string stands for, kept as long as consents refer to it.
  await db.schema
    .createTable('newsletter_wordings')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('newsletter_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('newsletter_lists.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // A story send's story (null for a digest, whose stories are in article_ids).
    .addColumn('article_id', 'text')
    .addColumn('article_ids', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('started_at', time)
    .addColumn('finished_at', time)
    .execute();
  await db.schema
    .createIndex('newsletter_sends_list_idx')
    .on('newsletter_sends')
    .columns(['list_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('newsletter_digest_items')
    .addColumn('list_id', 'text', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('added_at', time, (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addColumn('send_id', 'text')
    .addPrimaryKeyConstraint('newsletter_digest_items_pk', ['list_id', 'article_id'])
    .execute();

  // One row per message and person, written *before* the SMTP exchange: the unique key is what
  // makes a send reach each person at most once, whatever crashes or runs twice.
  await db.schema
    .createTable('newsletter_deliveries')
    .addColumn('send_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_signups.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempted_at', time, (c) => c.notNull())
    .addColumn('finished_at', time)
    .addColumn('response', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('newsletter_deliveries_pk', ['send_id', 'subscriber_id'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    // Optional deduplication key: a second job with the same key is not added.
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', time)
    .addColumn('last_error', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();

  // Signups from before double opt-in: one pending subscription each, to a default list of
  // their language (created here when the site has none yet; the app names it at start).
  const languages = await sql<{ language: string }>`select distinct language from newsletter_signups`.execute(db);
  const now = new Date().toISOString();
  for (const { language } of languages.rows) {
    const listId = `nll_${language}_default`;
    await sql`insert into newsletter_lists (id, language, name, is_default, digest_time, created_at)
      values (${listId}, ${language}, ${`Newsletter (${language})`}, 1, '07:00', ${now})`.execute(db);
    await sql`insert into newsletter_subscriptions
        (subscriber_id, list_id, status, request_id, requested_at, updated_at)
      select id, ${listId}, 'pending', 'req_' || id, created_at, ${now}
      from newsletter_signups where language = ${language}`.execute(db);
  }
  await db.schema.alterTable('newsletter_signups').dropColumn('status').execute();
}
