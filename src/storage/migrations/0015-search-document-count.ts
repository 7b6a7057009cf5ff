import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Each language's number of indexed documents, kept in `search_terms` under the empty term (see
 * `documentCountTerm` in storage/search-index.ts), which every write now keeps current. Set here
 * from the index as it stands; setting (not adding) makes this right whatever 0011 indexed.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`insert into search_terms (language, term, documents)
    select language, '', count(*) from article_search group by language
    on conflict (language, term) do update set documents = excluded.documents`.execute(db);
}
