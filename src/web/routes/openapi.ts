import { z } from 'zod';
import { scopes } from '../../domain/integrations/integration.js';
import { memberStatuses } from '../../domain/members/member.js';
import {
  apiError,
  createStoryBody,
  imageAnswer,
  memberListAnswer,
  scheduleBody,
  storyActionBody,
  storyAnswer,
  storyListAnswer,
  storyListQuery,
  updateAnswer,
  updateStoryBody,
} from './admin-api-schemas.js';

/**
 * The OpenAPI 3.1 document of every route under `/api/` and `/ghost/api/content/` (issue 13,
 * decision 0047). Paths and words are written here; the Admin API's bodies and answers are the
 * zod schemas its routes parse and answer with, turned into JSON Schema (draft 2020-12, the
 * dialect of OpenAPI 3.1) by `z.toJSONSchema`. `test/integration/openapi.test.ts` holds the
 * document to the server's route table and to what the routes answer.
 */

type JsonSchema = Record<string, unknown>;

const storyStatuses = storyListQuery.shape.status.unwrap().options;

/** A zod schema as the document's JSON Schema: `input` for what is sent, `output` for what comes back. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: json(ref('Error')) });

/** The refusals every Admin API route may answer, besides its own. */
const adminRefusals = {
  '401': problem('No token, or one that proves nothing (`ADMIN_API_TOKEN_MISSING`, `ADMIN_API_TOKEN_INVALID`).'),
  '403': problem('The token lacks the scope the route needs (`ADMIN_API_SCOPE_MISSING`, `scope` names it).'),
};

const storyId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The story’s identifier.',
} as const;
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'The revision the change is based on, as the story’s ETag gave it (`"12"`); or send `revision`.',
} as const;
/** A paged list with a status and a language filter, as the Admin API's lists are. */
function listOperation(list: {
  tag: string;
  summary: string;
  description: string;
  scope: string;
  statuses: readonly string[];
  languages: string[];
  defaultLimit: number;
  answer: string;
  noun: string;
}) {
  const query = (name: string, schema: JsonSchema) => ({ name, in: 'query', required: false, schema });
  return {
    tags: [list.tag],
    summary: list.summary,
    description: `${list.description} Scope \`${list.scope}\`.`,
    security: [{ adminToken: [list.scope] }],
    parameters: [
      query('status', { type: 'string', enum: [...list.statuses] }),
      query('language', { type: 'string', enum: list.languages }),
      query('page', { type: 'integer', minimum: 1, default: 1 }),
      query('limit', { type: 'integer', minimum: 1, maximum: 100, default: list.defaultLimit }),
    ],
    responses: {
      '200': { description: `One page of ${list.noun}.`, content: json(ref(list.answer)) },
      '400': problem('A malformed filter (`ADMIN_API_INVALID`).'),
      ...adminRefusals,
    },
  };
}

/** A write on an existing story: its revision, and the refusals of a stale or missing one. */
function storyWrite(summary: string, scope: string, body: JsonSchema, answer: string, description: string) {
  return {
    tags: ['Admin API: stories'],
    summary,
    description: `${description} Scope \`${scope}\`.`,
    security: [{ adminToken: [scope] }],
    parameters: [storyId, ifMatch],
    requestBody: { required: false, content: json(body) },
    responses: {
      '200': { description: 'The story as it is now; its ETag is the new revision.', content: json(ref(answer)) },
      '400': problem('Malformed request (`ADMIN_API_INVALID`, `ARTICLE_INVALID`; `fields` names them).'),
      ...adminRefusals,
      '404': problem('No such story (`ADMIN_API_STORY_NOT_FOUND`).'),
      '409': problem(
        'Someone saved the story since that revision (`ARTICLE_REVISION_CONFLICT`): nothing was stored; `current.revision` is the revision to read again.',
      ),
      '422': problem('Preflight or the machine-translation gate refuses it (`ARTICLE_NOT_PUBLISHABLE`, `findings`).'),
      '428': problem('No revision was given (`ADMIN_API_REVISION_REQUIRED`).'),
    },
  };
}

/** One Ghost Content API resource: the list, one by id, one by slug. */
function contentResource(name: 'posts' | 'pages' | 'tags' | 'authors', label: string) {
  const tag = 'Content API (Ghost-compatible)';
  const key = [{ contentKey: [] }];
  const answer = {
    description: `The ${label}, in Ghost’s shape: \`{ "${name}": [...] }\`, lists with \`meta.pagination\`.`,
    content: json(ref(`Content${name[0]?.toUpperCase()}${name.slice(1)}`)),
  };
  const refusals = {
    '401': problem('No Content API key, or an unknown or revoked one.'),
    '404': problem(`No public ${label.replace(/s$/, '')} with this identifier.`),
  };
  const browse = ['include', 'fields', 'filter', 'limit', 'page', 'order'].map((parameter) => ({
    name: parameter,
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description: 'As in Ghost’s Content API.',
  }));
  const read = browse.filter((parameter) => ['include', 'fields'].includes(parameter.name));
  return {
    [`/ghost/api/content/${name}/`]: {
      get: {
        tags: [tag],
        summary: `Browse ${label}`,
        security: key,
        parameters: browse,
        responses: { '200': answer, ...refusals },
      },
    },
    [`/ghost/api/content/${name}/{id}/`]: {
      get: {
        tags: [tag],
        summary: `Read one of the ${label} by id`,
        security: key,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...read],
        responses: { '200': answer, ...refusals },
      },
    },
    [`/ghost/api/content/${name}/slug/{slug}/`]: {
      get: {
        tags: [tag],
        summary: `Read one of the ${label} by slug`,
        security: key,
        parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }, ...read],
        responses: { '200': answer, ...refusals },
      },
    },
  };
}

/** Ghost's resource envelope: a list of objects under the resource's name, and paging. */
const ghostEnvelope = (name: string): JsonSchema => ({
  type: 'object',
  required: [name],
  properties: {
    [name]: { type: 'array', items: { type: 'object' } },
    meta: {
      type: 'object',
      properties: {
        pagination: {
          type: 'object',
          properties: {
            page: { type: 'integer' },
            limit: { type: ['integer', 'string'] },
            pages: { type: 'integer' },
            total: { type: 'integer' },
            next: { type: ['integer', 'null'] },
            prev: { type: ['integer', 'null'] },
          },
        },
      },
    },
  },
});

export function openApiDocument(site: { siteName: string; publicUrl: string; languages: readonly string[] }) {
  const languages = [...site.languages];
  return {
    openapi: '3.1.0',
    info: {
      title: `${site.siteName} — Kiosque APIs`,
      version: '1.0.0',
      description:
        'The Admin API (`/api/admin/v1/`, an integration’s bearer token and its scopes), the Ghost-compatible Content API (`/ghost/api/content/`, a Content API key) and the read-only ninjs API. Integrations are added under Admin → Integrations or with `kiosque integration add`. Every refusal is JSON `{ code, message }`; codes are permanent (see docs/errors.md), messages are in English or in the `Accept-Language` asked for when it is a site language.',
    },
    servers: [{ url: site.publicUrl }],
    tags: [
      { name: 'Admin API: stories' },
      { name: 'Admin API: images' },
      { name: 'Admin API: members' },
      { name: 'Content API (Ghost-compatible)' },
      { name: 'Syndication' },
    ],
    paths: {
      '/api/admin/v1/stories': {
        get: listOperation({
          tag: 'Admin API: stories',
          summary: 'List stories, drafts included',
          description: 'Newest change first; status `deleted` is the trash.',
          scope: 'stories:read',
          statuses: storyStatuses,
          languages,
          defaultLimit: 20,
          answer: 'StoryList',
          noun: 'stories',
        }),
        post: {
          tags: ['Admin API: stories'],
          summary: 'Create a draft',
          description:
            'Saved as a draft, recorded in its revisions as made by the integration. The byline is `authorIds` (existing authors); publishing refuses a story without one. Scope `stories:write`.',
          security: [{ adminToken: ['stories:write'] }],
          requestBody: { required: true, content: json(ref('StoryCreate')) },
          responses: {
            '201': { description: 'The new draft; its ETag is its revision.', content: json(ref('StoryAnswer')) },
            '400': problem('Malformed or incomplete (`ADMIN_API_INVALID`, `ARTICLE_INVALID`, `ARTICLE_SLUG_INVALID`).'),
            ...adminRefusals,
            '409': problem('The slug is taken in this language (`ARTICLE_SLUG_TAKEN`).'),
            '413': problem('The body is over 4 MB (`ADMIN_API_TOO_LARGE`).'),
          },
        },
      },
      '/api/admin/v1/stories/{id}': {
        get: {
          tags: ['Admin API: stories'],
          summary: 'Read one story, its whole text',
          description:
            'Drafts included; a live story with edits kept aside answers those edits (`pendingChanges`). Scope `stories:read`.',
          security: [{ adminToken: ['stories:read'] }],
          parameters: [storyId],
          responses: {
            '200': { description: 'The story; its ETag is its revision.', content: json(ref('StoryAnswer')) },
            ...adminRefusals,
            '404': problem('No such story (`ADMIN_API_STORY_NOT_FOUND`).'),
          },
        },
        patch: storyWrite(
          'Change a story',
          'stories:write',
          ref('StoryUpdate'),
          'StoryUpdateAnswer',
          'Only the fields sent change. On a live story the change waits aside until it is published again.',
        ),
      },
      '/api/admin/v1/stories/{id}/publish': {
        post: storyWrite(
          'Publish a story',
          'stories:publish',
          ref('StoryAction'),
          'StoryAnswer',
          'Publishes now (under embargo: scheduled at its end), with the edits kept aside if any. Preflight and the machine-translation gate apply as for staff.',
        ),
      },
      '/api/admin/v1/stories/{id}/schedule': {
        post: storyWrite(
          'Schedule a story',
          'stories:publish',
          ref('StorySchedule'),
          'StoryAnswer',
          'Publishes at `at`, which must be in the future (`ARTICLE_SCHEDULE_IN_PAST`).',
        ),
      },
      '/api/admin/v1/stories/{id}/unpublish': {
        post: storyWrite(
          'Unpublish a story',
          'stories:publish',
          ref('StoryAction'),
          'StoryAnswer',
          'Takes the story off the site; it becomes a draft.',
        ),
      },
      '/api/admin/v1/images': {
        post: {
          tags: ['Admin API: images'],
          summary: 'Upload an image to the media library',
          description:
            'The type is read from the bytes; metadata is stripped. Also accepted: the raw file as the body (`image/*`, the name URL-encoded in `x-file-name`). Scope `media:write`.',
          security: [{ adminToken: ['media:write'] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', contentMediaType: 'application/octet-stream' },
                    alt: { type: 'string', maxLength: 1000 },
                    caption: { type: 'string', maxLength: 2000 },
                    credit: { type: 'string', maxLength: 300 },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'The stored image.', content: json(ref('ImageAnswer')) },
            '400': problem('No file (`MEDIA_FILE_MISSING`).'),
            ...adminRefusals,
            '413': problem('Over the upload limit (`MEDIA_TOO_LARGE`).'),
            '415': problem('Not an image the library takes (`MEDIA_TYPE_UNSUPPORTED`).'),
          },
        },
      },
      '/api/admin/v1/members': {
        get: listOperation({
          tag: 'Admin API: members',
          summary: 'List members (personal data)',
          description: 'Newest first. The scope is given to an integration only by name.',
          scope: 'members:read',
          statuses: memberStatuses,
          languages,
          defaultLimit: 50,
          answer: 'MemberList',
          noun: 'members',
        }),
      },
      ...contentResource('posts', 'posts'),
      ...contentResource('pages', 'pages'),
      ...contentResource('tags', 'tags'),
      ...contentResource('authors', 'authors'),
      '/ghost/api/content/settings/': {
        get: {
          tags: ['Content API (Ghost-compatible)'],
          summary: 'The site’s settings, as Ghost gives them',
          security: [{ contentKey: [] }],
          responses: {
            '200': {
              description: '`{ "settings": { title, description, … } }`.',
              content: json({ type: 'object', required: ['settings'], properties: { settings: { type: 'object' } } }),
            },
            '401': problem('No Content API key, or an unknown or revoked one.'),
          },
        },
      },
      '/api/ninjs/{lang}/{slug}': {
        get: {
          tags: ['Syndication'],
          summary: 'A public story as IPTC ninjs 3.1',
          description:
            'Anonymous. Members-only and paid stories come without `bodies`; a renamed slug answers 301 to the new one.',
          security: [],
          parameters: [
            { name: 'lang', in: 'path', required: true, schema: { type: 'string', enum: languages } },
            { name: 'slug', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'The ninjs document.',
              content: { 'application/ninjs+json': { schema: { type: 'object' } } },
            },
            '301': { description: 'The story’s slug changed: `Location` is its address now.' },
            '404': problem('No public story at this address.'),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          tags: ['Syndication'],
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'kqa_<integration id>.<secret>',
          description: `An integration’s Admin API token; its scopes: ${scopes.join(', ')}. A staff sign-in cookie is not accepted.`,
        },
        contentKey: {
          type: 'apiKey',
          in: 'query',
          name: 'key',
          description: 'An integration’s Content API key (26 hex digits): reads what readers may read.',
        },
      },
      schemas: {
        StoryCreate: schemaOf(createStoryBody, 'input'),
        StoryUpdate: schemaOf(updateStoryBody, 'input'),
        StoryAction: schemaOf(storyActionBody, 'input'),
        StorySchedule: schemaOf(scheduleBody, 'input'),
        StoryAnswer: schemaOf(storyAnswer, 'output'),
        StoryUpdateAnswer: schemaOf(updateAnswer, 'output'),
        StoryList: schemaOf(storyListAnswer, 'output'),
        ImageAnswer: schemaOf(imageAnswer, 'output'),
        MemberList: schemaOf(memberListAnswer, 'output'),
        Error: schemaOf(apiError, 'output'),
        ContentPosts: ghostEnvelope('posts'),
        ContentPages: ghostEnvelope('pages'),
        ContentTags: ghostEnvelope('tags'),
        ContentAuthors: ghostEnvelope('authors'),
      },
    },
  };
}
