import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ArticleRecord } from '../../domain/articles/article-input.js';
import type { StaffActor, StoryDraft } from '../../domain/articles/story-editor.js';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import { negotiateLanguage } from '../../domain/i18n/translator.js';
import type { Integration, Scope } from '../../domain/integrations/integration.js';
import { statusOf, tierOf } from '../../domain/members/member.js';
import { errorOf } from '../error-status.js';
import type { WebDependencies } from '../server.js';
import { absoluteUrl, paths } from '../views/site-context.js';
import {
  type ApiError,
  createStoryBody,
  memberListQuery,
  type memberView,
  type StoryView,
  scheduleBody,
  storyActionBody,
  storyListQuery,
  type storySummary,
  updateStoryBody,
} from './admin-api-schemas.js';
import { acceptUploads, mediaItem, multipartOverhead, readUpload, uploadError } from './admin-media-routes.js';
import { describeError } from './admin-story-routes.js';
import { openApiDocument } from './openapi.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Admin API scope a route needs (decision 0047); checked before the body is read. */
    adminApiScope?: Scope;
  }
}

export const adminApiPrefix = '/api/admin/v1';

/** Why the Admin API takes requests from other sites: the same-origin check reads this (decision 0013). */
const crossOrigin =
  'the Admin API is called by programs on other origins; a bearer token is its only proof, no cookie is read';

// A Markdown body may hold 500,000 characters, up to three bytes each once encoded, plus the rest.
const storyBodyLimit = 4 * 1024 * 1024;

/**
 * An integration writes as an editor would: any story, any byline among existing authors, new
 * tags by name. What it may do beyond that is its scopes', checked per route (decision 0047).
 */
const integrationRole = 'editor' as const;

/** Refusals `describeError` words with the fields and findings at fault. */
const storyRefusals = new Set<ErrorCode>([
  'ARTICLE_INVALID',
  'ARTICLE_ALT_TEXT_MISSING',
  'ARTICLE_NOT_PUBLISHABLE',
  'TAXON_CREATE_DENIED',
  'ARTICLE_SLUG_TAKEN',
  'ARTICLE_SLUG_INVALID',
]);

/** The integration a request proved to be, set before its body is read. */
const callers = new WeakMap<FastifyRequest, Integration>();

/** The Authorization header's bearer token, or null when there is none. */
function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The revision a write is based on: If-Match (`"12"`, `W/"12"` or `12`) or the body's `revision`. */
function revisionOf(request: FastifyRequest, body: { revision?: number }): number {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '') {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
    if (!match) throw new KiosqueError('ADMIN_API_INVALID', { fields: ['If-Match'] });
    const value = Number(match[1]);
    if (body.revision !== undefined && body.revision !== value) {
      throw new KiosqueError('ADMIN_API_INVALID', { fields: ['If-Match', 'revision'] });
    }
    return value;
  }
  if (body.revision === undefined) throw new KiosqueError('ADMIN_API_REVISION_REQUIRED');
  return body.revision;
}

/** Parses `value` with `schema`, or refuses the request naming the fields at fault. */
function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields = [
    ...new Set(
      result.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => [...issue.path, key].join('.'))
          : [issue.path.join('.') || '(body)'],
      ),
    ),
  ];
  throw new KiosqueError('ADMIN_API_INVALID', { fields });
}

type StoryInput = z.output<typeof updateStoryBody>;

/** The request's fields over `base` (the stored story's draft, or an empty one), as the editor's draft. */
function draftFrom(input: StoryInput, base: StoryDraft | null): Record<string, unknown> {
  const { revision: _revision, source, seoTitle, seoDescription, embargoUntil, ...plain } = input;
  const draft: Record<string, unknown> = { ...(base ?? {}) };
  for (const [name, value] of Object.entries(plain)) if (value !== undefined) draft[name] = value;
  if (source !== undefined) {
    draft.sourceName = source?.name ?? '';
    draft.sourceUrl = source?.url ?? '';
  }
  if (seoTitle !== undefined) draft.seoTitle = seoTitle ?? '';
  if (seoDescription !== undefined) draft.seoDescription = seoDescription ?? '';
  if (embargoUntil !== undefined) draft.embargoUntil = embargoUntil ?? '';
  // Sections are chosen by id here; the form's "new section" box is the newsroom's.
  draft.newSection = '';
  return draft;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * The Admin API (issue 13, decision 0047): programs with an integration's token write stories
 * through the very story editor staff use — the same rights checks, revisions, preflight and
 * machine-translation gate — and upload images through the media library. `Authorization:
 * Bearer kqa_…` is the only proof read: a staff cookie is not. Also `GET /api/openapi.json`.
 */
export function registerAdminApiRoutes(app: FastifyInstance, deps: WebDependencies) {
  const { site } = deps;
  const { editor, media, integrations, stories } = deps.admin;
  const { members } = deps.audience;
  const english = site.languages.includes('en') ? 'en' : site.defaultLanguage;

  const document = JSON.stringify(
    openApiDocument({ siteName: site.name, publicUrl: site.publicUrl, languages: site.languages }),
  );
  app.get('/api/openapi.json', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .type('application/json; charset=utf-8')
      .send(document),
  );

  app.register(async (scope) => {
    await acceptUploads(scope, media);

    // Before a byte of the body is read: who is calling, may they, and does an upload's
    // announced size fit. A stranger's 20 MB is refused without being received.
    scope.addHook('onRequest', async (request) => {
      const token = bearerOf(request);
      if (!token) throw new KiosqueError('ADMIN_API_TOKEN_MISSING');
      const integration = await integrations.byAdminToken(token);
      if (!integration) throw new KiosqueError('ADMIN_API_TOKEN_INVALID');
      const needed = request.routeOptions.config.adminApiScope;
      if (needed && !integration.scopes.includes(needed)) {
        throw new KiosqueError('ADMIN_API_SCOPE_MISSING', { scope: needed });
      }
      callers.set(request, integration);
      if (request.routeOptions.url === `${adminApiPrefix}/images`) {
        const length = Number(request.headers['content-length']);
        const multipartBody = request.headers['content-type']?.startsWith('multipart/') ?? false;
        if (Number.isFinite(length)) media.assertSize(length - (multipartBody ? multipartOverhead : 0));
      }
    });

    scope.setErrorHandler(async (thrown, request, reply) => {
      let error: unknown =
        request.routeOptions.url === `${adminApiPrefix}/images` ? uploadError(thrown as FastifyError, media) : thrown;
      if (isKiosqueError(error) && error.code === 'ARTICLE_NOT_FOUND') {
        error = new KiosqueError('ADMIN_API_STORY_NOT_FOUND', error.details);
      }
      const { code, status } = errorOf(error, request);
      if (status >= 500) request.log.error({ err: thrown, url: request.url }, 'admin api request failed');
      const language = negotiateLanguage(request.headers['accept-language'], site.languages, english);
      const t = deps.translators.get(language) ?? deps.translators.get(site.defaultLanguage)!;
      const body: ApiError = { code, message: t.t(`error.${code}`, messageValues(error)) };
      if (isKiosqueError(error)) {
        // The story editor's refusals say which fields and findings, as they do for staff.
        const described = storyRefusals.has(error.code)
          ? describeError(t, error)
          : { message: body.message, fields: [] };
        body.message = described.message;
        const fields = Array.isArray(error.details.fields) ? (error.details.fields as string[]) : described.fields;
        if (fields.length > 0) body.fields = fields;
        if (typeof error.details.scope === 'string') body.scope = error.details.scope;
        const findings = error.details.findings as { code: string; severity: string }[] | undefined;
        if (Array.isArray(findings)) {
          body.findings = findings.filter((finding) => finding.severity === 'blocking').map((finding) => finding.code);
        }
      }
      const caller = callers.get(request);
      const id = (request.params as { id?: string } | undefined)?.id;
      if (code === 'ARTICLE_REVISION_CONFLICT' && caller && id) {
        // The caller reads the story again at this revision and merges: nothing was stored.
        const found = await editor.open(actorOf(caller), id).catch(() => null);
        if (found) {
          body.current = { revision: found.record.revision };
          reply.header('etag', `"${found.record.revision}"`);
        }
      }
      if (status === 401) reply.header('www-authenticate', 'Bearer realm="kiosque-admin-api"');
      return reply.status(status).header('cache-control', 'no-store').send(body);
    });

    const route = <Params = Record<string, never>>(
      method: 'GET' | 'POST' | 'PATCH',
      path: string,
      needed: Scope,
      handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, actor: StaffActor) => unknown,
      bodyLimit = storyBodyLimit,
    ) =>
      scope.route<{ Params: Params }>({
        method,
        url: `${adminApiPrefix}${path}`,
        bodyLimit,
        config: {
          crossOrigin,
          adminApiScope: needed,
          unreadable: { tooLarge: 'ADMIN_API_TOO_LARGE', invalid: 'ADMIN_API_INVALID' },
        },
        handler: async (request, reply) => {
          const caller = callers.get(request);
          if (!caller) throw new KiosqueError('ADMIN_API_TOKEN_MISSING');
          reply.header('cache-control', 'no-store');
          return handler(request, reply, actorOf(caller));
        },
      });

    function actorOf(integration: Integration): StaffActor {
      return { id: integration.id, role: integrationRole, authorId: null, name: integration.name, integration: true };
    }

    async function viewOf(actor: StaffActor, id: string): Promise<StoryView> {
      const { record, pending } = await editor.open(actor, id);
      const draft = await editor.draftOf(record);
      return storyViewOf(record, draft.tags, pending !== null);
    }

    function storyViewOf(record: ArticleRecord, tags: string[], pendingChanges: boolean): StoryView {
      const published = record.status === 'published' && record.deletedAt === null;
      return {
        id: record.id,
        revision: record.revision,
        status: record.status,
        deleted: record.deletedAt !== null,
        pendingChanges,
        language: record.language,
        slug: record.slug,
        headline: record.headline,
        standfirst: record.standfirst,
        bodyMarkdown: record.bodyMarkdown,
        access: record.access,
        genre: record.genre,
        sectionId: record.sectionId,
        tags,
        authorIds: record.authorIds,
        hero: record.hero,
        gallery: record.gallery,
        source: record.source,
        seoTitle: record.seoTitle,
        seoDescription: record.seoDescription,
        syndicated: record.syndicated,
        embargoUntil: iso(record.embargoUntil),
        dateline: record.dateline,
        licenceNote: record.licenceNote,
        createdAt: record.createdAt.toISOString(),
        updatedAt: record.updatedAt.toISOString(),
        publishedAt: iso(record.publishedAt),
        scheduledAt: iso(record.scheduledAt),
        url: published ? absoluteUrl(site, paths.article(record.language, record.slug)) : null,
      };
    }

    /** A list's filters and page as the stores take them; a language the site does not serve is refused. */
    function windowOf<Status>(query: { status?: Status; language?: string; page: number; limit: number }) {
      if (query.language !== undefined && !site.languages.includes(query.language)) {
        throw new KiosqueError('ADMIN_API_INVALID', { fields: ['language'] });
      }
      const { status, language, limit } = query;
      return { status, language, limit, offset: (query.page - 1) * limit };
    }

    /** Answers a story, its revision as the ETag a later If-Match sends back. */
    function sendStory(reply: FastifyReply, story: StoryView, extra: Record<string, unknown> = {}, status = 200) {
      return reply
        .status(status)
        .header('etag', `"${story.revision}"`)
        .send({ story, ...extra });
    }

    route('GET', '/stories', 'stories:read', async (request, reply) => {
      const query = parsed(storyListQuery, request.query);
      const { items, total } = await stories.listForNewsroom(windowOf(query));
      const summaries: z.infer<typeof storySummary>[] = items.map((row) => ({
        id: row.id,
        revision: row.revision,
        status: row.status,
        deleted: row.deleted,
        pendingChanges: row.pendingChanges,
        language: row.language,
        slug: row.slug,
        headline: row.headline,
        authorIds: row.authors.map((author) => author.id),
        updatedAt: row.updatedAt.toISOString(),
        publishedAt: iso(row.publishedAt),
        scheduledAt: iso(row.scheduledAt),
        embargoUntil: iso(row.embargoUntil),
      }));
      return reply.send({
        items: summaries,
        total,
        page: query.page,
        pageCount: Math.max(1, Math.ceil(total / query.limit)),
      });
    });

    route<{ id: string }>('GET', '/stories/:id', 'stories:read', async (request, reply, actor) =>
      sendStory(reply, await viewOf(actor, request.params.id)),
    );

    route('POST', '/stories', 'stories:write', async (request, reply, actor) => {
      const input = parsed(createStoryBody, request.body);
      const record = await editor.create(actor, draftFrom(input, null));
      return sendStory(reply, await viewOf(actor, record.id), {}, 201);
    });

    route<{ id: string }>('PATCH', '/stories/:id', 'stories:write', async (request, reply, actor) => {
      const input = parsed(updateStoryBody, request.body);
      const id = request.params.id;
      const expected = revisionOf(request, input);
      const { record } = await editor.open(actor, id);
      const { changed } = await editor.save(actor, id, draftFrom(input, await editor.draftOf(record)), expected);
      return sendStory(reply, await viewOf(actor, id), { changed });
    });

    route<{ id: string }>('POST', '/stories/:id/publish', 'stories:publish', async (request, reply, actor) => {
      const id = request.params.id;
      await editor.publish(actor, id, revisionOf(request, parsed(storyActionBody, request.body)));
      return sendStory(reply, await viewOf(actor, id));
    });

    route<{ id: string }>('POST', '/stories/:id/schedule', 'stories:publish', async (request, reply, actor) => {
      const id = request.params.id;
      const body = parsed(scheduleBody, request.body);
      await editor.schedule(actor, id, new Date(body.at), revisionOf(request, body));
      return sendStory(reply, await viewOf(actor, id));
    });

    route<{ id: string }>('POST', '/stories/:id/unpublish', 'stories:publish', async (request, reply, actor) => {
      const id = request.params.id;
      await editor.unpublish(actor, id, revisionOf(request, parsed(storyActionBody, request.body)));
      return sendStory(reply, await viewOf(actor, id));
    });

    route(
      'POST',
      '/images',
      'media:write',
      async (request, reply) => {
        // Integrations are not staff: the library records no uploader for them.
        const image = await media.upload({ ...readUpload(request), uploadedBy: null });
        return reply.status(201).send({ image: mediaItem(image) });
      },
      media.maxBytes + multipartOverhead,
    );

    route('GET', '/members', 'members:read', async (request, reply) => {
      const query = parsed(memberListQuery, request.query);
      const { items, total } = await members.list(windowOf(query));
      const now = deps.clock.now();
      const views: z.infer<typeof memberView>[] = items.map((member) => ({
        id: member.id,
        email: member.email,
        language: member.language,
        createdAt: member.createdAt.toISOString(),
        lastSeenAt: iso(member.lastSeenAt),
        status: statusOf(member, now),
        tier: tierOf(member, now),
        newsletters: member.newsletters,
      }));
      return reply.send({
        items: views,
        total,
        page: query.page,
        pageCount: Math.max(1, Math.ceil(total / query.limit)),
      });
    });
  });
}
