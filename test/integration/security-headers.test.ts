import { gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fillRoute, routesOf, routesWithoutSamples, type SampleValues, sampleValues } from '../support/route-table.js';
import { type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const publicUrl = 'https://news.example';

/** What every response carries, whatever its type (issue 11: robots.txt, sitemaps, /health, the admin JSON API lacked it). */
function baselineProblems(response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  if (response.headers['x-content-type-options'] !== 'nosniff') problems.push('no nosniff');
  if (response.headers['strict-transport-security'] !== 'max-age=31536000') problems.push('no HSTS');
  if (response.statusCode >= 500) problems.push(`status ${response.statusCode}`);
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) {
    if (!String(response.headers['content-security-policy'] ?? '').includes("default-src 'self'"))
      problems.push('no CSP');
    if (response.headers['x-frame-options'] !== 'DENY') problems.push('no X-Frame-Options');
  }
  return problems;
}

/**
 * Issue 11: the security headers were set route by route, and missing where a route forgot. They
 * are set in one hook now; this checks them on every response type and on every GET route of the
 * route table, anonymous and signed in, on a site whose public address is https.
 */
describeEachDatabase('security headers on every response, on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let values: SampleValues;

  beforeAll(async () => {
    site = await startTestSite(kind, { env: { KIOSQUE_PUBLIC_URL: publicUrl } });
    owner = await setupOwner(site);
    const staffId = (await site.app.database.db.selectFrom('staff_users').select('id').executeTakeFirstOrThrow()).id;
    values = await sampleValues(site, { memberId: 'mem_unknown', staffId });
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    site.app.server.inject({ method: 'GET', url, headers });

  it('carries them on each type of response', async () => {
    const asset = `/assets/${values.assetFile}`;
    const assetTag = String((await get(asset)).headers.etag);
    const home = await get('/en/');
    const homeTag = String(home.headers.etag);
    const responses: [string, LightMyRequestResponse, number][] = [
      ['HTML page', home, 200],
      ['error page', await get('/en/no-such-story-here'), 404],
      ['refused input', await get('/en/a%00'), 400],
      [
        'refused cross-site post',
        await site.app.server.inject({
          method: 'POST',
          url: '/en/newsletter',
          headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'email=a%40example.org',
        }),
        403,
      ],
      ['RSS feed', await get('/en/rss.xml'), 200],
      ['JSON feed', await get('/en/feed.json'), 200],
      ['sitemap index', await get('/sitemap.xml'), 200],
      ['sitemap', await get('/sitemaps/en-1.xml'), 200],
      ['robots.txt', await get('/robots.txt'), 200],
      ['health', await get('/health'), 200],
      ['admin JSON API', await get('/admin/api/media', { cookie: owner.cookie }), 200],
      ['admin JSON refusal', await get('/admin/api/media'), 401],
      ['admin page', await get('/admin/stories', { cookie: owner.cookie }), 200],
      ['media', await get(`/media/${values.imageId}/320.webp`), 200],
      ['asset', await get(asset), 200],
      ['permanent redirect', await get('/favicon.ico'), 301],
      ['redirect to sign-in', await get('/admin/stories'), 302],
      ['304 of a page', await get('/en/', { 'if-none-match': homeTag }), 304],
      ['304 of an asset', await get(asset, { 'if-none-match': assetTag }), 304],
      ['HEAD', await site.app.server.inject({ method: 'HEAD', url: '/en/' }), 200],
    ];
    for (const [label, response, status] of responses) {
      expect(response.statusCode, label).toBe(status);
      expect(baselineProblems(response), label).toEqual([]);
    }
  });

  it('carries them on every GET route, anonymous and signed in', async () => {
    const routes = routesOf(site).filter((route) => route.method === 'GET');
    expect(routesWithoutSamples(routes, values)).toEqual([]);
    const problems: string[] = [];
    for (const route of routes) {
      for (const cookie of [undefined, owner.cookie]) {
        const url = fillRoute(route, values);
        const response = await get(url, cookie ? { cookie } : {});
        for (const problem of baselineProblems(response)) {
          problems.push(`${cookie ? 'owner' : 'anonymous'} GET ${url} (${response.statusCode}): ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  it('marks cacheable pages as varying on Cookie, and keeps signed-in pages private', async () => {
    for (const url of ['/en/', '/en/rss.xml', '/sitemap.xml', `/en/${values.storySlug}`]) {
      const anonymous = await get(url);
      expect(anonymous.headers['cache-control'], url).toMatch(/^public, /);
      expect(String(anonymous.headers.vary).toLowerCase(), url).toMatch(/accept-encoding/);
      expect(String(anonymous.headers.vary).toLowerCase(), url).toMatch(/cookie/);
      const signedIn = await get(url, { cookie: owner.cookie });
      expect(signedIn.headers['cache-control'], url).toBe('private, no-store');
    }
  });

  it('answers If-None-Match `*`, lists and weak forms with 304 (RFC 9110)', async () => {
    const page = await get('/en/', { 'accept-encoding': 'gzip' });
    const tag = String(page.headers.etag);
    for (const header of ['*', `"nope", ${tag}`, `W/${tag}`, `"a", W/"b", W/${tag}`]) {
      const again = await get('/en/', { 'if-none-match': header });
      expect(again.statusCode, header).toBe(304);
      expect(again.body, header).toBe('');
    }
    expect((await get('/en/', { 'if-none-match': '"nope", W/"other"' })).statusCode).toBe(200);
    const asset = `/assets/${values.assetFile}`;
    expect((await get(asset, { 'if-none-match': '*' })).statusCode).toBe(304);
  });

  it('compresses uncached responses worth it: private pages, admin HTML, JSON, search, errors', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    for (const [url, headers] of [
      ['/admin/stories', { ...gzip, cookie: owner.cookie }],
      ['/admin/api/media', { ...gzip, cookie: owner.cookie }],
      ['/en/', { ...gzip, cookie: owner.cookie }],
      ['/en/search?q=europe', gzip],
      ['/en/no-such-story-here', gzip],
    ] as const) {
      const response = await get(url, headers);
      expect(response.headers['content-encoding'], url).toBe('gzip');
      expect(String(response.headers.vary).toLowerCase(), url).toContain('accept-encoding');
      const text = gunzipSync(response.rawPayload).toString();
      expect(text.length, url).toBeGreaterThan(response.rawPayload.length);
      const plain = await get(url, { ...headers, 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding'], url).toBeUndefined();
    }
    // Tiny bodies are not worth it.
    expect((await get('/health', gzip)).headers['content-encoding']).toBeUndefined();
  });
});
