import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** hreflang → absolute URL, as the page declares them. */
function alternatesOf(html: string): Map<string, string> {
  const links = [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)];
  return new Map(links.map((match) => [match[1] as string, match[2] as string]));
}

function switcherOf(html: string): { href: string; text: string }[] {
  const nav = /<nav class="languages"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((match) => ({
    href: match[1] as string,
    text: (match[2] as string).replace(/<[^>]+>/g, ''),
  }));
}

describeEachDatabase('translations on $kind', ({ kind }) => {
  let site: TestSite;
  let articlePaths: string[];

  beforeAll(async () => {
    site = await startTestSite(kind);
    // The demo holds stories in languages this site does not publish (Arabic): those have no page.
    const rows = await site.app.database.db
      .selectFrom('articles')
      .select(['language', 'slug'])
      .where('language', 'in', site.config.languages)
      .execute();
    articlePaths = rows.map((row) => `/${row.language}/${row.slug}`);
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) => site.app.server.inject({ method: 'GET', url });
  const pathOf = (absolute: string) => new URL(absolute).pathname;

  it('links every translated article to all its versions with reciprocal, absolute hreflang and one x-default', async () => {
    let translated = 0;
    for (const path of articlePaths) {
      const page = await get(path);
      expect(page.statusCode, path).toBe(200);
      const alternates = alternatesOf(page.body);
      if (alternates.size === 0) continue;
      translated++;
      const language = path.split('/')[1] as string;
      expect(alternates.get(language), `${path} lists itself`).toBe(`${site.url}${path}`);
      expect(alternates.has('x-default'), path).toBe(true);
      for (const [hreflang, href] of alternates) {
        expect(href.startsWith(site.url), href).toBe(true);
        const other = await get(pathOf(href));
        expect(other.statusCode, href).toBe(200);
        // Reciprocal: the other version declares exactly the same set.
        expect(Object.fromEntries(alternatesOf(other.body)), `${href} from ${path} (${hreflang})`).toEqual(
          Object.fromEntries(alternates),
        );
      }
    }
    expect(translated).toBeGreaterThanOrEqual(8);
  });

  it('points x-default of a translated story to its version in the default language', async () => {
    const page = await get('/en/night-trains-return-to-europe');
    const alternates = alternatesOf(page.body);
    expect(alternates.get('x-default')).toBe(alternates.get('fr'));
    expect(alternates.get('fr')).toBe(`${site.url}/fr/le-retour-des-trains-de-nuit-en-europe`);
  });

  it('leads the language switcher to the same story in the other language', async () => {
    const page = await get('/fr/le-retour-des-trains-de-nuit-en-europe');
    expect(switcherOf(page.body)).toEqual([{ href: '/en/night-trains-return-to-europe', text: 'English' }]);
  });

  it('leads to the other language’s home, and says so, where the story is not translated', async () => {
    const page = await get('/fr/poutine-xi-serrent-les-rangs');
    expect(alternatesOf(page.body).size).toBe(0);
    expect(switcherOf(page.body)).toEqual([
      { href: '/en/', text: 'English (accueil : cet article n’est pas traduit)' },
    ]);
  });

  it('drops a translation from the alternates and the switcher as soon as it is unpublished', async () => {
    const row = await site.app.database.db
      .selectFrom('articles')
      .select(['id', 'revision'])
      .where('slug', '=', 'what-sets-the-price-of-your-coffee')
      .executeTakeFirstOrThrow();
    const french = '/fr/ce-qui-fait-le-prix-de-votre-cafe';
    expect(alternatesOf((await get(french)).body).size).toBe(3);
    await site.app.articles.unpublish(row.id, { expectedRevision: Number(row.revision) });
    const after = await get(french);
    expect(alternatesOf(after.body).size).toBe(0);
    expect(switcherOf(after.body)[0]?.href).toBe('/en/');
  });

  it('gives language homes reciprocal alternates with x-default on the default language', async () => {
    const fr = alternatesOf((await get('/fr/')).body);
    const en = alternatesOf((await get('/en/')).body);
    expect(Object.fromEntries(fr)).toEqual({
      fr: `${site.url}/fr/`,
      en: `${site.url}/en/`,
      'x-default': `${site.url}/fr/`,
    });
    expect(Object.fromEntries(en)).toEqual(Object.fromEntries(fr));
  });
});
