import sharp from 'sharp';
import type { VariantFormat } from '../domain/media/media-library.js';
import type { MediaStore } from './media-store.js';

export type { VariantFormat };

const mimeTypes: Record<VariantFormat, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  avif: 'image/avif',
};

export interface ImageSource {
  id: string;
  originalKey: string;
  width: number;
}

/**
 * Produces resized variants on first request and keeps them in the media store; later requests
 * read the stored file. Concurrent requests for the same variant share one resize.
 */
export function createImageVariants(store: MediaStore, allowedWidths: readonly number[]) {
  const inFlight = new Map<string, Promise<Buffer | null>>();

  async function produce(
    source: ImageSource,
    width: number,
    format: VariantFormat,
    key: string,
  ): Promise<Buffer | null> {
    const cached = await store.get(key);
    if (cached) return cached;
    const original = await store.get(source.originalKey);
    if (!original) return null;
    // rotate() applies the EXIF orientation; sharp drops all metadata (EXIF, GPS) unless asked to keep it.
    const pipeline = sharp(original).rotate().resize({ width, withoutEnlargement: true });
    const bytes =
      format === 'webp'
        ? await pipeline.webp({ quality: 78 }).toBuffer()
        : format === 'avif'
          ? await pipeline.avif({ quality: 55, effort: 2 }).toBuffer()
          : await pipeline.jpeg({ quality: 80, progressive: true, mozjpeg: true }).toBuffer();
    await store.put(key, bytes);
    return bytes;
  }

  return {
    mimeType: (format: VariantFormat) => mimeTypes[format],

    /** Whether the site offers this width of this image (the allowed widths, or the original's own). */
    isOffered(source: ImageSource, width: number): boolean {
      return allowedWidths.includes(width) && (width <= source.width || width === allowedWidths[0]);
    },

    async get(source: ImageSource, width: number, format: VariantFormat): Promise<Buffer | null> {
      const key = `variants/${source.id}/${width}.${format}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = produce(source, width, format, key).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

export type ImageVariants = ReturnType<typeof createImageVariants>;
