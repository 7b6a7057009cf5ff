import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issues 13 and 14, the kind of work (decision 0051): every story has a genre, news unless staff
 * say otherwise, so the stories stored before it are news. Wire items keep the genre codes their
 * provider gave (ninjs `genres`, NewsML-G2 `genre` qcodes) for "Use as draft"; an item received
 * before this has none, which reads as news.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('articles')
    .addColumn('genre', 'text', (c) => c.notNull().defaultTo('news'))
    .execute();
  await db.schema
    .alterTable('wire_items')
    .addColumn('genres', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}
