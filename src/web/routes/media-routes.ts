import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import { type CropRatio, cropWidth, type VariantFormat } from '../../media/image-variants.js';
import type { WebDependencies } from '../server.js';

const fileName = /^(\d{2,4})\.(webp|jpg|avif)$/;
const cropName = new RegExp(`^(16x9|4x3|1x1)-${cropWidth}\\.jpg$`);

/**
 * Responsive image variants, `/media/{image id}/{width}.{webp|jpg|avif}`, and the crops structured
 * data names, `/media/{image id}/{16x9|4x3|1x1}-1200.jpg`: immutable once made.
 */
export function registerMediaRoutes(app: FastifyInstance, deps: WebDependencies) {
  app.get<{ Params: { id: string; file: string } }>('/media/:id/:file', async (request, reply) => {
    const { file } = request.params;
    const match = fileName.exec(file);
    const crop = match ? null : (cropName.exec(file)?.[1] as CropRatio | undefined);
    if (!match && !crop) throw new KiosqueError('MEDIA_NOT_FOUND');
    // An id is letters, digits, _ and -: anything else (a NUL byte, which PostgreSQL refuses in
    // text, or 10 kB of junk) is no image, answered without asking the database (issue 11).
    if (!/^[\w-]{1,100}$/.test(request.params.id)) throw new KiosqueError('MEDIA_NOT_FOUND');
    const image = await deps.images.find(request.params.id);
    if (!image) throw new KiosqueError('MEDIA_NOT_FOUND');
    let bytes: Buffer | null;
    let format: VariantFormat = 'jpg';
    if (crop) {
      bytes = await deps.variants.crop(image, crop);
    } else {
      const width = Number(match![1]);
      format = match![2] as VariantFormat;
      if (!deps.variants.isOffered(image, width)) throw new KiosqueError('MEDIA_NOT_FOUND');
      bytes = await deps.variants.get(image, width, format);
    }
    if (!bytes) throw new KiosqueError('MEDIA_NOT_FOUND');
    const etag = `"${image.id}-${file.replace(/\.\w+$/, '')}-${format}"`;
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .type(deps.variants.mimeType(format));
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.send(bytes);
  });
}
