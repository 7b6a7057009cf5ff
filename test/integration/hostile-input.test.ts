import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import {
  fillRoute,
  isStateChanging,
  paramsOf,
  type RouteEntry,
  routesOf,
  routesWithoutSamples,
  type SampleValues,
  sampleValues,
} from '../support/route-table.js';
import { type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const hundredKb = 'a'.repeat(100_000);

/** Values no route should answer with a 5xx, as they travel in a path segment or a query. */
const hostileValues: [string, string][] = [
  ['NUL', 'a%00'],
  ['NUL alone', '%00'],
  ['invalid UTF-8', '%C3%28'],
  ['encoded lone surrogate', '%ED%A0%80'],
  ['overlong UTF-8', '%C0%AF'],
  ['100 kB value', hundredKb],
  ['huge number', '99999999999999999999999999999'],
  ['negative number', '-1'],
  ['not a number', 'NaN'],
  ['bad date', '2026-13-45T99:99:99Z'],
  ['unknown language', 'zz-ZZ'],
  ['dot segments', '..%2F..%2Fetc%2Fpasswd'],
];

/** Query names the site reads somewhere; each request sets all of them at once. */
const queryNames = [
  'q',
  'page',
  'token',
  'next',
  'language',
  'status',
  'section',
  'author',
  'translation',
  'from',
  'to',
  'limit',
  'uploaded',
  'saved',
  'done',
];

/** Form and JSON fields the site's forms hold, for bodies carrying hostile values. */
const fieldNames = [
  'email',
  'password',
  'name',
  'role',
  'language',
  'headline',
  'standfirst',
  'bodyMarkdown',
  'slug',
  'section',
  'tags',
  'scheduledAt',
  'publishedAt',
  'revision',
  'expectedRevision',
  'plan',
  'confirm',
  'until',
  'next',
  'token',
  'listId',
  'mode',
  'digestTime',
  'alt',
  'caption',
  'credit',
  'target',
];

interface Attempt {
  label: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

function bodies(csrf: string | undefined): Attempt[] {
  const form = (value: string) =>
    [...(csrf ? [`_csrf=${encodeURIComponent(csrf)}`] : []), ...fieldNames.map((name) => `${name}=${value}`)].join('&');
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const jsonHeaders = { 'content-type': 'application/json' };
  const json = (value: unknown) =>
    JSON.stringify({
      ...(csrf ? { _csrf: csrf } : {}),
      ...Object.fromEntries(fieldNames.map((name) => [name, value])),
    });
  return [
    ...hostileValues
      .filter(([label]) => label !== '100 kB value')
      .map(([label, value]) => ({ label: `form with ${label}`, url: '', headers: formHeaders, payload: form(value) })),
    { label: 'form with a 100 kB field', url: '', headers: formHeaders, payload: form(hundredKb) },
    {
      label: 'form with repeated and nested fields',
      url: '',
      headers: formHeaders,
      payload: `${form('x')}&${form('y')}&a[b][c]=1`,
    },
    { label: 'JSON with NUL', url: '', headers: jsonHeaders, payload: json('a\u0000b') },
    { label: 'JSON with a lone surrogate', url: '', headers: jsonHeaders, payload: json('a\ud800b') },
    { label: 'JSON of the wrong types', url: '', headers: jsonHeaders, payload: json({ $ne: null, length: 1e308 }) },
    { label: 'JSON with huge numbers', url: '', headers: jsonHeaders, payload: json(1e308) },
    { label: 'JSON array', url: '', headers: jsonHeaders, payload: '[1,2,3]' },
    { label: 'JSON string', url: '', headers: jsonHeaders, payload: '"just text"' },
    { label: 'JSON null', url: '', headers: jsonHeaders, payload: 'null' },
    { label: 'broken JSON', url: '', headers: jsonHeaders, payload: '{"email": ' },
    { label: 'empty JSON', url: '', headers: jsonHeaders, payload: '' },
    { label: 'plain text', url: '', headers: { 'content-type': 'text/plain' }, payload: 'email=a@example.org' },
    {
      label: 'broken multipart',
      url: '',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end',
    },
    {
      label: 'bytes claiming to be an image',
      url: '',
      headers: { 'content-type': 'image/png' },
      payload: Buffer.from([0, 1, 2, 0xff]),
    },
  ];
}

/** Every hostile request for one route: in each path parameter, in the query, and in the body. */
function attempts(route: RouteEntry, values: SampleValues, csrf: string | undefined): Attempt[] {
  const base = fillRoute(route, values);
  const list: Attempt[] = [];
  for (const param of paramsOf(route.url)) {
    for (const [label, value] of hostileValues) {
      list.push({
        label: `${label} in :${param}`,
        url: fillRoute(route, values, (name) => (name === param ? value : undefined)),
      });
    }
  }
  for (const [label, value] of hostileValues) {
    list.push({
      label: `${label} in the query`,
      url: `${base}?${queryNames.map((name) => `${name}=${value}`).join('&')}`,
    });
  }
  list.push({
    label: 'repeated query names',
    url: `${base}?${queryNames.map((name) => `${name}=1&${name}=2`).join('&')}`,
  });
  if (isStateChanging(route)) {
    for (const body of bodies(csrf)) list.push({ ...body, url: base });
  }
  return list;
}

/**
 * Issue 11: PostgreSQL answered 500 to a NUL byte on nine public routes and the staff login,
 * and the staff story list and account language form had 500s of their own. This walks the
 * server's route table — a route added tomorrow is walked too, and the suite fails if it has a
 * parameter with no sample — with every hostile input, anonymous and as the signed-in owner,
 * on both databases: no answer may be a 5xx.
 */
describeEachDatabase('hostile input on every route, on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let values: SampleValues;

  beforeAll(async () => {
    site = await startTestSite(kind);
    owner = await setupOwner(site);
    const staffId = (await site.app.database.db.selectFrom('staff_users').select('id').executeTakeFirstOrThrow()).id;
    values = await sampleValues(site, { memberId: 'mem_unknown', staffId });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('has a sample for every route parameter', () => {
    expect(routesWithoutSamples(routesOf(site), values)).toEqual([]);
  });

  it('refuses a NUL or invalid UTF-8 with a 400 page in the reader’s language (issue 11)', async () => {
    for (const [url, language] of [
      ['/en/a%00', 'en'],
      ['/fr/a%00', 'fr'],
      ['/fr/search?q=%00', 'fr'],
      ['/en/section/%C3%28', 'en'],
      ['/fr/tag/a%ED%A0%80', 'fr'],
    ] as const) {
      const response = await site.app.server.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.body, url).toContain(`lang="${language}"`);
      expect(response.body, url).toContain(
        language === 'fr' ? 'caractères illisibles' : 'characters that cannot be read',
      );
    }
    const tooLong = await site.app.server.inject({ method: 'GET', url: `/fr/search?q=${hundredKb}` });
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.body).toContain('trop longue');
  });

  it('answers the staff forms that failed with a 500 with a 4xx (issue 11)', async () => {
    const asOwner = { cookie: owner.cookie };
    for (const url of [`/admin/stories?q=${'x'.repeat(5000)}`, `/admin/stories?language=${'z'.repeat(300)}`]) {
      const response = await site.app.server.inject({ method: 'GET', url, headers: asOwner });
      expect(response.statusCode, url).toBe(400);
    }
    for (const referer of ['not a url', 'http://[bad', '/admin/stories']) {
      const response = await site.app.server.inject({
        method: 'POST',
        url: '/admin/account/language',
        headers: { ...asOwner, 'content-type': 'application/x-www-form-urlencoded', referer },
        payload: `_csrf=${encodeURIComponent(owner.csrf)}&language=fr`,
      });
      expect(response.statusCode, referer).toBeLessThan(500);
    }
  });

  it('answers oversized webhook bodies with a 4xx, which providers do not retry as a fault (issue 11)', async () => {
    for (const [url, size] of [
      ['/stripe/webhook', 600 * 1024],
      ['/webhooks/mail', 300 * 1024],
    ] as const) {
      const response = await site.app.server.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' },
        payload: JSON.stringify({ padding: 'x'.repeat(size) }),
      });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.json(), url).toMatchObject({ code: expect.any(String) });
    }
  });

  // Last: the walk signs the owner out at its end.
  it('answers no hostile input with a 5xx, anonymous or signed in', async () => {
    // Signing out ends the session the rest needs: those routes go last.
    const routes = routesOf(site).sort((a, b) => Number(a.url.includes('logout')) - Number(b.url.includes('logout')));
    const failures: string[] = [];
    let requests = 0;
    // Admin routes an anonymous client cannot open: the guard refuses them after the body is
    // parsed, as it is for the owner, so their hostile bodies are walked once, as the owner.
    const guarded = new Set(
      site.app.server.adminRoutes.filter((r) => r.access !== 'public').map((r) => `${r.method} ${r.url}`),
    );
    for (const who of ['owner', 'anonymous'] as const) {
      for (const route of routes) {
        // One route's attempts at once: the database answers some while the server renders others.
        const all = attempts(route, values, who === 'owner' ? owner.csrf : undefined);
        const list =
          who === 'anonymous' && guarded.has(`${route.method} ${route.url}`)
            ? all.filter((attempt) => attempt.payload === undefined)
            : all;
        const responses = await Promise.all(
          list.map((attempt) =>
            site.app.server.inject({
              method: route.method as 'GET',
              url: attempt.url,
              headers: {
                ...(who === 'owner' ? { cookie: owner.cookie, 'x-csrf-token': owner.csrf } : {}),
                ...attempt.headers,
              },
              ...(attempt.payload === undefined ? {} : { payload: attempt.payload }),
            }),
          ),
        );
        responses.forEach((response, index) => {
          requests++;
          if (response.statusCode >= 500) {
            failures.push(
              `${who} ${route.method} ${route.url} ${list[index]?.label}: ${response.statusCode} ${response.body.slice(0, 120)}`,
            );
          }
        });
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(2000);
  }, 400_000);
});
