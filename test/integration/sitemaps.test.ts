import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newsroom, testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };
const hour = 3_600_000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['sitemap', 'url', 'xhtml:link'].includes(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML is walked by element name
type Xml = { [key: string]: any };

const iso8601WithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Whether robots.txt lets a crawler fetch `path`, read the way RFC 9309 says: the longest
 * matching rule wins, Allow wins a tie, `*` matches anything and `$` ends the path.
 */
function allowed(robots: string, path: string): boolean {
  const rules = robots
    .split('\n')
    .map((line) => /^(Allow|Disallow):\s*(\S*)/i.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[2] !== '')
    .map((match) => ({ allow: match[1]!.toLowerCase() === 'allow', pattern: match[2]! }));
  let best: { allow: boolean; length: number } | null = null;
  for (const rule of rules) {
    const source = rule.pattern
      .replace(/[.+?^{}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\\\$$|\$$/, '$');
    if (!new RegExp(`^${source}`).test(path)) continue;
    if (!best || rule.pattern.length > best.length || (rule.pattern.length === best.length && rule.allow)) {
      best = { allow: rule.allow, length: rule.pattern.length };
    }
  }
  return best?.allow ?? true;
}

describeEachDatabase('sitemaps and robots.txt on $kind', ({ kind }) => {
  let site: TestSite;
  let small: TestSite;
  const limit = 7;

  beforeAll(async () => {
    [site, small] = await Promise.all([
      startTestSite(kind, { clock }),
      startTestSite(kind, { clock, sitemapUrlLimit: limit }),
    ]);
    // Two stories around the news sitemap's 48-hour edge.
    const { taxonomy, prepare, insert } = newsroom(site.app.database.db, clock);
    const section = await taxonomy.ensureSection('fr', 'monde', 'Monde');
    for (const [slug, hoursAgo] of [
      ['juste-dans-la-fenetre', 47],
      ['juste-hors-de-la-fenetre', 49],
    ] as const) {
      await insert(
        prepare({
          language: 'fr',
          slug,
          headline: `Dépêche ${slug}`,
          standfirst: '',
          bodyMarkdown: 'Texte.',
          status: 'published',
          sectionId: section.id,
          publishedAt: new Date(now.getTime() - hoursAgo * hour),
        }),
      );
    }
    site.app.pageCache.clear();
  });
  afterAll(async () => {
    await Promise.all([site?.close(), small?.close()]);
  });

  const get = (target: TestSite, url: string) =>
    target.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  /** Every public page address a language should list, from the database. */
  async function expectedUrls(target: TestSite, language: string): Promise<Map<string, Date>> {
    const db = target.app.database.db;
    const stories = await db
      .selectFrom('articles')
      .select(['slug', 'updated_at', 'published_at', 'section_id', 'id'])
      .where('language', '=', language)
      .where('status', '=', 'published')
      .where('deleted_at', 'is', null)
      .where('published_at', '<=', now.toISOString())
      .execute();
    const later = (a: string | Date, b: string | Date | null) =>
      new Date(Math.max(new Date(a).getTime(), new Date(b ?? a).getTime()));
    const urls = new Map<string, Date>();
    const bump = (path: string, date: Date) => {
      const previous = urls.get(path);
      if (!previous || previous < date) urls.set(path, date);
    };
    for (const story of stories) {
      const modified = later(story.updated_at, story.published_at);
      urls.set(`${target.url}/${language}/${story.slug}`, modified);
      bump(`${target.url}/${language}/`, modified);
      if (story.section_id) {
        const section = await db
          .selectFrom('sections')
          .select('slug')
          .where('id', '=', story.section_id)
          .executeTakeFirstOrThrow();
        bump(`${target.url}/${language}/section/${section.slug}`, modified);
      }
      const tags = await db
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select('tags.slug')
        .where('article_tags.article_id', '=', story.id)
        .execute();
      for (const tag of tags) bump(`${target.url}/${language}/tag/${tag.slug}`, modified);
      const authors = await db
        .selectFrom('article_authors')
        .innerJoin('authors', 'authors.id', 'article_authors.author_id')
        .select('authors.slug')
        .where('article_authors.article_id', '=', story.id)
        .execute();
      for (const author of authors) bump(`${target.url}/${language}/author/${author.slug}`, modified);
    }
    return urls;
  }

  /** The sitemap index's files, and every <url> of the language files, checked as they are read. */
  async function readSitemaps(target: TestSite) {
    const index = await get(target, '/sitemap.xml');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    const parsed = parser.parse(index.body).sitemapindex as Xml;
    expect(parsed['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const files = (parsed.sitemap as Xml[]).map((entry) => String(entry.loc));
    const urls = new Map<string, Xml>();
    const perFile = new Map<string, number>();
    for (const file of files.filter((loc) => !loc.includes('/news-'))) {
      const response = await get(target, new URL(file).pathname);
      expect(response.statusCode, file).toBe(200);
      const set = parser.parse(response.body).urlset as Xml;
      expect(set['@_xmlns:xhtml']).toBe('http://www.w3.org/1999/xhtml');
      const entries = (set.url ?? []) as Xml[];
      perFile.set(file, entries.length);
      for (const entry of entries) {
        expect(urls.has(entry.loc), `${entry.loc} listed twice`).toBe(false);
        urls.set(String(entry.loc), entry);
      }
    }
    return { files, urls, perFile };
  }

  it('points robots.txt to the sitemaps and keeps crawlers out of private and endless pages', async () => {
    const response = await get(site, '/robots.txt');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const robots = response.body;
    const sitemaps = robots.split('\n').filter((line) => line.startsWith('Sitemap: '));
    expect(sitemaps).toEqual([
      `Sitemap: ${site.url}/sitemap.xml`,
      `Sitemap: ${site.url}/sitemaps/news-fr.xml`,
      `Sitemap: ${site.url}/sitemaps/news-en.xml`,
    ]);
    for (const path of [
      '/admin',
      '/admin/stories/art_1',
      '/preview/abcdef',
      '/fr/account',
      '/en/account/signin/sent',
      '/fr/account?next=%2Ffr%2F',
      '/fr/search',
      '/en/search?q=trains',
    ]) {
      expect(allowed(robots, path), path).toBe(false);
    }
    for (const path of [
      '/fr/',
      '/en/night-trains-return-to-europe',
      '/fr/searching-for-water',
      '/en/accountability-in-public-life',
      '/fr/section/monde',
      '/sitemap.xml',
      '/fr/rss.xml',
      '/media/img_1/640.jpg',
    ]) {
      expect(allowed(robots, path), path).toBe(true);
    }
  });

  it('lists every public page of each language once, with its last change and time zone', async () => {
    const { files, urls } = await readSitemaps(site);
    expect(files).toEqual([
      `${site.url}/sitemaps/fr-1.xml`,
      `${site.url}/sitemaps/fr-pages.xml`,
      `${site.url}/sitemaps/news-fr.xml`,
      `${site.url}/sitemaps/en-1.xml`,
      `${site.url}/sitemaps/en-pages.xml`,
      `${site.url}/sitemaps/news-en.xml`,
    ]);
    const expected = new Map([...(await expectedUrls(site, 'fr')), ...(await expectedUrls(site, 'en'))]);
    // Issue 14: the newsletter and subscribe pages of each language, which have no date of change.
    const undated = ['fr', 'en'].flatMap((language) =>
      ['newsletter', 'subscribe'].map((page) => `${site.url}/${language}/${page}`),
    );
    expect([...urls.keys()].sort()).toEqual([...expected.keys(), ...undated].sort());
    for (const [loc, entry] of urls) {
      if (undated.includes(loc)) {
        expect(entry.lastmod, loc).toBeUndefined();
        continue;
      }
      expect(entry.lastmod, loc).toMatch(iso8601WithZone);
      expect(Date.parse(entry.lastmod), loc).toBe(expected.get(loc)!.getTime());
    }
    expect(urls.has(`${site.url}/fr/juste-hors-de-la-fenetre`)).toBe(true);
  });

  it('gives translated pages reciprocal hreflang alternates with an x-default', async () => {
    const { urls } = await readSitemaps(site);
    const alternatesOf = (loc: string) =>
      ((urls.get(loc)?.['xhtml:link'] ?? []) as Xml[]).map((link) => {
        expect(link['@_rel']).toBe('alternate');
        return `${link['@_hreflang']} ${link['@_href']}`;
      });
    const pair = [
      `${site.url}/fr/le-retour-des-trains-de-nuit-en-europe`,
      `${site.url}/en/night-trains-return-to-europe`,
    ];
    const expected = [`fr ${pair[0]}`, `en ${pair[1]}`, `x-default ${pair[0]}`];
    expect(alternatesOf(pair[0]!)).toEqual(expected);
    expect(alternatesOf(pair[1]!)).toEqual(expected);
    expect(alternatesOf(`${site.url}/en/`)).toEqual([
      `fr ${site.url}/fr/`,
      `en ${site.url}/en/`,
      `x-default ${site.url}/fr/`,
    ]);
    // Every alternate is itself listed, and lists the same set: reciprocal, as search engines require.
    let translated = 0;
    for (const loc of urls.keys()) {
      const own = alternatesOf(loc);
      if (own.length === 0) continue;
      translated++;
      expect(own, loc).toContain(own.find((line) => line.endsWith(` ${loc}`) && !line.startsWith('x-default')));
      for (const line of own.filter((alternate) => !alternate.startsWith('x-default'))) {
        const href = line.split(' ')[1] as string;
        expect(alternatesOf(href), `${loc} → ${href}`).toEqual(own);
      }
    }
    expect(translated).toBeGreaterThanOrEqual(4);
    // An untranslated story has none.
    expect(alternatesOf(`${site.url}/fr/poutine-xi-serrent-les-rangs`)).toEqual([]);
  });

  it('splits a language’s sitemap into files of at most the limit, and refuses a file past the last', async () => {
    const { files, urls, perFile } = await readSitemaps(small);
    const expected = await expectedUrls(small, 'fr');
    const french = files.filter((file) => /\/sitemaps\/fr-\d+\.xml$/.test(file));
    expect(french).toEqual(
      Array.from({ length: Math.ceil(expected.size / limit) }, (_, n) => `${small.url}/sitemaps/fr-${n + 1}.xml`),
    );
    expect(french.length).toBeGreaterThan(2);
    for (const file of french.slice(0, -1)) expect(perFile.get(file), file).toBe(limit);
    expect(perFile.get(french.at(-1)!)).toBe(expected.size - (french.length - 1) * limit);
    expect([...urls.keys()].filter((loc) => loc.startsWith(`${small.url}/fr/`)).sort()).toEqual(
      [...expected.keys(), `${small.url}/fr/newsletter`, `${small.url}/fr/subscribe`].sort(),
    );
    for (const url of [
      `/sitemaps/fr-${french.length + 1}.xml`,
      '/sitemaps/fr-0.xml',
      '/sitemaps/xx-1.xml',
      '/sitemaps/fr.xml',
    ]) {
      expect((await get(small, url)).statusCode, url).toBe(404);
    }
  });

  it('lists in the news sitemap only the last 48 hours, newest first, with publication, title and date', async () => {
    const response = await get(site, '/sitemaps/news-fr.xml');
    expect(response.statusCode).toBe(200);
    const set = parser.parse(response.body).urlset as Xml;
    expect(set['@_xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const entries = set.url as Xml[];
    const recent = await site.app.database.db
      .selectFrom('articles')
      .select(['slug', 'headline', 'published_at'])
      .where('language', '=', 'fr')
      .where('status', '=', 'published')
      .where('deleted_at', 'is', null)
      .where('published_at', '<=', now.toISOString())
      .where('published_at', '>=', new Date(now.getTime() - 48 * hour).toISOString())
      .orderBy('published_at', 'desc')
      .execute();
    expect(entries.map((entry) => entry.loc)).toEqual(recent.map((story) => `${site.url}/fr/${story.slug}`));
    expect(entries.map((entry) => entry.loc)).toContain(`${site.url}/fr/juste-dans-la-fenetre`);
    expect(entries.map((entry) => entry.loc)).not.toContain(`${site.url}/fr/juste-hors-de-la-fenetre`);
    for (const [index, entry] of entries.entries()) {
      const news = entry['news:news'];
      expect(news['news:publication']).toEqual({ 'news:name': 'Kiosque', 'news:language': 'fr' });
      expect(news['news:title']).toBe(recent[index]!.headline);
      expect(news['news:publication_date']).toMatch(iso8601WithZone);
      expect(Date.parse(news['news:publication_date'])).toBe(
        new Date(recent[index]!.published_at as string | Date).getTime(),
      );
    }
    expect((await get(site, '/sitemaps/news-xx.xml')).statusCode).toBe(404);
  });

  it('drops a language’s sitemap when one of its stories changes, and leaves the others', async () => {
    for (const url of ['/sitemap.xml', '/sitemaps/fr-1.xml', '/sitemaps/en-1.xml']) await get(site, url);
    expect(site.app.pageCache.has('/sitemaps/en-1.xml')).toBe(true);
    const draft = await site.app.articles.create({
      language: 'fr',
      slug: 'une-nouvelle-page',
      headline: 'Une nouvelle page',
      bodyMarkdown: 'Texte.',
      authorIds: await testByline(site.app.database.db),
    });
    expect(site.app.pageCache.has('/sitemaps/fr-1.xml')).toBe(true);
    await site.app.articles.publish(draft.id, { expectedRevision: draft.revision });
    expect(site.app.pageCache.has('/sitemaps/fr-1.xml')).toBe(false);
    expect(site.app.pageCache.has('/sitemap.xml')).toBe(false);
    expect(site.app.pageCache.has('/sitemaps/en-1.xml')).toBe(true);
    expect((await get(site, '/sitemaps/fr-1.xml')).body).toContain(`${site.url}/fr/une-nouvelle-page</loc>`);
  });
});
