import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { pickEncoding } from './static-assets.js';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this many bytes compression saves less than the headers it adds and the CPU it costs. */
export const minimumCompressedBytes = 1024;

/** One year; without includeSubDomains, so other services under the same domain are not forced onto https. */
export const strictTransportSecurity = 'max-age=31536000';

/** Adds `token` to the Vary header once, keeping what a route already set. */
export function addVary(reply: FastifyReply, token: string): void {
  const current = reply.getHeader('vary');
  const tokens = String(current ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (tokens.includes('*') || tokens.some((value) => value.toLowerCase() === token.toLowerCase())) return;
  reply.header('vary', [...tokens, token].join(', '));
}

/** Text that shrinks: pages, JSON, feeds, sitemaps, scripts, SVG. Images and bytes do not. */
function isCompressible(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/javascript' ||
    type === 'application/xml' ||
    type === 'image/svg+xml' ||
    /^application\/[\w.-]+\+(json|xml)$/.test(type)
  );
}

/** Whether the browser says a request was started by another site (a link, a form, a frame). */
function fromAnotherSite(header: string | string[] | undefined): boolean {
  const value = typeof header === 'string' ? header.trim().toLowerCase() : '';
  return value === 'cross-site' || value === 'same-site';
}

/**
 * What every response carries, set in one place rather than per route (issue 11:
 * `X-Content-Type-Options` was missing on robots.txt, sitemaps, /health and the admin JSON API):
 * `nosniff`, HSTS when the site is served over https, and, for a response nobody compressed in
 * advance (private pages, admin, JSON, search, errors), gzip or Brotli when the client accepts it
 * and the body is worth it, unless another site started the request (BREACH, decision 0014).
 * The page cache and static assets send their own pre-compressed bytes
 * and are left alone. HTML pages keep their own CSP and other headers (`pageSecurityHeaders`).
 */
export function registerResponseBaseline(app: FastifyInstance, options: { publicUrl: string }): void {
  const https = new URL(options.publicUrl).protocol === 'https:';
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (https) reply.header('strict-transport-security', strictTransportSecurity);

    if (reply.hasHeader('content-encoding')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const status = reply.statusCode;
    if (status < 200 || status === 204 || status === 206 || status === 304) return payload;
    if (!isCompressible(String(reply.getHeader('content-type') ?? ''))) return payload;
    if (/\bno-transform\b/i.test(String(reply.getHeader('cache-control') ?? ''))) return payload;
    const size = Buffer.byteLength(payload);
    if (size < minimumCompressedBytes) return payload;
    // From here the answer depends on Accept-Encoding, whatever this client sent.
    addVary(reply, 'accept-encoding');
    // BREACH: a page compressed with a secret in it (a CSRF token) and text an attacker chose (a
    // search) leaks the secret through its length when the attacker's site makes the browser ask
    // for it again and again. Those requests come from another site, as the browser says: they
    // get the page uncompressed. The site's own navigation is compressed.
    if (fromAnotherSite(request.headers['sec-fetch-site'])) return payload;
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (encoding === 'identity') return payload;
    // Quality 4: a few milliseconds for a large page, most of Brotli's gain over gzip.
    const compressed =
      encoding === 'br'
        ? await brotli(payload, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: size },
          })
        : await gzipped(payload, { level: 6 });
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    // Another encoding is another representation: a strong validator must say so.
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string' && etag.startsWith('"')) {
      reply.header('etag', `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`);
    }
    return compressed;
  });
}
