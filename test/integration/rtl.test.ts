import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/app.js';
import { readDemoArticles } from '../../src/demo/demo-loader.js';
import { createTranslator } from '../../src/domain/i18n/translator.js';
import { createArticleRepository } from '../../src/storage/article-repository.js';
import { chromeOf, contentStrings, foreignChrome } from '../support/chrome-text.js';
import { attributesOf, byClass, elements, textOf } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * Arabic proves right-to-left: enabled by configuration only (KIOSQUE_LANGUAGES=fr,en,ar), its pages
 * say so on <html>, speak Arabic throughout, and join the French and English versions of a story.
 * Rendering does not depend on the database, so SQLite alone (the HTTP suites cover PostgreSQL).
 */

const catalogs = loadCatalogs();
const arabic = catalogs.get('ar')!;
const siteName = 'Le Courrier de Valbrune';
const story = {
  ar: '/ar/awdat-qitarat-al-layl-ila-urubba',
  en: '/en/night-trains-return-to-europe',
  fr: '/fr/le-retour-des-trains-de-nuit-en-europe',
};

/** hreflang → absolute URL, as the page declares them. */
function alternatesOf(html: string): Record<string, string> {
  return Object.fromEntries(
    elements(html, 'link')
      .map(attributesOf)
      .filter((link) => link.rel === 'alternate' && link.hreflang)
      .map((link) => [link.hreflang, link.href]),
  );
}

/** The language switcher's links: where each leads, and in which language it is written. */
function switcherOf(html: string): { href: string; hreflang: string; text: string }[] {
  const nav = byClass(html, 'nav', 'languages')[0] ?? '';
  return elements(nav, 'a').map((link) => {
    const { href = '', hreflang = '' } = attributesOf(link);
    return { href, hreflang, text: textOf(link) };
  });
}

function htmlAttributes(html: string) {
  const { lang, dir } = attributesOf(elements(html, 'html')[0]!);
  return { lang, dir };
}

describe('Arabic, right to left, on SQLite', () => {
  let site: TestSite;
  let content: string[];
  const get = (url: string, headers: Record<string, string> = {}) =>
    site.app.server.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    content = contentStrings(await readDemoArticles(), [siteName]);
    site = await startTestSite('sqlite', { env: { KIOSQUE_LANGUAGES: 'fr,en,ar', KIOSQUE_SITE_NAME: siteName } });
  });
  afterAll(async () => {
    await site?.close();
  });

  const pages = [
    ['home', '/ar/', 200],
    ['article', story.ar, 200],
    ['section', '/ar/section/alam', 200],
    ['tag', '/ar/tag/qitarat-al-layl', 200],
    ['author', '/ar/author/nadia-benali', 200],
    ['newsletter', '/ar/newsletter', 200],
    ['subscribe', '/ar/subscribe', 200],
    ['search', `/ar/search?q=${encodeURIComponent('الليل')}`, 200],
    ['404', '/ar/la-shay-huna', 404],
  ] as const;

  it.each(pages)('renders the %s page right to left, in Arabic only', async (_name, url, status) => {
    const response = await get(url);
    expect(response.statusCode, url).toBe(status);
    expect(htmlAttributes(response.body), url).toEqual({ lang: 'ar', dir: 'rtl' });
    const chrome = chromeOf(response.body, content);
    expect(chrome).toContain(arabic['site.skipToContent']);
    expect(foreignChrome(chrome, 'ar', catalogs), url).toEqual([]);
  });

  it('shows the story with Arabic chrome, Arabic plurals and dates written by Intl in Arabic', async () => {
    const html = (await get(story.ar)).body;
    const article = await createArticleRepository(site.app.database.db).findPublished(
      'ar',
      'awdat-qitarat-al-layl-ila-urubba',
      new Date(),
    );
    expect(article).not.toBeNull();
    const t = createTranslator('ar', arabic, site.config.timeZone);
    const text = textOf(html);
    for (const key of ['share.heading', 'gallery.heading', 'newsletter.heading', 'subscribe.heading'] as const) {
      expect(text, key).toContain(arabic[key]);
    }
    // Three photos: Arabic counts 3 to 10 with the plural ("صور"), 11 to 99 with the singular.
    expect(textOf(byClass(html, 'span', 'gallery__count')[0]!)).toBe('(3 صور)');
    expect(t.t('gallery.count', { count: 2 })).toBe('صورتان');
    expect(t.t('gallery.count', { count: 11 })).toBe('11 صورة');

    const times = elements(byClass(html, 'div', 'story__meta')[0]!, 'time').map((time) => textOf(time));
    const published = new Intl.DateTimeFormat('ar', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: site.config.timeZone,
    }).format(article!.publishedAt!);
    expect(times[0]).toBe(`نُشر في ${published}`);
    expect(times[1]).toBe(`حُدِّث في ${t.dateTime(article!.updatedAt)}`);
    // The month is named in Arabic, not in a Latin script.
    expect(published).toMatch(/\p{Script=Arabic}/u);
    expect(published).not.toMatch(/\p{Script=Latin}/u);
  });

  it('joins the French and English versions of the story with reciprocal hreflang alternates', async () => {
    const expected = {
      fr: `${site.url}${story.fr}`,
      en: `${site.url}${story.en}`,
      ar: `${site.url}${story.ar}`,
      'x-default': `${site.url}${story.fr}`,
    };
    for (const url of Object.values(story)) {
      expect(alternatesOf((await get(url)).body), url).toEqual(expected);
    }
    const homes = {
      fr: `${site.url}/fr/`,
      en: `${site.url}/en/`,
      ar: `${site.url}/ar/`,
      'x-default': `${site.url}/fr/`,
    };
    for (const url of ['/fr/', '/en/', '/ar/']) expect(alternatesOf((await get(url)).body), url).toEqual(homes);
  });

  it('leads the switcher from each version to the same story in the other two languages', async () => {
    expect(switcherOf((await get(story.ar)).body)).toEqual([
      { href: story.fr, hreflang: 'fr', text: 'Français' },
      { href: story.en, hreflang: 'en', text: 'English' },
    ]);
    expect(switcherOf((await get(story.en)).body)).toContainEqual({ href: story.ar, hreflang: 'ar', text: 'العربية' });
    expect(switcherOf((await get(story.fr)).body)).toContainEqual({ href: story.ar, hreflang: 'ar', text: 'العربية' });
    // A story with no Arabic version: the switcher leads to the Arabic home and says so, in French.
    const untranslated = switcherOf((await get('/fr/poutine-xi-serrent-les-rangs')).body);
    expect(untranslated).toContainEqual({
      href: '/ar/',
      hreflang: 'ar',
      text: `العربية ${catalogs.get('fr')!['nav.untranslated']}`,
    });
  });

  it('finds the Arabic story by an Arabic word', async () => {
    const html = (await get(`/ar/search?q=${encodeURIComponent('الليل')}`)).body;
    expect(elements(html, 'a').map((link) => attributesOf(link).href)).toContain(story.ar);
  });

  it('sends an Arabic-speaking reader from / to the Arabic home', async () => {
    const response = await get('/', { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/ar/');
  });
});

describe('Arabic left out of the default configuration, on SQLite', () => {
  let site: TestSite;
  const get = (url: string) => site.app.server.inject({ method: 'GET', url });

  beforeAll(async () => {
    site = await startTestSite('sqlite');
  });
  afterAll(async () => {
    await site?.close();
  });

  it('publishes no Arabic page, though the demo holds an Arabic story', async () => {
    expect(site.config.languages).toEqual(['fr', 'en']);
    for (const url of ['/ar/', story.ar, '/ar/section/alam', '/ar/rss.xml']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const stored = await site.app.database.db
      .selectFrom('articles')
      .select('slug')
      .where('language', '=', 'ar')
      .execute();
    expect(stored.map((row) => row.slug)).toEqual(['awdat-qitarat-al-layl-ila-urubba']);
  });

  it('leaves the Arabic version out of the alternates and the switcher of its translations', async () => {
    for (const url of [story.fr, story.en]) {
      const html = (await get(url)).body;
      expect(Object.keys(alternatesOf(html)).sort(), url).toEqual(['en', 'fr', 'x-default']);
      expect(html, url).not.toContain('hreflang="ar"');
      expect(html, url).not.toContain('/ar/');
    }
  });
});
