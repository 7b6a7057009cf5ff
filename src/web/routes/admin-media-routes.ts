import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import {
  detailLimits,
  type ImageDetails,
  type LibraryImage,
  type MediaLibrary,
} from '../../domain/media/media-library.js';
import { hasPermission } from '../../domain/staff/roles.js';
import type { StaffService } from '../../domain/staff/staff-service.js';
import { staffCookie } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import { sessionCookie } from '../request-identity.js';
import type { WebDependencies } from '../server.js';
import { MediaLibraryPage, type MediaNotice, thumbnailUrl } from '../views/admin-media.js';
import type { AdminContext } from '../views/admin-views.js';
import { imageUrl, largestWidth } from '../views/components.js';

/** What the media routes borrow from the admin: the page context and the way pages are sent. */
export interface AdminPages {
  context(request: FastifyRequest, reply: FastifyReply): AdminContext;
  send(reply: FastifyReply, node: VNode, status?: number): FastifyReply;
}

export interface AdminMediaDependencies {
  media: MediaLibrary;
  staff: StaffService;
}

/** Multipart boundaries and the few text fields around the file. */
export const multipartOverhead = 64 * 1024;

const listQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(100).optional().catch(undefined),
  uploaded: z.string().max(100).optional().catch(undefined),
  saved: z.string().max(100).optional().catch(undefined),
});

const detailsForm = z.object({
  alt: z.string().max(detailLimits.alt).default(''),
  caption: z.string().max(detailLimits.caption).default(''),
  credit: z.string().max(detailLimits.credit).default(''),
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

/** The JSON shape of one library image, for the library's script and the editor's picker. */
export function mediaItem(image: LibraryImage) {
  return {
    id: image.id,
    width: image.width,
    height: image.height,
    alt: image.alt,
    caption: image.caption,
    credit: image.credit,
    fileName: image.fileName,
    mime: image.mime,
    bytes: image.bytes,
    createdAt: image.createdAt.toISOString(),
    thumbUrl: thumbnailUrl(image),
    previewUrl: imageUrl(image.id, largestWidth(image.width, 960), 'jpg'),
  };
}

/** The file's name and declared type, which multipart parsing would otherwise drop. */
const uploadedNames = new WeakMap<FastifyRequest, string>();

function headerFileName(request: FastifyRequest): string {
  const raw = request.headers['x-file-name'];
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The bytes, name and default words of an upload, whether sent as multipart or as the raw body. */
export function readUpload(request: FastifyRequest): {
  bytes: Buffer;
  fileName: string;
  details: Partial<ImageDetails>;
} {
  const body = request.body;
  if (Buffer.isBuffer(body)) return { bytes: body, fileName: headerFileName(request), details: {} };
  // A raw text/plain body reaches us as a string: still a file, and the inspector will refuse it.
  if (typeof body === 'string') return { bytes: Buffer.from(body), fileName: headerFileName(request), details: {} };
  const fields = (body ?? {}) as Record<string, unknown>;
  const file = fields.file;
  if (!Buffer.isBuffer(file)) throw new KiosqueError('MEDIA_FILE_MISSING');
  const text = (name: keyof ImageDetails) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  return {
    bytes: file,
    fileName: uploadedNames.get(request) ?? '',
    details: { alt: text('alt'), caption: text('caption'), credit: text('credit') },
  };
}

/** Fastify's and the multipart plugin's refusals, in the newsroom's words. */
export function uploadError(error: FastifyError, media: MediaLibrary): unknown {
  if (isKiosqueError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new KiosqueError('MEDIA_TOO_LARGE', { limit: media.limitMb });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new KiosqueError('MEDIA_TYPE_UNSUPPORTED');
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new KiosqueError('FORM_INVALID');
    default:
      return error;
  }
}

/**
 * Makes `scope` read uploads as `readUpload` expects them: multipart (field `file`, the words
 * beside it) or the raw file as the body (`fetch(url, { body: file })`, for scripts and
 * command-line tools). The staff library and the Admin API share it.
 */
export async function acceptUploads(scope: FastifyInstance, media: MediaLibrary): Promise<void> {
  await scope.register(multipart, {
    // Fields on the body, so the guard finds the form's `_csrf` before the handler runs.
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: media.maxBytes, files: 1, fields: 10, fieldSize: 16 * 1024, parts: 12 },
    async onFile(part) {
      uploadedNames.set(this, part.filename ?? '');
      await part.toBuffer();
    },
  });
  const raw = { parseAs: 'buffer' as const, bodyLimit: media.maxBytes };
  scope.addContentTypeParser(/^image\/[\w.+-]+$/, raw, (_request, body, done) => done(null, body));
  scope.addContentTypeParser('application/octet-stream', raw, (_request, body, done) => done(null, body));
}

/**
 * The media library under /admin: the page (`GET /admin/media`), uploads by script
 * (`POST /admin/api/media`) or by a plain form (`POST /admin/media`), default words
 * (`POST /admin/media/:id`), and the picker's JSON (`GET /admin/api/media`). Registered inside the
 * admin scope, so the admin guard and error pages apply.
 */
export function registerAdminMediaRoutes(
  scope: FastifyInstance,
  pages: AdminPages,
  deps: WebDependencies,
  admin: AdminMediaDependencies,
) {
  const { media } = admin;
  const script = () => deps.assets.get('admin-media.js')?.url ?? '';

  scope.register(async (library) => {
    await acceptUploads(library, media);

    // Before a single byte of the body is read: who is asking, may they upload, and does the
    // announced size fit. A stranger's 20 MB is refused without being received.
    library.addHook('onRequest', async (request) => {
      if (request.method !== 'POST') return;
      const token = sessionCookie(request, staffCookie);
      const found = await admin.staff.authenticate(token);
      if (!found || !token) throw new KiosqueError('SIGNIN_REQUIRED');
      // Known now, so refusals below speak the member's language; the guard checks everything again.
      request.staff = { ...found, token };
      const access = request.routeOptions.config.access;
      if (access && access !== 'public' && !hasPermission(found.user.role, access)) {
        throw new KiosqueError('ACCESS_DENIED');
      }
      const length = Number(request.headers['content-length']);
      const multipartBody = request.headers['content-type']?.startsWith('multipart/') ?? false;
      if (Number.isFinite(length)) media.assertSize(length - (multipartBody ? multipartOverhead : 0));
    });

    // Rethrown errors go on to the admin's handler, which answers in the member's language.
    library.setErrorHandler(async (error) => {
      throw uploadError(error as FastifyError, media);
    });

    const uploadLimit = media.maxBytes + multipartOverhead;

    library.route({
      method: 'POST',
      url: '/admin/api/media',
      config: { access: 'media.upload' },
      bodyLimit: uploadLimit,
      handler: async (request, reply) => {
        const upload = readUpload(request);
        const image = await media.upload({ ...upload, uploadedBy: request.staff?.user.id ?? null });
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .send({ image: mediaItem(image) });
      },
    });

    library.route({
      method: 'GET',
      url: '/admin/api/media',
      config: { access: 'media.upload' },
      handler: async (request, reply) => {
        const query = listQuery.parse(request.query ?? {});
        const result = await media.list({ search: query.q, page: query.page, limit: query.limit });
        return reply.header('cache-control', 'no-store').send({
          items: result.items.map(mediaItem),
          total: result.total,
          page: result.page,
          pageCount: result.pageCount,
        });
      },
    });

    async function libraryPage(
      request: FastifyRequest,
      reply: FastifyReply,
      options: { q?: string; page?: number; notice?: MediaNotice; highlight?: string },
      status = 200,
    ) {
      const result = await media.list({ search: options.q, page: options.page });
      return pages.send(
        reply,
        MediaLibraryPage({
          admin: pages.context(request, reply),
          script: script(),
          items: result.items,
          total: result.total,
          page: result.page,
          pageCount: result.pageCount,
          q: options.q ?? '',
          notice: options.notice,
          highlight: options.highlight,
          limitMb: media.limitMb,
          maxBytes: media.maxBytes,
        }),
        status,
      );
    }

    library.route({
      method: 'GET',
      url: '/admin/media',
      config: { access: 'media.upload' },
      handler: async (request, reply) => {
        const query = listQuery.parse(request.query ?? {});
        const notice: MediaNotice | undefined = query.uploaded
          ? { kind: 'success', key: 'admin.media.uploaded' }
          : query.saved
            ? { kind: 'success', key: 'admin.media.saved' }
            : undefined;
        return libraryPage(request, reply, {
          q: query.q,
          page: query.page,
          notice,
          highlight: query.uploaded ?? query.saved,
        });
      },
    });

    // The same upload from the page's plain form, for a browser without the script.
    library.route({
      method: 'POST',
      url: '/admin/media',
      config: { access: 'media.upload' },
      bodyLimit: uploadLimit,
      handler: async (request, reply) => {
        try {
          const image = await media.upload({ ...readUpload(request), uploadedBy: request.staff?.user.id ?? null });
          return reply.redirect(`/admin/media?uploaded=${encodeURIComponent(image.id)}`, 303);
        } catch (error) {
          if (!isKiosqueError(error) || !error.code.startsWith('MEDIA_')) throw error;
          return libraryPage(
            request,
            reply,
            { notice: { kind: 'error', code: error.code, values: messageValues(error) } },
            errorOf(error).status,
          );
        }
      },
    });

    library.route<{ Params: { id: string } }>({
      method: 'POST',
      url: '/admin/media/:id',
      config: { access: 'media.upload' },
      handler: async (request, reply) => {
        const form = detailsForm.safeParse(request.body ?? {});
        if (!form.success) throw new KiosqueError('FORM_INVALID');
        const { q, page, ...details } = form.data;
        const image = await media.updateDetails(request.params.id, details);
        const back = new URLSearchParams({ ...(q ? { q } : {}), ...(page && page > 1 ? { page: String(page) } : {}) });
        back.set('saved', image.id);
        return reply.redirect(`/admin/media?${back}#image-${image.id}`, 303);
      },
    });
  });
}
