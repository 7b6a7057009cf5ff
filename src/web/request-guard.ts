import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KiosqueError } from '../domain/errors.js';

/** Longest request target (path and query) served; browsers and proxies stop near 8 KB too. */
export const maxUrlLength = 8 * 1024;

/** Half of a UTF-16 surrogate pair, which no encoding of text can carry. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL character or a lone surrogate: text no database column should receive (PostgreSQL refuses NUL). */
function isUnreadable(text: string): boolean {
  return text.includes('\0') || loneSurrogate.test(text);
}

/**
 * Decodes percent-escapes the way a strict reader would: every well-formed `%XX` must belong to
 * valid UTF-8 (a stray `%` not followed by two hex digits is a literal, as browsers and the query
 * parser treat it). Returns null when the text cannot be read.
 */
function strictlyDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return null;
  }
}

/** Whether a raw request target (path and query) holds only text that reads as valid UTF-8, without NUL. */
export function isReadableUrl(url: string): boolean {
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const parts = [path, ...query.split('&').flatMap((pair) => pair.replace(/\+/g, ' ').split('='))];
  return parts.every((part) => {
    const decoded = strictlyDecoded(part);
    return decoded !== null && !isUnreadable(decoded);
  });
}

/** Whether a parsed body (form fields, JSON) holds only readable text, at any depth. */
export function isReadableValue(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !isUnreadable(value);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return true;
  // Deeper than any form or API of this site: refused rather than walked.
  if (depth > 20) return false;
  if (Array.isArray(value)) return value.every((item) => isReadableValue(item, depth + 1));
  return Object.entries(value).every(([key, item]) => !isUnreadable(key) && isReadableValue(item, depth + 1));
}

const readingBody = new WeakSet<FastifyRequest>();
const bodyRead = new WeakSet<FastifyRequest>();

/**
 * Whether a request failed while its body was being parsed: whatever a parser threw then (a
 * multipart body cut short, say, which its library reports as a bare Error) was caused by the
 * body the client sent, not by a fault of ours.
 */
export function failedReadingBody(request: FastifyRequest): boolean {
  return readingBody.has(request) && !bodyRead.has(request);
}

/**
 * The boundary every request crosses before any handler or database sees it (issue 11: a NUL
 * byte in a slug made PostgreSQL answer 500 where SQLite answered 404): an over-long address is
 * a 414, and a NUL character, invalid UTF-8 or a lone surrogate in the path, the query or a
 * parsed body is a 400 in the reader's language. Uploads and webhooks, whose bodies are bytes,
 * are not walked.
 */
export function registerRequestGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.url.length > maxUrlLength) throw new KiosqueError('REQUEST_TOO_LONG');
    if (!isReadableUrl(request.url)) throw new KiosqueError('REQUEST_MALFORMED');
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    readingBody.add(request);
    return payload;
  });
  // preHandler, not preValidation: multipart reads its fields in a preValidation hook of its own.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    bodyRead.add(request);
    if (!isReadableValue(request.body)) throw new KiosqueError('REQUEST_MALFORMED');
  });
}
