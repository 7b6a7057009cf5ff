import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testByline } from '../support/articles.js';
import { databaseKinds } from '../support/databases.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { formHeaders, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
const slug = 'what-the-river-sensors-found';
/** Words and sentences found only past the paid demo story's second paragraph. */
const heldBack = [
  'tannery quarter',
  'forty-one nights',
  'storm drain near the old sawmill',
  'ring-road building site',
  'Marguerite Oyelaran',
  'settling basin',
];
/** Search queries that match only the held-back part. */
const queries = ['tannery', 'sawmill', 'Oyelaran', 'turbidity'];

/** Where a held-back passage shows in a response, whatever its encoding (HTML, XML, JSON). */
function leaksIn(body: string): string[] {
  const decoded = body
    .replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)));
  return heldBack.filter((passage) => decoded.includes(passage));
}

/**
 * The leak test of issue 6: a reader without access to a paid-only story must not receive its
 * held-back part anywhere — article page, its JSON-LD, feeds, search, any public GET route
 * (JSON endpoints included, found by walking the server's route list), nor the newsletter email.
 */
describe.each(databaseKinds(inject('postgresAvailable')))('no paywall leak on $kind', ({ kind, skip }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let member: MemberAgent;
  let owner: StaffAgent;
  let articleId: string;
  /** Meter cookie of an anonymous reader who used this month's free story on another story. */
  let spentMeter: string;

  beforeAll(async () => {
    if (skip) return;
    smtp = await startSmtpSink();
    site = await startTestSite(kind, {
      clock,
      env: { SMTP_URL: smtp.url, KIOSQUE_FREE_STORIES: '1', KIOSQUE_MAIL_RATE_PER_MINUTE: '100000' },
    });
    const other = await site.app.articles.create({
      language: 'en',
      headline: 'Another story for subscribers',
      bodyMarkdown: 'One.\n\nTwo.\n\nThree.',
      status: 'published',
      access: 'paid',
      publishedAt: new Date('2026-05-04T06:00:00.000Z'),
      authorIds: await testByline(site.app.database.db),
    });
    articleId = (
      await site.app.database.db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
    ).id;
    // A free member past the meter: this month's one free story went on the other one.
    member = await signInMember(site, smtp, 'past-the-meter@example.org');
    const spent = await site.app.server.inject({
      method: 'GET',
      url: `/en/${other.slug}`,
      headers: { cookie: member.cookie },
    });
    expect(spent.body).toContain('Three.');
    spentMeter = `kiosque_meter=2026-05.${other.id}`;
    owner = await setupOwner(site);
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const readers = () => [
    { name: 'anonymous reader', cookie: '' },
    { name: 'anonymous reader past the cookie meter', cookie: spentMeter },
    { name: 'free member past the meter', cookie: member.cookie },
  ];

  const get = (url: string, cookie: string) =>
    site.app.server.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'identity', ...(cookie ? { cookie } : {}) },
    });

  it.skipIf(skip)(
    'sends the beginning and the call-to-action on the article page, and the rest nowhere in it',
    async () => {
      for (const reader of readers()) {
        const page = await get(`/en/${slug}`, reader.cookie);
        expect(page.statusCode, reader.name).toBe(200);
        expect(page.body, reader.name).toContain('anchored twelve small probes');
        expect(page.body, reader.name).toContain('This story is for subscribers');
        expect(leaksIn(page.body), reader.name).toEqual([]);
      }
      // The control: a reader with access does receive it, so the passages above are the right ones.
      const opened = await get(`/en/read/${slug}`, '');
      expect(leaksIn(opened.body)).toEqual(heldBack);
    },
  );

  it.skipIf(skip)('marks the gated story in its NewsArticle JSON-LD, when the page has one', async () => {
    const page = await get(`/en/${slug}`, '');
    const blocks = [...page.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
      JSON.parse(m[1] as string),
    );
    const flat = blocks.flatMap((block) => (Array.isArray(block['@graph']) ? block['@graph'] : [block]));
    const story = flat.find((node) => ['NewsArticle', 'Article'].includes(node['@type']));
    for (const block of blocks) expect(leaksIn(JSON.stringify(block))).toEqual([]);
    expect(story).toBeDefined();
    expect(story.isAccessibleForFree).toBe(false);
    expect(story.hasPart).toMatchObject({ isAccessibleForFree: false, cssSelector: '.story__paywall' });
    expect(page.body).toContain('class="paywall story__paywall"');
  });

  it.skipIf(skip)(
    'lists the story in every feed it belongs to, full-content feeds included, without the rest',
    async () => {
      const db = site.app.database.db;
      const section = await db
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select('sections.slug')
        .where('articles.id', '=', articleId)
        .executeTakeFirstOrThrow();
      const tags = await db
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select('tags.slug')
        .where('article_tags.article_id', '=', articleId)
        .execute();
      const authors = await db
        .selectFrom('article_authors')
        .innerJoin('authors', 'authors.id', 'article_authors.author_id')
        .select('authors.slug')
        .where('article_authors.article_id', '=', articleId)
        .execute();
      const scopes = [
        '',
        '/en',
        `/en/section/${section.slug}`,
        ...tags.map((tag) => `/en/tag/${tag.slug}`),
        ...authors.map((author) => `/en/author/${author.slug}`),
      ];
      expect(site.config.feedContent).toBe('full');
      for (const scope of scopes) {
        for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
          const feed = await get(`${scope}/${file}`, '');
          expect(feed.statusCode, `${scope}/${file}`).toBe(200);
          // The story is in the feed (its link), so the absence of the rest means something.
          expect(feed.body, `${scope}/${file}`).toContain(`/en/${slug}`);
          expect(leaksIn(feed.body), `${scope}/${file}`).toEqual([]);
        }
      }
    },
  );

  it.skipIf(skip)('leaks nothing through search results and snippets', async () => {
    for (const reader of readers()) {
      for (const q of queries) {
        const results = await get(`/en/search?q=${encodeURIComponent(q)}`, reader.cookie);
        expect(results.statusCode, `${reader.name} ${q}`).toBe(200);
        expect(leaksIn(results.body), `${reader.name} ${q}`).toEqual([]);
      }
    }
  });

  it.skipIf(skip)('leaks nothing through any public GET route: feeds, JSON endpoints, pages', async () => {
    const routes = site.app.server.routeList.filter(
      (route) =>
        route.method === 'GET' && !/^\/(admin|media|assets|preview)\b/.test(route.url) && !route.url.includes('*'),
    );
    expect(routes.map((route) => route.url)).toContain('/:lang/rss.xml');
    const values: Record<string, string> = { lang: 'en', slug, id: articleId };
    let requested = 0;
    for (const route of routes) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      if (params.some((param) => !(param in values))) continue;
      const path = route.url.replace(/:(\w+)/g, (_m, name: string) => values[name] as string);
      for (const reader of readers()) {
        // The meter route rightly serves the story to a reader who still has a free one this month.
        if (route.url === '/:lang/read/:slug' && reader.cookie === '') continue;
        for (const query of ['', `?q=${queries[0]}`]) {
          const response = await get(`${path}${query}`, reader.cookie);
          requested++;
          expect(leaksIn(response.body), `${reader.name} GET ${path}${query} (${response.statusCode})`).toEqual([]);
        }
      }
    }
    expect(requested).toBeGreaterThan(20);
  });

  it.skipIf(skip)('leaks nothing through the newsletter email that carries the story', async () => {
    const before = smtp.received.length;
    await site.app.server.inject({
      method: 'POST',
      url: '/en/newsletter',
      headers: formHeaders,
      payload: new URLSearchParams({ email: 'subscriber@example.org', source: '/en/' }).toString(),
    });
    await site.app.jobs.runUntilIdle();
    await smtp.waitFor(before + 1);
    const confirmation = smtp.received.filter((m) => m.to.includes('subscriber@example.org')).at(-1)!;
    const confirm = linksOf(confirmation).find((link) => /\/newsletter\/confirm\?token=/.test(link.href));
    expect(confirm).toBeDefined();
    const confirmUrl = new URL((confirm as { href: string }).href);
    const confirmed = await site.app.server.inject({
      method: 'POST',
      url: confirmUrl.pathname + confirmUrl.search,
      headers: formHeaders,
      payload: '',
    });
    expect(confirmed.statusCode).toBe(200);
    const sent = await site.app.server.inject({
      method: 'POST',
      url: `/admin/stories/${articleId}/newsletter`,
      headers: { ...formHeaders, cookie: owner.cookie },
      payload: new URLSearchParams({ _csrf: owner.csrf, listId: 'nll_en_default', mode: 'now' }).toString(),
    });
    expect(sent.statusCode).toBe(200);
    const count = smtp.received.length;
    await site.app.jobs.runUntilIdle();
    await smtp.waitFor(count + 1);
    const story = smtp.received.filter((m) => m.to.includes('subscriber@example.org')).at(-1)!;
    expect(story.parsed.subject).toContain('river sensors');
    expect(leaksIn(`${story.parsed.text}\n${String(story.parsed.html)}\n${story.raw}`)).toEqual([]);
  });
});
