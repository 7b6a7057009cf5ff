import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KiosqueError } from '../domain/errors.js';
import { errorOf } from './error-status.js';

/**
 * Issue 11: error → code → status existed in four copies that answered 400 or 500 for the same
 * cause. One mapping now; these check it on what real parts throw.
 */
describe('one error mapping for every path', () => {
  it('keeps a KiosqueError’s code and its status', () => {
    expect(errorOf(new KiosqueError('ARTICLE_NOT_FOUND'))).toEqual({ code: 'ARTICLE_NOT_FOUND', status: 404 });
    expect(errorOf(new KiosqueError('REQUEST_FORBIDDEN'))).toEqual({ code: 'REQUEST_FORBIDDEN', status: 403 });
    expect(errorOf(new KiosqueError('LOGIN_THROTTLED'))).toEqual({ code: 'LOGIN_THROTTLED', status: 429 });
  });

  it('answers malformed input with a 4xx, whatever library refused it', () => {
    const zod = z.object({ email: z.string().email() }).safeParse({ email: 3 });
    expect(zod.success).toBe(false);
    expect(errorOf(zod.error)).toEqual({ code: 'FORM_INVALID', status: 400 });
    let uri: unknown;
    try {
      decodeURIComponent('%C3%28');
    } catch (error) {
      uri = error;
    }
    expect(errorOf(uri)).toEqual({ code: 'REQUEST_MALFORMED', status: 400 });
  });

  it('answers only genuine faults with a 500: bugs, thrown strings, nothing at all', () => {
    for (const thrown of [new Error('boom'), new TypeError('x is undefined'), 'text', null, undefined, 42]) {
      expect(errorOf(thrown)).toEqual({ code: 'INTERNAL', status: 500 });
    }
    // A 5xx status an error claims does not make it the client's fault, nor hide ours.
    expect(errorOf(Object.assign(new Error('upstream'), { statusCode: 503 }))).toEqual({
      code: 'INTERNAL',
      status: 500,
    });
  });

  it('maps Fastify’s own refusals — body too large, broken JSON, unknown media type — to 4xx', async () => {
    const app = Fastify({ bodyLimit: 100 });
    const seen: unknown[] = [];
    app.setErrorHandler((error, request, reply) => {
      seen.push(error);
      const { code, status } = errorOf(error, request);
      return reply.status(status).send({ code });
    });
    app.post('/form', async () => ({ ok: true }));
    await app.ready();
    const cases: [string, Record<string, string>, string, number, string][] = [
      [
        'too large',
        { 'content-type': 'application/json' },
        JSON.stringify({ a: 'x'.repeat(500) }),
        400,
        'FORM_TOO_LARGE',
      ],
      ['broken JSON', { 'content-type': 'application/json' }, '{"a": ', 400, 'FORM_INVALID'],
      ['empty JSON', { 'content-type': 'application/json' }, '', 400, 'FORM_INVALID'],
      ['unknown media type', { 'content-type': 'application/x-unknown' }, 'a=1', 400, 'FORM_INVALID'],
    ];
    for (const [label, headers, payload, status, code] of cases) {
      const response = await app.inject({ method: 'POST', url: '/form', headers, payload });
      expect(response.statusCode, label).toBe(status);
      expect(response.json(), label).toEqual({ code });
    }
    expect(seen).toHaveLength(cases.length);
    await app.close();
  });

  it('names a request a route could not read in the route’s own terms when it declares them', async () => {
    const app = Fastify({ bodyLimit: 100 });
    app.setErrorHandler((error, request, reply) => {
      const { code, status } = errorOf(error, request);
      return reply.status(status).send({ code });
    });
    const unreadable = { tooLarge: 'BILLING_EVENT_TOO_LARGE', invalid: 'BILLING_EVENT_INVALID' } as const;
    app.post('/hook', { config: { unreadable } }, async () => {
      throw new KiosqueError('BILLING_SIGNATURE_INVALID');
    });
    await app.ready();
    const post = (headers: Record<string, string>, payload: string) =>
      app.inject({ method: 'POST', url: '/hook', headers, payload });
    const json = { 'content-type': 'application/json' };
    const large = await post(json, JSON.stringify({ a: 'x'.repeat(500) }));
    expect([large.statusCode, large.json()]).toEqual([413, { code: 'BILLING_EVENT_TOO_LARGE' }]);
    const broken = await post(json, '{"a": ');
    expect([broken.statusCode, broken.json()]).toEqual([400, { code: 'BILLING_EVENT_INVALID' }]);
    // The route's own refusals keep their code.
    const own = await post(json, '{}');
    expect([own.statusCode, own.json()]).toEqual([400, { code: 'BILLING_SIGNATURE_INVALID' }]);
    await app.close();
  });
});
