import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { StaffService, StaffUser } from '../../domain/staff/staff-service.js';
import type { ReceiveReport, WireDesk } from '../../domain/wire/wire-desk.js';
import { invalidDocumentMessageKeys } from '../../ingest/wire-formats.js';
import { errorOf } from '../error-status.js';
import { guardUploads } from '../upload-guard.js';
import {
  type WireFilters,
  WireItemPage,
  type WireNotice,
  WireQueuePage,
  WireSourcePage,
  WireSourcesPage,
} from '../views/admin-wire.js';
import type { AdminPages } from './admin-media-routes.js';

const pageSize = 50;
/** At most this many files, of at most `maxFileBytes` each, in one upload. */
const maxFiles = 20;
const maxFileBytes = 10 * 1024 * 1024;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
  .optional()
  .catch(undefined);

const queueQuery = z.object({
  source: z.string().max(100).optional().catch(undefined),
  language: z
    .string()
    .trim()
    .toLowerCase()
    .max(20)
    .regex(/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/)
    .optional()
    .catch(undefined),
  topic: z.string().trim().max(200).optional().catch(undefined),
  time: z.enum(['received', 'published']).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  done: z.enum(['saved', 'poll']).optional().catch(undefined),
  stored: z.coerce.number().int().min(0).optional().catch(undefined),
  versions: z.coerce.number().int().min(0).optional().catch(undefined),
  duplicates: z.coerce.number().int().min(0).optional().catch(undefined),
});

const feedForm = z.object({
  name: z.string().max(1000).default(''),
  feedUrl: z.string().max(3000).default(''),
  language: z.string().max(100).default(''),
  creditName: z.string().max(1000).default(''),
  licenceNote: z.string().max(5000).default(''),
  pollMinutes: z.string().max(20).default('15'),
  enabled: z.string().max(10).optional(),
});
const urlForm = z.object({ url: z.string().max(3000).default('') });
const draftForm = z.object({ language: z.string().max(20).optional() });

/** The files of a multipart upload, collected as they arrive (the fields stay on the body). */
const uploadedFiles = new WeakMap<FastifyRequest, { bytes: Buffer; filename: string; contentType: string }[]>();

function actorOf(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
  return request.staff.user;
}

/** The report of what a batch did, carried to the queue page in its address (a redirect after POST). */
const reportQuery = (report: ReceiveReport) =>
  `?stored=${report.stored.length}&versions=${report.versions}&duplicates=${report.duplicates + report.outdated}`;

/**
 * Admin → Wire: the queue (`wire.read`), pasting a URL and uploading files (`wire.use`), feed
 * sources (`wire.manage`), an item's page and "Use as draft" / "Translate into…" (`wire.use`).
 * Registered inside the admin's guarded scope: session, same origin and CSRF token on every POST.
 */
export function registerAdminWireRoutes(
  scope: FastifyInstance,
  pages: AdminPages,
  deps: { desk: WireDesk; staff: StaffService; clock: { now(): Date } },
) {
  const { desk, clock } = deps;

  function filtersOf(query: z.output<typeof queueQuery>): WireFilters {
    return {
      source: query.source || undefined,
      language: query.language || undefined,
      topic: query.topic || undefined,
      time: query.time === 'published' ? 'published' : undefined,
      from: query.from,
      to: query.to,
    };
  }

  async function queuePage(request: FastifyRequest, reply: FastifyReply, notice?: WireNotice, status = 200) {
    const query = queueQuery.parse(request.query ?? {});
    const filters = filtersOf(query);
    const page = query.page ?? 1;
    const actor = actorOf(request);
    const to = filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000) : undefined;
    const [{ items, total }, sources] = await Promise.all([
      desk.list(actor, {
        sourceId: filters.source,
        language: filters.language,
        topic: filters.topic,
        timeField: filters.time ?? 'received',
        from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
        to,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      }),
      desk.listSources(actor),
    ]);
    if (!notice && query.stored !== undefined) {
      notice = {
        kind: 'success',
        key: 'admin.wire.received',
        values: { stored: query.stored, versions: query.versions ?? 0, duplicates: query.duplicates ?? 0 },
      };
    }
    return pages.send(
      reply,
      WireQueuePage({
        admin: pages.context(request, reply),
        items,
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / pageSize)),
        filters,
        sources,
        notice,
        now: clock.now(),
      }),
      status,
    );
  }

  /** Why a wire document was refused, and where, after the error's own message. */
  const more = (code: string, values: Record<string, unknown>) =>
    code === 'WIRE_DOCUMENT_INVALID' ? invalidDocumentMessageKeys(values) : [];

  /** A refusal the person can act on shows on the page they came from, in their language. */
  const refusal = (error: unknown): WireNotice | null =>
    isKiosqueError(error) && (error.code.startsWith('WIRE_') || error.code === 'FORM_INVALID')
      ? {
          kind: 'error',
          code: error.code,
          values: messageValues(error),
          more: more(error.code, error.details),
        }
      : null;

  scope.route({
    method: 'GET',
    url: '/admin/wire',
    config: { access: 'wire.read' },
    handler: (request, reply) => queuePage(request, reply),
  });

  scope.route({
    method: 'POST',
    url: '/admin/wire/url',
    config: { access: 'wire.use' },
    bodyLimit: 16 * 1024,
    handler: async (request, reply) => {
      const form = urlForm.safeParse(request.body ?? {});
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        const report = await desk.pasteUrl(actorOf(request), form.data.url);
        return reply.redirect(`/admin/wire${reportQuery(report)}`, 303);
      } catch (error) {
        const notice = refusal(error);
        if (!notice) throw error;
        return queuePage(request, reply, notice, errorOf(error).status);
      }
    },
  });

  scope.register(async (uploads) => {
    await uploads.register(multipart, {
      // Fields on the body, so the guard finds the form's `_csrf` before the handler runs.
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: maxFileBytes, files: maxFiles, fields: 5, fieldSize: 16 * 1024, parts: maxFiles + 5 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        if (bytes.length === 0) return;
        const list = uploadedFiles.get(this) ?? [];
        list.push({ bytes, filename: part.filename ?? '', contentType: part.mimetype ?? '' });
        uploadedFiles.set(this, list);
      },
    });
    guardUploads(uploads, {
      staff: deps.staff,
      permission: 'wire.use',
      tooLarge: () => new KiosqueError('FORM_TOO_LARGE'),
    });
    uploads.route({
      method: 'POST',
      url: '/admin/wire/upload',
      config: { access: 'wire.use' },
      bodyLimit: maxFiles * maxFileBytes + 64 * 1024,
      handler: async (request, reply) => {
        const files = uploadedFiles.get(request) ?? [];
        try {
          const report = await desk.upload(
            actorOf(request),
            files.map((file) => ({
              bytes: file.bytes,
              filename: file.filename || undefined,
              contentType: file.contentType || undefined,
            })),
          );
          return reply.redirect(`/admin/wire${reportQuery(report)}`, 303);
        } catch (error) {
          const notice = refusal(error);
          if (!notice) throw error;
          return queuePage(request, reply, notice, errorOf(error).status);
        }
      },
    });
  });

  async function sourcesPage(request: FastifyRequest, reply: FastifyReply, notice?: WireNotice, status = 200) {
    const sources = await desk.listSources(actorOf(request));
    return pages.send(reply, WireSourcesPage({ admin: pages.context(request, reply), sources, notice, more }), status);
  }

  const feedInput = (body: unknown) => {
    const form = feedForm.safeParse(body ?? {});
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const { enabled, pollMinutes, ...rest } = form.data;
    return { ...rest, pollMinutes: Number(pollMinutes), enabled: enabled !== undefined && enabled !== '' };
  };

  scope.route({
    method: 'GET',
    url: '/admin/wire/sources',
    config: { access: 'wire.read' },
    handler: (request, reply) => sourcesPage(request, reply),
  });

  scope.route({
    method: 'POST',
    url: '/admin/wire/sources',
    config: { access: 'wire.manage' },
    bodyLimit: 32 * 1024,
    handler: async (request, reply) => {
      try {
        const source = await desk.addFeed(actorOf(request), feedInput(request.body));
        return reply.redirect(`/admin/wire/sources/${encodeURIComponent(source.id)}?done=saved`, 303);
      } catch (error) {
        const notice = refusal(error);
        if (!notice) throw error;
        return sourcesPage(request, reply, notice, errorOf(error).status);
      }
    },
  });

  async function sourcePage(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    notice?: WireNotice,
    status = 200,
  ) {
    const source = await desk.source(actorOf(request), request.params.id);
    const query = queueQuery.parse(request.query ?? {});
    const done: WireNotice | undefined =
      query.done === 'saved'
        ? { kind: 'success', key: 'admin.wire.saved' }
        : query.done === 'poll'
          ? { kind: 'success', key: 'admin.wire.pollQueued' }
          : undefined;
    return pages.send(
      reply,
      WireSourcePage({ admin: pages.context(request, reply), source, notice: notice ?? done, more }),
      status,
    );
  }

  scope.route<{ Params: { id: string } }>({
    method: 'GET',
    url: '/admin/wire/sources/:id',
    config: { access: 'wire.read' },
    handler: (request, reply) => sourcePage(request, reply),
  });

  scope.route<{ Params: { id: string } }>({
    method: 'POST',
    url: '/admin/wire/sources/:id',
    config: { access: 'wire.manage' },
    bodyLimit: 32 * 1024,
    handler: async (request, reply) => {
      try {
        await desk.editFeed(actorOf(request), request.params.id, feedInput(request.body));
        return reply.redirect(`/admin/wire/sources/${encodeURIComponent(request.params.id)}?done=saved`, 303);
      } catch (error) {
        const notice = refusal(error);
        if (!notice || (isKiosqueError(error) && error.code === 'WIRE_SOURCE_NOT_FOUND')) throw error;
        return sourcePage(request, reply, notice, errorOf(error).status);
      }
    },
  });

  scope.route<{ Params: { id: string } }>({
    method: 'POST',
    url: '/admin/wire/sources/:id/poll',
    config: { access: 'wire.manage' },
    bodyLimit: 16 * 1024,
    handler: async (request, reply) => {
      await desk.pollSoon(actorOf(request), request.params.id);
      return reply.redirect(`/admin/wire/sources/${encodeURIComponent(request.params.id)}?done=poll`, 303);
    },
  });

  async function itemPage(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    notice?: WireNotice,
    status = 200,
  ) {
    const { item, source, changes, newerId } = await desk.item(actorOf(request), request.params.id);
    return pages.send(
      reply,
      WireItemPage({ admin: pages.context(request, reply), item, source, changes, newerId, notice, now: clock.now() }),
      status,
    );
  }

  scope.route<{ Params: { id: string } }>({
    method: 'GET',
    url: '/admin/wire/items/:id',
    config: { access: 'wire.read' },
    handler: (request, reply) => itemPage(request, reply),
  });

  scope.route<{ Params: { id: string } }>({
    method: 'POST',
    url: '/admin/wire/items/:id/draft',
    config: { access: 'wire.use' },
    bodyLimit: 16 * 1024,
    handler: async (request, reply) => {
      const form = draftForm.safeParse(request.body ?? {});
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        const { record, imageProblem } = await desk.useAsDraft(
          actorOf(request),
          request.params.id,
          form.data.language || undefined,
        );
        const story = `/admin/stories/${encodeURIComponent(record.id)}`;
        // The draft is made either way; the editor says why the lead image is not its hero.
        return reply.redirect(imageProblem ? `${story}?done=drafted-without-image&why=${imageProblem}` : story, 303);
      } catch (error) {
        const notice = refusal(error);
        if (!notice || (isKiosqueError(error) && error.code === 'WIRE_ITEM_NOT_FOUND')) throw error;
        return itemPage(request, reply, notice, errorOf(error).status);
      }
    },
  });
}
