import { type Kysely, sql } from 'kysely';
import { type SearchDocument, type SearchField, searchFields } from '../../domain/search/search-document.js';
import type { Database } from '../schema.js';
import type { FullTextSql, MatchMode, SearchRow } from '../search-index.js';

/** Field weights as tsvector labels; `ts_rank` reads them as {D, C, B, A} = {0.1, 0.2, 0.4, 1.0}. */
const labels: Record<SearchField, 'A' | 'B' | 'C' | 'D'> = {
  headline: 'A',
  standfirst: 'B',
  tags: 'B',
  authors: 'C',
  body: 'D',
};
/** PostgreSQL keeps positions up to 16383 and at most 256 per lexeme. */
const maxPosition = 16_383;
const maxPositionsPerTerm = 256;

function quote(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The document as a tsvector literal: the application already stemmed and folded every term, so
 * the text is cast, never parsed by a text-search configuration (that is what keeps both databases
 * matching alike). Positions run across fields with a gap, so no phrase spans two fields.
 */
export function tsvectorLiteral(doc: SearchDocument): string {
  const positions = new Map<string, string[]>();
  const last = new Map<string, number>();
  let position = 1;
  for (const field of searchFields) {
    for (const term of doc.fields[field]) {
      const at = Math.min(position++, maxPosition);
      const list = positions.get(term) ?? [];
      if (list.length < maxPositionsPerTerm && last.get(term) !== at) {
        list.push(`${at}${labels[field]}`);
        last.set(term, at);
      }
      positions.set(term, list);
    }
    position += 2;
  }
  return [...positions].map(([term, list]) => `${quote(term)}:${list.join(',')}`).join(' ');
}

/** The tsquery literal for groups of analyzed terms: every term quoted, phrases joined by `<->`. */
export function tsqueryLiteral(groups: string[][], mode: MatchMode, withoutAuthors = false): string {
  // Weight labels restrict a term to fields: authors (C) say nothing about a story's subject.
  const term = (value: string) => (withoutAuthors ? `${quote(value)}:ABD` : quote(value));
  const parts = groups.map((group) =>
    group.length === 1 ? term(group[0]!) : `(${group.map((value) => term(value)).join(' <-> ')})`,
  );
  return parts.join(mode === 'all' ? ' & ' : ' | ');
}

/**
 * A query found in more stories than this ranks the newest of them: `ts_rank` reads each match's
 * whole `tsvector`, and a word in half of 100,000 stories took ~0.5 s to rank, ~35 ms once
 * windowed. A word that broad asks about recent news, which the recency boost favours anyway;
 * narrower queries are ranked in full.
 */
export const rankedMatches = 1000;

/** PostgreSQL: a `tsvector` column on the search row with a GIN index. */
export const tsvectorSearch: FullTextSql = {
  async upsert(db: Kysely<Database>, row: SearchRow, doc: SearchDocument) {
    const document = tsvectorLiteral(doc);
    await sql`insert into article_search (article_id, language, excerpt_source, term_counts, document, revision, related_stale)
      values (${row.article_id}, ${row.language}, ${row.excerpt_source}, ${row.term_counts}, cast(${document} as tsvector), 1, 1)
      on conflict (article_id) do update set language = excluded.language, excerpt_source = excluded.excerpt_source,
        term_counts = excluded.term_counts, document = excluded.document,
        revision = article_search.revision + 1, related_stale = 1`.execute(db);
  },

  matching(groups, mode, withoutAuthors) {
    const query = sql`cast(${tsqueryLiteral(groups, mode, withoutAuthors)} as tsquery)`;
    return {
      from: sql`article_search s join articles a on a.id = s.article_id`,
      condition: sql<boolean>`s.document @@ ${query}`,
      // Normalization 1 divides by 1 + log(length): long bodies do not win by size alone.
      relevance: sql<number>`ts_rank('{0.1, 0.2, 0.4, 1.0}', s.document, ${query}, 1)`,
    };
  },

  ageInDays(now) {
    return sql<number>`greatest(extract(epoch from (cast(${now.toISOString()} as timestamptz) - coalesce(a.published_at, a.updated_at))) / 86400.0, 0)`;
  },

  rankingWindow: rankedMatches,
};
