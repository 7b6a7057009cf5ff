import sharp, { type Metadata } from 'sharp';
import { KiosqueError } from '../domain/errors.js';
import { budgetProblem, imageBudget } from '../domain/media/image-budget.js';
import type { CleanOriginal, ImageInspector, UploadFormat } from '../domain/media/media-library.js';

const output: Record<UploadFormat, { mime: string; extension: string }> = {
  jpeg: { mime: 'image/jpeg', extension: 'jpg' },
  png: { mime: 'image/png', extension: 'png' },
  webp: { mime: 'image/webp', extension: 'webp' },
  avif: { mime: 'image/avif', extension: 'avif' },
  gif: { mime: 'image/gif', extension: 'gif' },
};

const ascii = (bytes: Buffer, start: number, end: number) => bytes.subarray(start, end).toString('latin1');

/**
 * The format a file really is, from its first bytes (its name and declared type are ignored).
 * Checked before any decoder sees the file, so SVG, PDF, HEIC and the rest never reach one.
 */
export function sniffImageFormat(bytes: Buffer): UploadFormat | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    // ISO media file: AVIF only when its major or a compatible brand says so (HEIC says heic/mif1).
    const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
    for (let offset = 8; offset + 4 <= boxSize; offset += 4) {
      if (offset === 12) continue; // the minor version, not a brand
      const brand = ascii(bytes, offset, offset + 4);
      if (brand === 'avif' || brand === 'avis') return 'avif';
    }
  }
  return null;
}

/** What sharp calls each format in its metadata; AVIF is a HEIF container with AV1 inside. */
function sharpAgrees(format: UploadFormat, metadata: Metadata): boolean {
  if (format === 'avif') return metadata.format === 'heif' && metadata.compression === 'av1';
  return metadata.format === format;
}

function unsupported(): KiosqueError {
  return new KiosqueError('MEDIA_TYPE_UNSUPPORTED');
}

/**
 * Checks an upload with magic numbers and sharp's metadata, refuses decompression bombs, and
 * re-encodes the picture so that no EXIF, GPS, XMP or IPTC data survives; the orientation the
 * camera recorded is applied to the pixels first so the picture still stands the right way up.
 */
export function createImageInspector(options: { maxPixels?: number } = {}): ImageInspector {
  const maxPixels = options.maxPixels ?? imageBudget.maxPixels;
  return {
    async clean(bytes: Buffer): Promise<CleanOriginal> {
      const format = sniffImageFormat(bytes);
      if (!format) throw unsupported();
      let metadata: Metadata;
      try {
        // Only the header is read here, so the pixel limit is checked by us below, with our own code.
        metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
      } catch {
        throw unsupported();
      }
      if (!sharpAgrees(format, metadata) || !metadata.width || !metadata.height) throw unsupported();
      const pages = metadata.pages ?? 1;
      const frameHeight = metadata.pageHeight ?? metadata.height;
      // A 50 KB PNG can claim 100,000 × 100,000 pixels (a "decompression bomb"); a 450-byte one
      // 2000 × 2, which every crop would have to blow up (issue 11). Both are refused from the header.
      if (metadata.width * frameHeight * pages > maxPixels) throw new KiosqueError('MEDIA_DIMENSIONS_TOO_LARGE');
      if (budgetProblem({ width: metadata.width, height: frameHeight }) === 'shape') {
        throw new KiosqueError('MEDIA_SHAPE_UNSUPPORTED', { ratio: imageBudget.maxAspectRatio });
      }

      const animated = pages > 1 && (format === 'gif' || format === 'webp');
      // Colour profiles stay (they carry no personal data, and wide-gamut photos need them).
      let pipeline = sharp(bytes, { limitInputPixels: maxPixels, animated }).keepIccProfile();
      if (!animated) pipeline = pipeline.autoOrient();
      const encoded =
        format === 'jpeg'
          ? pipeline.jpeg({ quality: 92 })
          : format === 'png'
            ? pipeline.png()
            : format === 'webp'
              ? pipeline.webp({ quality: 90 })
              : format === 'avif'
                ? pipeline.avif({ quality: 70, effort: 2 })
                : pipeline.gif();
      try {
        const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
        return {
          bytes: data,
          format,
          ...output[format],
          width: info.width,
          height: animated ? (info.pageHeight ?? frameHeight) : info.height,
        };
      } catch {
        // A header that promised an image over bytes that are not one (truncated, corrupt).
        throw unsupported();
      }
    },
  };
}
