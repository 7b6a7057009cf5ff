import type { ArticleSummary, Taxon } from '../articles/article.js';
import type { Clock } from '../clock.js';
import type { SearchCache, SearchCacheOptions } from './search-cache.js';
import { isEmptyQuery, parseSearchQuery, type SearchQuery } from './search-query.js';
import { markMatches, type Segment, snippetOf } from './snippet.js';

export interface SearchFilters {
  language?: string;
  sectionId?: string;
  /** Published at or after. */
  from?: Date;
  /** Published before. */
  to?: Date;
  /** `public`: what readers may see now; `newsroom`: every article not in the trash, any status. */
  scope: 'public' | 'newsroom';
}

export interface SearchHit {
  id: string;
  /** Plain text of the standfirst and body, to cut a snippet from. */
  excerptSource: string;
}

/** Which hits to return; with `countUpTo`, `total` stops at that many (counting every match of a common word costs as much as ranking them). */
export interface SearchWindow {
  limit: number;
  offset: number;
  countUpTo?: number;
}

/** Full-text search over the stored index; ranks by relevance with a recency boost, best first. */
export interface SearchIndex {
  search(
    query: SearchQuery,
    filters: SearchFilters,
    page: SearchWindow,
    now: Date,
  ): Promise<{ hits: SearchHit[]; total: number }>;
}

/** Summaries of public articles by id (the reading site's own lists), to show the hits. */
export interface SummaryReader {
  summaries(language: string, ids: string[], now: Date): Promise<ArticleSummary[]>;
}

export interface SectionLookup {
  findSection(language: string, slug: string): Promise<Taxon | null>;
  listSections(language: string): Promise<Taxon[]>;
}

/** What a reader asked, as it came in the URL (any of it may be missing or malformed). */
export interface SearchRequest {
  language: string;
  q?: string;
  section?: string;
  from?: string;
  to?: string;
  page?: string;
}

export interface SearchResult {
  article: ArticleSummary;
  headline: Segment[];
  snippet: Segment[];
}

export interface SearchPage {
  query: SearchQuery;
  /** The filters understood (malformed ones are dropped, not refused). */
  filters: { section: Taxon | null; from: string | null; to: string | null };
  sections: Taxon[];
  results: SearchResult[];
  /** Matches, counted up to `maxSearchResults + 1`: more than `maxSearchResults` reads "more than". */
  total: number;
  page: number;
  pageCount: number;
}

/** What a reader's search found on one page: kept by the search cache as it is shown. */
export interface FoundPage {
  results: SearchResult[];
  total: number;
}

/** Readers' kept searches: 4 MB (about a thousand pages of ten results), a minute at most. */
export const readerSearchCache: SearchCacheOptions<FoundPage> = {
  maxBytes: 4 * 1024 * 1024,
  maxAgeMs: 60_000,
  // Text is most of it, two bytes a character.
  sizeOf: (found) => 2 * JSON.stringify(found).length,
};

export const searchPageSize = 10;
/** Deep pages of a relevance ranking are noise and cost the most; readers refine instead. */
export const maxSearchPage = 50;
/** Results a reader can page through; past it the page says "more than" this many. */
export const maxSearchResults = maxSearchPage * searchPageSize;
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day typed in a form ("2026-03-10"), or null when it is not one. */
export function parseDay(value: string | undefined): Date | null {
  const match = value ? isoDay.exec(value.trim()) : null;
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value?.trim() ? null : date;
}

function pageOf(value: string | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? Math.min(page, maxSearchPage) : 1;
}

/**
 * Search for readers (`/{lang}/search`) and for the newsroom's story list. Odd input never fails:
 * an empty or meaningless query is an empty result, malformed filters are ignored.
 */
export function createSearchService(deps: {
  index: SearchIndex;
  summaries: SummaryReader;
  sections: SectionLookup;
  clock: Clock;
  /** Keeps readers' results until their language changes (`search-cache.ts`); none in tests of the service alone. */
  cache?: SearchCache<FoundPage>;
}) {
  const { index, summaries, sections, clock, cache } = deps;

  /** One page of a reader's search: the index's hits, shown as the site's summaries with snippets. */
  async function find(language: string, query: SearchQuery, filters: SearchFilters, page: number): Promise<FoundPage> {
    const now = clock.now();
    const { hits, total } = await index.search(
      query,
      filters,
      { limit: searchPageSize, offset: (page - 1) * searchPageSize, countUpTo: maxSearchResults + 1 },
      now,
    );
    const found = new Map(
      (
        await summaries.summaries(
          language,
          hits.map((hit) => hit.id),
          now,
        )
      ).map((a) => [a.id, a]),
    );
    const results = hits.flatMap((hit) => {
      const article = found.get(hit.id);
      if (!article) return [];
      return [
        {
          article,
          headline: markMatches(article.headline, query.terms, language),
          snippet: snippetOf(hit.excerptSource, query.terms, language),
        },
      ];
    });
    return { results, total };
  }

  return {
    async search(request: SearchRequest): Promise<SearchPage> {
      const { language } = request;
      const query = parseSearchQuery(request.q ?? '', language);
      const sectionSlug = request.section?.trim();
      const [section, allSections] = await Promise.all([
        sectionSlug && /^[a-z0-9-]{1,100}$/.test(sectionSlug)
          ? sections.findSection(language, sectionSlug)
          : Promise.resolve(null),
        sections.listSections(language),
      ]);
      const from = parseDay(request.from);
      const to = parseDay(request.to);
      const page = pageOf(request.page);
      const filters = {
        section,
        from: from ? from.toISOString().slice(0, 10) : null,
        to: to ? to.toISOString().slice(0, 10) : null,
      };
      const empty = { query, filters, sections: allSections, results: [], total: 0, page, pageCount: 1 };
      if (isEmptyQuery(query)) return empty;

      const searchFilters: SearchFilters = {
        scope: 'public',
        language,
        sectionId: section?.id,
        from: from ?? undefined,
        // "To 10 March" includes the whole of 10 March.
        to: to ? new Date(to.getTime() + 86_400_000) : undefined,
      };
      const key = JSON.stringify([language, query.groups, section?.id ?? null, filters.from, filters.to, page]);
      const { results, total } = cache
        ? await cache.get(key, language, () => find(language, query, searchFilters, page))
        : await find(language, query, searchFilters, page);
      const pageCount = Math.min(maxSearchPage, Math.max(1, Math.ceil(total / searchPageSize)));
      return { ...empty, results, total, pageCount };
    },

    /**
     * The newsroom's story list: ids of matching articles of any status (not in the trash), best
     * first. One language at a time, because each language is stemmed its own way.
     */
    async searchNewsroom(
      text: string,
      options: { language: string; limit: number; offset?: number },
    ): Promise<{ ids: string[]; total: number }> {
      const query = parseSearchQuery(text, options.language);
      if (isEmptyQuery(query)) return { ids: [], total: 0 };
      const { hits, total } = await index.search(
        query,
        { scope: 'newsroom', language: options.language },
        { limit: options.limit, offset: options.offset ?? 0 },
        clock.now(),
      );
      return { ids: hits.map((hit) => hit.id), total };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
