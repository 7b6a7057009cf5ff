import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeeplProvider } from './deepl-provider.js';
import { createLibreTranslateProvider } from './libretranslate-provider.js';

/**
 * DeepL and LibreTranslate are remote services that cannot run here. This server stands in for
 * them on 127.0.0.1: it checks each request as the real API documents it (path, method, headers,
 * body fields) and answers in the documented shape, or with the documented error statuses.
 */
interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let nextStatus: number | null = null;
/** What the stand-in "translates" each text into. */
const mark = (text: string, to: string) => `[${to}] ${text}`;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      seen.push({ path: request.url ?? '', headers: request.headers, body });
      response.setHeader('content-type', 'application/json');
      if (nextStatus) {
        response.statusCode = nextStatus;
        nextStatus = null;
        response.end(JSON.stringify({ message: 'refused', error: 'refused' }));
        return;
      }
      if (request.method !== 'POST' || request.headers['content-type'] !== 'application/json') {
        response.statusCode = 400;
        response.end('{}');
      } else if (request.url === '/v2/translate') {
        // DeepL: `text` is an array of at most 50 strings; the answer keeps their order.
        const texts = body.text as string[];
        if (!request.headers.authorization?.startsWith('DeepL-Auth-Key ') || texts.length > 50) {
          response.statusCode = 403;
          response.end('{"message":"Forbidden"}');
          return;
        }
        response.end(
          JSON.stringify({
            translations: texts.map((text) => ({
              detected_source_language: body.source_lang,
              text: mark(text, String(body.target_lang)),
            })),
          }),
        );
      } else if (request.url === '/translate') {
        // LibreTranslate: `q` is a string or an array; `translatedText` has the same shape.
        const q = body.q as string[];
        response.end(JSON.stringify({ translatedText: q.map((text) => mark(text, String(body.target))) }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the DeepL provider', () => {
  it('sends the texts as DeepL API v2 expects, with the key in the Authorization header', async () => {
    seen.length = 0;
    const deepl = createDeeplProvider({ key: 'abc12345-key:fx', url: base });
    expect(await deepl.translate(['Hello.', 'Second paragraph.'], 'en', 'fr')).toEqual([
      '[FR] Hello.',
      '[FR] Second paragraph.',
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe('/v2/translate');
    expect(seen[0]!.headers.authorization).toBe('DeepL-Auth-Key abc12345-key:fx');
    expect(seen[0]!.body).toMatchObject({
      text: ['Hello.', 'Second paragraph.'],
      source_lang: 'EN',
      target_lang: 'FR',
    });
    // English as a target needs a variant.
    await deepl.translate(['Bonjour.'], 'fr', 'en');
    expect(seen[1]!.body).toMatchObject({ source_lang: 'FR', target_lang: 'EN-GB' });
  });

  it('splits a long story into requests of at most 50 texts, answers kept in order', async () => {
    seen.length = 0;
    const texts = Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1}.`);
    const answers = await createDeeplProvider({ key: 'abc12345-key', url: base }).translate(texts, 'en', 'de');
    expect(answers).toEqual(texts.map((text) => `[DE] ${text}`));
    expect(seen.map((request) => (request.body.text as string[]).length)).toEqual([50, 50, 20]);
  });

  it('turns 403, 456 and 429 into errors that say what to do, without the key', async () => {
    const deepl = createDeeplProvider({ key: 'secret-key-123', url: base });
    for (const [status, code] of [
      [403, 'TRANSLATION_PROVIDER_KEY_REFUSED'],
      [456, 'TRANSLATION_PROVIDER_QUOTA'],
      [429, 'TRANSLATION_PROVIDER_BUSY'],
      [500, 'TRANSLATION_PROVIDER_FAILED'],
    ] as const) {
      nextStatus = status;
      const error = await deepl.translate(['Hello.'], 'en', 'fr').catch((e: unknown) => e);
      expect(error).toMatchObject({ code, details: { provider: 'deepl', status } });
      expect(JSON.stringify(error) + String(error)).not.toContain('secret-key-123');
    }
  });

  it('picks the free or the pro endpoint from the key when no URL is set', async () => {
    // The real endpoints are remote: for this one test, fetch only records the address it is asked for.
    const calls: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      calls.push(String(url));
      return new Response(JSON.stringify({ translations: [{ text: 'x' }] }), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    try {
      await createDeeplProvider({ key: 'k1234567:fx' }).translate(['a'], 'en', 'fr');
      await createDeeplProvider({ key: 'k1234567' }).translate(['a'], 'en', 'fr');
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(calls).toEqual(['https://api-free.deepl.com/v2/translate', 'https://api.deepl.com/v2/translate']);
  });
});

describe('the LibreTranslate provider', () => {
  it('posts q as an array with source, target, format text and the key', async () => {
    seen.length = 0;
    const libre = createLibreTranslateProvider({ url: `${base}/`, key: 'lt-key' });
    expect(await libre.translate(['Bonjour.', 'Au revoir.'], 'fr', 'en-GB')).toEqual([
      '[en] Bonjour.',
      '[en] Au revoir.',
    ]);
    expect(seen[0]!.path).toBe('/translate');
    expect(seen[0]!.body).toEqual({
      q: ['Bonjour.', 'Au revoir.'],
      source: 'fr',
      target: 'en',
      format: 'text',
      api_key: 'lt-key',
    });
  });

  it('reports a refused key, a slow-down and a broken answer as such', async () => {
    const libre = createLibreTranslateProvider({ url: base });
    nextStatus = 403;
    await expect(libre.translate(['a'], 'fr', 'en')).rejects.toMatchObject({
      code: 'TRANSLATION_PROVIDER_KEY_REFUSED',
    });
    nextStatus = 429;
    await expect(libre.translate(['a'], 'fr', 'en')).rejects.toMatchObject({ code: 'TRANSLATION_PROVIDER_BUSY' });
    await expect(
      createLibreTranslateProvider({ url: `${base}/nowhere` }).translate(['a'], 'fr', 'en'),
    ).rejects.toMatchObject({ code: 'TRANSLATION_PROVIDER_FAILED', details: { status: 404 } });
  });
});
