import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * PostgreSQL only: keeps each story's `tsvector` in its row, compressed, rather than out of line in
 * the TOAST table. Ranking and related-story candidates read the whole document of every match;
 * out of line each read is an index lookup and a few page reads more (at 100,000 stories a scan
 * of every document went from ~0.5 s to ~0.2 s). The row's other large columns (the excerpt
 * text, the term counts) still move out of line first, as they are read only for the few hits shown.
 *
 * Rows written before this keep their layout until the story is next saved; `VACUUM FULL
 * article_search` rewrites them all at once (it locks the table while it runs).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table article_search alter column document set storage main`.execute(db);
  await sql`alter table article_search set (toast_tuple_target = 8160)`.execute(db);
}
