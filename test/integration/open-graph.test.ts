import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * Issue 14: every indexable page of the demo site — every address its sitemaps name — shows a
 * picture and a description when shared (before this, 94 of 116 had no og:image).
 */
describeEachDatabase('Open Graph on every page the sitemaps name on $kind', ({ kind }) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite(kind);
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) => site.app.server.inject({ method: 'GET', url });
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1] as string));

  it('gives each one an og:image that answers, og:description and a meta description', async () => {
    const index = await get('/sitemap.xml');
    const files = locs(index.body).filter((url) => !url.pathname.includes('/news-'));
    const pages: string[] = [];
    for (const file of files) pages.push(...locs((await get(file.pathname)).body).map((url) => url.pathname));
    // The demo's homes, listings, stories, newsletter and subscribe pages of both languages.
    expect(pages.length).toBeGreaterThan(100);
    expect(pages).toContain('/fr/subscribe');
    expect(pages).toContain('/en/newsletter');

    const missing: string[] = [];
    const images = new Set<string>();
    for (const path of pages) {
      const page = await get(path);
      expect(page.statusCode, path).toBe(200);
      const image = /<meta property="og:image" content="([^"]+)"/.exec(page.body)?.[1];
      const description = /<meta property="og:description" content="([^"]+)"/.exec(page.body)?.[1];
      const meta = /<meta name="description" content="([^"]+)"/.exec(page.body)?.[1];
      if (!image || !description || !meta) missing.push(path);
      if (image) images.add(new URL(image).pathname);
    }
    expect(missing).toEqual([]);
    // Each picture named is one the site serves (the publisher logo or a story's crop).
    for (const image of images) expect((await get(image)).statusCode, image).toBe(200);
  });
});
