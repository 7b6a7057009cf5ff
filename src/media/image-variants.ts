import sharp from 'sharp';
import { cropSize, type Dimensions, imageBudget, variantSize } from '../domain/media/image-budget.js';
import type { VariantFormat } from '../domain/media/media-library.js';
import type { MediaStore } from './media-store.js';

export type { VariantFormat };

const mimeTypes: Record<VariantFormat, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  avif: 'image/avif',
};

/**
 * Crops search engines and social sites ask for (Google's article images: 16:9, 4:3 and 1:1, at
 * least 1,200 px wide). Made once per image like any variant, JPEG only: every crawler reads it.
 */
export const cropRatios = { '16x9': [16, 9], '4x3': [4, 3], '1x1': [1, 1] } as const;
export type CropRatio = keyof typeof cropRatios;
export const cropWidth = 1200;

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
    crop: CropRatio | null = null,
  ): Promise<Buffer | null> {
    const cached = await store.get(key);
    if (cached) return cached;
    const original = await store.get(source.originalKey);
    if (!original) return null;
    // What is made is sized from the stored bytes' own header, before any pixel is decoded: the
    // database row may predate the budget or disagree with the file (issue 11). A variant or crop
    // the budget cannot make is null (a 404), and nothing made is larger than the original.
    const size = await plannedSize(original, width, crop);
    if (!size) return null;
    // rotate() applies the EXIF orientation; sharp drops all metadata (EXIF, GPS) unless asked to keep it.
    // A crop keeps what draws the eye ("attention").
    const decoded = sharp(original, { limitInputPixels: imageBudget.maxPixels }).rotate();
    const pipeline = crop
      ? decoded.resize({
          width: size.width,
          height: size.height,
          fit: 'cover',
          position: sharp.strategy.attention,
          withoutEnlargement: true,
        })
      : decoded.resize({ width: size.width, withoutEnlargement: true });
    let bytes: Buffer;
    try {
      bytes =
        format === 'webp'
          ? await pipeline.webp({ quality: 78 }).toBuffer()
          : format === 'avif'
            ? await pipeline.avif({ quality: 55, effort: 2 }).toBuffer()
            : await pipeline.jpeg({ quality: 80, progressive: true, mozjpeg: true }).toBuffer();
    } catch {
      // A stored original sharp cannot decode (truncated, corrupt): no variant, never a 500.
      return null;
    }
    await store.put(key, bytes);
    return bytes;
  }

  /** The size of the variant or crop asked for, from the original's header; null when none can be made. */
  async function plannedSize(original: Buffer, width: number, crop: CropRatio | null): Promise<Dimensions | null> {
    let dimensions: Dimensions;
    try {
      const metadata = await sharp(original, { limitInputPixels: false }).metadata();
      if (!metadata.width || !metadata.height) return null;
      const height = metadata.pageHeight ?? metadata.height;
      // Orientations 5–8 turn the picture a quarter: rotate() swaps its sides.
      const turned = (metadata.orientation ?? 1) >= 5;
      dimensions = turned ? { width: height, height: metadata.width } : { width: metadata.width, height };
    } catch {
      return null;
    }
    return crop ? cropSize(dimensions, cropRatios[crop], width) : variantSize(dimensions, width);
  }

  function shared(key: string, make: () => Promise<Buffer | null>): Promise<Buffer | null> {
    let pending = inFlight.get(key);
    if (!pending) {
      pending = make().finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  const variantKey = (source: ImageSource, width: number, format: VariantFormat) =>
    `variants/${source.id}/${width}.${format}`;
  const cropKey = (source: ImageSource, ratio: CropRatio) => `variants/${source.id}/${ratio}-${cropWidth}.jpg`;

  return {
    mimeType: (format: VariantFormat) => mimeTypes[format],

    /** Whether the site offers this width of this image (the allowed widths, or the original's own). */
    isOffered(source: ImageSource, width: number): boolean {
      return allowedWidths.includes(width) && (width <= source.width || width === allowedWidths[0]);
    },

    async get(source: ImageSource, width: number, format: VariantFormat): Promise<Buffer | null> {
      const key = variantKey(source, width, format);
      return shared(key, () => produce(source, width, format, key));
    },

    /**
     * The image cut to `ratio`, `cropWidth` pixels wide or the largest the original holds (never
     * enlarged), as JPEG; made on first use and kept. Null when the original cannot give one.
     */
    async crop(source: ImageSource, ratio: CropRatio): Promise<Buffer | null> {
      const key = cropKey(source, ratio);
      return shared(key, () => produce(source, cropWidth, 'jpg', key, ratio));
    },

    /** Bytes of a variant (made now if it was not yet), or null when the original is gone. */
    async size(source: ImageSource, width: number, format: VariantFormat): Promise<number | null> {
      const stored = await store.size(variantKey(source, width, format));
      if (stored !== null) return stored;
      return (await this.get(source, width, format))?.length ?? null;
    },
  };
}

export type ImageVariants = ReturnType<typeof createImageVariants>;
