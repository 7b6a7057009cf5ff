import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerResponseBaseline } from './response-baseline.js';

const bigText = 'Le réseau serait étendu à toute la région. '.repeat(200);

async function serverFor(publicUrl: string) {
  const app = Fastify();
  registerResponseBaseline(app, { publicUrl });
  app.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(bigText));
  app.get('/tiny', async () => ({ status: 'ok' }));
  app.get('/json', async () => ({ items: Array.from({ length: 200 }, (_, i) => ({ i, text: 'article' })) }));
  app.get('/image', async (_request, reply) => reply.type('image/png').send(Buffer.alloc(5000, 1)));
  app.get('/encoded', async (_request, reply) =>
    reply.type('text/html').header('content-encoding', 'gzip').send(Buffer.alloc(5000, 2)),
  );
  app.get('/redirect', async (_request, reply) => reply.redirect('/page', 301));
  app.get('/etag', async (_request, reply) => reply.type('text/plain').header('etag', '"abc"').send(bigText));
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return app;
}

describe('the response baseline (issue 11)', () => {
  it('marks every response nosniff, redirects, errors and tiny bodies included', async () => {
    const app = await serverFor('http://news.example');
    for (const url of ['/page', '/tiny', '/image', '/encoded', '/redirect', '/fail', '/nowhere']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('asks browsers for https only when the public address is https', async () => {
    const app = await serverFor('https://news.example');
    for (const url of ['/page', '/redirect', '/nowhere']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['strict-transport-security'], url).toBe('max-age=31536000');
    }
  });

  it('compresses text worth it for a client that accepts it, and says it varies', async () => {
    const app = await serverFor('http://news.example');
    const gzip = await app.inject({ method: 'GET', url: '/page', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(bigText);
    expect(gzip.rawPayload.length).toBeLessThan(bigText.length / 5);
    const br = await app.inject({ method: 'GET', url: '/json', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    const plain = await app.inject({ method: 'GET', url: '/page' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.body).toBe(bigText);
    // `q=0` refuses an encoding.
    const refused = await app.inject({
      method: 'GET',
      url: '/page',
      headers: { 'accept-encoding': 'gzip;q=0, br;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('does not compress for a request another site started, whose length could leak a token (BREACH, issue 11)', async () => {
    const app = await serverFor('https://news.example');
    for (const [site, compressed] of [
      [undefined, true],
      ['same-origin', true],
      ['none', true],
      ['cross-site', false],
      ['same-site', false],
      ['Cross-Site', false],
    ] as const) {
      const response = await app.inject({
        method: 'GET',
        url: '/page',
        headers: { 'accept-encoding': 'gzip, br', ...(site ? { 'sec-fetch-site': site } : {}) },
      });
      expect(response.headers['content-encoding'], String(site)).toBe(compressed ? 'br' : undefined);
      expect(response.headers.vary, String(site)).toMatch(/accept-encoding/i);
      if (!compressed) expect(response.body).toBe(bigText);
    }
  });

  it('leaves alone tiny bodies, images and bodies already encoded; renames a strong ETag it compresses', async () => {
    const app = await serverFor('http://news.example');
    const headers = { 'accept-encoding': 'gzip, br' };
    expect((await app.inject({ method: 'GET', url: '/tiny', headers })).headers['content-encoding']).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/image', headers })).headers['content-encoding']).toBeUndefined();
    const encoded = await app.inject({ method: 'GET', url: '/encoded', headers });
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(encoded.rawPayload.equals(Buffer.alloc(5000, 2))).toBe(true);
    const tagged = await app.inject({ method: 'GET', url: '/etag', headers });
    expect(tagged.headers.etag).toBe('"abc-br"');
  });
});
