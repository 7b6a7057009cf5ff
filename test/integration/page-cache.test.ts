import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleInput, ArticleRecord } from '../../src/domain/articles/article-input.js';
import { articleIdBySlug, testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The input that reproduces a stored article, for an edit that changes one thing. */
function inputOf(record: ArticleRecord): ArticleInput {
  const { id: _id, bodyHtml: _html, revision: _rev, createdAt: _c, updatedAt: _u, deletedAt: _d, ...input } = record;
  return input;
}

describeEachDatabase('page cache and invalidation on $kind', ({ kind }) => {
  let site: TestSite;
  const seed = '/fr/poutine-xi-serrent-les-rangs';
  // Pages a French change must not touch.
  const englishPages = ['/en/', '/en/night-trains-return-to-europe', '/en/section/world', '/en/rss.xml'];

  beforeAll(async () => {
    site = await startTestSite(kind);
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    site.app.server.inject({ method: 'GET', url, headers });

  async function warm(urls: string[]) {
    for (const url of urls) expect((await get(url)).statusCode, url).toBe(200);
  }

  async function frenchStory(slug: string): Promise<ArticleRecord> {
    return site.app.articles.get(await articleIdBySlug(site.app.database.db, 'fr', slug));
  }

  it('serves a page from memory with a strong ETag, 304 and the encoding asked for', async () => {
    const first = await get(seed, { 'accept-encoding': 'gzip' });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toContain('accept-encoding');
    expect(first.headers['cache-control']).toMatch(/s-maxage=\d+/);
    expect(first.headers['cache-control']).toMatch(/stale-while-revalidate=\d+/);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+-gz"$/);
    const renders = site.app.pageCache.stats().renders;
    const again = await get(seed, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(site.app.pageCache.stats().renders).toBe(renders);
    // Brotli is made in the background: gzip is served until it is ready.
    let brotli = await get(seed, { 'accept-encoding': 'gzip, deflate, br' });
    for (let tries = 0; brotli.headers['content-encoding'] !== 'br' && tries < 100; tries++) {
      expect(brotli.headers['content-encoding']).toBe('gzip');
      await new Promise((resolve) => setTimeout(resolve, 100));
      brotli = await get(seed, { 'accept-encoding': 'gzip, deflate, br' });
    }
    expect(brotli.headers['content-encoding']).toBe('br');
    const plain = await get(seed);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('Poutine et Xi serrent les rangs');
  });

  it('shows an edit on the next request, on every page showing the story, and nowhere else', async () => {
    const story = await frenchStory('le-retour-des-trains-de-nuit-en-europe');
    const showing = ['/fr/', '/fr/le-retour-des-trains-de-nuit-en-europe', '/fr/section/monde', '/fr/rss.xml'];
    await warm([...showing, ...englishPages, seed]);
    const rendersBefore = site.app.pageCache.stats().renders;
    await site.app.articles.edit(
      story.id,
      { ...inputOf(story), headline: 'Les trains de nuit font leur grand retour' },
      { expectedRevision: story.revision },
    );
    for (const url of showing)
      expect((await get(url)).body, url).toContain('Les trains de nuit font leur grand retour');
    for (const url of englishPages) expect(site.app.pageCache.has(url), url).toBe(true);
    // The seed article shows the story in "More updates" only if it is among the five latest.
    const seedPage = (await get(seed)).body;
    expect(seedPage.includes('trains de nuit font leur grand retour')).toBe(
      seedPage.includes(story.id) || seedPage.includes('/fr/le-retour-des-trains-de-nuit-en-europe'),
    );
    expect(site.app.pageCache.stats().renders - rendersBefore).toBeLessThanOrEqual(showing.length + 1);
  });

  it('publishes, unpublishes, deletes and restores with the lists following at once', async () => {
    const section = await site.app.database.db
      .selectFrom('sections')
      .selectAll()
      .where('language', '=', 'fr')
      .where('slug', '=', 'monde')
      .executeTakeFirstOrThrow();
    await warm(['/fr/', '/fr/section/monde', '/fr/rss.xml', seed, ...englishPages]);
    const draft = await site.app.articles.create({
      language: 'fr',
      slug: 'une-breve-de-derniere-minute',
      headline: 'Une brève de dernière minute',
      standfirst: 'Elle arrive à l’instant.',
      bodyMarkdown: 'Premier paragraphe.',
      sectionId: section.id,
      authorIds: await testByline(site.app.database.db),
    });
    expect((await get('/fr/')).body).not.toContain('Une brève de dernière minute');
    expect((await get('/fr/une-breve-de-derniere-minute')).statusCode).toBe(404);

    const published = await site.app.articles.publish(draft.id, { expectedRevision: draft.revision });
    for (const url of ['/fr/', '/fr/section/monde', '/fr/rss.xml', seed]) {
      expect((await get(url)).body, url).toContain('Une brève de dernière minute');
    }
    expect((await get('/fr/une-breve-de-derniere-minute')).statusCode).toBe(200);
    for (const url of englishPages) expect(site.app.pageCache.has(url), url).toBe(true);

    const unpublished = await site.app.articles.unpublish(draft.id, { expectedRevision: published.revision });
    expect((await get('/fr/une-breve-de-derniere-minute')).statusCode).toBe(404);
    for (const url of ['/fr/', '/fr/section/monde', '/fr/rss.xml', seed]) {
      expect((await get(url)).body, url).not.toContain('Une brève de dernière minute');
    }

    const republished = await site.app.articles.publish(draft.id, { expectedRevision: unpublished.revision });
    expect((await get('/fr/')).body).toContain('Une brève de dernière minute');
    const deleted = await site.app.articles.remove(draft.id, { expectedRevision: republished.revision });
    expect((await get('/fr/')).body).not.toContain('Une brève de dernière minute');
    expect((await get('/fr/une-breve-de-derniere-minute')).statusCode).toBe(404);
    await site.app.articles.restore(draft.id, { expectedRevision: deleted.revision });
    expect((await get('/fr/une-breve-de-derniere-minute')).statusCode).toBe(200);
    for (const url of englishPages) expect(site.app.pageCache.has(url), url).toBe(true);
  });

  it('drops an article page when its stored related list is recomputed', async () => {
    await warm([seed, ...englishPages]);
    const story = await frenchStory('poutine-xi-serrent-les-rangs');
    site.app.events.publish({ type: 'related.changed', articleIds: [story.id] });
    expect(site.app.pageCache.has(seed)).toBe(false);
    for (const url of englishPages) expect(site.app.pageCache.has(url), url).toBe(true);
  });

  it('announces no change when the save is rolled back', async () => {
    const story = await frenchStory('le-retour-des-trains-de-nuit-en-europe');
    await warm(['/fr/le-retour-des-trains-de-nuit-en-europe', '/fr/']);
    const heard: unknown[] = [];
    const stop = site.app.events.subscribe((event) => heard.push(event));
    // The slug of another story: the write fails inside its transaction, which rolls back.
    await expect(
      site.app.articles.edit(
        story.id,
        { ...inputOf(story), headline: 'Un titre qui ne paraîtra pas', slug: 'poutine-xi-serrent-les-rangs' },
        { expectedRevision: story.revision },
      ),
    ).rejects.toMatchObject({ code: 'ARTICLE_SLUG_TAKEN' });
    stop();
    expect(heard).toEqual([]);
    expect(site.app.pageCache.has('/fr/le-retour-des-trains-de-nuit-en-europe')).toBe(true);
    expect((await site.app.articles.get(story.id)).revision).toBe(story.revision);
  });

  it('redirects an old address after a slug change', async () => {
    const story = await frenchStory('preparer-son-premier-marathon');
    await warm(['/fr/preparer-son-premier-marathon']);
    await site.app.articles.edit(
      story.id,
      { ...inputOf(story), slug: 'courir-son-premier-marathon' },
      { expectedRevision: story.revision },
    );
    const old = await get('/fr/preparer-son-premier-marathon');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/fr/courir-son-premier-marathon');
    expect((await get('/fr/courir-son-premier-marathon')).statusCode).toBe(200);
  });

  it('renders an uncached page once for a burst of readers', async () => {
    site.app.pageCache.clear();
    const before = site.app.pageCache.stats().renders;
    const responses = await Promise.all(Array.from({ length: 40 }, () => get('/fr/tag/chine')));
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(site.app.pageCache.stats().renders - before).toBe(1);
  });

  it('never serves a signed-in reader’s page to anyone else, nor the reverse', async () => {
    site.app.pageCache.clear();
    const member = await get('/fr/', { cookie: 'kiosque_member=abc' });
    expect(member.headers['cache-control']).toBe('private, no-store');
    expect(site.app.pageCache.has('/fr/')).toBe(false);
    const anonymous = await get('/fr/');
    expect(anonymous.headers['cache-control']).toMatch(/^public/);
    const memberAgain = await get('/fr/', { cookie: 'theme=dark; kiosque_member=abc' });
    expect(memberAgain.headers['cache-control']).toBe('private, no-store');
    expect(memberAgain.headers.etag).toBeUndefined();
  });

  it('refuses a save based on a stale revision', async () => {
    const story = await frenchStory('ce-qui-fait-le-prix-de-votre-cafe');
    await site.app.articles.edit(
      story.id,
      { ...inputOf(story), headline: 'Premier' },
      { expectedRevision: story.revision },
    );
    await expect(
      site.app.articles.edit(story.id, { ...inputOf(story), headline: 'Second' }, { expectedRevision: story.revision }),
    ).rejects.toMatchObject({ code: 'ARTICLE_REVISION_CONFLICT' });
    expect((await site.app.articles.get(story.id)).headline).toBe('Premier');
  });
});
