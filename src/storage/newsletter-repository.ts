import type { Kysely } from 'kysely';
import type { SignupRecord, SignupStore } from '../domain/newsletter/newsletter-service.js';
import type { Database } from './schema.js';

/** Newsletter signups on SQL. */
export function createNewsletterRepository(db: Kysely<Database>): SignupStore & {
  findByEmail(email: string): Promise<SignupRecord | null>;
  count(): Promise<number>;
} {
  return {
    async insertIfAbsent(record) {
      const result = await db
        .insertInto('newsletter_signups')
        .values({
          id: record.id,
          email: record.email,
          language: record.language,
          status: record.status,
          source_path: record.sourcePath,
          created_at: record.createdAt.toISOString(),
          updated_at: record.createdAt.toISOString(),
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async findByEmail(email) {
      const row = await db.selectFrom('newsletter_signups').selectAll().where('email', '=', email).executeTakeFirst();
      return row
        ? {
            id: row.id,
            email: row.email,
            language: row.language,
            status: row.status as SignupRecord['status'],
            sourcePath: row.source_path,
            createdAt: new Date(row.created_at),
          }
        : null;
    },

    async count() {
      const row = await db
        .selectFrom('newsletter_signups')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
