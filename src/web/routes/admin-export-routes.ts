import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { type ExportManifest, exportArchive } from '../../storage/site-export.js';
import { ExportPage } from '../views/admin-export.js';
import type { AdminContext } from '../views/admin-views.js';

/** The admin's way to the same export as `kiosque export --to` (decision 0050). */
export interface SiteExporter {
  /** Where an export is written before it is streamed, and removed once sent. */
  scratchFolder: string;
  /** Writes the whole site into a new folder. */
  writeTo(folder: string): Promise<ExportManifest>;
}

/**
 * `GET /admin/export` explains the export; `GET /admin/export/download` streams it as a
 * `.tar.gz` whose files are those `kiosque export --to` writes. Owner and admins (`site.export`).
 */
export function registerAdminExportRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  exporter: SiteExporter,
) {
  const route = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) =>
    scope.route({ method: 'GET', url, config: { access: 'site.export' }, handler });

  route('/admin/export', async (request, reply) =>
    views.send(reply, ExportPage({ admin: views.context(request, reply) })),
  );

  route('/admin/export/download', async (request, reply) => {
    await mkdir(exporter.scratchFolder, { recursive: true });
    const scratch = await mkdtemp(path.join(exporter.scratchFolder, 'download-'));
    const removeScratch = () => rm(scratch, { recursive: true, force: true });
    let manifest: ExportManifest;
    try {
      manifest = await exporter.writeTo(path.join(scratch, 'export'));
    } catch (error) {
      await removeScratch();
      throw error;
    }
    const archive = exportArchive(path.join(scratch, 'export'), manifest);
    // Sent, failed or abandoned by the client: the copy on disk goes either way.
    archive.once('close', () => void removeScratch());
    reply.raw.once('close', () => void removeScratch());
    request.log.info({ staff: request.staff?.user.id, files: manifest.files.length }, 'site exported');
    const stamp = manifest.createdAt.replace(/[:.]/g, '-');
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="kiosque-export-${stamp}.tar.gz"`)
      .type('application/gzip')
      .send(archive);
  });
}
