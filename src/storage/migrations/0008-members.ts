import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Readers' accounts and what hangs on them: sign-in links, sessions (separate from staff ones),
 * subscriptions, the monthly meter, Stripe events already seen, payment records kept for the law,
 * and the audit log of changes to members.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time)
    .addColumn('stripe_customer_id', 'text', (c) => c.unique())
    // Access handed out by staff, independent of Stripe; null `until` with a grant means no end.
    .addColumn('complimentary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('complimentary_until', time)
    .execute();
  await db.schema.createIndex('members_created_idx').on('members').column('created_at').execute();

  await db.schema
    .createTable('member_signin_links')
    // sha256 of the link's token; the account is created only when the link is used.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();
  await db.schema
    .createIndex('member_signin_links_email_idx')
    .on('member_signin_links')
    .columns(['email', 'created_at'])
    .execute();

  await db.schema
    .createTable('member_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_sessions_member_idx').on('member_sessions').column('member_id').execute();

  await db.schema
    .createTable('member_subscriptions')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('stripe_subscription_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('current_period_end', time)
    .addColumn('cancel_at_period_end', 'integer', (c) => c.notNull().defaultTo(0))
    // `created` of the newest Stripe event applied: an older one arriving late changes nothing.
    .addColumn('last_event_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('member_meter_reads')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('read_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('member_meter_reads_pk', ['member_id', 'period', 'article_id'])
    .execute();

  await db.schema
    .createTable('billing_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payment_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null once the member deleted their account: `holder` (a random pseudonym) is all that is left.
    .addColumn('member_id', 'text', (c) => c.references('members.id').onDelete('set null'))
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('stripe_invoice_id', 'text', (c) => c.notNull().unique())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('paid_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('member_audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', time, (c) => c.notNull())
    // Not a foreign key: the trail outlives the account (pseudonymised when it is deleted).
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('member_audit_member_idx').on('member_audit_log').columns(['member_id', 'at']).execute();
}
