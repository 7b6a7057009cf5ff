import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newsroom, testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass, elements, textOf } from '../support/html.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import {
  type ChannelStory,
  channelOf,
  pathsOf as channelPaths,
  contentKeyFor,
  listingsOf,
} from '../support/public-channels.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { formHeaders, post, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
const slug = 'what-the-river-sensors-found';
/** Words that begin the paid demo story: every reader receives them. */
const teaserWords = 'anchored twelve small probes';
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

/**
 * The held-back passages found in a response, whatever its encoding: JSON `\u` escapes, character
 * references, tags in between (a search snippet's `<mark>`), runs of white space.
 */
function leaksIn(body: string): string[] {
  const decoded = textOf(
    body
      .replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\n/g, ' ')
      .replace(/\\"/g, '"'),
  ).replace(/\s+/g, ' ');
  return heldBack.filter((passage) => decoded.includes(passage));
}

/** The body as the client reads it: decoded from whatever `content-encoding` the server chose. */
function decodedBody(response: LightMyRequestResponse): string {
  const raw = response.rawPayload;
  switch (response.headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(raw).toString('utf8');
    case 'br':
      return brotliDecompressSync(raw).toString('utf8');
    case 'deflate':
      return inflateSync(raw).toString('utf8');
    default:
      return raw.toString('utf8');
  }
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const sendsBody = (method: Method) => !['GET', 'HEAD'].includes(method);

/**
 * The paywall leak test of issues 6 and 11: a reader without access to a paid story — anonymous,
 * past the cookie meter, a free member past the monthly meter, or anyone whose session cookie is
 * spelled oddly, invalid or expired — must not receive its held-back part on any channel: every
 * route of the server (walked from its route table, GET, HEAD and POST, every encoding, 304
 * revalidation), feeds, JSON-LD and social tags, search snippets, sitemaps, error pages, the
 * staff API, and the newsletter email over real SMTP. On both databases.
 */
describeEachDatabase('no paywall leak on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let member: MemberAgent;
  let subscriber: MemberAgent;
  let owner: StaffAgent;
  let articleId: string;
  /** Meter cookie of an anonymous reader who used this month's free story on another story. */
  let spentMeter: string;
  /** The session cookie of a member whose session has expired. */
  let expired: string;
  /** Section, tag and author of the paid story: their pages and feeds list it. */
  let listings: { section: string; tags: string[]; authors: string[] };
  let contentKey: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, {
      clock,
      env: { SMTP_URL: smtp.url, KIOSQUE_FREE_STORIES: '1', KIOSQUE_MAIL_RATE_PER_MINUTE: '100000' },
    });
    const db = site.app.database.db;
    const other = await site.app.articles.create({
      language: 'en',
      headline: 'Another story for subscribers',
      bodyMarkdown: 'One.\n\nTwo.\n\nThree.',
      status: 'published',
      access: 'paid',
      publishedAt: new Date('2026-05-04T06:00:00.000Z'),
      authorIds: await testByline(db),
    });
    articleId = (await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
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
    // A member whose session ran out yesterday.
    const lapsed = await signInMember(site, smtp, 'lapsed@example.org');
    const lapsedId = (
      await db.selectFrom('members').select('id').where('email', '=', 'lapsed@example.org').executeTakeFirstOrThrow()
    ).id;
    await db
      .updateTable('member_sessions')
      .set({ expires_at: '2026-05-03T08:00:00.000Z' })
      .where('member_id', '=', lapsedId)
      .execute();
    expired = lapsed.cookie;
    // A paying member (complimentary access): their pages must never reach anyone else.
    subscriber = await signInMember(site, smtp, 'subscriber-reader@example.org');
    const subscriberId = (
      await db
        .selectFrom('members')
        .select('id')
        .where('email', '=', 'subscriber-reader@example.org')
        .executeTakeFirstOrThrow()
    ).id;
    const granted = await post(
      site,
      `/admin/members/${subscriberId}/complimentary`,
      { _csrf: owner.csrf, until: '' },
      owner.cookie,
    );
    expect(granted.statusCode).toBe(200);
    const found = await listingsOf(db, articleId);
    listings = { ...found, section: found.section ?? '' };
    contentKey = await contentKeyFor(site);
    site.app.pageCache.clear();
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  /** The value of a `name=value` cookie pair. */
  const sessionValue = (pair: string) => pair.slice(pair.indexOf('=') + 1);

  /**
   * Readers without access to the paid story. Each cookie spelling of a session a browser or a
   * hostile client could send: whichever way the server reads it, it must not open the story.
   */
  const readers = () => [
    { name: 'anonymous reader', cookie: '' },
    { name: 'anonymous reader past the cookie meter', cookie: spentMeter },
    { name: 'free member past the meter', cookie: member.cookie },
    { name: 'free member, space before =', cookie: `kiosque_member =${sessionValue(member.cookie)}; ${spentMeter}` },
    { name: 'free member, space after =', cookie: `kiosque_member= ${sessionValue(member.cookie)}; ${spentMeter}` },
    { name: 'free member, quoted value', cookie: `kiosque_member="${sessionValue(member.cookie)}"; ${spentMeter}` },
    { name: 'free member, name upper case', cookie: `KIOSQUE_MEMBER=${sessionValue(member.cookie)}; ${spentMeter}` },
    { name: 'free member, second of two', cookie: `kiosque_member=forged; ${member.cookie}; ${spentMeter}` },
    { name: 'invalid session', cookie: `kiosque_member=not-a-session; ${spentMeter}` },
    { name: 'empty session', cookie: `kiosque_member=; ${spentMeter}` },
    { name: 'expired session', cookie: `${expired}; ${spentMeter}` },
    { name: 'cookie name containing the session’s', cookie: `x_kiosque_member=1; ${spentMeter}` },
    { name: 'invalid staff session', cookie: `kiosque_staff=not-a-session; ${spentMeter}` },
  ];

  const request = (method: Method, url: string, cookie: string, headers: Record<string, string> = {}) =>
    site.app.server.inject({
      method,
      url,
      headers: {
        'accept-encoding': 'identity',
        ...(cookie ? { cookie } : {}),
        ...(sendsBody(method) ? { ...formHeaders, origin: site.config.publicUrl } : {}),
        ...headers,
      },
      ...(sendsBody(method) ? { payload: '' } : {}),
    });
  const get = (url: string, cookie: string, headers: Record<string, string> = {}) =>
    request('GET', url, cookie, headers);

  /** The requests that stand for a route: its parameters filled with the paid story's values. */
  async function pathsOf(url: string): Promise<string[]> {
    const story: ChannelStory = { id: articleId, lang: 'en', slug, ...listings, queries, contentKey };
    const index = url === '/sitemaps/:file' ? (await get('/sitemap.xml', '')).body : '';
    const paths = channelPaths(url, story, index);
    if (url === '/sitemaps/:file') expect(paths).toContain('/sitemaps/news-en.xml');
    return paths;
  }

  it('knows what every route of the server carries (a new route fails here until classified)', () => {
    const unclassified = site.app.server.routeList
      .filter((route) => route.method !== 'OPTIONS')
      .filter((route) => channelOf(route.url) === undefined)
      .map((route) => `${route.method} ${route.url}`);
    expect(unclassified).toEqual([]);
    // The route table is what is walked: it holds the channels this file is about.
    const urls = site.app.server.routeList.map((route) => route.url);
    for (const url of ['/:lang/:slug', '/:lang/read/:slug', '/rss.xml', '/sitemaps/:file', '/:lang/search']) {
      expect(urls).toContain(url);
    }
  });

  it('sends the beginning and the call-to-action on the article page, and the rest to no reader without access', async () => {
    for (const reader of readers()) {
      const page = await get(`/en/${slug}`, reader.cookie);
      expect(page.statusCode, reader.name).toBe(200);
      expect(page.body, reader.name).toContain(teaserWords);
      expect(page.body, reader.name).toContain('This story is for subscribers');
      expect(leaksIn(page.body), reader.name).toEqual([]);
    }
    // The control: readers with access do receive it, so the passages above are the right ones.
    expect(leaksIn((await get(`/en/read/${slug}`, '')).body)).toEqual(heldBack);
    expect(leaksIn((await get(`/en/${slug}`, subscriber.cookie)).body)).toEqual(heldBack);
  });

  it('never hands a subscriber’s page to anyone else, however their session cookie is spelled', async () => {
    const value = sessionValue(subscriber.cookie);
    const spellings = [
      subscriber.cookie,
      `kiosque_member =${value}`,
      `kiosque_member= ${value}`,
      `kiosque_member="${value}"`,
      `KIOSQUE_MEMBER=${value}`,
      `kiosque_member=forged; ${subscriber.cookie}`,
      `${subscriber.cookie}; kiosque_member=forged`,
      `other=1;kiosque_member=${value}`,
      `other=1 ;  kiosque_member=${value}`,
    ];
    const leaks: string[] = [];
    try {
      for (const spelling of spellings) {
        for (const url of [`/en/${slug}`, `/en/${slug}?utm_source=x`, '/en/rss.xml', '/en/']) {
          // The subscriber's request comes first, on an empty cache: whatever it renders must
          // not become the page the next reader receives.
          site.app.pageCache.clear();
          await get(url, spelling);
          for (const encoding of ['identity', 'gzip']) {
            const next = await get(url, '', { 'accept-encoding': encoding });
            if (leaksIn(decodedBody(next)).length > 0) leaks.push(`${spelling} then anonymous ${url} ${encoding}`);
          }
        }
      }
    } finally {
      // A poisoned page must not fail the other tests too.
      site.app.pageCache.clear();
    }
    expect(leaks).toEqual([]);
  });

  it('leaks nothing through any route, to any reader, by GET', async () => {
    const routes = site.app.server.routeList.filter((route) => route.method === 'GET');
    let requested = 0;
    for (const route of routes) {
      for (const path of await pathsOf(route.url)) {
        for (const reader of readers()) {
          // The meter route rightly serves the story to a browser with a free story left this month.
          if (channelOf(route.url) === 'meter route' && reader.cookie === '') continue;
          const response = await get(path, reader.cookie);
          requested++;
          expect(leaksIn(response.body), `${reader.name} GET ${path} (${response.statusCode})`).toEqual([]);
          // The staff's JSON API answers readers with a refusal, not with data.
          if (route.url.startsWith('/admin/api/')) {
            expect(response.statusCode, `${reader.name} GET ${path}`).not.toBe(200);
          }
        }
      }
    }
    expect(requested).toBeGreaterThan(500);
  });

  it('answers HEAD on every route without a body', async () => {
    const routes = site.app.server.routeList.filter((route) => route.method === 'HEAD');
    expect(routes.map((route) => route.url)).toContain('/:lang/:slug');
    for (const route of routes) {
      for (const path of await pathsOf(route.url)) {
        for (const reader of readers().slice(1, 4)) {
          const response = await request('HEAD', path, reader.cookie);
          expect(response.body, `${reader.name} HEAD ${path} (${response.statusCode})`).toBe('');
        }
      }
    }
  });

  it('leaks nothing in any encoding, to HEAD or to a revalidation, on the channels carrying the story', async () => {
    const paths = [
      `/en/${slug}`,
      `/en/read/${slug}`,
      '/rss.xml',
      '/en/atom.xml',
      '/en/feed.json',
      `/en/section/${listings.section}/rss.xml`,
      `/en/search?q=${queries[0]}`,
      '/sitemaps/news-en.xml',
    ];
    const encodings = [
      'identity',
      'gzip',
      'br',
      'deflate',
      '*',
      'gzip, deflate, br',
      'br;q=1, gzip;q=0.5',
      'x-unknown',
    ];
    for (const reader of readers().slice(1, 5)) {
      for (const path of paths) {
        for (const encoding of encodings) {
          const response = await get(path, reader.cookie, { 'accept-encoding': encoding });
          const body = decodedBody(response);
          expect(leaksIn(body), `${reader.name} ${path} ${encoding}`).toEqual([]);
          const etag = response.headers.etag;
          if (typeof etag === 'string') {
            for (const condition of [etag, '*', `"other", ${etag}`, etag.replace(/^W\//, '')]) {
              const revalidated = await get(path, reader.cookie, {
                'accept-encoding': encoding,
                'if-none-match': condition,
              });
              expect(leaksIn(decodedBody(revalidated)), `${reader.name} ${path} ${encoding} 304`).toEqual([]);
            }
          }
        }
        const head = await request('HEAD', path, reader.cookie);
        expect(head.body, `${reader.name} HEAD ${path}`).toBe('');
      }
    }
  });

  it('leaks nothing through the story page’s variants and error pages', async () => {
    const variants = [
      `/en/${slug}?amp=1`,
      `/en/${slug}?print=1`,
      `/en/${slug}?format=json`,
      `/en/${slug}/`,
      `/en/${slug}/amp`,
      `/en/${slug}.json`,
      `/EN/${slug}`,
      `/en/${slug.toUpperCase()}`,
      `/fr/${slug}`,
      `/xx/${slug}`,
      `/en/${slug}%00`,
      `/en/${slug}%ff`,
      `/en/read/${slug}?full=1`,
      `/en/search?q=${queries[0]}&page=2`,
      `/en/search?q=${encodeURIComponent('tannery '.repeat(400))}`,
      `/en/search?q=${encodeURIComponent('"storm drain" sawmill')}`,
      '/en/does-not-exist',
      `/preview/${articleId}`,
    ];
    for (const reader of readers().slice(0, 4)) {
      for (const path of variants) {
        // The meter route rightly serves the story to a browser with a free story left this month.
        if (reader.cookie === '' && path.startsWith('/en/read/')) continue;
        const response = await get(path, reader.cookie);
        expect(leaksIn(response.body), `${reader.name} ${path} (${response.statusCode})`).toEqual([]);
      }
    }
  });

  it('leaks nothing in answers to forms, webhooks and the staff API, sent without a valid token', async () => {
    const routes = site.app.server.routeList.filter((route) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method));
    expect(routes.filter((route) => !route.url.startsWith('/admin')).length).toBeGreaterThan(5);
    // The editor's JSON API (autosave, Markdown preview) is among them.
    expect(routes.some((route) => route.url.startsWith('/admin/api/'))).toBe(true);
    for (const route of routes) {
      for (const path of await pathsOf(route.url)) {
        for (const reader of readers().slice(0, 3)) {
          const response = await request(route.method as Method, path, reader.cookie);
          const label = `${reader.name} ${route.method} ${path} (${response.statusCode})`;
          expect(leaksIn(response.body), label).toEqual([]);
          if (route.url.startsWith('/admin/api/')) expect(response.statusCode, label).toBeGreaterThanOrEqual(300);
        }
      }
    }
  });

  it('keeps the staff preview of the story private, and out of every reader’s page', async () => {
    const token = await site.app.database.db
      .selectFrom('articles')
      .select('preview_token')
      .where('id', '=', articleId)
      .executeTakeFirstOrThrow();
    const preview = await newsroom(site.app.database.db, clock).articles.previewToken(
      articleId,
      token.preview_token ?? 'preview-token-for-the-leak-test-0123456789',
    );
    site.app.pageCache.clear();
    // The newsroom's secret link shows the whole story, to whoever holds it, and to no cache.
    const shown = await get(`/preview/${preview}`, '');
    expect(leaksIn(shown.body)).toEqual(heldBack);
    expect(shown.headers['cache-control']).toBe('private, no-store');
    expect(String(shown.headers['x-robots-tag'])).toContain('noindex');
    // A guessed or truncated token shows nothing, and the story page stays cut for everyone.
    for (const guess of [`${preview}x`, String(preview).slice(0, -1), articleId, slug]) {
      expect(leaksIn((await get(`/preview/${guess}`, '')).body), guess).toEqual([]);
    }
    for (const reader of readers()) {
      expect(leaksIn((await get(`/en/${slug}`, reader.cookie)).body), reader.name).toEqual([]);
    }
  });

  it('marks the withheld text, not the subscribe box, in its JSON-LD and social tags', async () => {
    const blocksOf = (html: string) =>
      [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
        JSON.parse(m[1] as string),
      );
    const storyOf = (html: string) =>
      blocksOf(html)
        .flatMap((block) => (Array.isArray(block['@graph']) ? block['@graph'] : [block]))
        .find((node) => ['NewsArticle', 'Article'].includes(node['@type']));
    const anonymous = await get(`/en/${slug}`, '');
    const whole = await get(`/en/${slug}`, subscriber.cookie);
    for (const page of [anonymous, whole]) {
      expect(storyOf(page.body)).toMatchObject({
        isAccessibleForFree: false,
        hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.story__paywalled' },
      });
    }
    // Google asks for a class selector on the paywalled section: in the subscriber's page it
    // holds exactly the withheld part, after the beginning every reader receives.
    const selector = storyOf(whole.body).hasPart.cssSelector as string;
    expect(selector).toMatch(/^\.[a-z_-]+$/);
    const marked = byClass(whole.body, 'div', selector.slice(1));
    expect(marked).toHaveLength(1);
    expect(leaksIn(marked[0] as string)).toEqual(heldBack);
    expect(textOf(marked[0] as string)).not.toContain(teaserWords);
    expect(textOf(byClass(whole.body, 'div', 'story__body')[0] as string)).toContain(teaserWords);
    // The anonymous page holds neither that element nor its text, and the box is not what is named.
    expect(byClass(anonymous.body, 'div', selector.slice(1))).toEqual([]);
    expect(anonymous.body).toContain('class="paywall"');
    expect(byClass(anonymous.body, 'section', selector.slice(1))).toEqual([]);
    // JSON-LD, OpenGraph and Twitter tags carry no held-back word, for any reader.
    for (const reader of readers()) {
      const page = await get(`/en/${slug}`, reader.cookie);
      for (const block of blocksOf(page.body)) expect(leaksIn(JSON.stringify(block)), reader.name).toEqual([]);
      const metas = elements(page.body, 'meta').join('\n');
      expect(metas).toContain('og:description');
      expect(leaksIn(metas), reader.name).toEqual([]);
    }
  });

  it('lists the story in every feed it belongs to, full-content feeds included, without the rest', async () => {
    const scopes = [
      '',
      '/en',
      `/en/section/${listings.section}`,
      ...listings.tags.map((tag) => `/en/tag/${tag}`),
      ...listings.authors.map((author) => `/en/author/${author}`),
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
  });

  it('leaks nothing through search results and snippets, nor indexes the rest', async () => {
    for (const reader of readers()) {
      for (const q of queries) {
        const results = await get(`/en/search?q=${encodeURIComponent(q)}`, reader.cookie);
        expect(results.statusCode, `${reader.name} ${q}`).toBe(200);
        expect(leaksIn(results.body), `${reader.name} ${q}`).toEqual([]);
      }
    }
    // The story is findable by its public words, so the searches above did run against it.
    const found = await get(`/en/search?q=${encodeURIComponent('river sensors')}`, '');
    expect(found.body).toContain(`/en/${slug}`);
    const stored = await site.app.database.db
      .selectFrom('article_search')
      .select('excerpt_source')
      .where('article_id', '=', articleId)
      .executeTakeFirstOrThrow();
    expect(leaksIn(stored.excerpt_source)).toEqual([]);
  });

  it('leaks nothing through the newsletter email that carries the story', async () => {
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
