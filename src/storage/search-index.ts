import { type Kysely, type RawBuilder, SqliteAdapter, sql } from 'kysely';
import type { AccessLevel } from '../domain/articles/article.js';
import { storyTextFor } from '../domain/paywall/story-text.js';
import { buildSearchDocument, type SearchDocument } from '../domain/search/search-document.js';
import type { SearchQuery } from '../domain/search/search-query.js';
import type { SearchFilters, SearchIndex, SearchWindow } from '../domain/search/search-service.js';
import { tsvectorSearch } from './postgres/tsvector-search.js';
import type { Database, Dialect } from './schema.js';
import { fts5Search } from './sqlite/fts5-search.js';
import { visibleToReaders } from './visibility.js';

export type MatchMode = 'all' | 'any';

/** The columns of a search row that both databases store alike. */
export interface SearchRow {
  article_id: string;
  language: string;
  excerpt_source: string;
  term_counts: string;
}

/** What differs between the databases' full-text engines; everything else here is shared. */
export interface FullTextSql {
  /** Creates or replaces the article's search row and its terms; marks its related list stale. */
  upsert(db: Kysely<Database>, row: SearchRow, doc: SearchDocument): Promise<void>;
  /**
   * FROM clause over search rows `s` joined to their articles `a`, the match condition and a
   * relevance (higher is better). `withoutAuthors` leaves bylines out of the match.
   */
  matching(
    groups: string[][],
    mode: MatchMode,
    withoutAuthors?: boolean,
  ): { from: RawBuilder<unknown>; condition: RawBuilder<boolean>; relevance: RawBuilder<number> };
  /** Days between `now` and the article's publication (0 for the future). */
  ageInDays(now: Date): RawBuilder<number>;
  /**
   * How many of the newest matches a search ranks (null: all). Where ranking reads each match's
   * whole document, a broad query ranks the newest `rankedMatches`; where ranking costs little
   * per match and a second pass would cost more, every match is ranked.
   */
  rankingWindow: number | null;
}

/** Which database a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export function fullText(db: Kysely<Database>): FullTextSql {
  return dialectOf(db) === 'sqlite' ? fts5Search : tsvectorSearch;
}

/** A day-old story weighs up to 1.5 times a year-old one of equal relevance. */
const recencyBoost = 0.5;
const recencyDays = 30;

/**
 * Indexes one article as it is stored now: call it inside the transaction that writes the article,
 * so the index never disagrees with the article. Tags and bylines are read by name.
 */
export async function writeSearchDocument(db: Kysely<Database>, articleId: string): Promise<void> {
  const article = await db
    .selectFrom('articles')
    .select(['id', 'language', 'headline', 'standfirst', 'body_markdown', 'body_html', 'access'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!article) return;
  const tags = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
  const authors = await db
    .selectFrom('article_authors')
    .innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select('authors.name')
    .where('article_authors.article_id', '=', articleId)
    .orderBy('article_authors.position')
    .execute();
  const previous = await db
    .selectFrom('article_search')
    .select(['language', 'term_counts'])
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  const doc = buildSearchDocument({
    language: article.language,
    headline: article.headline,
    standfirst: article.standfirst,
    // What the search index may hold of the body (storyTextFor: none of a members-only or paid
    // story's): snippets are cut from what is indexed, and search must not hand out what the
    // paywall holds back (paywall-leak.test.ts).
    bodyText: storyTextFor(
      { access: article.access as AccessLevel, bodyMarkdown: article.body_markdown, bodyHtml: article.body_html },
      { kind: 'search-index' },
    ).text,
    tags: tags.map((tag) => tag.name),
    authors: authors.map((author) => author.name),
  });
  const termCounts = JSON.stringify(doc.termCounts);
  await fullText(db).upsert(
    db,
    { article_id: articleId, language: article.language, excerpt_source: doc.excerptSource, term_counts: termCounts },
    doc,
  );
  await updateDocumentFrequencies(
    db,
    previous ? { language: previous.language, terms: Object.keys(parseTermCounts(previous.term_counts)) } : null,
    { language: article.language, terms: Object.keys(doc.termCounts) },
  );
}

/**
 * The `search_terms` row (term '') that counts a language's documents: similarity needs it for
 * every list, and counting the rows of `article_search` is a scan of a wide table on PostgreSQL
 * (~100 ms at 100,000 stories, several times per publication). No analyzed term is empty.
 */
export const documentCountTerm = '';

/**
 * Keeps "how many documents hold this term" current, and how many documents each language has.
 * One upsert, in term order, so concurrent writers lock rows in the same order and cannot
 * deadlock each other.
 */
async function updateDocumentFrequencies(
  db: Kysely<Database>,
  before: { language: string; terms: string[] } | null,
  after: { language: string; terms: string[] },
): Promise<void> {
  const delta = new Map<string, { language: string; term: string; documents: number }>();
  const add = (language: string, term: string, change: number) => {
    const key = `${language}\u0000${term}`;
    const entry = delta.get(key) ?? { language, term, documents: 0 };
    entry.documents += change;
    delta.set(key, entry);
  };
  for (const term of before?.terms ?? []) add(before!.language, term, -1);
  for (const term of after.terms) add(after.language, term, 1);
  if (before) add(before.language, documentCountTerm, -1);
  add(after.language, documentCountTerm, 1);
  const rows = [...delta.entries()]
    .filter(([, entry]) => entry.documents !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => entry);
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insertInto('search_terms')
      .values(rows.slice(i, i + 300))
      .onConflict((oc) =>
        oc
          .columns(['language', 'term'])
          .doUpdateSet((eb) => ({ documents: eb('search_terms.documents', '+', eb.ref('excluded.documents')) })),
      )
      .execute();
  }
}

export function parseTermCounts(json: string): Record<string, number> {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
      ),
    );
  } catch {
    return {};
  }
}

/** Which articles a search may return (rows `a` of articles), as SQL. */
export function searchConditions(filters: SearchFilters, now: Date): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`a.deleted_at is null`];
  if (filters.scope === 'public') {
    parts.push(visibleToReaders(now, 'a'));
  }
  if (filters.language) parts.push(sql`a.language = ${filters.language}`);
  if (filters.sectionId) parts.push(sql`a.section_id = ${filters.sectionId}`);
  if (filters.from) parts.push(sql`a.published_at >= ${filters.from.toISOString()}`);
  if (filters.to) parts.push(sql`a.published_at < ${filters.to.toISOString()}`);
  return sql.join(parts, sql` and `);
}

/** Full-text search over the stored index: one code path, dialect parts in FullTextSql. */
export function createSearchIndex(db: Kysely<Database>): SearchIndex {
  const engine = fullText(db);

  return {
    async search(query: SearchQuery, filters: SearchFilters, page: SearchWindow, now: Date) {
      if (query.groups.length === 0) return { hits: [], total: 0 };
      const { from, condition, relevance } = engine.matching(query.groups, 'all');
      const where = sql`${condition} and ${searchConditions(filters, now)}`;
      const score = sql`${relevance} * (1 + ${sql.lit(recencyBoost)} / (1 + ${engine.ageInDays(now)} / ${sql.lit(recencyDays)}))`;
      let ranked = where;
      if (engine.rankingWindow !== null) {
        // Public stories all have a publication time, and ordering by the column itself lets
        // PostgreSQL walk the date index and stop; drafts in the newsroom may have none.
        const dated = filters.scope === 'public' ? sql`a.published_at` : sql`coalesce(a.published_at, a.updated_at)`;
        const cutoff = await sql<{ at: string | Date }>`select ${dated} as at from ${from} where ${where}
          order by ${dated} desc limit 1 offset ${engine.rankingWindow - 1}`.execute(db);
        const oldestRanked = cutoff.rows[0]?.at;
        if (oldestRanked !== undefined) ranked = sql`${where} and ${dated} >= ${oldestRanked}`;
      }
      const [rows, count] = await Promise.all([
        sql<{ id: string; excerpt_source: string }>`select s.article_id as id, s.excerpt_source, ${score} as score
          from ${from} where ${ranked}
          order by score desc, a.id desc limit ${page.limit} offset ${page.offset}`.execute(db),
        page.countUpTo === undefined
          ? sql<{ n: number | string }>`select count(*) as n from ${from} where ${where}`.execute(db)
          : sql<{
              n: number | string;
            }>`select count(*) as n from (select 1 from ${from} where ${where} limit ${page.countUpTo}) as matches`.execute(
              db,
            ),
      ]);
      return {
        hits: rows.rows.map((row) => ({ id: row.id, excerptSource: row.excerpt_source })),
        total: Number(count.rows[0]?.n ?? 0),
      };
    },
  };
}
