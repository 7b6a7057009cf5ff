import type { Clock } from '../clock.js';
import type { ContentEvent } from '../events.js';
import type { SearchFilters, SearchHit, SearchIndex } from './search-service.js';

type Found = { hits: SearchHit[]; total: number };

interface Entry {
  language: string;
  found: Found;
  bytes: number;
  storedAt: number;
}

export interface SearchCacheOptions {
  /** Bound on the text kept (hits carry the plain text snippets are cut from). */
  maxBytes: number;
  /** A result older than this is asked again, whatever happened meanwhile. */
  maxAgeMs: number;
}

export const defaultSearchCache: SearchCacheOptions = { maxBytes: 4 * 1024 * 1024, maxAgeMs: 60_000 };

function sizeOf(found: Found): number {
  // Strings count twice their length (UTF-16), plus a little per hit and per entry.
  return 256 + found.hits.reduce((sum, hit) => sum + 64 + 2 * (hit.id.length + hit.excerptSource.length), 0);
}

/**
 * Readers' searches, answered once and kept until the public site of their language changes.
 * A common word ranks every story that holds it, which is the costly part of a search; when many
 * readers ask the same thing at once (a name in the news), one query runs and the others wait for
 * it instead of queueing behind copies of it. The newsroom's searches see drafts and always run.
 *
 * Kept results are dropped by `invalidate(language)`, which the composition root calls on every
 * content event that touches a public story of the language, so a story unpublished is gone from
 * the next search at once; `suspend()` keeps nothing while changes made elsewhere cannot be heard.
 */
export function createSearchCache(index: SearchIndex, clock: Clock, options: SearchCacheOptions = defaultSearchCache) {
  const entries = new Map<string, Entry>();
  const running = new Map<string, { language: string; promise: Promise<Found> }>();
  /** Bumped by every invalidation of a language: a query started before it must not be kept. */
  const generations = new Map<string, number>();
  /** Bumped by `clear()`, which drops every language at once. */
  let epoch = 0;
  let bytes = 0;
  let suspended = false;
  const counters = { hits: 0, misses: 0, shared: 0 };

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  }

  function store(key: string, language: string, found: Found) {
    const size = sizeOf(found);
    if (size > options.maxBytes / 4) return;
    remove(key);
    entries.set(key, { language, found, bytes: size, storedAt: clock.now().getTime() });
    bytes += size;
    // Maps iterate in insertion order and a hit re-inserts its entry: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (bytes <= options.maxBytes) break;
      remove(oldest);
    }
  }

  const cached: SearchIndex = {
    search(query, filters: SearchFilters, page, now) {
      if (filters.scope !== 'public' || !filters.language) return index.search(query, filters, page, now);
      const language = filters.language;
      const key = JSON.stringify([
        language,
        query.groups,
        filters.sectionId ?? null,
        filters.from?.toISOString() ?? null,
        filters.to?.toISOString() ?? null,
        page.limit,
        page.offset,
        page.countUpTo ?? null,
      ]);
      const entry = entries.get(key);
      if (entry && clock.now().getTime() - entry.storedAt <= options.maxAgeMs) {
        entries.delete(key);
        entries.set(key, entry);
        counters.hits++;
        return Promise.resolve(entry.found);
      }
      if (entry) remove(key);
      const inFlight = running.get(key);
      if (inFlight) {
        counters.shared++;
        return inFlight.promise;
      }
      counters.misses++;
      const generation = generations.get(language) ?? 0;
      const startedIn = epoch;
      const promise = index.search(query, filters, page, now).then(
        (found) => {
          if (running.get(key)?.promise === promise) running.delete(key);
          if (!suspended && startedIn === epoch && (generations.get(language) ?? 0) === generation)
            store(key, language, found);
          return found;
        },
        (error: unknown) => {
          if (running.get(key)?.promise === promise) running.delete(key);
          throw error;
        },
      );
      running.set(key, { language, promise });
      return promise;
    },
  };

  return {
    index: cached,

    /** The public stories of `language` changed: what was found for it may be wrong now. */
    invalidate(language: string) {
      generations.set(language, (generations.get(language) ?? 0) + 1);
      for (const [key, entry] of entries) if (entry.language === language) remove(key);
      // A query still running may have read the database before the change: later readers ask again.
      for (const [key, flight] of running) if (flight.language === language) running.delete(key);
    },

    clear() {
      epoch++;
      entries.clear();
      running.clear();
      bytes = 0;
    },

    /** Changes made elsewhere cannot be heard: keep nothing until `resume()`. */
    suspend() {
      suspended = true;
      this.clear();
    },

    resume() {
      suspended = false;
    },

    stats() {
      return { entries: entries.size, bytes, ...counters };
    },
  };
}

export type SearchCache = ReturnType<typeof createSearchCache>;

/** The languages whose public search results a content event may change: a public story was written, or left. */
export function searchLanguagesChangedBy(event: ContentEvent): string[] {
  if (event.type !== 'article.changed') return [];
  const languages = new Set<string>();
  for (const facts of [event.before, event.after]) if (facts?.visible) languages.add(facts.language);
  return [...languages];
}
