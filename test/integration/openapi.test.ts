import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { routesOf } from '../support/route-table.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

type Json = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
  security?: Record<string, string[]>[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** The prefixes the document covers: every route under them must be in it, and nothing else. */
const documented = (url: string) => url.startsWith('/api/') || url.startsWith('/ghost/api/content/');
/** `/posts/{id}/` as Fastify writes it: `/posts/:id`. A trailing slash is the same route to clients. */
const asRoute = (path: string) => path.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1');

/**
 * The structure OpenAPI 3.1 requires of what this document uses, written out here: the official
 * JSON Schema of OpenAPI documents is not installed and is not copied into the repository. Each
 * rule is one of the specification's REQUIRED fields or fixed shapes.
 */
const openApiShape = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' }, description: { type: 'string' } },
    },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: [...methods, 'summary', 'description', 'parameters', 'servers'] },
        additionalProperties: { $ref: '#/$defs/operation' },
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] } },
            // "If apiKey, then name and in; if http, then scheme", written without `if`/`then`.
            allOf: [
              { anyOf: [{ properties: { type: { not: { const: 'apiKey' } } } }, { required: ['name', 'in'] }] },
              { anyOf: [{ properties: { type: { not: { const: 'http' } } } }, { required: ['scheme'] }] },
            ],
          },
        },
      },
    },
  },
  $defs: {
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        description: { type: 'string' },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in'],
            properties: { in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' } },
            oneOf: [{ required: ['schema'] }, { required: ['content'] }],
            // A path parameter is required: true.
            anyOf: [
              { properties: { in: { not: { const: 'path' } } } },
              { required: ['required'], properties: { required: { const: true } } },
            ],
          },
        },
        requestBody: { type: 'object', required: ['content'] },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d{2}|XX)|default)$' },
          additionalProperties: {
            type: 'object',
            required: ['description'],
            properties: {
              description: { type: 'string' },
              content: { type: 'object', additionalProperties: { type: 'object' } },
            },
          },
        },
        security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array' } } },
      },
    },
  },
};

/** Every `$ref` anywhere in `value`. */
function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === '$ref' && typeof item === 'string' ? [item] : refsOf(item),
  );
}

/**
 * `GET /api/openapi.json` (issue 13, decision 0047): an OpenAPI 3.1 document of every route under
 * `/api/` and `/ghost/api/content/`, held to the live route table both ways, to the structure
 * OpenAPI 3.1 requires, and to what the Admin API really answers.
 */
describeEachDatabase('the OpenAPI document on $kind', ({ kind }) => {
  let site: TestSite;
  let document: Json & { paths: Record<string, Record<string, Operation>>; components: Json };
  let ajv: Ajv2020;
  let token: string;

  beforeAll(async () => {
    site = await startTestSite(kind);
    token = (
      await site.app.integrations.add({
        name: 'OpenAPI probe',
        scopes: ['stories:read', 'stories:write', 'stories:publish'],
        createdBy: null,
      })
    ).adminToken;
    const response = await site.app.server.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.json();
    ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    ajv.addSchema(document, 'openapi.json');
  });
  afterAll(async () => {
    await site?.close();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => methods.includes(method))
        .map(([method, operation]) => ({ path, method, operation: operation as Operation })),
    );

  it('documents every route under /api/ and /ghost/api/content/, and only routes the server has', () => {
    const live = routesOf(site)
      .filter((route) => documented(route.url))
      .map((route) => `${route.method} ${asRoute(route.url)}`)
      .sort();
    const inDocument = operations()
      .map(({ path, method }) => `${method.toUpperCase()} ${asRoute(path)}`)
      .sort();
    expect(
      inDocument.filter((entry) => !live.includes(entry)),
      'documented, but no such route',
    ).toEqual([]);
    expect(
      live.filter((entry) => !inDocument.includes(entry)),
      'a route the document leaves out',
    ).toEqual([]);
  });

  it('has the structure OpenAPI 3.1 requires, and every reference, scheme and schema resolves', () => {
    const validShape = ajv.compile(openApiShape);
    expect(validShape(document), ajv.errorsText(validShape.errors)).toBe(true);
    for (const reference of new Set(refsOf(document))) {
      expect(reference, reference).toMatch(/^#\/components\/schemas\/[A-Za-z0-9._-]+$/);
      const name = reference.split('/').pop() as string;
      expect((document.components.schemas as Json)[name], reference).toBeDefined();
    }
    // Each component schema is JSON Schema draft 2020-12, OpenAPI 3.1's dialect.
    for (const name of Object.keys(document.components.schemas as Json)) {
      expect(() => ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).not.toThrow();
    }
    const schemes = Object.keys(document.components.securitySchemes as Json);
    for (const { path, method, operation } of operations()) {
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(schemes, `${method} ${path}`).toContain(scheme);
      }
      // Each path template's parameters are declared, and nothing else is declared in the path.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name)
        .sort();
      expect(declared, `${method} ${path}`).toEqual(templated);
    }
  });

  /** Validates `body` against the document's schema for this operation's `status` answer. */
  function answerCheck(path: string, method: string, status: number): ValidateFunction {
    const content = document.paths[path]?.[method]?.responses[String(status)]?.content;
    expect(content, `${method} ${path} ${status} is documented with a body`).toBeDefined();
    const schema = content?.['application/json']?.schema as Json;
    return ajv.compile({ $ref: `openapi.json${String(schema.$ref)}` });
  }
  function requestCheck(path: string, method: string): ValidateFunction {
    const schema = document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema as Json;
    return ajv.compile({ $ref: `openapi.json${String(schema.$ref)}` });
  }

  it('describes what story create, update, publish and their refusals really send and answer', async () => {
    const byline = await testByline(site.app.database.db);
    const call = async (method: 'POST' | 'PATCH', url: string, path: string, payload: Json) => {
      const valid = requestCheck(path, method.toLowerCase());
      expect(valid(payload), `${method} ${path} request: ${ajv.errorsText(valid.errors)}`).toBe(true);
      return site.app.server.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    };
    const expectAnswer = (path: string, method: string, response: { statusCode: number; json(): unknown }) => {
      const valid = answerCheck(path, method, response.statusCode);
      expect(valid(response.json()), `${method} ${path} ${response.statusCode}: ${ajv.errorsText(valid.errors)}`).toBe(
        true,
      );
    };

    const created = await call('POST', '/api/admin/v1/stories', '/api/admin/v1/stories', {
      language: 'en',
      headline: 'Documented story',
      bodyMarkdown: 'A paragraph to publish.',
      authorIds: byline,
      source: { name: 'Agency', url: null },
      embargoUntil: null,
    });
    expect(created.statusCode).toBe(201);
    expectAnswer('/api/admin/v1/stories', 'post', created);
    const { id, revision } = created.json().story;
    const one = '/api/admin/v1/stories/{id}';

    const updated = await call('PATCH', `/api/admin/v1/stories/${id}`, one, { revision, headline: 'Documented' });
    expect(updated.statusCode).toBe(200);
    expectAnswer(one, 'patch', updated);

    const stale = await call('PATCH', `/api/admin/v1/stories/${id}`, one, { revision, headline: 'Stale' });
    expect(stale.statusCode).toBe(409);
    expectAnswer(one, 'patch', stale);

    const published = await call('POST', `/api/admin/v1/stories/${id}/publish`, `${one}/publish`, {
      revision: updated.json().story.revision,
    });
    expect(published.statusCode).toBe(200);
    expectAnswer(`${one}/publish`, 'post', published);

    const invalid = await site.app.server.inject({
      method: 'POST',
      url: '/api/admin/v1/stories',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ language: 'en' }),
    });
    expect(invalid.statusCode).toBe(400);
    expectAnswer('/api/admin/v1/stories', 'post', invalid);

    const list = await site.app.server.inject({
      method: 'GET',
      url: '/api/admin/v1/stories?limit=5',
      headers: { authorization: `Bearer ${token}` },
    });
    expectAnswer('/api/admin/v1/stories', 'get', list);
    const members = await site.app.server.inject({
      method: 'GET',
      url: '/api/admin/v1/members',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(members.statusCode).toBe(403);
    expectAnswer('/api/admin/v1/members', 'get', members);
  });
});
