import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KiosqueError } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Why this state-changing route accepts requests from other sites (a webhook called by a
     * provider's servers, a one-click unsubscribe posted by a mail client). Every other POST, PUT,
     * PATCH and DELETE is refused from another origin: see decision 0013.
     */
    crossOrigin?: string;
  }
}

export const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether `value` (an Origin, or the origin of a Referer) names this site. */
function isOurs(value: string, request: FastifyRequest, publicOrigin: string, exact: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // An Origin header is exactly `scheme://host[:port]`; anything else did not come from a browser.
  if (exact && url.origin !== value) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // The Host asked for, or the public URL: a reverse proxy often forwards under its own Host
  // (nginx sends the upstream's by default), while the browser names the public one.
  return url.origin === publicOrigin || url.host === request.headers.host;
}

/**
 * A state change must come from a page of this site, as the browser tells it (decision 0013):
 *
 * - `Sec-Fetch-Site: cross-site` is refused;
 * - `Origin` must name this site; `Origin: null` (sandboxed frames, `data:` pages, some
 *   redirects: all places an attacker can post from) is refused like a foreign one, unless the
 *   browser itself says `Sec-Fetch-Site: same-origin` (our own `no-referrer` pages post so);
 * - without `Origin`, a `Referer` that is present must name this site;
 * - with neither, the request did not come from a browser that could carry a reader's cookies
 *   for someone else (every current browser sends Origin on a POST), so it is let through: a
 *   signed-in route still needs its session's CSRF token, and anonymous forms their own limits.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  const header = request.headers['sec-fetch-site'];
  const fetchSite = typeof header === 'string' ? header.trim().toLowerCase() : undefined;
  if (fetchSite === 'cross-site') {
    throw new KiosqueError('REQUEST_FORBIDDEN');
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    // A browser sends `Origin: null` for its own same-origin post when the page's referrer policy
    // is `no-referrer` (Fetch, "serializing a request origin"); it then vouches for the origin in
    // `Sec-Fetch-Site`, which no page can set. Anywhere else `null` is an opaque origin: refused.
    if (origin === 'null' && fetchSite === 'same-origin') return;
    if (!isOurs(String(origin), request, publicOrigin, true)) throw new KiosqueError('REQUEST_FORBIDDEN');
    return;
  }
  const referer = request.headers.referer;
  if (referer !== undefined && !isOurs(String(referer), request, publicOrigin, false)) {
    throw new KiosqueError('REQUEST_FORBIDDEN');
  }
}

/**
 * Checks every state-changing request, on every route present and future, before its body is
 * read; a route opts out only by saying why in its `crossOrigin` config.
 */
export function registerSameOriginCheck(app: FastifyInstance, publicUrl: string): void {
  app.addHook('onRequest', async (request) => {
    if (!stateChangingMethods.has(request.method)) return;
    if (request.routeOptions.config?.crossOrigin) return;
    assertSameOrigin(request, publicUrl);
  });
}
