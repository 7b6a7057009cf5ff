import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoArticle, readDemoArticles } from '../../src/demo/demo-loader.js';
import { feedLength } from '../../src/domain/feeds/feed-service.js';
import { newsroom } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { attributesOf, byClass, cardLinks, elements, inner, sectionLabelledBy, textOf } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// A fixed "now" makes every relative demo date exact, so dates can be asserted as text.
const now = new Date('2026-03-10T12:00:00.000Z');
const clock = { now: () => now };
const seedSlug = 'poutine-xi-serrent-les-rangs';
const archiveCount = 14;

/** Markdown paragraphs as a reader sees them: backslash escapes removed. */
function paragraphsOf(markdown: string): string[] {
  return markdown.split(/\n{2,}/).map((paragraph) => paragraph.replace(/\\([!-/:-@[-`{-~])/g, '$1').trim());
}

function publishedAtOf(article: DemoArticle): number {
  return article.publishedAt
    ? new Date(article.publishedAt).getTime()
    : now.getTime() - (article.publishedHoursAgo ?? 0) * 3_600_000;
}

/**
 * Older French stories filed in "Monde", under one tag and one author, so that the section, tag
 * and author pages have a second page. Their dates precede every demo story, so the home page
 * and "More updates" keep showing the demo first.
 */
async function addArchive(site: TestSite): Promise<string[]> {
  const { taxonomy, prepare, insert } = newsroom(site.app.database.db, clock);
  const section = await taxonomy.ensureSection('fr', 'monde', 'Monde');
  const tag = await taxonomy.ensureTag('fr', 'archives', 'Archives');
  const author = await taxonomy.ensureAuthor({ slug: 'archiviste', name: 'Archiviste', bio: '' }, now);
  const paths: string[] = [];
  for (let i = 0; i < archiveCount; i++) {
    const record = await insert(
      prepare({
        language: 'fr',
        slug: `archive-${String(i).padStart(2, '0')}`,
        headline: `Archive numéro ${i}`,
        standfirst: 'Une dépêche ancienne.',
        bodyMarkdown: 'Texte.',
        status: 'published',
        sectionId: section.id,
        tagIds: [tag.id],
        authorIds: [author.id],
        publishedAt: new Date(Date.UTC(2021, 0, 1 + i, 9)),
      }),
    );
    paths.unshift(`/fr/${record.slug}`); // newest first
  }
  return paths;
}

describeEachDatabase('reading site on $kind', ({ kind }) => {
  let site: TestSite;
  let demo: DemoArticle[];
  let archive: string[];
  /** Demo stories of a language, newest first, as paths. */
  let newestFirst: (language: string) => string[];

  async function get(url: string, headers: Record<string, string> = {}) {
    return site.app.server.inject({ method: 'GET', url, headers });
  }

  async function page(url: string) {
    const response = await get(url);
    expect(response.statusCode, url).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    demo = await readDemoArticles();
    site = await startTestSite(kind, { clock });
    archive = await addArchive(site);
    newestFirst = (language) =>
      demo
        .filter((article) => article.language === language)
        .sort((a, b) => publishedAtOf(b) - publishedAtOf(a))
        .map((article) => `/${language}/${article.slug}`);
  });
  afterAll(async () => {
    await site?.close();
  });

  describe('home', () => {
    it('leads with the newest French story, then the latest, French only, newest first', async () => {
      const html = await page('/fr/');
      expect(attributesOf(elements(html, 'html')[0]!).lang).toBe('fr');
      const lead = cardLinks(sectionLabelledBy(html, 'lead-title'));
      const latest = cardLinks(sectionLabelledBy(html, 'latest-title'));
      const expected = [...newestFirst('fr'), ...archive];
      expect(lead).toEqual([expected[0]]);
      expect(latest).toEqual(expected.slice(1, 13));
      const times = [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]!));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('shows the English home with English stories only', async () => {
      const html = await page('/en/');
      expect(attributesOf(elements(html, 'html')[0]!).lang).toBe('en');
      const shown = [
        ...cardLinks(sectionLabelledBy(html, 'lead-title')),
        ...cardLinks(sectionLabelledBy(html, 'latest-title')),
      ];
      expect(shown).toEqual(newestFirst('en'));
      expect(textOf(html)).toContain('Top story');
      expect(textOf(html)).not.toContain('À la une');
    });
  });

  describe('article page', () => {
    it('shows the seed story’s headline, standfirst, byline link and French date', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const seed = demo.find((article) => article.slug === seedSlug)!;
      expect(textOf(byClass(html, 'h1', 'story__headline')[0]!)).toBe(seed.headline);
      expect(textOf(byClass(html, 'p', 'story__standfirst')[0]!)).toBe(seed.standfirst);
      const byline = byClass(html, 'p', 'byline')[0]!;
      expect(textOf(byline)).toBe('Par Rédaction');
      expect(attributesOf(elements(byline, 'a')[0]!)).toMatchObject({ href: '/fr/author/redaction', rel: 'author' });
      const dates = byClass(html, 'p', 'dates')[0]!;
      const times = elements(dates, 'time');
      expect(times).toHaveLength(1);
      expect(attributesOf(times[0]!).datetime).toBe('2022-02-04T18:00:00.000Z');
      expect(textOf(times[0]!)).toMatch(/^Publié le 4 février 2022 à 19:00$/);
    });

    it('keeps every paragraph of the seed story’s body, word for word', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const body = byClass(html, 'div', 'story__body')[0]!;
      const paragraphs = elements(body, 'p').map(textOf);
      expect(paragraphs).toHaveLength(30);
      expect(paragraphs[0]).toBe(
        'Vladimir Poutine et Xi Jinping ont resserré les rangs contre les États-Unis et leurs alliés sur des questions de sécurité clés en déclarant qu’il n’y a pas de limite ni de «\u00a0zone interdite\u00a0» dans l’amitié entre la Russie et la Chine.',
      );
      expect(paragraphs).toContain(
        '-puissances armées, en particulier le long de leur frontière de 4 000 kilomètres (2 500 milles) et du patchwork adjacent d’anciens États soviétiques.',
      );
      expect(paragraphs).toEqual(paragraphsOf(demo.find((article) => article.slug === seedSlug)!.body));
    });

    it('credits the wire source and links each tag', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const source = byClass(html, 'aside', 'source')[0] ?? '';
      expect(textOf(source)).toContain('Source : Dépêche d’agence (traduction automatique de l’anglais)');
      const tags = elements(byClass(html, 'nav', 'tags')[0] ?? '', 'a').map((a) => [attributesOf(a).href, textOf(a)]);
      expect(tags).toEqual([
        ['/fr/tag/russie', 'Russie'],
        ['/fr/tag/chine', 'Chine'],
        ['/fr/tag/ukraine', 'Ukraine'],
        ['/fr/tag/taiwan', 'Taïwan'],
      ]);
    });

    it('shows a gallery of four photos, each with its caption and credit', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const gallery = byClass(html, 'section', 'gallery')[0] ?? '';
      const figures = byClass(gallery, 'figure', 'gallery__item');
      expect(figures).toHaveLength(4);
      const seed = demo.find((article) => article.slug === seedSlug)!;
      figures.forEach((figure, index) => {
        expect(textOf(byClass(figure, 'span', 'gallery__caption')[0] ?? '')).toBe(seed.gallery[index]!.caption);
        expect(textOf(byClass(figure, 'span', 'credit')[0] ?? '')).toBe(`Crédit : ${seed.gallery[index]!.credit}`);
        expect(attributesOf(elements(figure, 'img')[0]!).alt).toBe(seed.gallery[index]!.alt);
      });
    });

    it('gives every image its size, a text alternative and a srcset', async () => {
      for (const url of [`/fr/${seedSlug}`, '/fr/', '/en/night-trains-return-to-europe']) {
        const images = elements(await page(url), 'img');
        expect(images.length, url).toBeGreaterThan(0);
        for (const image of images) {
          const attributes = attributesOf(image);
          expect(Number(attributes.width), image).toBeGreaterThan(0);
          expect(Number(attributes.height), image).toBeGreaterThan(0);
          expect(attributes.alt?.trim(), image).toBeTruthy();
          expect(attributes.srcset, image).toMatch(/^\/media\/\S+ \d+w(, \/media\/\S+ \d+w)*$/);
        }
      }
    });

    it('dates English stories in English and shows the update only when there was one', async () => {
      const updated = await page('/en/night-trains-return-to-europe');
      const times = elements(byClass(updated, 'p', 'dates')[0]!, 'time');
      expect(times.map((time) => attributesOf(time).datetime)).toEqual([
        '2026-03-10T03:00:00.000Z',
        '2026-03-10T08:00:00.000Z',
      ]);
      expect(times.map(textOf)).toEqual([
        expect.stringMatching(/^Published March 10, 2026 at 4:00\sAM$/),
        expect.stringMatching(/^Updated March 10, 2026 at 9:00\sAM$/),
      ]);

      const notUpdated = await page('/en/the-science-of-sourdough');
      expect(elements(byClass(notUpdated, 'p', 'dates')[0]!, 'time')).toHaveLength(1);
      expect(textOf(notUpdated)).not.toContain('Updated');
      expect(textOf(await page(`/fr/${seedSlug}`))).not.toContain('Mis à jour');
      expect(textOf(byClass(await page('/fr/nager-en-eau-libre-sans-danger'), 'p', 'dates')[0]!)).toMatch(
        /Mis à jour le 8 mars 2026/,
      );
    });

    it('lists the five latest other stories of the same language under “More updates”', async () => {
      const french = [...newestFirst('fr'), ...archive];
      for (const current of [french[0]!, `/fr/${seedSlug}`, french[3]!]) {
        const html = await page(current);
        const more = sectionLabelledBy(html, 'latest-title');
        expect(textOf(byClass(more, 'h2', 'section-title')[0]!)).toBe('Plus d’actualités');
        expect(cardLinks(more), current).toEqual(french.filter((path) => path !== current).slice(0, 5));
      }
      const english = newestFirst('en');
      const html = await page(english[0]!);
      expect(textOf(sectionLabelledBy(html, 'latest-title'))).toContain('More updates');
      expect(cardLinks(sectionLabelledBy(html, 'latest-title'))).toEqual(english.slice(1, 6));
    });

    it('suggests at most four related stories in the same language, never the story nor its translation', async () => {
      // Lists are computed in the background when stories are written (the archive was written
      // straight into the database); the pages they changed are dropped from the cache.
      await site.app.related.refresh();
      const seen = new Set<number>();
      // Stories in a language the site does not publish (the Arabic demo story) have no page.
      for (const article of demo.filter((story) => site.config.languages.includes(story.language))) {
        const path = `/${article.language}/${article.slug}`;
        const related = cardLinks(sectionLabelledBy(await page(path), 'related-title'));
        seen.add(related.length);
        expect(related.length, path).toBeLessThanOrEqual(4);
        expect(new Set(related).size, path).toBe(related.length);
        for (const link of related) {
          expect(link, path).toMatch(new RegExp(`^/${article.language}/`));
          expect(link, path).not.toBe(path);
          const translation = demo.find(
            (other) =>
              other !== article &&
              other.translationKey !== undefined &&
              other.translationKey === article.translationKey &&
              `/${other.language}/${other.slug}` === link,
          );
          expect(translation, path).toBeUndefined();
        }
      }
      // Lists are full where stories resemble each other, and capped; the story about night trains
      // is followed by the one about train tickets, in each language.
      expect(seen.has(4)).toBe(true);
      const trains = cardLinks(
        sectionLabelledBy(await page('/fr/le-retour-des-trains-de-nuit-en-europe'), 'related-title'),
      );
      expect(trains).toHaveLength(4);
      expect(trains).toContain('/fr/billettique-le-ticket-en-carton-tire-sa-reverence');
      // Nothing is forced: the archive's one-word dispatches resemble no story, and no list shows them.
      for (const path of archive) expect(trains).not.toContain(path);
    });
  });

  describe('listings', () => {
    it('pages a section twelve stories at a time, newest first', async () => {
      const monde = [
        ...newestFirst('fr').filter((path) => demo.find((a) => `/fr/${a.slug}` === path)!.section.slug === 'monde'),
        ...archive,
      ];
      const first = await page('/fr/section/monde');
      expect(textOf(elements(first, 'h1')[0]!)).toBe('Rubrique : Monde');
      expect(textOf(byClass(first, 'p', 'listing__count')[0] ?? '')).toBe(`${monde.length} articles`);
      expect(cardLinks(first)).toEqual(monde.slice(0, 12));
      const pagination = byClass(first, 'nav', 'pagination')[0]!;
      expect(textOf(pagination)).toContain('Page 1 sur 2');
      expect(attributesOf(elements(pagination, 'a')[0]!)).toMatchObject({
        href: '/fr/section/monde?page=2',
        rel: 'next',
      });

      const second = await page('/fr/section/monde?page=2');
      expect(cardLinks(second)).toEqual(monde.slice(12));
      const back = byClass(second, 'nav', 'pagination')[0]!;
      expect(textOf(back)).toContain('Page 2 sur 2');
      expect(attributesOf(elements(back, 'a')[0]!)).toMatchObject({ href: '/fr/section/monde', rel: 'prev' });
    });

    it('pages tag and author listings too', async () => {
      for (const base of ['/fr/tag/archives', '/fr/author/archiviste']) {
        expect(cardLinks(await page(base))).toEqual(archive.slice(0, 12));
        expect(cardLinks(await page(`${base}?page=2`))).toEqual(archive.slice(12));
      }
      expect(textOf(elements(await page('/fr/tag/chine'), 'h1')[0]!)).toBe('Sujet : Chine');
      expect(cardLinks(await page('/fr/tag/chine'))).toEqual([`/fr/${seedSlug}`]);
    });

    it('lists an author’s stories in the page’s language only', async () => {
      expect(cardLinks(await page('/en/author/priya-raman'))).toEqual([
        '/en/valbrune-library-reopens',
        '/en/library-of-things-borrow-a-drill-not-a-book',
      ]);
      const french = await page('/fr/author/priya-raman');
      expect(textOf(elements(french, 'h1')[0]!)).toBe('Articles de Priya Raman');
      expect(cardLinks(french)).toEqual(['/fr/la-mediatheque-de-valbrune-rouvre-ses-portes']);
      expect(textOf(byClass(french, 'p', 'listing__count')[0] ?? '')).toBe('1 article');
    });

    it('answers 404 to page numbers that do not exist', async () => {
      for (const query of ['0', '-1', 'abc', '1.5', '3', '', '10001', '2&page=3']) {
        for (const base of ['/fr/section/monde', '/fr/tag/archives', '/fr/author/archiviste']) {
          const response = await get(`${base}?page=${query}`);
          expect(response.statusCode, `${base}?page=${query}`).toBe(404);
          expect(textOf(response.body)).toContain('Page introuvable');
        }
      }
      expect((await get('/fr/tag/chine?page=2')).statusCode).toBe(404);
    });
  });

  describe('errors and redirects', () => {
    it('answers an unknown story with a 404 page in the page’s language and a link home', async () => {
      for (const [url, language, title, home] of [
        ['/fr/cet-article-n-existe-pas', 'fr', 'Page introuvable', 'Retour à l’accueil'],
        ['/en/no-such-story', 'en', 'Page not found', 'Back to the home page'],
        [`/en/${seedSlug}`, 'en', 'Page not found', 'Back to the home page'],
        ['/fr/section/inconnue', 'fr', 'Page introuvable', 'Retour à l’accueil'],
        ['/en/tag/nothing', 'en', 'Page not found', 'Back to the home page'],
        ['/en/author/nobody', 'en', 'Page not found', 'Back to the home page'],
      ] as const) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(attributesOf(elements(response.body, 'html')[0]!).lang, url).toBe(language);
        expect(textOf(elements(response.body, 'h1')[0]!), url).toBe(title);
        const link = byClass(response.body, 'a', 'button')[0]!;
        expect(attributesOf(link).href, url).toBe(`/${language}/`);
        expect(textOf(link), url).toBe(home);
      }
    });

    it('answers an unknown language with a 404 in the reader’s language', async () => {
      const english = await get('/de/nachrichten', { 'accept-language': 'de-DE, en;q=0.8' });
      expect(english.statusCode).toBe(404);
      expect(attributesOf(elements(english.body, 'html')[0]!).lang).toBe('en');
      expect(textOf(english.body)).toContain('Page not found');
      expect(attributesOf(byClass(english.body, 'a', 'button')[0]!).href).toBe('/en/');

      const french = await get('/de/', { 'accept-language': 'fr-CH' });
      expect(french.statusCode).toBe(404);
      expect(attributesOf(elements(french.body, 'html')[0]!).lang).toBe('fr');
      expect(textOf(french.body)).toContain('Page introuvable');
    });

    it('sends / to the reader’s language with a 302 that varies on Accept-Language', async () => {
      for (const [header, target] of [
        ['en-GB,en;q=0.9,fr;q=0.8', '/en/'],
        ['fr-CA,fr;q=0.9', '/fr/'],
        ['de-DE,en;q=0.5', '/en/'],
        ['de-DE', '/fr/'],
        ['', '/fr/'],
      ] as const) {
        const response = await get('/', header ? { 'accept-language': header } : {});
        expect(response.statusCode, header).toBe(302);
        expect(response.headers.location, header).toBe(target);
        expect(String(response.headers.vary).toLowerCase(), header).toContain('accept-language');
      }
    });

    it('redirects /fr to /fr/', async () => {
      const response = await get('/fr');
      expect([301, 308]).toContain(response.statusCode);
      expect(response.headers.location).toBe('/fr/');
      expect((await get('/xx')).statusCode).toBe(404);
    });
  });

  describe('feeds, media and assets', () => {
    it('publishes a French RSS feed that parses and lists French stories only', async () => {
      const response = await get('/fr/rss.xml');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/rss\+xml/);
      const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'item' });
      const feed = parser.parse(response.body, true);
      const channel = feed.rss.channel;
      expect(channel.language).toBe('fr');
      expect(channel.title).toBe('Kiosque — L’actualité en français');
      const links: string[] = channel.item.map((item: { link: string }) => item.link);
      expect(links).toEqual(
        [...newestFirst('fr'), ...archive].slice(0, feedLength).map((path) => `${site.url}${path}`),
      );
      const french = new Map(demo.filter((a) => a.language === 'fr').map((a) => [`${site.url}/fr/${a.slug}`, a]));
      for (const item of channel.item as { link: string; title: string; pubDate: string }[]) {
        expect(item.link.startsWith(`${site.url}/fr/`)).toBe(true);
        const story = french.get(item.link);
        if (story) {
          expect(item.title).toBe(story.headline);
          expect(Date.parse(item.pubDate)).toBe(publishedAtOf(story));
        }
      }
      const english = parser.parse((await get('/en/rss.xml')).body, true).rss.channel;
      expect(english.item.map((item: { link: string }) => item.link)).toEqual(
        newestFirst('en').map((path) => `${site.url}${path}`),
      );
    });

    it('serves image variants as images, cached for good', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const src = attributesOf(byClass(html, 'figure', 'story__hero')[0]!.match(/<img\b[^>]*>/)![0]).src!;
      const id = /^\/media\/([^/]+)\//.exec(src)![1]!;
      for (const [file, type, format, width] of [
        ['320.webp', 'image/webp', 'webp', 320],
        ['640.jpg', 'image/jpeg', 'jpeg', 640],
        ['1600.webp', 'image/webp', 'webp', 1600],
      ] as const) {
        const response = await get(`/media/${id}/${file}`);
        expect(response.statusCode, file).toBe(200);
        expect(response.headers['content-type'], file).toBe(type);
        expect(response.headers['cache-control'], file).toMatch(/\bimmutable\b/);
        expect(response.headers['cache-control'], file).toMatch(/max-age=31536000/);
        const metadata = await sharp(response.rawPayload).metadata();
        expect([metadata.format, metadata.width], file).toEqual([format, width]);
      }
    });

    it('refuses image widths and formats the site does not offer', async () => {
      const html = await page(`/fr/${seedSlug}`);
      const id = /\/media\/([^/]+)\//.exec(html)![1]!;
      for (const url of [
        `/media/${id}/480.webp`,
        `/media/${id}/2000.jpg`,
        `/media/${id}/10.jpg`,
        `/media/${id}/320.png`,
        `/media/${id}/320.webp.jpg`,
        '/media/img_unknown/320.webp',
      ]) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type'], url).not.toMatch(/^image\//);
      }
    });

    it('serves assets under content-hashed names, cached for good', async () => {
      const html = await page('/fr/');
      for (const [file, pattern, type] of [
        ['site.css', /<link rel="stylesheet" href="(\/assets\/site\.[^"]+\.css)"/, /^text\/css/],
        ['site.js', /<script type="module" src="(\/assets\/site\.[^"]+\.js)"/, /^text\/javascript/],
        ['favicon.svg', /<link rel="icon" href="(\/assets\/favicon\.[^"]+\.svg)"/, /^image\/svg\+xml/],
      ] as const) {
        const url = pattern.exec(html)?.[1];
        expect(url, file).toMatch(new RegExp(`^/assets/${file.replace(/\.(\w+)$/, '\\.[A-Za-z0-9_-]{12}\\.$1')}$`));
        const response = await get(url!);
        expect(response.statusCode, file).toBe(200);
        expect(response.headers['content-type'], file).toMatch(type);
        expect(response.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
        // The name carries the hash of exactly the bytes served: a new version gets a new name.
        const hash = createHash('sha256').update(response.rawPayload).digest('base64url').slice(0, 12);
        expect(url, file).toContain(`.${hash}.`);
        // A name the page never links (stale hash, or no hash) is not served.
        expect((await get(`/assets/${file}`)).statusCode, file).toBe(404);
        expect((await get(url!.replace(hash, 'AAAAAAAAAAAA'))).statusCode, file).toBe(404);
      }
    });

    it('compresses assets with brotli or gzip as the browser accepts, and answers 304 when unchanged', async () => {
      const url = /<link rel="stylesheet" href="([^"]+)"/.exec(await page('/fr/'))![1]!;
      const plain = await get(url, { 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      const css = plain.rawPayload;
      expect(css.toString('utf8')).toMatch(/[{};]/);

      const brotli = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(brotli.rawPayload).equals(css)).toBe(true);
      expect(brotli.rawPayload.length).toBeLessThan(css.length);
      expect(String(brotli.headers.vary).toLowerCase()).toContain('accept-encoding');

      const gzip = await get(url, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.rawPayload).equals(css)).toBe(true);

      const etag = String(brotli.headers.etag);
      const unchanged = await get(url, { 'if-none-match': etag, 'accept-encoding': 'br' });
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.rawPayload.length).toBe(0);
      expect((await get(url, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
    });
  });

  describe('security and health', () => {
    it('protects every HTML page with a CSP that allows no inline code, and needs none', async () => {
      for (const url of [
        '/fr/',
        '/en/',
        `/fr/${seedSlug}`,
        '/fr/section/monde',
        '/fr/tag/chine',
        '/en/author/priya-raman',
        '/fr/newsletter',
        '/en/subscribe',
        '/fr/nulle-part',
      ]) {
        const response = await get(url);
        const csp = String(response.headers['content-security-policy'] ?? '');
        expect(csp, url).toMatch(/default-src 'self'/);
        expect(csp, url).toMatch(/script-src 'self'/);
        expect(csp, url).toMatch(/frame-ancestors 'none'/);
        expect(csp, url).not.toContain('unsafe-inline');
        expect(csp, url).not.toContain('unsafe-eval');
        expect(response.headers['x-content-type-options'], url).toBe('nosniff');
        expect(response.headers['referrer-policy'], url).toBeTruthy();
        // What this policy would block must not be on the page: inline scripts, handlers, style attributes.
        // JSON-LD is data in a script element browsers never run, so the policy has nothing to allow for it.
        expect(
          elements(response.body, 'script').every(
            (script) => attributesOf(script).src || attributesOf(script).type === 'application/ld+json',
          ),
          url,
        ).toBe(true);
        // …and no code inside any other script element.
        const code = elements(response.body, 'script').filter(
          (script) => attributesOf(script).type !== 'application/ld+json',
        );
        expect(code.map(inner).join(''), url).toBe('');
        expect(response.body, url).not.toMatch(/<[^>]+\s(on[a-z]+|style)=/i);
      }
    });

    it('answers /health with ok, never cached', async () => {
      const response = await get('/health');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });
});
