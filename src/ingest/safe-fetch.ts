import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { KiosqueError } from '../domain/errors.js';

/**
 * Fetching feeds and pasted URLs without becoming a proxy into the server's own network
 * (decision 0034): http(s) only; the address actually connected to must be public unless the
 * host is named in `allowedHosts`; redirects are followed by hand (at most 5, each checked again);
 * size is capped after decompression and the whole exchange has one deadline. The answer is
 * bytes: nothing is parsed, rendered or run here.
 */

export interface SafeFetchOptions {
  /** Host names that may resolve to private or local addresses (config.wire.allowHosts). */
  allowedHosts: readonly string[];
  /** Largest body read, after decompression (default 20 MB). */
  maxBytes?: number;
  /** Deadline for the whole exchange, redirects included (default 30 s). */
  timeoutMs?: number;
  /** Most redirects followed (default 5). */
  maxRedirects?: number;
  /** Conditional request: sent as If-None-Match. */
  etag?: string | null;
  /** Conditional request: sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Sent as Accept. */
  accept?: string;
}

export interface SafeFetchResult {
  /** The address the answer came from, after redirects. */
  url: string;
  /** 2xx, or 304 when the conditional request found nothing new (then `bytes` is empty). */
  status: number;
  bytes: Uint8Array;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

export const defaultFetchMaxBytes = 20 * 1024 * 1024;
export const defaultFetchTimeoutMs = 30_000;
export const defaultMaxRedirects = 5;

/** Addresses a fetch must never reach unless the host is allowed by name. */
const forbidden = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: would reach an IPv4 address chosen by the gateway
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an IP address is on the public internet. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are judged by the IPv4 address they carry.
 */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  if (family === 6 && /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) {
    const [high = 0, low = 0] = address
      .slice(7)
      .split(':')
      .map((part) => Number.parseInt(part, 16));
    return isPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return !forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function refused(host: string, reason: string): KiosqueError {
  return new KiosqueError('WIRE_FETCH_REFUSED', { host, reason });
}

function failed(reason: string, status?: number): KiosqueError {
  return new KiosqueError('WIRE_FETCH_FAILED', status === undefined ? { reason } : { reason, status });
}

/** The URL, if it is an http(s) URL this module may try at all. */
function checkedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(raw.slice(0, 100), 'not-a-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(url.protocol, 'scheme');
  return url;
}

const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A DNS lookup that only ever hands the socket public addresses. */
function publicLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const usable = addresses.filter((entry) => isPublicAddress(entry.address));
    if (usable.length === 0) return callback(refused(hostname, 'private-address') as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, usable);
    const first = usable[0]!;
    callback(null, first.address, first.family);
  });
}

function decoded(response: http.IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return response;
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  throw failed(`unsupported content-encoding ${encoding.slice(0, 40)}`);
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

/** Fetches a feed or page under the rules above; throws a `WIRE_FETCH_*` KiosqueError otherwise. */
export function fetchSafely(url: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const maxBytes = options.maxBytes ?? defaultFetchMaxBytes;
  const timeoutMs = options.timeoutMs ?? defaultFetchTimeoutMs;
  const maxRedirects = options.maxRedirects ?? defaultMaxRedirects;
  const allowed = new Set(options.allowedHosts.map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')));

  return new Promise<SafeFetchResult>((resolve, reject) => {
    let settled = false;
    let current: http.ClientRequest | null = null;
    const finish = (error: unknown, result?: SafeFetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      current?.destroy();
      if (error) reject(error instanceof KiosqueError ? error : failed(networkReason(error)));
      else resolve(result!);
    };
    const timer = setTimeout(
      () => finish(new KiosqueError('WIRE_FETCH_TIMEOUT', { seconds: Math.ceil(timeoutMs / 1000) })),
      timeoutMs,
    );

    const attempt = (target: URL, redirects: number) => {
      const host = bareHost(target);
      const isAllowed = allowed.has(host);
      if (!isAllowed && net.isIP(host) && !isPublicAddress(host)) return finish(refused(host, 'private-address'));
      const client = target.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = {
        'user-agent': 'Kiosque wire desk',
        accept:
          options.accept ??
          'application/rss+xml, application/atom+xml, application/xml, text/xml, application/json, text/html;q=0.9, */*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (options.etag) headers['if-none-match'] = options.etag;
      if (options.lastModified) headers['if-modified-since'] = options.lastModified;
      const request = client.request(target, {
        method: 'GET',
        headers,
        agent: false,
        lookup: isAllowed ? undefined : (publicLookup as unknown as net.LookupFunction),
      });
      current = request;
      // A request left behind by a redirect may still report its teardown: only the live one counts.
      const live = () => current === request && !settled;
      // Checked again on the socket: whatever resolved the name, this is the address in use.
      request.on('socket', (socket) => {
        socket.on('connect', () => {
          const remote = socket.remoteAddress ?? '';
          if (live() && !isAllowed && !isPublicAddress(remote)) finish(refused(host, 'private-address'));
        });
      });
      request.on('error', (error) => {
        if (current === request) finish(error);
      });
      request.on('response', (response) => {
        if (!live()) return response.destroy();
        const status = response.statusCode ?? 0;
        const location = header(response.headers.location);
        if ([301, 302, 303, 307, 308].includes(status) && location) {
          response.resume();
          if (redirects >= maxRedirects) {
            return finish(new KiosqueError('WIRE_FETCH_TOO_MANY_REDIRECTS', { max: maxRedirects }));
          }
          let next: URL;
          try {
            next = checkedUrl(new URL(location, target).href);
          } catch (error) {
            return finish(error);
          }
          request.destroy();
          return attempt(next, redirects + 1);
        }
        const base = {
          url: target.href,
          status,
          contentType: header(response.headers['content-type']),
          etag: header(response.headers.etag),
          lastModified: header(response.headers['last-modified']),
        };
        if (status === 304) {
          response.resume();
          return finish(null, { ...base, bytes: new Uint8Array(0) });
        }
        if (status < 200 || status > 299) {
          response.resume();
          return finish(failed(`HTTP ${status}`, status));
        }
        const tooLarge = () =>
          new KiosqueError('WIRE_FETCH_TOO_LARGE', { limitMb: Math.round((maxBytes / 1048576) * 100) / 100 });
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes && !response.headers['content-encoding']) {
          return finish(tooLarge());
        }
        let body: Readable;
        try {
          body = decoded(response);
        } catch (error) {
          return finish(error);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let wire = 0;
        response.on('data', (chunk: Buffer) => {
          wire += chunk.length;
          if (wire > maxBytes) finish(tooLarge());
        });
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            body.destroy();
            return finish(tooLarge());
          }
          chunks.push(chunk);
        });
        body.on('error', (error) => finish(body === response ? error : failed(`content-encoding: ${error.message}`)));
        response.on('aborted', () => finish(failed('connection closed before the end')));
        body.on('end', () => {
          if (!response.complete) return finish(failed('connection closed before the end'));
          finish(null, { ...base, bytes: new Uint8Array(Buffer.concat(chunks)) });
        });
      });
      request.end();
    };

    try {
      attempt(checkedUrl(url), 0);
    } catch (error) {
      finish(error);
    }
  });
}

function networkReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code) return code;
  return error instanceof Error ? error.message.slice(0, 120) : 'network error';
}

export interface SafePostOptions {
  /** Host names that may resolve to private or local addresses (config.webhooks.allowHosts). */
  allowedHosts: readonly string[];
  headers: Record<string, string>;
  /** Deadline for the whole exchange (default 10 s). */
  timeoutMs?: number;
  /** Bytes of the answer read; the rest is left unread (default 2 KB). */
  answerBytes?: number;
}

/**
 * POSTs `body` to `url` under the same rules of address as `fetchSafely` (outgoing webhooks,
 * decision 0048): http(s) only, public addresses unless allowed by name, checked again on the
 * connected socket. Redirects are not followed (a 3xx is an answer like any other) and only the
 * answer's first bytes are read. Resolves with the status whatever it is; throws a
 * `HOOK_TARGET_*` KiosqueError when no answer came.
 */
export function postSafely(
  url: string,
  body: string,
  options: SafePostOptions,
): Promise<{ status: number; answer: string }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const answerBytes = options.answerBytes ?? 2048;
  const allowed = new Set(options.allowedHosts.map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')));
  const refusal = (host: string) => new KiosqueError('HOOK_TARGET_REFUSED', { host });
  return new Promise((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | null = null;
    const finish = (error: unknown, result?: { status: number; answer: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      if (!error) return resolve(result!);
      if (error instanceof KiosqueError && error.code === 'WIRE_FETCH_REFUSED') {
        return reject(refusal(String(error.details.host ?? '')));
      }
      reject(
        error instanceof KiosqueError
          ? error
          : new KiosqueError('HOOK_TARGET_UNREACHABLE', { reason: networkReason(error) }),
      );
    };
    const timer = setTimeout(
      () => finish(new KiosqueError('HOOK_TARGET_TIMEOUT', { seconds: Math.ceil(timeoutMs / 1000) })),
      timeoutMs,
    );
    let target: URL;
    try {
      target = checkedUrl(url);
    } catch {
      return finish(refusal(url.slice(0, 100)));
    }
    const host = bareHost(target);
    const isAllowed = allowed.has(host);
    if (!isAllowed && net.isIP(host) && !isPublicAddress(host)) return finish(refusal(host));
    const client = target.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body);
    request = client.request(target, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(payload.length) },
      agent: false,
      lookup: isAllowed ? undefined : (publicLookup as unknown as net.LookupFunction),
    });
    request.on('socket', (socket) => {
      socket.on('connect', () => {
        if (!isAllowed && !isPublicAddress(socket.remoteAddress ?? '')) finish(refusal(host));
      });
    });
    request.on('error', (error) => finish(error));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish(null, { status, answer: Buffer.concat(chunks).subarray(0, answerBytes).toString('utf8') });
      response.on('data', (chunk: Buffer) => {
        if (size < answerBytes) chunks.push(chunk);
        size += chunk.length;
        if (size >= answerBytes) done();
      });
      response.on('end', done);
      response.on('aborted', done);
      response.on('error', done);
    });
    request.end(payload);
  });
}
