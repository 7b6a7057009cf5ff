import { type Kysely, sql } from 'kysely';
import type { SearchDocument } from '../../domain/search/search-document.js';
import type { Database } from '../schema.js';
import type { FullTextSql, MatchMode, SearchRow } from '../search-index.js';

/** bm25 weights, in the FTS table's column order: headline, standfirst, tags, authors, body. */
const weights = sql.raw('8.0, 4.0, 4.0, 2.0, 1.0');

/**
 * The FTS5 query for groups of analyzed terms: each group a quoted phrase, so nothing a reader
 * typed is read as FTS5 syntax (NEAR, *, ^, column filters, AND/OR/NOT are all quoted words).
 */
export function fts5Query(groups: string[][], mode: MatchMode, withoutAuthors = false): string {
  const phrases = groups.map((group) => `"${group.join(' ').replace(/"/g, '""')}"`);
  const expression = phrases.join(mode === 'all' ? ' AND ' : ' OR ');
  return withoutAuthors ? `{headline standfirst tags body} : (${expression})` : expression;
}

/** SQLite: an FTS5 table of the analyzed terms, one row per search row (`rowid` = `doc_id`). */
export const fts5Search: FullTextSql = {
  async upsert(db: Kysely<Database>, row: SearchRow, doc: SearchDocument) {
    const existing = await sql<{
      doc_id: number;
    }>`select doc_id from article_search where article_id = ${row.article_id}`
      .execute(db)
      .then((result) => result.rows[0]);
    let docId: number;
    if (existing) {
      docId = Number(existing.doc_id);
      await sql`delete from article_search_fts where rowid = ${docId}`.execute(db);
      await db
        .updateTable('article_search')
        .set((eb) => ({ ...row, revision: eb('revision', '+', 1), related_stale: 1 }))
        .where('article_id', '=', row.article_id)
        .execute();
    } else {
      const inserted = await sql<{
        doc_id: number;
      }>`insert into article_search (article_id, language, excerpt_source, term_counts, revision, related_stale)
        values (${row.article_id}, ${row.language}, ${row.excerpt_source}, ${row.term_counts}, 1, 1) returning doc_id`.execute(
        db,
      );
      docId = Number(inserted.rows[0]!.doc_id);
    }
    const { headline, standfirst, tags, authors, body } = doc.fields;
    await sql`insert into article_search_fts (rowid, headline, standfirst, tags, authors, body)
      values (${docId}, ${headline.join(' ')}, ${standfirst.join(' ')}, ${tags.join(' ')}, ${authors.join(' ')}, ${body.join(' ')})`.execute(
      db,
    );
  },

  matching(groups, mode, withoutAuthors) {
    return {
      from: sql`article_search_fts join article_search s on s.doc_id = article_search_fts.rowid join articles a on a.id = s.article_id`,
      condition: sql<boolean>`article_search_fts match ${fts5Query(groups, mode, withoutAuthors)}`,
      relevance: sql<number>`(-bm25(article_search_fts, ${weights}))`,
    };
  },

  ageInDays(now) {
    return sql<number>`max(julianday(${now.toISOString()}) - julianday(coalesce(a.published_at, a.updated_at)), 0)`;
  },

  // bm25 reads the match's position lists, already in hand while FTS5 walks the index: ranking a
  // word found in half of 100,000 stories takes ~0.1 s, and finding the newest matches first
  // would be a second walk of the same length.
  rankingWindow: null,
};
