import { describe, expect, it } from 'vitest';
import type { ArticleSummary } from '../articles/article.js';
import type { ContentEvent } from '../events.js';
import { createSearchCache, searchLanguagesChangedBy } from './search-cache.js';
import { createSearchService, readerSearchCache, type SearchIndex } from './search-service.js';

const now = new Date('2026-11-28T10:00:00Z');
const clockAt = () => {
  const clock = { time: now.getTime(), now: () => new Date(clock.time) };
  return clock;
};
const cacheOf = (clock = clockAt(), maxBytes = 1_000_000) =>
  createSearchCache<string>(clock, { maxBytes, maxAgeMs: 60_000, sizeOf: (value) => 2 * value.length });

/** Searches that finish when told to, counting how many ran. */
function controlled() {
  const pending: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  let runs = 0;
  const compute = () => {
    runs++;
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { compute, pending, runs: () => runs, answer: (value: string) => pending.shift()!.resolve(value) };
}

describe('search cache', () => {
  it('runs one search for readers asking the same thing at once, and answers repeats from memory', async () => {
    const cache = cacheOf();
    const search = controlled();
    const both = Promise.all([
      cache.get('fr:budget', 'fr', search.compute),
      cache.get('fr:budget', 'fr', search.compute),
    ]);
    expect(search.runs()).toBe(1);
    search.answer('two stories');
    expect(await both).toEqual(['two stories', 'two stories']);
    expect(await cache.get('fr:budget', 'fr', search.compute)).toBe('two stories');
    void cache.get('fr:budget:page2', 'fr', search.compute);
    expect(search.runs()).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, shared: 1, misses: 2 });
  });

  it('forgets a language’s results when its public stories change, and only that language’s', async () => {
    const cache = cacheOf();
    let runs = 0;
    const compute = async () => `run ${++runs}`;
    await cache.get('fr:budget', 'fr', compute);
    await cache.get('en:budget', 'en', compute);
    cache.invalidate('fr');
    expect(await cache.get('fr:budget', 'fr', compute)).toBe('run 3');
    expect(await cache.get('en:budget', 'en', compute)).toBe('run 2');
  });

  it('does not keep a result read before a change that happened while it ran', async () => {
    const cache = cacheOf();
    const search = controlled();
    const before = cache.get('fr:budget', 'fr', search.compute);
    cache.invalidate('fr');
    // A reader asking after the change does not share the search that started before it.
    const after = cache.get('fr:budget', 'fr', search.compute);
    expect(search.runs()).toBe(2);
    search.answer('old');
    search.answer('new');
    expect(await before).toBe('old');
    expect(await after).toBe('new');
    expect(await cache.get('fr:budget', 'fr', search.compute)).toBe('new');
    expect(search.runs()).toBe(2);
  });

  it('keeps no failure, and nothing while changes made elsewhere cannot be heard', async () => {
    const cache = cacheOf();
    const search = controlled();
    const failing = cache.get('fr:budget', 'fr', search.compute);
    search.pending.shift()!.reject(new Error('database gone'));
    await expect(failing).rejects.toThrow('database gone');
    const retried = cache.get('fr:budget', 'fr', search.compute);
    expect(search.runs()).toBe(2);
    search.answer('found');
    await retried;
    expect(cache.stats().entries).toBe(1);

    cache.suspend();
    expect(cache.stats().entries).toBe(0);
    const whileDeaf = cache.get('fr:budget', 'fr', search.compute);
    search.answer('found');
    await whileDeaf;
    expect(cache.stats().entries).toBe(0);
    cache.resume();
    const heard = cache.get('fr:budget', 'fr', search.compute);
    search.answer('found');
    await heard;
    expect(cache.stats().entries).toBe(1);
  });

  it('stays within its size, dropping the least recently used result, and asks again after a minute', async () => {
    const clock = clockAt();
    // Each result is 2,000 bytes: room for four.
    const cache = cacheOf(clock, 8_000);
    const asked: string[] = [];
    const word = (text: string) => () => {
      asked.push(text);
      return Promise.resolve(text.padEnd(1_000, '.'));
    };
    for (const text of ['un', 'deux', 'trois', 'quatre']) await cache.get(text, 'fr', word(text));
    await cache.get('un', 'fr', word('un'));
    await cache.get('cinq', 'fr', word('cinq'));
    expect(cache.stats().bytes).toBeLessThanOrEqual(8_000);
    asked.length = 0;
    await cache.get('un', 'fr', word('un'));
    await cache.get('deux', 'fr', word('deux'));
    expect(asked).toEqual(['deux']);
    clock.time += 61_000;
    await cache.get('un', 'fr', word('un'));
    expect(asked).toEqual(['deux', 'un']);
  });

  it('names the languages an event may change: public stories written or withdrawn, not drafts', () => {
    const facts = (language: string, visible: boolean) => ({
      language,
      translationGroup: 'g',
      slug: 'a',
      sectionId: null,
      tagIds: [],
      authorIds: [],
      visible,
      publishedAt: null,
      revision: 1,
      textRevision: 1,
      deleted: false,
      killed: false,
    });
    const changed = (
      before: ReturnType<typeof facts> | null,
      after: ReturnType<typeof facts> | null,
    ): ContentEvent => ({ type: 'article.changed', articleId: 'a', before, after });
    expect(searchLanguagesChangedBy(changed(facts('fr', false), facts('fr', false)))).toEqual([]);
    expect(searchLanguagesChangedBy(changed(null, facts('fr', true)))).toEqual(['fr']);
    expect(searchLanguagesChangedBy(changed(facts('fr', true), facts('en', false)))).toEqual(['fr']);
    expect(searchLanguagesChangedBy(changed(facts('fr', true), facts('en', true)))).toEqual(['fr', 'en']);
    expect(searchLanguagesChangedBy({ type: 'related.changed', articleIds: ['a'] })).toEqual([]);
  });

  it('serves readers’ repeated searches from memory, never the newsroom’s', async () => {
    const asked: string[] = [];
    const index: SearchIndex = {
      async search(query, filters, page) {
        asked.push(`${filters.scope}:${query.text}:${page.offset}`);
        return { hits: [{ id: 'a1', excerptSource: 'Le budget de la ville.' }], total: 1 };
      },
    };
    const summary = { id: 'a1', language: 'fr', slug: 'budget', headline: 'Le budget' } as ArticleSummary;
    const service = createSearchService({
      index,
      summaries: { summaries: async () => [summary] },
      sections: { findSection: async () => null, listSections: async () => [] },
      clock: clockAt(),
      cache: createSearchCache(clockAt(), readerSearchCache),
    });
    const first = await service.search({ language: 'fr', q: 'budget' });
    expect(first.results[0]?.snippet.some((segment) => segment.match)).toBe(true);
    expect(await service.search({ language: 'fr', q: ' Budgets ' })).toMatchObject({ total: 1 });
    await service.search({ language: 'fr', q: 'budget', page: '2' });
    await service.searchNewsroom('budget', { language: 'fr', limit: 10 });
    await service.searchNewsroom('budget', { language: 'fr', limit: 10 });
    expect(asked).toEqual(['public:budget:0', 'public:budget:10', 'newsroom:budget:0', 'newsroom:budget:0']);
  });
});
