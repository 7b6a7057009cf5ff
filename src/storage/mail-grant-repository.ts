import type { Kysely } from 'kysely';
import type { MailGrantStore } from '../domain/limits/form-mail-limiter.js';
import type { Database } from './schema.js';
import { toDate } from './schema.js';

/** The form mail limiter's windows, in the database so that every instance counts the same mails. */
export function createMailGrantRepository(db: Kysely<Database>): MailGrantStore {
  return {
    async recent(key, since, limit) {
      const rows = await db
        .selectFrom('form_mail_grants')
        .select('granted_at')
        .where('key', '=', key)
        .where('granted_at', '>', since.toISOString())
        .orderBy('granted_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => toDate(row.granted_at));
    },
    async add(keys, at, forgetBefore) {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('form_mail_grants')
          .where('key', 'in', keys)
          .where('granted_at', '<', forgetBefore.toISOString())
          .execute();
        await trx
          .insertInto('form_mail_grants')
          .values(keys.map((key) => ({ key, granted_at: at.toISOString() })))
          .execute();
      });
    },
  };
}
