import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 11: the mail an anonymous form may trigger is counted per client, recipient (hashed) and
 * site, where every instance sees it (`form_mail_grants`, decision 0024); staff password reset
 * links, stored as hashes, one-time, short-lived (`staff_reset_tokens`, decision 0023).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('form_mail_grants')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('granted_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('form_mail_grants_key_idx')
    .on('form_mail_grants')
    .columns(['key', 'granted_at'])
    .execute();

  await db.schema
    .createTable('staff_reset_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();
  await db.schema.createIndex('staff_reset_tokens_user_idx').on('staff_reset_tokens').column('user_id').execute();
}
