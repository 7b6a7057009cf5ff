import GhostContentAPI, { type GhostContentApi } from '@tryghost/content-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { editHeadline, newsroom, shownStories } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
/** The paid demo story, and words found only past its second paragraph. */
const paidSlug = 'what-the-river-sensors-found';
const heldBack = ['tannery quarter', 'Marguerite Oyelaran', 'settling basin'];

// biome-ignore lint/suspicious/noExplicitAny: Ghost's JSON is walked by field name
type Ghost = Record<string, any>;

/**
 * Ghost's Content API at `/ghost/api/content/` (issue 13), read by Ghost's own client
 * (`@tryghost/content-api`, unmodified) over HTTP from a listening site, on both databases:
 * browsing with filters, includes, pages and order; reads by id and slug; tags, authors and
 * settings; Kiosque's extra fields; the paid story without its body; Ghost's errors; nothing
 * that is not public; an edit seen at once.
 */
describeEachDatabase('Ghost Content API on $kind', ({ kind }) => {
  let site: TestSite;
  let api: GhostContentApi;
  let key: string;

  beforeAll(async () => {
    site = await startTestSite(kind, { clock, listen: true });
    key = (await site.app.integrations.add({ name: 'Static site generator', createdBy: null })).contentKey;
    api = GhostContentAPI({ url: site.url, key, version: 'v5.0' });
  });
  afterAll(async () => {
    await site?.close();
  });

  const raw = (path: string, init: RequestInit = {}) => fetch(`${site.url}/ghost/api/content/${path}`, init);

  const publicStories = () => shownStories(site);

  it('browses every public story in pages, newest first, with Ghost’s pagination', async () => {
    const stories = await publicStories();
    expect(stories.length).toBeGreaterThan(3);
    const first = await api.posts.browse({ limit: 2 });
    expect(first).toHaveLength(2);
    expect(first.meta.pagination).toEqual({
      page: 1,
      limit: 2,
      pages: Math.ceil(stories.length / 2),
      total: stories.length,
      next: 2,
      prev: null,
    });
    const second = await api.posts.browse({ limit: 2, page: 2 });
    expect(second.meta.pagination).toMatchObject({ page: 2, prev: 1 });
    expect(second.map((post) => post.id)).not.toContain(first[0]?.id);
    const all = await api.posts.browse({ limit: 'all' });
    expect(all.map((post) => post.id).sort()).toEqual(stories.map((s) => s.id).sort());
    expect(all.meta.pagination).toMatchObject({ limit: 'all', pages: 1, total: stories.length });
    const dates = all.map((post) => post.published_at as string);
    expect(dates).toEqual([...dates].sort().reverse());
    // The default page holds 15, as Ghost's.
    expect((await api.posts.browse()).meta.pagination.limit).toBe(15);
  });

  it('filters by tag, section, author, language, date, id and visibility, with + and , and negation', async () => {
    const all = await api.posts.browse({ limit: 'all', include: 'tags,authors' });
    const story = all.find((post) => post.language === 'en' && post.section && post.tags.length > 1) as Ghost;
    expect(story, 'an English demo story with a section and a tag').toBeDefined();
    const tag = story.tags[1].slug as string;
    const section = story.section.slug as string;
    const author = story.primary_author.slug as string;
    const slugsOf = (posts: Ghost[]) => posts.map((post) => post.slug as string);
    const browse = (filter: string, more: Record<string, string> = {}) =>
      api.posts.browse({ limit: 'all', include: 'tags,authors', filter, ...more });

    const tagged = await browse(`tag:${tag}`);
    expect(slugsOf(tagged)).toContain(story.slug);
    for (const post of tagged) expect(post.tags.map((t: Ghost) => t.slug)).toContain(tag);
    expect(tagged.length).toBeLessThan(all.length);
    expect(slugsOf(await browse(`tags:[${tag},no-such-tag]`))).toEqual(slugsOf(tagged));
    expect(slugsOf(await browse(`tags.slug:${tag}`))).toEqual(slugsOf(tagged));

    const inSection = await browse(`primary_tag:${section}`);
    expect(slugsOf(inSection)).toContain(story.slug);
    for (const post of inSection) {
      expect(post.primary_tag.slug).toBe(section);
      expect(post.section.slug).toBe(section);
    }
    const byAuthor = await browse(`authors.slug:${author}`);
    expect(slugsOf(byAuthor)).toContain(story.slug);
    expect(slugsOf(await browse(`author:${author}`))).toEqual(slugsOf(byAuthor));
    for (const post of byAuthor) expect(post.authors.map((a: Ghost) => a.slug)).toContain(author);

    const french = await browse('language:fr');
    expect(french.length).toBeGreaterThan(0);
    expect(new Set(french.map((post) => post.language))).toEqual(new Set(['fr']));
    const others = await browse(`id:-${story.id}`);
    expect(others).toHaveLength(all.length - 1);
    expect(slugsOf(others)).not.toContain(story.slug);
    expect(await browse(`slug:${story.slug}+language:en`)).toHaveLength(1);
    const either = await browse(`slug:${story.slug},language:fr`);
    expect(either).toHaveLength(french.length + 1);

    const middle = [...all.map((post) => post.published_at as string)].sort()[Math.floor(all.length / 2)] as string;
    const later = await browse(`published_at:>'${middle}'`);
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThan(all.length);
    for (const post of later) expect(Date.parse(post.published_at)).toBeGreaterThan(Date.parse(middle));

    expect(await browse('featured:true')).toHaveLength(0);
    const free = await browse('visibility:public');
    expect(free.length).toBeGreaterThan(0);
    expect(free.length).toBeLessThan(all.length);
    for (const post of free) expect(post.visibility).toBe('public');

    const byTitle = await api.posts.browse({ limit: 'all', order: 'title asc', fields: 'title,slug' });
    const titles = byTitle.map((post) => (post.title as string).toLowerCase());
    expect(titles).toEqual([...titles].sort());
    expect(Object.keys(byTitle[0] as Ghost).sort()).toEqual(['slug', 'title']);
  });

  it('reads a post by id and by slug, with Ghost’s fields and Kiosque’s extra ones', async () => {
    const stories = await publicStories();
    const translated = stories.find(
      (s) =>
        s.access === 'public' &&
        stories.some((o) => o.translation_group === s.translation_group && o.language !== s.language),
    );
    expect(translated, 'a public demo story with a translation').toBeDefined();
    if (!translated) return;
    const byId = await api.posts.read({ id: translated.id }, { include: 'tags,authors', formats: 'html,plaintext' });
    const bySlug = await api.posts.read(
      { slug: translated.slug },
      { include: 'tags,authors', formats: 'html,plaintext' },
    );
    expect(bySlug).toEqual(byId);
    expect(byId).toMatchObject({
      id: translated.id,
      title: translated.headline,
      slug: translated.slug,
      url: `${site.url}/${translated.language}/${translated.slug}`,
      visibility: 'public',
      featured: false,
      language: translated.language,
      access: 'public',
    });
    expect(byId.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(byId.html).toContain('<p>');
    expect(byId.plaintext.length).toBeGreaterThan(20);
    expect(byId.plaintext).not.toContain('<p>');
    expect(byId.reading_time).toBeGreaterThanOrEqual(1);
    expect(Date.parse(byId.published_at)).not.toBeNaN();
    expect(byId.primary_author).toEqual(byId.authors[0]);
    expect(byId.primary_author.url).toMatch(new RegExp(`^${site.url}/${translated.language}/author/`));
    if (byId.section) {
      expect(byId.primary_tag).toMatchObject({ id: byId.section.id, slug: byId.section.slug, kind: 'section' });
      expect(byId.section.url).toBe(`${site.url}/${translated.language}/section/${byId.section.slug}`);
    }
    // The translation group, each language with its address; the other language reads back.
    const group = stories.filter((s) => s.translation_group === translated.translation_group);
    expect(byId.translations).toHaveLength(group.length);
    const other = byId.translations.find((t: Ghost) => t.language !== translated.language);
    const otherSlug = new URL(other.url).pathname.split('/')[2] as string;
    const otherPost = await api.posts.read({ slug: otherSlug });
    expect(otherPost.title).toBe(other.title);
    expect(otherPost.translations).toEqual(byId.translations);
    expect(byId).toHaveProperty('machine_translation', null);
    expect(byId).toHaveProperty('source_credit');
    expect(byId.genre).toBe('news');
    // Only a sponsored story names a sponsor (issue 14).
    expect(byId).toHaveProperty('sponsor', null);
    // The demo's analyses are found by their kind of work, and nothing else is.
    const analyses = await api.posts.browse({ limit: 'all', filter: 'genre:analysis' });
    expect(analyses.length).toBeGreaterThan(0);
    for (const post of analyses) expect(post.genre).toBe('analysis');
    // Without include, Ghost sends no tags or authors.
    const bare = await api.posts.read({ id: translated.id });
    expect(bare.tags).toBeUndefined();
    expect(bare.authors).toBeUndefined();
    expect(bare.plaintext).toBeUndefined();
    expect(bare.html).toBe(byId.html);
  });

  it('gives the paid story without its body, to the client and in every format', async () => {
    const paid = await api.posts.read({ slug: paidSlug }, { formats: 'html,plaintext' });
    expect(paid).toMatchObject({ visibility: 'paid', access: 'paid', html: null, plaintext: null });
    expect(paid.excerpt.length).toBeGreaterThan(0);
    for (const query of [
      `posts/slug/${paidSlug}/?key=${key}&formats=html,plaintext`,
      `posts/?key=${key}&limit=all&formats=html,plaintext&include=tags,authors`,
      `posts/?key=${key}&filter=visibility:paid&fields=slug,html,plaintext,excerpt&formats=html,plaintext`,
    ]) {
      const response = await raw(query);
      const body = await response.text();
      const found = (JSON.parse(body) as { posts: Ghost[] }).posts.find((post) => post.slug === paidSlug);
      expect(found, query).toMatchObject({ html: null, plaintext: null });
      for (const passage of heldBack) expect(body, query).not.toContain(passage);
    }
    // The control: the passages are in the story's stored body.
    const stored = await site.app.database.db
      .selectFrom('articles')
      .select('body_markdown')
      .where('slug', '=', paidSlug)
      .executeTakeFirstOrThrow();
    for (const passage of heldBack) expect(stored.body_markdown).toContain(passage);
  });

  it('lists tags (sections among them) and authors with their counts, and reads them by slug and id', async () => {
    const posts = await api.posts.browse({ limit: 'all', include: 'tags,authors' });
    const tags = await api.tags.browse({ limit: 'all', include: 'count.posts' });
    const section = posts.find((post) => post.section)?.section as Ghost;
    const found = tags.find((tag) => tag.id === section.id) as Ghost;
    expect(found).toMatchObject({ slug: section.slug, name: section.name, kind: 'section', visibility: 'public' });
    expect(found.count.posts).toBe(posts.filter((post) => post.section?.id === section.id).length);
    const tag = tags.find((t) => t.kind === 'tag') as Ghost;
    expect(tag.count.posts).toBe(posts.filter((post) => post.tags.some((t: Ghost) => t.id === tag.id)).length);
    expect(await api.tags.read({ slug: tag.slug })).toMatchObject({ id: tag.id, url: tag.url });
    expect((await api.tags.read({ id: tag.id })).count).toBeUndefined();
    expect(tags.meta.pagination.total).toBe(tags.length);

    const authors = await api.authors.browse({ include: 'count.posts' });
    expect(authors.length).toBeGreaterThan(0);
    const author = authors[0] as Ghost;
    expect(author.count.posts).toBe(posts.filter((post) => post.authors.some((a: Ghost) => a.id === author.id)).length);
    expect(await api.authors.read({ slug: author.slug })).toMatchObject({ id: author.id, name: author.name });
    expect(await api.authors.read({ id: author.id })).toMatchObject({ slug: author.slug });
    expect((await api.tags.browse({ filter: `slug:${tag.slug}` })).map((t) => t.id)).toEqual([tag.id]);
  });

  it('answers the settings, and an empty, well-formed pages list (Kiosque has no static pages)', async () => {
    const settings = await api.settings.browse();
    expect(settings).toMatchObject({
      title: site.config.siteName,
      lang: site.config.defaultLanguage,
      timezone: site.config.timeZone,
      url: `${site.url}/`,
    });
    expect(settings.logo).toMatch(/^http/);
    expect(settings.navigation.length).toBeGreaterThan(1);
    expect(settings.languages.map((l: Ghost) => l.language)).toEqual(site.config.languages);
    const pages = await api.pages.browse();
    expect([...pages]).toEqual([]);
    expect(pages.meta.pagination).toMatchObject({ page: 1, total: 0, pages: 1, next: null, prev: null });
    await expect(api.pages.read({ slug: 'about' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses an unknown or missing key with Ghost’s errors, which the client throws', async () => {
    const stranger = GhostContentAPI({ url: site.url, key: 'abcdef0123456789abcdef0123', version: 'v5.0' });
    await expect(stranger.posts.browse()).rejects.toMatchObject({
      name: 'UnauthorizedError',
      type: 'UnauthorizedError',
      code: 'CONTENT_API_KEY_UNKNOWN',
      response: { status: 401 },
    });
    const missing = await raw('posts/');
    expect(missing.status).toBe(403);
    const body = (await missing.json()) as Ghost;
    expect(body.errors[0]).toMatchObject({ type: 'NoPermissionError', code: 'CONTENT_API_KEY_MISSING' });
    expect(body.errors[0].message).toMatch(/key/);
    // A revoked integration's key stops at once, cache or not.
    const other = await site.app.integrations.add({ name: 'Short-lived', createdBy: null });
    expect((await raw(`settings/?key=${other.contentKey}`)).status).toBe(200);
    await site.app.integrations.revoke(other.integration.id);
    expect((await raw(`settings/?key=${other.contentKey}`)).status).toBe(401);
  });

  it('refuses a malformed or unsupported filter with Ghost’s BadRequestError, in the reader’s language', async () => {
    await expect(api.posts.browse({ filter: 'tag:(' })).rejects.toMatchObject({
      name: 'BadRequestError',
      code: 'CONTENT_API_FILTER_INVALID',
      response: { status: 400 },
    });
    for (const filter of ['password:x', "published_at:>'not a date'", 'tags:[a,b', 'featured:maybe', 'slug:a+']) {
      const response = await raw(`posts/?key=${key}&filter=${encodeURIComponent(filter)}`, {
        headers: { 'accept-language': 'fr' },
      });
      expect(response.status, filter).toBe(400);
      const body = (await response.json()) as Ghost;
      expect(body.errors[0].type, filter).toBe('BadRequestError');
      expect(body.errors[0].message, filter).toContain('Le filtre ne peut pas être lu');
    }
    const badLimit = await raw(`posts/?key=${key}&limit=lots`);
    expect(badLimit.status).toBe(422);
    expect(((await badLimit.json()) as Ghost).errors[0]).toMatchObject({ type: 'ValidationError' });
    expect((await raw(`posts/?key=${key}&order=password%20asc`)).status).toBe(422);
  });

  it('never lists a draft or an embargoed story, nor reads one', async () => {
    const { prepare, insert } = newsroom(site.app.database.db, clock);
    const draft = await insert(
      prepare({ language: 'en', slug: 'api-draft', headline: 'Draft for the API', bodyMarkdown: 'Not yet.' }),
    );
    const embargoed = await insert(
      prepare(
        {
          language: 'en',
          slug: 'api-embargoed',
          headline: 'Embargoed for the API',
          bodyMarkdown: 'Held back.',
          status: 'published',
          publishedAt: new Date('2026-05-04T07:00:00.000Z'),
        },
        (record) => {
          record.embargoUntil = new Date('2026-05-05T07:00:00.000Z');
        },
      ),
    );
    site.app.pageCache.clear();
    const all = await api.posts.browse({ limit: 'all' });
    const slugs = all.map((post) => post.slug);
    expect(slugs).not.toContain('api-draft');
    expect(slugs).not.toContain('api-embargoed');
    for (const record of [draft, embargoed]) {
      await expect(api.posts.read({ id: record.id })).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(api.posts.read({ slug: record.slug })).rejects.toMatchObject({ name: 'NotFoundError' });
    }
  });

  it('shows an edit at once, though the answers are cached', async () => {
    const story = (await publicStories()).find((s) => s.access === 'public') as { id: string; slug: string };
    const before = await api.posts.read({ id: story.id });
    const listed = await api.posts.browse({ limit: 'all', fields: 'id,title' });
    await site.app.database.db
      .updateTable('articles')
      .set({ headline: 'Written behind the cache' })
      .where('id', '=', story.id)
      .execute();
    expect((await api.posts.read({ id: story.id })).title).toBe(before.title);
    await editHeadline(site, story.id, 'Edited for the static site');
    expect((await api.posts.read({ id: story.id })).title).toBe('Edited for the static site');
    const relisted = await api.posts.browse({ limit: 'all', fields: 'id,title' });
    expect(relisted.find((post) => post.id === story.id)?.title).toBe('Edited for the static site');
    expect(relisted).toHaveLength(listed.length);
  });

  it('may be read from any site by a browser, for GET only', async () => {
    const response = await raw(`posts/?key=${key}&limit=1`, { headers: { origin: 'https://elsewhere.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await raw('posts/', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://elsewhere.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'accept-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('accept-version');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
