import { describe, expect, it } from 'vitest';
import { createSitemapService, newsLimit, newsWindowMs, type SitemapReader } from './sitemap-service.js';

const now = new Date('2026-05-04T08:00:00.000Z');

/** A language with `stories` public stories and three listings, answering as the SQL reader does. */
function reader(stories: number): SitemapReader & { asked: { since?: Date; limit?: number } } {
  const asked: { since?: Date; limit?: number } = {};
  return {
    asked,
    async countPublic() {
      return { count: stories, lastModified: stories > 0 ? now : null };
    },
    async listPublic(_language, _now, offset, limit) {
      return Array.from({ length: Math.max(0, Math.min(limit, stories - offset)) }, (_, i) => ({
        slug: `story-${offset + i}`,
        translationGroup: `group-${offset + i}`,
        lastModified: now,
        translations: [],
      }));
    },
    async countListings() {
      return 3;
    },
    async listListings() {
      return ['a', 'b', 'c'].map((slug) => ({ kind: 'tag' as const, id: `tag-${slug}`, slug, lastModified: now }));
    },
    async listRecent(_language, since, _now, limit) {
      asked.since = since;
      asked.limit = limit;
      return [];
    },
  };
}

describe('sitemap service', () => {
  it('cuts a language into files of at most the limit, home and listings first, each address once', async () => {
    const service = createSitemapService({
      reader: reader(20),
      clock: { now: () => now },
      languages: ['fr'],
      urlLimit: 6,
    });
    expect(await service.index()).toEqual([{ language: 'fr', files: 4 }]);
    const files = await Promise.all([1, 2, 3, 4].map((n) => service.file('fr', n)));
    expect(files.map((file) => file.length)).toEqual([6, 6, 6, 6]);
    const names = files.flat().map((entry) => (entry.kind === 'home' ? 'home' : entry.slug));
    expect(names).toEqual(['home', 'a', 'b', 'c', ...Array.from({ length: 20 }, (_, i) => `story-${i}`)]);
    await expect(service.file('fr', 5)).rejects.toMatchObject({ code: 'PAGE_NOT_FOUND' });
    await expect(service.file('de', 1)).rejects.toMatchObject({ code: 'PAGE_NOT_FOUND' });
  });

  it('keeps one file, with the home page, for a language without stories', async () => {
    const service = createSitemapService({ reader: reader(0), clock: { now: () => now }, languages: ['fr'] });
    expect(await service.index()).toEqual([{ language: 'fr', files: 1 }]);
    expect((await service.file('fr', 1)).map((entry) => entry.kind)).toEqual(['home', 'tag', 'tag', 'tag']);
  });

  it('asks for the news sitemap’s stories of the last 48 hours, at most a thousand', async () => {
    const source = reader(5);
    const service = createSitemapService({ reader: source, clock: { now: () => now }, languages: ['fr'] });
    await service.news('fr');
    expect(source.asked).toEqual({ since: new Date(now.getTime() - newsWindowMs), limit: newsLimit });
    expect(newsWindowMs).toBe(48 * 3_600_000);
    expect(newsLimit).toBe(1000);
  });
});
