import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14, staff accounts: two-factor sign-in (decision 0054) — the TOTP secret sealed with the
 * site's key, the last time step a code was accepted for (a code works once), one-time recovery
 * codes as hashes, and the half-signed-in step between the password and the code; each session's
 * last use (the sessions list); and the staff audit log (decision 0055), written in structured
 * entries (an action code and its parameters, names as they were) rendered in the reader's language.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .alterTable('staff_users')
    .addColumn('totp_secret', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('staff_users')
    .addColumn('totp_pending_secret', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('staff_users').addColumn('totp_enabled_at', time).execute();
  await db.schema.alterTable('staff_users').addColumn('totp_last_step', 'bigint').execute();

  await db.schema
    .createTable('staff_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', time)
    .addPrimaryKeyConstraint('staff_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('staff_signin_steps')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_signin_steps_user_idx').on('staff_signin_steps').column('user_id').execute();

  await db.schema.alterTable('staff_sessions').addColumn('last_used_at', time).execute();

  await db.schema
    .createTable('staff_audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', time, (c) => c.notNull())
    // Not foreign keys: the log outlives accounts and stories, and says who and what by name.
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    // staff, integration (a program with an Admin API token) or system (the command line).
    .addColumn('actor_kind', 'text', (c) => c.notNull().defaultTo('staff'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('subject_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('staff_audit_log_at_idx').on('staff_audit_log').columns(['at', 'id']).execute();
  await db.schema
    .createIndex('staff_audit_log_actor_idx')
    .on('staff_audit_log')
    .columns(['actor_id', 'at', 'id'])
    .execute();
}
