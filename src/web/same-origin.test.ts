import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './error-status.js';
import { registerSameOriginCheck } from './same-origin.js';

const publicUrl = 'https://news.example';
const host = 'news.example';

type Verdict = 'allowed' | 'refused';

/** Every combination of the three headers a browser or a forger may send, with the expected verdict. */
function cases(): { headers: Record<string, string>; verdict: Verdict }[] {
  const origins: [string | undefined, 'ours' | 'null' | 'foreign' | undefined][] = [
    [undefined, undefined],
    [publicUrl, 'ours'],
    ['https://news.example:443', 'foreign'], // not how a browser serialises it
    ['null', 'null'],
    ['NULL', 'foreign'],
    ['https://evil.example', 'foreign'],
    ['https://news.example.evil.example', 'foreign'],
    ['http://news.example', 'ours'], // the Host asked for, behind a proxy that terminates TLS
    ['https://news.example/path', 'foreign'],
    ['not a url', 'foreign'],
  ];
  const fetchSites = [undefined, 'same-origin', 'SAME-ORIGIN', 'same-site', 'none', 'cross-site', 'Cross-Site'];
  const referers: [string | undefined, boolean][] = [
    [undefined, true],
    [`${publicUrl}/en/`, true],
    ['https://evil.example/en/', false],
    ['http://[bad', false],
  ];
  const list: { headers: Record<string, string>; verdict: Verdict }[] = [];
  for (const [origin, kind] of origins) {
    for (const site of fetchSites) {
      for (const [referer, refererOurs] of referers) {
        const crossSite = site?.toLowerCase() === 'cross-site';
        let allowed: boolean;
        if (crossSite) allowed = false;
        else if (kind === 'ours') allowed = true;
        else if (kind === 'null') allowed = site?.toLowerCase() === 'same-origin';
        else if (kind === 'foreign') allowed = false;
        else allowed = refererOurs;
        list.push({
          headers: {
            host,
            ...(origin === undefined ? {} : { origin }),
            ...(site === undefined ? {} : { 'sec-fetch-site': site }),
            ...(referer === undefined ? {} : { referer }),
          },
          verdict: allowed ? 'allowed' : 'refused',
        });
      }
    }
  }
  return list;
}

/**
 * Issue 11: `Origin: null` passed the same-origin check on anonymous forms. The rule, over every
 * combination of Origin, Sec-Fetch-Site and Referer; the one exception is a browser's own post
 * from a `no-referrer` page, which it vouches for with `Sec-Fetch-Site: same-origin`.
 */
describe('one same-origin check for every state change', () => {
  const app = Fastify();
  let stored = 0;

  beforeAll(async () => {
    registerSameOriginCheck(app, publicUrl);
    app.setErrorHandler((error, _request, reply) => {
      const { code, status } = errorOf(error);
      return reply.status(status).send({ code });
    });
    app.post('/form', async () => {
      stored++;
      return { stored: true };
    });
    app.post('/hook', { config: { crossOrigin: 'a provider calls it, signed' } }, async () => ({ ok: true }));
    app.get('/page', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('allows or refuses each combination of Origin, Sec-Fetch-Site and Referer as the rule says', async () => {
    const all = cases();
    const wrong: string[] = [];
    let refused = 0;
    for (const { headers, verdict } of all) {
      const before = stored;
      const response = await app.inject({ method: 'POST', url: '/form', headers, payload: {} });
      const got: Verdict = response.statusCode === 200 ? 'allowed' : 'refused';
      if (got === 'refused') {
        refused++;
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ code: 'REQUEST_FORBIDDEN' });
        expect(stored, JSON.stringify(headers)).toBe(before);
      }
      if (got !== verdict) wrong.push(`${JSON.stringify(headers)}: ${got}, expected ${verdict}`);
    }
    expect(wrong).toEqual([]);
    expect(all.length).toBeGreaterThan(250);
    expect(refused).toBeGreaterThan(all.length / 2);
  });

  it('refuses `Origin: null` unless the browser vouches for the post with Sec-Fetch-Site', async () => {
    const post = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/form', headers: { host, ...headers }, payload: {} });
    expect((await post({ origin: 'null' })).statusCode).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('leaves reads and the routes that say why they take other sites’ posts alone', async () => {
    const hostile = { host, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    expect((await app.inject({ method: 'GET', url: '/page', headers: hostile })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/hook', headers: hostile, payload: {} })).statusCode).toBe(200);
  });
});
