import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { ImportQueue } from '../../domain/imports/import-queue.js';
import type { StaffService } from '../../domain/staff/staff-service.js';
import { invalidDocumentMessageKeys } from '../../ingest/wire-formats.js';
import { maxWxrBytes } from '../../ingest/wxr.js';
import { errorOf } from '../error-status.js';
import { guardUploads } from '../upload-guard.js';
import { type ImportNotice, ImportPage, ImportRunPage } from '../views/admin-import.js';
import type { AdminPages } from './admin-media-routes.js';

/** The file of an upload, collected as it arrives (the fields stay on the body for the CSRF check). */
const uploadedFile = new WeakMap<FastifyRequest, { bytes: Buffer; filename: string }>();

/**
 * Admin → Import (issue 13, `site.import`: owner and admins): upload a WordPress export, then
 * follow its progress and read its report, in the staff member's language. The import itself is a
 * durable job (`domain/imports/import-queue.ts`).
 */
export function registerAdminImportRoutes(
  scope: FastifyInstance,
  pages: AdminPages,
  deps: { imports: ImportQueue; staff: StaffService },
) {
  const { imports } = deps;

  async function listPage(request: FastifyRequest, reply: FastifyReply, notice?: ImportNotice, status = 200) {
    const runs = await imports.list(20);
    return pages.send(reply, ImportPage({ admin: pages.context(request, reply), runs, notice }), status);
  }

  scope.route({
    method: 'GET',
    url: '/admin/import',
    config: { access: 'site.import' },
    handler: (request, reply) => listPage(request, reply),
  });

  scope.route<{ Params: { id: string } }>({
    method: 'GET',
    url: '/admin/import/:id',
    config: { access: 'site.import' },
    handler: async (request, reply) => {
      const run = await imports.find(request.params.id);
      if (!run) throw new KiosqueError('IMPORT_NOT_FOUND');
      reply.header('cache-control', 'no-store');
      return pages.send(reply, ImportRunPage({ admin: pages.context(request, reply), run }));
    },
  });

  scope.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: maxWxrBytes, files: 1, fields: 3, fieldSize: 16 * 1024, parts: 4 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        uploadedFile.set(this, { bytes, filename: part.filename ?? '' });
      },
    });
    guardUploads(uploads, {
      staff: deps.staff,
      permission: 'site.import',
      tooLarge: () => new KiosqueError('IMPORT_FILE_TOO_LARGE', { limit: maxWxrBytes / 1024 / 1024 }),
    });
    uploads.route({
      method: 'POST',
      url: '/admin/import/wordpress',
      config: { access: 'site.import' },
      bodyLimit: maxWxrBytes + 64 * 1024,
      handler: async (request, reply) => {
        const file = uploadedFile.get(request);
        try {
          if (!file || file.bytes.length === 0) throw new KiosqueError('IMPORT_FILE_MISSING');
          const run = await imports.start({
            system: 'wordpress',
            fileName: file.filename || 'export.xml',
            bytes: file.bytes,
            startedBy: request.staff!.user.id,
          });
          return reply.redirect(`/admin/import/${encodeURIComponent(run.id)}`, 303);
        } catch (error) {
          if (!isKiosqueError(error) || !/^(IMPORT_|WXR_)/.test(error.code)) throw error;
          const notice: ImportNotice = {
            code: error.code,
            values: messageValues(error),
            more: error.code === 'WXR_FILE_INVALID' ? invalidDocumentMessageKeys(error.details) : [],
          };
          return listPage(request, reply, notice, errorOf(error).status);
        }
      },
    });
  });
}
