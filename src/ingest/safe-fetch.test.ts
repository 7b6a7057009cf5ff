import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiosqueError } from '../domain/errors.js';
import { fetchSafely, isPublicAddress } from './safe-fetch.js';
import { parseWireDocument } from './wire-formats.js';

/** Real HTTP servers on 127.0.0.1: each route is one behaviour a feed host may show. */
let server: http.Server;
let base: string;
let port: number;
const openSockets = new Set<import('node:net').Socket>();
let requests: { path: string; headers: http.IncomingHttpHeaders }[] = [];

const feed = '<rss version="2.0"><channel><item><title>Hello</title></item></channel></rss>';

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, headers: request.headers });
    const hops = Number(url.searchParams.get('hops') ?? 0);
    switch (url.pathname) {
      case '/feed.xml':
        if (request.headers['if-none-match'] === '"v1"') {
          response.writeHead(304, { etag: '"v1"' });
          return response.end();
        }
        response.writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          etag: '"v1"',
          'last-modified': 'Thu, 03 Dec 2026 10:00:00 GMT',
        });
        return response.end(feed);
      case '/redirect':
        // hops redirects in a row, then the feed.
        response.writeHead(302, { location: hops > 1 ? `/redirect?hops=${hops - 1}` : '/feed.xml' });
        return response.end();
      case '/to-loopback':
        response.writeHead(301, { location: `http://localhost:${port}/feed.xml` });
        return response.end();
      case '/to-metadata':
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return response.end();
      case '/to-file':
        response.writeHead(302, { location: 'file:///etc/passwd' });
        return response.end();
      case '/big':
        response.writeHead(200, { 'content-type': 'text/plain' });
        for (let index = 0; index < 64; index++) response.write(Buffer.alloc(16 * 1024, 'a'));
        return response.end();
      case '/big-declared':
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(50 * 1024 * 1024) });
        return response.end('a');
      case '/gzip-bomb': {
        // 1 MB of zeros compresses to ~1 kB; the cap is on what it inflates to.
        const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024));
        response.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' });
        return response.end(bomb);
      }
      case '/gzip':
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        return response.end(zlib.gzipSync(feed));
      case '/br':
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' });
        return response.end(zlib.brotliCompressSync(feed));
      case '/deflate':
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' });
        return response.end(zlib.deflateSync(feed));
      case '/compress':
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'compress' });
        return response.end('?');
      case '/latin1-feed':
        // No XML declaration: the charset of the Content-Type is all that says how to read it.
        response.writeHead(200, { 'content-type': 'text/xml; charset=ISO-8859-1', 'content-encoding': 'gzip' });
        return response.end(
          zlib.gzipSync(
            Buffer.from('<rss version="2.0"><channel><item><title>Café crème</title></item></channel></rss>', 'latin1'),
          ),
        );
      case '/cut':
        // Promises 1,000 bytes, sends 10, hangs up.
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        response.write('0123456789');
        setTimeout(() => request.socket.destroy(), 20);
        return;
      case '/slow':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('a');
        return; // never ends
      case '/missing':
        response.writeHead(404, { 'content-type': 'text/plain' });
        return response.end('not here');
      default:
        response.writeHead(500);
        return response.end();
    }
  });
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const socket of openSockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const allowLocal = { allowedHosts: ['127.0.0.1'] };

async function errorOf(promise: Promise<unknown>): Promise<KiosqueError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KiosqueError) return error;
    throw new Error(`expected a KiosqueError, got ${String(error)}`);
  }
  throw new Error('expected an error, got none');
}

describe('fetchSafely', () => {
  it('refuses a loopback address by default, naming the host, and sends nothing to it', async () => {
    requests = [];
    const error = await errorOf(fetchSafely(`${base}/feed.xml`, { allowedHosts: [] }));
    expect(error.code).toBe('WIRE_FETCH_REFUSED');
    expect(error.details.host).toBe('127.0.0.1');
    expect(requests).toEqual([]);
  });

  it('refuses a host name that resolves to loopback (the lookup is checked, not the name)', async () => {
    requests = [];
    const error = await errorOf(fetchSafely(`http://localhost:${port}/feed.xml`, { allowedHosts: [] }));
    expect(error.code).toBe('WIRE_FETCH_REFUSED');
    expect(error.details.host).toBe('localhost');
    expect(requests).toEqual([]);
  });

  it('refuses other spellings of loopback and private addresses', async () => {
    for (const url of [
      `http://0x7f.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      'http://0.0.0.0/',
      'http://10.1.2.3/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
    ]) {
      expect((await errorOf(fetchSafely(url, { allowedHosts: [] }))).code, url).toBe('WIRE_FETCH_REFUSED');
    }
  });

  it('fetches a host named in the allow-list, with its content type, ETag and Last-Modified', async () => {
    const result = await fetchSafely(`${base}/feed.xml`, allowLocal);
    expect(result.status).toBe(200);
    expect(result.url).toBe(`${base}/feed.xml`);
    expect(Buffer.from(result.bytes).toString('utf8')).toBe(feed);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.etag).toBe('"v1"');
    expect(result.lastModified).toBe('Thu, 03 Dec 2026 10:00:00 GMT');
  });

  it('sends If-None-Match and If-Modified-Since, and answers 304 with no body when nothing changed', async () => {
    requests = [];
    const result = await fetchSafely(`${base}/feed.xml`, {
      ...allowLocal,
      etag: '"v1"',
      lastModified: 'Thu, 03 Dec 2026 10:00:00 GMT',
    });
    expect(result.status).toBe(304);
    expect(result.bytes).toHaveLength(0);
    expect(requests[0]?.headers['if-none-match']).toBe('"v1"');
    expect(requests[0]?.headers['if-modified-since']).toBe('Thu, 03 Dec 2026 10:00:00 GMT');
  });

  it('follows five redirects and gives the final address', async () => {
    const result = await fetchSafely(`${base}/redirect?hops=5`, allowLocal);
    expect(result.status).toBe(200);
    expect(result.url).toBe(`${base}/feed.xml`);
  });

  it('refuses a sixth redirect', async () => {
    const error = await errorOf(fetchSafely(`${base}/redirect?hops=6`, allowLocal));
    expect(error.code).toBe('WIRE_FETCH_TOO_MANY_REDIRECTS');
    expect(error.details.max).toBe(5);
  });

  it('checks every redirect again: to a loopback name, to the metadata address, to file:', async () => {
    const toLoopback = await errorOf(fetchSafely(`${base}/to-loopback`, allowLocal));
    expect(toLoopback.code).toBe('WIRE_FETCH_REFUSED');
    expect(toLoopback.details.host).toBe('localhost');
    const toMetadata = await errorOf(fetchSafely(`${base}/to-metadata`, allowLocal));
    expect(toMetadata.details.host).toBe('169.254.169.254');
    const toFile = await errorOf(fetchSafely(`${base}/to-file`, allowLocal));
    expect(toFile.code).toBe('WIRE_FETCH_REFUSED');
    expect(toFile.details.reason).toBe('scheme');
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.org/feed', 'data:text/xml,<rss/>']) {
      const error = await errorOf(fetchSafely(url, allowLocal));
      expect(error.code, url).toBe('WIRE_FETCH_REFUSED');
      expect(error.details.reason, url).toBe('scheme');
    }
    expect((await errorOf(fetchSafely('not a url', allowLocal))).code).toBe('WIRE_FETCH_REFUSED');
  });

  it('stops reading at the size cap, declared or not', async () => {
    const streamed = await errorOf(fetchSafely(`${base}/big`, { ...allowLocal, maxBytes: 100 * 1024 }));
    expect(streamed.code).toBe('WIRE_FETCH_TOO_LARGE');
    const declared = await errorOf(fetchSafely(`${base}/big-declared`, { ...allowLocal, maxBytes: 100 * 1024 }));
    expect(declared.code).toBe('WIRE_FETCH_TOO_LARGE');
  });

  it('stops a gzip bomb at the cap on the inflated size, and inflates gzip and brotli', async () => {
    const bomb = await errorOf(fetchSafely(`${base}/gzip-bomb`, { ...allowLocal, maxBytes: 100 * 1024 }));
    expect(bomb.code).toBe('WIRE_FETCH_TOO_LARGE');
    for (const path of ['/gzip', '/br', '/deflate']) {
      const result = await fetchSafely(`${base}${path}`, allowLocal);
      expect(Buffer.from(result.bytes).toString('utf8'), path).toBe(feed);
    }
  });

  it('gives up on a server that does not finish within the time limit', async () => {
    const started = Date.now();
    const error = await errorOf(fetchSafely(`${base}/slow`, { ...allowLocal, timeoutMs: 300 }));
    expect(error.code).toBe('WIRE_FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a content encoding it cannot undo', async () => {
    const error = await errorOf(fetchSafely(`${base}/compress`, allowLocal));
    expect(error.code).toBe('WIRE_FETCH_FAILED');
    expect(error.details.reason).toMatch(/content-encoding compress/);
  });

  it('reports a body cut short as a failed fetch, never as the whole answer', async () => {
    const error = await errorOf(fetchSafely(`${base}/cut`, allowLocal));
    expect(error.code).toBe('WIRE_FETCH_FAILED');
  });

  it('reports an HTTP error status and a refused connection as a failed fetch', async () => {
    const missing = await errorOf(fetchSafely(`${base}/missing`, allowLocal));
    expect(missing.code).toBe('WIRE_FETCH_FAILED');
    expect(missing.details).toMatchObject({ reason: 'HTTP 404', status: 404 });
    const closed = await errorOf(fetchSafely('http://127.0.0.1:1/feed.xml', allowLocal));
    expect(closed.code).toBe('WIRE_FETCH_FAILED');
    expect(closed.details.reason).toBe('ECONNREFUSED');
  });
});

describe('fetching then parsing', () => {
  it('reads a gzipped Latin-1 feed with the charset its server declared', async () => {
    const result = await fetchSafely(`${base}/latin1-feed`, allowLocal);
    const items = parseWireDocument(result.bytes, { contentType: result.contentType ?? undefined });
    expect(items.map((item) => item.headline)).toEqual(['Café crème']);
  });
});

describe('isPublicAddress', () => {
  it('accepts public addresses and refuses every reserved range, IPv4-mapped forms included', () => {
    expect(isPublicAddress('93.184.215.14')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    expect(isPublicAddress('::ffff:93.184.215.14')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.1.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '::',
      '::1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});
