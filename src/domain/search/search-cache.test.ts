import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { createSearchCache, searchLanguagesChangedBy } from './search-cache.js';
import { parseSearchQuery } from './search-query.js';
import type { SearchFilters, SearchHit, SearchIndex } from './search-service.js';

/** An index that answers when told to, and counts what it was asked. */
function controlledIndex() {
  const asked: string[] = [];
  const pending: { resolve: (found: { hits: SearchHit[]; total: number }) => void; reject: (e: Error) => void }[] = [];
  const index: SearchIndex = {
    search(query, filters) {
      asked.push(`${filters.scope}:${filters.language}:${query.text}`);
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
  const answer = (ids: string[], text = 'x') =>
    pending.shift()!.resolve({ hits: ids.map((id) => ({ id, excerptSource: text })), total: ids.length });
  return { index, asked, pending, answer };
}

/** An index that answers at once with a result naming the query. */
function instantIndex() {
  const asked: string[] = [];
  const index: SearchIndex = {
    async search(query, filters) {
      asked.push(`${filters.language}:${query.text}`);
      return { hits: [{ id: `${filters.language}:${query.text}`, excerptSource: 'é'.repeat(1000) }], total: 1 };
    },
  };
  return { index, asked };
}

const now = new Date('2026-11-28T10:00:00Z');
const clockAt = () => {
  const clock = { time: now.getTime(), now: () => new Date(clock.time) };
  return clock;
};
const publicIn = (language: string, extra: Partial<SearchFilters> = {}): SearchFilters => ({
  scope: 'public',
  language,
  ...extra,
});
const firstPage = { limit: 10, offset: 0 };
const ask = (
  cache: ReturnType<typeof createSearchCache>,
  text: string,
  language = 'fr',
  filters = {},
  page = firstPage,
) => cache.index.search(parseSearchQuery(text, language), publicIn(language, filters), page, now);

describe('search cache', () => {
  it('runs one query for readers asking the same thing at once, and answers repeats from memory', async () => {
    const { index, asked, answer } = controlledIndex();
    const cache = createSearchCache(index, clockAt());
    const both = Promise.all([ask(cache, 'budget'), ask(cache, 'Budget')]);
    expect(asked).toHaveLength(1);
    answer(['a1', 'a2']);
    const [first, second] = await both;
    expect(first.hits.map((hit) => hit.id)).toEqual(['a1', 'a2']);
    expect(second).toBe(first);
    expect((await ask(cache, 'budgets')).total).toBe(2);
    expect(asked).toHaveLength(1);
    // Another page, filter or language is another question.
    void ask(cache, 'budget', 'fr', {}, { limit: 10, offset: 10 });
    void ask(cache, 'budget', 'fr', { sectionId: 'sec1' });
    void ask(cache, 'budget', 'en');
    expect(asked).toHaveLength(4);
    expect(cache.stats()).toMatchObject({ hits: 1, shared: 1, misses: 4 });
  });

  it('forgets a language’s results when its public stories change, and only that language’s', async () => {
    const { index, asked } = instantIndex();
    const cache = createSearchCache(index, clockAt());
    await ask(cache, 'budget', 'fr');
    await ask(cache, 'budget', 'en');
    cache.invalidate('fr');
    await ask(cache, 'budget', 'fr');
    await ask(cache, 'budget', 'en');
    expect(asked).toEqual(['fr:budget', 'en:budget', 'fr:budget']);
  });

  it('does not keep a result read before a change that happened while it ran', async () => {
    const { index, asked, answer } = controlledIndex();
    const cache = createSearchCache(index, clockAt());
    const before = ask(cache, 'budget');
    cache.invalidate('fr');
    // A reader asking after the change does not share the query that started before it.
    const after = ask(cache, 'budget');
    expect(asked).toHaveLength(2);
    answer(['old']);
    answer(['new']);
    expect((await before).hits[0]?.id).toBe('old');
    expect((await after).hits[0]?.id).toBe('new');
    expect((await ask(cache, 'budget')).hits[0]?.id).toBe('new');
    expect(asked).toHaveLength(2);
  });

  it('never keeps the newsroom’s searches, a failure, or anything while changes cannot be heard', async () => {
    const { index, asked, answer, pending } = controlledIndex();
    const cache = createSearchCache(index, clockAt());
    const newsroom = () =>
      cache.index.search(parseSearchQuery('budget', 'fr'), { scope: 'newsroom', language: 'fr' }, firstPage, now);
    const twice = [newsroom(), newsroom()];
    expect(asked).toEqual(['newsroom:fr:budget', 'newsroom:fr:budget']);
    answer(['d1']);
    answer(['d1']);
    await Promise.all(twice);

    const failing = ask(cache, 'budget');
    pending.shift()!.reject(new Error('database gone'));
    await expect(failing).rejects.toThrow('database gone');
    const retried = ask(cache, 'budget');
    expect(asked).toHaveLength(4);
    answer(['a1']);
    await retried;

    cache.suspend();
    expect(cache.stats().entries).toBe(0);
    const whileDeaf = ask(cache, 'budget');
    answer(['a1']);
    await whileDeaf;
    expect(cache.stats().entries).toBe(0);
    cache.resume();
    const heard = ask(cache, 'budget');
    answer(['a1']);
    await heard;
    expect(cache.stats().entries).toBe(1);
  });

  it('stays within its size, dropping the least recently used result, and asks again after a minute', async () => {
    const { index, asked } = instantIndex();
    const clock = clockAt();
    // Each result holds ~2.3 KB (1,000 characters of text): room for four.
    const cache = createSearchCache(index, clock, { maxBytes: 10_000, maxAgeMs: 60_000 });
    for (const word of ['un', 'deux', 'trois', 'quatre']) await ask(cache, word);
    await ask(cache, 'un');
    await ask(cache, 'cinq');
    expect(cache.stats().bytes).toBeLessThanOrEqual(10_000);
    asked.length = 0;
    await ask(cache, 'un');
    await ask(cache, 'deux');
    expect(asked).toEqual(['fr:deux']);
    clock.time += 61_000;
    await ask(cache, 'un');
    expect(asked).toEqual(['fr:deux', 'fr:un']);
  });

  it('names the languages an event may change: public stories written or withdrawn, not drafts', () => {
    const facts = (language: string, visible: boolean) => ({
      language,
      translationGroup: 'g',
      sectionId: null,
      tagIds: [],
      authorIds: [],
      visible,
      publishedAt: null,
    });
    const changed = (
      before: ReturnType<typeof facts> | null,
      after: ReturnType<typeof facts> | null,
    ): ContentEvent => ({
      type: 'article.changed',
      articleId: 'a',
      before,
      after,
    });
    expect(searchLanguagesChangedBy(changed(facts('fr', false), facts('fr', false)))).toEqual([]);
    expect(searchLanguagesChangedBy(changed(null, facts('fr', true)))).toEqual(['fr']);
    expect(searchLanguagesChangedBy(changed(facts('fr', true), facts('en', false)))).toEqual(['fr']);
    expect(searchLanguagesChangedBy(changed(facts('fr', true), facts('en', true)))).toEqual(['fr', 'en']);
    expect(searchLanguagesChangedBy({ type: 'related.changed', articleIds: ['a'] })).toEqual([]);
  });
});
