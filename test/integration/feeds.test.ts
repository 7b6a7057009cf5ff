import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Article } from '../../src/domain/articles/article.js';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { genreKey, labelledInLists } from '../../src/domain/articles/genre.js';
import { feedLength } from '../../src/domain/feeds/feed-service.js';
import ar from '../../src/domain/i18n/catalogs/ar.json' with { type: 'json' };
import en from '../../src/domain/i18n/catalogs/en.json' with { type: 'json' };
import fr from '../../src/domain/i18n/catalogs/fr.json' with { type: 'json' };
import { createArticleRepository } from '../../src/storage/article-repository.js';
import { articleIdBySlug, newsroom } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { attributesOf, decodeEntities, elements } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const now = new Date('2026-05-04T08:00:00.000Z');
/** The sites' clock: `now`, unless a test moves it (`later`). */
let later: Date | null = null;
const clock = { now: () => later ?? now };
/** Found only past the second paragraph of the paid demo story and the members-only one. */
const heldBack = ['tannery quarter', 'Marguerite Oyelaran', 'settling basin'];
/** A headline no XML or JSON writer may break on: markup, an entity, a CDATA end, a control character. */
const awkwardHeadline = 'Prix & salaires : <b>hausse</b> de 3 % ]]> « enfin »\u0007';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // RSS has one <link> per item; Atom has several per entry.
  isArray: (name, jpath) =>
    ['item', 'entry', 'category', 'dc:creator', 'author', 'enclosure'].includes(name) ||
    (name === 'link' && String(jpath).startsWith('feed')),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML and JSON are walked by element name
type Xml = { [key: string]: any };

/** Text of a parsed element, whether or not it carried attributes. */
const text = (value: unknown): string =>
  typeof value === 'object' && value !== null ? String((value as Xml)['#text'] ?? '') : String(value ?? '');

/**
 * What a feed reader shows for a field that holds HTML (RSS `description`): it must hold no
 * element at all, only text and character references (issue 11: standfirsts reached readers as markup).
 */
function shownAsText(html: string): string {
  expect(html, 'markup in an HTML field').not.toMatch(/<[a-zA-Z!/?]/);
  return decodeEntities(html);
}

/** A feed item id that does not depend on the story's URL (issue 11). */
const permanentId = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const rfc822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describeEachDatabase('feeds on $kind', ({ kind }) => {
  let site: TestSite;
  let excerptSite: TestSite;
  let awkward: ArticleRecord;

  beforeAll(async () => {
    [site, excerptSite] = await Promise.all([
      startTestSite(kind, { clock }),
      startTestSite(kind, { clock, env: { KIOSQUE_FEED_CONTENT: 'excerpt' } }),
    ]);
    const { taxonomy, prepare, insert } = newsroom(site.app.database.db, clock);
    const section = await taxonomy.ensureSection('fr', 'monde', 'Monde');
    awkward = await insert(
      prepare({
        language: 'fr',
        slug: 'prix-et-salaires',
        headline: awkwardHeadline,
        standfirst: 'Les <salaires> & les "prix".',
        bodyMarkdown: 'Un paragraphe avec **du gras** & une [source](https://example.org/?a=1&b=2).',
        status: 'published',
        sectionId: section.id,
        publishedAt: new Date(now.getTime() - 60_000),
      }),
    );
    // Stored as saved: pages and feeds show it whatever the cache held before.
    site.app.pageCache.clear();
  });
  afterAll(async () => {
    await Promise.all([site?.close(), excerptSite?.close()]);
  });

  const get = (target: TestSite, url: string) =>
    target.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  /** The stored article behind a feed entry's link. */
  async function articleAt(target: TestSite, url: string): Promise<Article> {
    const path = new URL(url).pathname.split('/');
    const article = await createArticleRepository(target.app.database.db).findPublished(
      path[1] as string,
      path[2] as string,
      now,
    );
    expect(article, url).not.toBeNull();
    return article as Article;
  }

  async function enclosureOf(target: TestSite, article: Article) {
    if (!article.hero) return null;
    const url = new URL(
      `/media/${article.hero.image.id}/${Math.min(1280, [320, 640, 960, 1280].filter((w) => w <= article.hero!.image.width).at(-1) ?? 320)}.jpg`,
      target.url,
    ).href;
    const file = await get(target, new URL(url).pathname);
    expect(file.statusCode).toBe(200);
    return { url, length: file.rawPayload.length, type: String(file.headers['content-type']) };
  }

  const authorUrl = (target: TestSite, language: string, slug: string) => `${target.url}/${language}/author/${slug}`;
  const catalogs: Record<string, typeof en> = { ar, en, fr };
  // The kind of work first, in the story's language, unless it is plain news (decision 0051).
  const categoriesOf = (article: Article) => [
    ...(labelledInLists(article.genre) ? [catalogs[article.language]![genreKey(article.genre)]] : []),
    ...(article.section ? [article.section.name] : []),
    ...article.tags.map((tag) => tag.name),
  ];

  /** Reads one feed in its three formats back into comparable entries, checking each format's own rules. */
  async function readFeeds(target: TestSite, base: string, language: string | null) {
    const rss = await get(target, `${base}rss.xml`);
    const atom = await get(target, `${base}atom.xml`);
    const json = await get(target, `${base}feed.json`);
    expect(rss.statusCode, `${base}rss.xml`).toBe(200);
    expect(atom.statusCode, `${base}atom.xml`).toBe(200);
    expect(json.statusCode, `${base}feed.json`).toBe(200);
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(atom.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');

    const channel = parser.parse(rss.body).rss.channel as Xml;
    const feed = parser.parse(atom.body).feed as Xml;
    const document = JSON.parse(json.body);
    expect(parser.parse(rss.body).rss['@_version']).toBe('2.0');
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(document.version).toBe('https://jsonfeed.org/version/1.1');

    // Self links and languages.
    const self = (file: string) => `${target.url}${base}${file}`;
    expect(channel['atom:link']).toMatchObject({ '@_href': self('rss.xml'), '@_rel': 'self' });
    const atomLinks = feed.link as Xml[];
    expect(atomLinks.find((link) => link['@_rel'] === 'self')?.['@_href']).toBe(self('atom.xml'));
    expect(text(feed.id)).toBe(self('atom.xml'));
    expect(document.feed_url).toBe(self('feed.json'));
    expect(channel.language).toBe(language ?? undefined);
    expect(feed['@_xml:lang']).toBe(language ?? undefined);
    expect(document.language).toBe(language ?? undefined);
    expect(channel.lastBuildDate).toMatch(rfc822);
    // The square PNG logo for readers that show a picture, the SVG icon where a small one is asked for.
    const logo = new RegExp(`^${target.url}/assets/logo\\.[\\w-]+\\.png$`);
    expect(channel.image.url).toMatch(logo);
    expect(channel.image.link).toBe(channel.link);
    expect(text(feed.logo)).toMatch(logo);
    expect(text(feed.icon)).toMatch(/\/assets\/favicon\.[\w-]+\.svg$/);
    expect(document.icon).toMatch(logo);
    expect(document.favicon).toBe(text(feed.icon));
    expect((await get(target, new URL(document.icon).pathname)).headers['content-type']).toBe('image/png');
    expect(text(feed.updated)).toMatch(rfc3339);

    const rssItems = (channel.item ?? []) as Xml[];
    const entries = (feed.entry ?? []) as Xml[];
    const items = document.items as Xml[];
    expect(entries.length).toBe(rssItems.length);
    expect(items.length).toBe(rssItems.length);
    return { channel, feed, document, rssItems, entries, items };
  }

  /** Checks every field of every entry against the stored story, in the three formats. */
  async function checkEntries(target: TestSite, read: Awaited<ReturnType<typeof readFeeds>>, full: boolean) {
    const { rssItems, entries, items } = read;
    let previous = Number.POSITIVE_INFINITY;
    for (const [index, item] of rssItems.entries()) {
      const url = String(item.link);
      const article = await articleAt(target, url);
      const entry = entries[index] as Xml;
      const json = items[index] as Xml;
      const published = (article.publishedAt as Date).getTime();
      const updated = Math.max(article.updatedAt.getTime(), published);
      const withBody = full && article.access === 'public';
      const authors = article.authors.map((author) => ({
        name: author.name,
        url: authorUrl(target, article.language, author.slug),
      }));
      const enclosure = await enclosureOf(target, article);

      // Newest first.
      expect(published, url).toBeLessThanOrEqual(previous);
      previous = published;

      // RSS 2.0.
      expect(text(item.title), url).toBe(article.headline.replaceAll('\u0007', ''));
      expect(text(item.guid)).toMatch(permanentId);
      expect(item.guid['@_isPermaLink']).toBe('false');
      expect(shownAsText(text(item.description))).toBe(article.standfirst);
      expect(item.pubDate).toMatch(rfc822);
      expect(Date.parse(item.pubDate)).toBe(Math.floor(published / 1000) * 1000);
      expect((item['dc:creator'] ?? []).map(text)).toEqual(authors.map((author) => author.name));
      expect((item.category ?? []).map(text)).toEqual(categoriesOf(article));
      if (withBody) expect(text(item['content:encoded']).trim()).toBe(article.bodyHtml.trim());
      else expect(item['content:encoded']).toBeUndefined();
      if (enclosure) {
        expect(item.enclosure).toEqual([
          { '@_url': enclosure.url, '@_length': String(enclosure.length), '@_type': enclosure.type },
        ]);
        expect(enclosure.type).toBe('image/jpeg');
      } else expect(item.enclosure).toBeUndefined();

      // Atom 1.0.
      expect(entry['@_xml:lang']).toBe(article.language);
      expect(text(entry.id)).toBe(text(item.guid));
      expect(text(entry.title)).toBe(article.headline.replaceAll('\u0007', ''));
      expect(text(entry.published)).toMatch(rfc3339);
      expect(Date.parse(text(entry.published))).toBe(published);
      expect(Date.parse(text(entry.updated))).toBe(updated);
      expect((entry.author ?? []).map((author: Xml) => ({ name: text(author.name), url: text(author.uri) }))).toEqual(
        authors,
      );
      expect((entry.category ?? []).map((category: Xml) => category['@_term'])).toEqual(categoriesOf(article));
      expect(text(entry.summary)).toBe(article.standfirst);
      if (withBody) {
        expect(entry.content['@_type']).toBe('html');
        expect(text(entry.content).trim()).toBe(article.bodyHtml.trim());
      } else expect(entry.content).toBeUndefined();
      const links = entry.link as Xml[];
      expect(links.find((link) => link['@_rel'] === 'alternate')?.['@_href']).toBe(url);
      const atomEnclosure = links.find((link) => link['@_rel'] === 'enclosure');
      if (enclosure) {
        expect(atomEnclosure).toMatchObject({
          '@_href': enclosure.url,
          '@_length': String(enclosure.length),
          '@_type': enclosure.type,
        });
      } else expect(atomEnclosure).toBeUndefined();

      // JSON Feed 1.1.
      expect(json.id).toBe(text(item.guid));
      expect(json.url).toBe(url);
      expect(json.title).toBe(article.headline.replaceAll('\u0007', ''));
      expect(json.summary).toBe(article.standfirst);
      expect(json.language).toBe(article.language);
      expect(json.date_published).toMatch(rfc3339);
      expect(Date.parse(json.date_published)).toBe(published);
      expect(Date.parse(json.date_modified)).toBe(updated);
      expect(json.authors).toEqual(authors);
      expect(json.tags).toEqual(categoriesOf(article));
      if (withBody) {
        expect(json.content_html).toBe(article.bodyHtml);
        expect(json.content_text).toBeUndefined();
      } else {
        expect(json.content_html).toBeUndefined();
        expect(json.content_text).toBe(article.standfirst);
      }
      if (enclosure) {
        expect(json.image).toBe(enclosure.url);
        expect(json.attachments).toEqual([
          { url: enclosure.url, mime_type: enclosure.type, size_in_bytes: enclosure.length, title: article.hero!.alt },
        ]);
      } else {
        expect(json.image).toBeUndefined();
        expect(json.attachments).toBeUndefined();
      }
    }
  }

  it('publishes each language’s latest stories as RSS 2.0, Atom 1.0 and JSON Feed 1.1, field by field', async () => {
    for (const language of ['fr', 'en']) {
      const read = await readFeeds(site, `/${language}/`, language);
      const { items: published } = await createArticleRepository(site.app.database.db).listPublished(
        { language, limit: 100, withTotal: false },
        now,
      );
      expect(read.rssItems.map((item) => item.link)).toEqual(
        published.slice(0, feedLength).map((story) => `${site.url}/${language}/${story.slug}`),
      );
      expect(read.rssItems.some((item) => item.enclosure)).toBe(true);
      expect(text(read.channel.title)).toBe(
        language === 'fr' ? 'Kiosque — L’actualité en français' : 'Kiosque — News in English',
      );
      expect(read.document.home_page_url).toBe(`${site.url}/${language}/`);
      await checkEntries(site, read, true);
    }
    // The awkward headline went through every writer and came back whole.
    const french = await readFeeds(site, '/fr/', 'fr');
    expect(text(french.rssItems[0]!.title)).toBe(awkwardHeadline.replace('\u0007', ''));
    expect(french.items[0]!.title).toBe(awkwardHeadline.replace('\u0007', ''));
    expect(french.items[0]!.content_html).toContain('<strong>du gras</strong> &amp; une');
    expect(awkward.id).toBeTruthy();
  });

  it('follows a section, a tag and an author in their own feeds, in their language', async () => {
    const repository = createArticleRepository(site.app.database.db);
    const db = site.app.database.db;
    const section = await db
      .selectFrom('sections')
      .selectAll()
      .where('language', '=', 'fr')
      .where('slug', '=', 'monde')
      .executeTakeFirstOrThrow();
    const tag = await db
      .selectFrom('tags')
      .selectAll()
      .where('language', '=', 'en')
      .where('slug', '=', 'cities')
      .executeTakeFirstOrThrow();
    const author = await db
      .selectFrom('authors')
      .selectAll()
      .where('slug', '=', 'thomas-bernier')
      .executeTakeFirstOrThrow();
    for (const [base, language, query, title] of [
      ['/fr/section/monde/', 'fr', { sectionId: section.id }, 'Rubrique : Monde — Kiosque'],
      ['/en/tag/cities/', 'en', { tagId: tag.id }, 'Topic: Cities — Kiosque'],
      ['/fr/author/thomas-bernier/', 'fr', { authorId: author.id }, `Articles de ${author.name} — Kiosque`],
    ] as const) {
      const read = await readFeeds(site, base, language);
      const { items } = await repository.listPublished(
        { language, ...query, limit: feedLength, withTotal: false },
        now,
      );
      expect(items.length, base).toBeGreaterThan(0);
      expect(
        read.rssItems.map((item) => item.link),
        base,
      ).toEqual(items.map((story) => `${site.url}/${language}/${story.slug}`));
      expect(text(read.channel.title), base).toBe(title);
      expect(read.channel.link, base).toBe(`${site.url}${base.slice(0, -1)}`);
      await checkEntries(site, read, true);
    }
  });

  it('mixes every language in the whole site’s feed, each entry saying its own', async () => {
    const read = await readFeeds(site, '/', null);
    const languages = new Set(read.items.map((item) => item.language));
    expect([...languages].sort()).toEqual(['en', 'fr']);
    for (const item of read.rssItems)
      expect(item['dc:language']).toBe(new URL(String(item.link)).pathname.split('/')[1]);
    expect(read.rssItems.length).toBe(feedLength);
    await checkEntries(site, read, true);
  });

  it('never puts a members-only or paid story’s body in a feed, even when feeds are whole', async () => {
    for (const url of [
      '/en/rss.xml',
      '/en/atom.xml',
      '/en/feed.json',
      '/fr/rss.xml',
      '/feed.json',
      '/en/tag/cities/feed.json',
    ]) {
      const body = (await get(site, url)).body;
      for (const passage of heldBack) expect(body, `${url}: ${passage}`).not.toContain(passage);
    }
    const english = await readFeeds(site, '/en/', 'en');
    const paid = english.items.find((item) => String(item.url).endsWith('/en/what-the-river-sensors-found'));
    expect(paid?.content_text).toContain('Twelve floating probes');
    expect(paid?.content_html).toBeUndefined();
  });

  it('sends standfirsts only when KIOSQUE_FEED_CONTENT=excerpt', async () => {
    for (const base of ['/fr/', '/en/section/science/']) {
      const read = await readFeeds(excerptSite, base, base.slice(1, 3));
      expect(read.rssItems.length).toBeGreaterThan(0);
      await checkEntries(excerptSite, read, false);
    }
  });

  it('announces the language’s feeds on every page, and a listing’s own on its page', async () => {
    const links = (html: string) =>
      elements(html, 'link')
        .map(attributesOf)
        .filter((link) => link.rel === 'alternate' && link.type)
        .map((link) => `${link.type} ${link.href}`);
    expect(links((await get(site, '/fr/poutine-xi-serrent-les-rangs')).body)).toEqual([
      'application/rss+xml /fr/rss.xml',
      'application/atom+xml /fr/atom.xml',
      'application/feed+json /fr/feed.json',
    ]);
    expect(links((await get(site, '/en/tag/cities')).body)).toEqual([
      'application/rss+xml /en/rss.xml',
      'application/atom+xml /en/atom.xml',
      'application/feed+json /en/feed.json',
      'application/rss+xml /en/tag/cities/rss.xml',
      'application/atom+xml /en/tag/cities/atom.xml',
      'application/feed+json /en/tag/cities/feed.json',
    ]);
  });

  it('drops exactly the feeds a changed story appears in, and no other', async () => {
    const story = await site.app.articles.get(
      (
        await site.app.database.db
          .selectFrom('articles')
          .select('id')
          .where('language', '=', 'fr')
          .where('slug', '=', 'le-retour-des-trains-de-nuit-en-europe')
          .executeTakeFirstOrThrow()
      ).id,
    );
    const showing = ['/fr/rss.xml', '/fr/atom.xml', '/fr/feed.json', '/rss.xml', '/fr/section/monde/feed.json'];
    const elsewhere = [
      '/en/rss.xml',
      '/en/atom.xml',
      '/en/feed.json',
      '/en/tag/cities/rss.xml',
      '/en/section/science/rss.xml',
    ];
    for (const url of [...showing, ...elsewhere]) await get(site, url);
    for (const url of elsewhere) expect(site.app.pageCache.has(url), url).toBe(true);
    const { id: _id, bodyHtml: _h, revision: _r, createdAt: _c, updatedAt: _u, deletedAt: _d, ...input } = story;
    await site.app.articles.edit(
      story.id,
      { ...input, headline: 'Les trains de nuit, un retour en fanfare' },
      { expectedRevision: story.revision },
    );
    for (const url of showing) {
      expect(site.app.pageCache.has(url), url).toBe(false);
      expect((await get(site, url)).body, url).toContain('Les trains de nuit, un retour en fanfare');
    }
    for (const url of elsewhere) expect(site.app.pageCache.has(url), url).toBe(true);
  });

  /** Edits a stored story through the article service (as the editor saves), returns the saved record. */
  async function editStory(id: string, change: Partial<ArticleRecord>): Promise<ArticleRecord> {
    const story = await site.app.articles.get(id);
    const { id: _id, bodyHtml: _h, revision: _r, createdAt: _c, updatedAt: _u, deletedAt: _d, ...input } = story;
    return site.app.articles.edit(id, { ...input, ...change }, { expectedRevision: story.revision });
  }

  const demoStory = (language: string, slug: string) => articleIdBySlug(site.app.database.db, language, slug);

  it('keeps every feed item’s id when its story is renamed, and links to the new address (issue 11)', async () => {
    const id = await demoStory('fr', 'le-retour-des-trains-de-nuit-en-europe');
    const before = await readFeeds(site, '/fr/', 'fr');
    const index = before.rssItems.findIndex((item) =>
      String(item.link).endsWith('/fr/le-retour-des-trains-de-nuit-en-europe'),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const ids = {
      rss: text(before.rssItems[index]!.guid),
      atom: text(before.entries[index]!.id),
      json: before.items[index]!.id,
    };
    await editStory(id, { slug: 'les-trains-de-nuit-reviennent' });
    try {
      const after = await readFeeds(site, '/fr/', 'fr');
      const at = after.rssItems.findIndex((item) => text(item.guid) === ids.rss);
      expect(at).toBeGreaterThanOrEqual(0);
      const url = `${site.url}/fr/les-trains-de-nuit-reviennent`;
      expect(after.rssItems[at]!.link).toBe(url);
      expect(text(after.entries[at]!.id)).toBe(ids.atom);
      expect(after.items[at]!.id).toBe(ids.json);
      expect(after.items[at]!.url).toBe(url);
      const links = after.entries[at]!.link as Xml[];
      expect(links.find((link) => link['@_rel'] === 'alternate')?.['@_href']).toBe(url);
      // Each story, each translation, is its own entry: no two share an id.
      const all = await readFeeds(site, '/', null);
      expect(new Set(all.rssItems.map((item) => text(item.guid))).size).toBe(all.rssItems.length);
    } finally {
      await editStory(id, { slug: 'le-retour-des-trains-de-nuit-en-europe' });
    }
  });

  it('gives feed readers a standfirst’s markup as text in RSS, Atom and JSON Feed (issue 11)', async () => {
    const hostile = 'Des <b>gras</b> & <script>alert(1)</script> &amp; <img src=x onerror=alert(2)>';
    const id = await demoStory('fr', 'le-retour-des-trains-de-nuit-en-europe');
    const original = (await site.app.articles.get(id)).standfirst;
    await editStory(id, { standfirst: hostile });
    try {
      for (const base of ['/fr/', '/', '/fr/section/monde/']) {
        const read = await readFeeds(site, base, base === '/' ? null : 'fr');
        const at = read.rssItems.findIndex((item) =>
          String(item.link).endsWith('/fr/le-retour-des-trains-de-nuit-en-europe'),
        );
        expect(at, base).toBeGreaterThanOrEqual(0);
        // RSS: description is HTML, so the reader shows its text; no element survives.
        expect(shownAsText(text(read.rssItems[at]!.description)), base).toBe(hostile);
        // Atom: the summary is declared text.
        expect(read.entries[at]!.summary['@_type'], base).toBe('text');
        expect(text(read.entries[at]!.summary), base).toBe(hostile);
        // JSON Feed: summary is plain text by definition.
        expect(read.items[at]!.summary, base).toBe(hostile);
      }
    } finally {
      await editStory(id, { standfirst: original });
    }
  });

  it('renders an empty feed as the same bytes, and the same ETag, whenever it is rendered (issue 11)', async () => {
    const { taxonomy } = newsroom(site.app.database.db, clock);
    const author = await taxonomy.ensureAuthor({ slug: 'sans-article', name: 'Sans article', bio: '' }, now);
    const urls = ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `/fr/author/${author.slug}/${file}`);
    const render = async () => {
      // Each render is a fresh one: the page cache would otherwise answer the second.
      site.app.pageCache.clear();
      return Promise.all(urls.map((url) => get(site, url)));
    };
    try {
      const first = await render();
      later = new Date(now.getTime() + 86_400_000 + 1234);
      const second = await render();
      first.forEach((response, index) => {
        const url = urls[index]!;
        expect(response.statusCode, url).toBe(200);
        expect(response.body, url).not.toMatch(/<item|<entry|"url":/);
        expect(second[index]!.body, url).toBe(response.body);
        expect(second[index]!.headers.etag, url).toBe(response.headers.etag);
      });
      // The date it gives is none of the two requests' times.
      expect(first[0]!.body).toContain('<lastBuildDate>Thu, 01 Jan 1970 00:00:00 GMT</lastBuildDate>');
      expect(first[1]!.body).toContain('<updated>1970-01-01T00:00:00.000Z</updated>');
    } finally {
      later = null;
      site.app.pageCache.clear();
    }
  });

  it('answers an unknown language, section, tag or author with a 404 page in the reader’s language', async () => {
    for (const url of [
      '/xx/rss.xml',
      '/fr/section/nulle-part/atom.xml',
      '/en/tag/nowhere/feed.json',
      '/fr/author/personne/rss.xml',
    ]) {
      const response = await get(site, url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
    }
  });
});
