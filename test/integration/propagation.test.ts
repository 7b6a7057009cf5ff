import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomIds } from '../../src/app.js';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { createTaxonomyRepository } from '../../src/storage/taxonomy-repository.js';
import { articleIdBySlug, testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The section menu of a page: the addresses it links to. */
function menuOf(html: string): string[] {
  const nav = /<nav class="sections"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1] as string);
}

// Issue 11: changes propagate exactly, to every page, feed and sitemap file that names what changed.
describeEachDatabase('changes propagate on $kind', ({ kind }) => {
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite(kind);
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  const idOf = (language: string, slug: string) => articleIdBySlug(site.app.database.db, language, slug);

  async function edit(id: string, change: Partial<ArticleRecord>): Promise<ArticleRecord> {
    const story = await site.app.articles.get(id);
    const { id: _id, bodyHtml: _h, revision: _r, createdAt: _c, updatedAt: _u, deletedAt: _d, ...input } = story;
    return site.app.articles.edit(id, { ...input, ...change }, { expectedRevision: story.revision });
  }

  it('points the translations’ cached pages and every language’s sitemap at a renamed story’s new address (issue 11)', async () => {
    const french = await idOf('fr', 'le-retour-des-trains-de-nuit-en-europe');
    const english = '/en/night-trains-return-to-europe';
    const cached = [english, '/sitemaps/en-1.xml', '/sitemaps/fr-1.xml', '/sitemap.xml'];
    for (const url of cached) expect((await get(url)).statusCode, url).toBe(200);
    for (const url of cached) expect(site.app.pageCache.has(url), url).toBe(true);
    const oldUrl = `${site.url}/fr/le-retour-des-trains-de-nuit-en-europe`;
    expect((await get(english)).body).toContain(oldUrl);
    expect((await get('/sitemaps/en-1.xml')).body).toContain(oldUrl);

    await edit(french, { slug: 'les-trains-de-nuit-reviennent' });
    const newUrl = `${site.url}/fr/les-trains-de-nuit-reviennent`;
    const page = (await get(english)).body;
    // hreflang, x-default (French is the default language) and the language switcher.
    expect(page).toContain(`<link rel="alternate" hreflang="fr" href="${newUrl}"/>`);
    expect(page).toContain(`<link rel="alternate" hreflang="x-default" href="${newUrl}"/>`);
    expect(page).toContain('href="/fr/les-trains-de-nuit-reviennent"');
    expect(page).not.toContain('le-retour-des-trains-de-nuit-en-europe');
    for (const file of ['/sitemaps/en-1.xml', '/sitemaps/fr-1.xml']) {
      const body = (await get(file)).body;
      expect(body, file).toContain(newUrl);
      expect(body, file).not.toContain(oldUrl);
    }
    // The old address still leads readers to the story.
    const moved = await get('/fr/le-retour-des-trains-de-nuit-en-europe');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/fr/les-trains-de-nuit-reviennent');
  });

  it('shows a section to readers only while it holds a public story, on cached pages too (issue 11)', async () => {
    const taxonomy = createTaxonomyRepository(site.app.database.db, randomIds);
    const empty = await taxonomy.ensureSection('fr', 'vide-pour-l-instant', 'Vide pour l’instant');
    const tag = await taxonomy.ensureTag('fr', 'etiquette-vide', 'Étiquette vide');
    site.app.events.publish({ type: 'sections.changed', language: 'fr' });
    const pages = ['/fr/', '/fr/section/monde', '/sitemaps/fr-1.xml'];
    for (const url of pages) expect((await get(url)).statusCode, url).toBe(200);
    const link = '/fr/section/vide-pour-l-instant';
    expect(menuOf((await get('/fr/')).body)).not.toContain(link);
    expect(menuOf((await get('/fr/section/monde')).body)).not.toContain(link);
    for (const url of [link, `${link}/rss.xml`, '/fr/tag/etiquette-vide', '/fr/tag/etiquette-vide/feed.json']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await get('/sitemaps/fr-1.xml')).body).not.toContain('vide');
    // Readers' search offers no filter for it either.
    expect((await get('/fr/search?q=train')).body).not.toContain('vide-pour-l-instant');

    const story = await site.app.articles.create({
      language: 'fr',
      slug: 'premiere-histoire-de-la-rubrique',
      headline: 'Première histoire de la rubrique',
      standfirst: 'Elle ouvre la rubrique.',
      bodyMarkdown: 'Premier paragraphe.',
      sectionId: empty.id,
      tagIds: [tag.id],
      authorIds: await testByline(site.app.database.db),
    });
    // A draft does not open it.
    expect(menuOf((await get('/fr/')).body)).not.toContain(link);
    expect((await get(link)).statusCode).toBe(404);

    const published = await site.app.articles.publish(story.id, { expectedRevision: story.revision });
    for (const url of ['/fr/', '/fr/section/monde']) expect(menuOf((await get(url)).body), url).toContain(link);
    for (const url of [link, `${link}/rss.xml`, '/fr/tag/etiquette-vide', '/fr/tag/etiquette-vide/feed.json']) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
    expect((await get('/sitemaps/fr-1.xml')).body).toContain(`${site.url}${link}`);

    await site.app.articles.unpublish(story.id, { expectedRevision: published.revision });
    for (const url of ['/fr/', '/fr/section/monde']) expect(menuOf((await get(url)).body), url).not.toContain(link);
    expect((await get(link)).statusCode).toBe(404);
    expect((await get('/sitemaps/fr-1.xml')).body).not.toContain('vide');
  });

  it('drops every cached page, feed and sitemap naming a renamed section, tag or author (issue 11)', async () => {
    const english = '/en/night-trains-return-to-europe';
    const row = await site.app.database.db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select(['authors.id', 'authors.slug', 'authors.name'])
      .where('articles.language', '=', 'en')
      .where('articles.slug', '=', 'night-trains-return-to-europe')
      .executeTakeFirstOrThrow();
    const cached = [english, '/en/rss.xml', '/feed.json', '/sitemaps/en-1.xml', `/en/author/${row.slug}`];
    for (const url of cached) expect((await get(url)).statusCode, url).toBe(200);
    for (const url of cached) expect(site.app.pageCache.has(url), url).toBe(true);

    await site.app.taxonomy.rename('author', row.id, { name: 'Plume Renommée' });
    for (const url of [english, '/en/rss.xml', '/feed.json']) {
      expect((await get(url)).body, url).toContain('Plume Renommée');
    }
    // The byline's link on the story page and the JSON Feed's author URL (RSS names authors only).
    for (const url of [english, '/feed.json']) {
      expect((await get(url)).body, url).toContain('/en/author/plume-renommee');
    }
    const sitemap = (await get('/sitemaps/en-1.xml')).body;
    expect(sitemap).toContain('/en/author/plume-renommee');
    expect(sitemap).not.toContain(`/en/author/${row.slug}<`);
    // The old address leads to the new one (issue 14, decision 0061), never to a page of its own.
    const old = await get(`/en/author/${row.slug}`);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/en/author/plume-renommee');
    expect((await get('/en/author/plume-renommee')).statusCode).toBe(200);

    // A taken address or an empty name is refused, and nothing changes.
    const other = await site.app.database.db
      .selectFrom('authors')
      .select('slug')
      .where('id', '<>', row.id)
      .executeTakeFirstOrThrow();
    await expect(site.app.taxonomy.rename('author', row.id, { name: 'X', slug: other.slug })).rejects.toMatchObject({
      code: 'TAXONOMY_SLUG_TAKEN',
    });
    await expect(site.app.taxonomy.rename('author', row.id, { name: '   ' })).rejects.toMatchObject({
      code: 'TAXONOMY_NAME_INVALID',
    });
    expect((await get('/en/author/plume-renommee')).statusCode).toBe(200);
  });

  it('renames a tag through the admin API, refusing an empty name with a 400 that changes nothing (issue 11)', async () => {
    const owner = await setupOwner(site);
    const tag = await site.app.database.db
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .select(['tags.id', 'tags.slug'])
      .where('tags.language', '=', 'en')
      .executeTakeFirstOrThrow();
    const put = (body: unknown, language = 'en') =>
      site.app.server.inject({
        method: 'PUT',
        url: `/admin/api/taxonomy/tag/${tag.id}`,
        headers: {
          cookie: owner.cookie,
          'x-csrf-token': owner.csrf,
          'content-type': 'application/json',
          'accept-language': language,
          origin: site.url,
        },
        payload: JSON.stringify(body),
      });
    const page = `/en/tag/${tag.slug}`;
    expect((await get(page)).statusCode).toBe(200);
    const refused = await put({ name: '' }, 'fr');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('TAXONOMY_NAME_INVALID');
    expect((await get(page)).statusCode).toBe(200);
    const renamed = await put({ name: 'Renamed topic' });
    expect(renamed.statusCode, renamed.body).toBe(204);
    const old = await get(page);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/en/tag/renamed-topic');
    expect((await get('/en/tag/renamed-topic')).body).toContain('Renamed topic');
  });
});
