import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import type { VariantFormat } from '../../media/image-variants.js';
import type { WebDependencies } from '../server.js';

const fileName = /^(\d{2,4})\.(webp|jpg|avif)$/;

/** Responsive image variants: `/media/{image id}/{width}.{webp|jpg|avif}`, immutable once made. */
export function registerMediaRoutes(app: FastifyInstance, deps: WebDependencies) {
  app.get<{ Params: { id: string; file: string } }>('/media/:id/:file', async (request, reply) => {
    const match = fileName.exec(request.params.file);
    if (!match) throw new KiosqueError('MEDIA_NOT_FOUND');
    const width = Number(match[1]);
    const format = match[2] as VariantFormat;
    const image = await deps.images.find(request.params.id);
    if (!image || !deps.variants.isOffered(image, width)) throw new KiosqueError('MEDIA_NOT_FOUND');
    const bytes = await deps.variants.get(image, width, format);
    if (!bytes) throw new KiosqueError('MEDIA_NOT_FOUND');
    const etag = `"${image.id}-${width}-${format}"`;
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .type(deps.variants.mimeType(format));
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.send(bytes);
  });
}
