import type { Clock } from '../clock.js';
import type { ContentEvent } from '../events.js';

interface Entry<T> {
  language: string;
  value: T;
  bytes: number;
  storedAt: number;
}

export interface SearchCacheOptions<T> {
  /** Bound on what is kept, as counted by `sizeOf`. */
  maxBytes: number;
  /** A result older than this is asked again, whatever happened meanwhile. */
  maxAgeMs: number;
  /** Roughly how many bytes a value holds (its text, mostly). */
  sizeOf: (value: T) => number;
}

/**
 * Readers' searches, answered once and kept until the public site of their language changes.
 * A common word ranks every story that holds it, and cutting highlighted snippets out of ten
 * stories' text is the costly part of what is left; when many readers ask the same thing at once
 * (a name in the news), one search runs and the others wait for it instead of queueing behind
 * copies of it. The newsroom's searches see drafts and never come here.
 *
 * Kept results are dropped by `invalidate(language)`, which the composition root calls on every
 * content event that touches a public story of the language, so a story unpublished is gone from
 * the next search at once; `suspend()` keeps nothing while changes made elsewhere cannot be heard.
 */
export function createSearchCache<T>(clock: Clock, options: SearchCacheOptions<T>) {
  const entries = new Map<string, Entry<T>>();
  const running = new Map<string, { language: string; promise: Promise<T> }>();
  /** Bumped by every invalidation of a language: a search started before it must not be kept. */
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

  function store(key: string, language: string, value: T) {
    const size = options.sizeOf(value);
    if (size > options.maxBytes / 4) return;
    remove(key);
    entries.set(key, { language, value, bytes: size, storedAt: clock.now().getTime() });
    bytes += size;
    // Maps iterate in insertion order and a hit re-inserts its entry: the first key is the least recently used.
    for (const oldest of entries.keys()) {
      if (bytes <= options.maxBytes) break;
      remove(oldest);
    }
  }

  return {
    /** The kept answer to `key` (a search in `language`), or `compute()`'s, shared with anyone asking meanwhile. */
    get(key: string, language: string, compute: () => Promise<T>): Promise<T> {
      const entry = entries.get(key);
      if (entry && clock.now().getTime() - entry.storedAt <= options.maxAgeMs) {
        entries.delete(key);
        entries.set(key, entry);
        counters.hits++;
        return Promise.resolve(entry.value);
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
      const promise = compute().then(
        (value) => {
          if (running.get(key)?.promise === promise) running.delete(key);
          if (!suspended && startedIn === epoch && (generations.get(language) ?? 0) === generation)
            store(key, language, value);
          return value;
        },
        (error: unknown) => {
          if (running.get(key)?.promise === promise) running.delete(key);
          throw error;
        },
      );
      running.set(key, { language, promise });
      return promise;
    },

    /** The public stories of `language` changed: what was found for it may be wrong now. */
    invalidate(language: string) {
      generations.set(language, (generations.get(language) ?? 0) + 1);
      for (const [key, entry] of entries) if (entry.language === language) remove(key);
      // A search still running may have read the database before the change: later readers ask again.
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

export type SearchCache<T> = ReturnType<typeof createSearchCache<T>>;

/** The languages whose public search results a content event may change: a public story was written, or left. */
export function searchLanguagesChangedBy(event: ContentEvent): string[] {
  // Results filtered by a section that was merged away now belong to its target.
  if (event.type === 'taxonomy.merged') return event.kind === 'section' ? [event.language] : [];
  if (event.type !== 'article.changed') return [];
  const languages = new Set<string>();
  for (const facts of [event.before, event.after]) if (facts?.visible) languages.add(facts.language);
  return [...languages];
}
