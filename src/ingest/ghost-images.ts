import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isKiosqueError } from '../domain/errors.js';
import type { GhostImages } from '../domain/imports/ghost-importer.js';
import type { MediaLibrary } from '../domain/media/media-library.js';
import { fetchSafely } from './safe-fetch.js';

const imagesPart = '/content/images/';

/**
 * The local copy of a Ghost image: `https://old.site/content/images/2024/05/a.jpg` under
 * `--media-from DIR` is `DIR/2024/05/a.jpg`. Null when the address is not one of Ghost's images or
 * would lead outside the folder (`..` in a hostile export).
 */
export function ghostLocalCopy(url: string, mediaFrom: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  const at = pathname.indexOf(imagesPart);
  if (at < 0) return null;
  const root = path.resolve(mediaFrom);
  const file = path.resolve(root, pathname.slice(at + imagesPart.length));
  return file.startsWith(`${root}${path.sep}`) ? file : null;
}

/**
 * A Ghost export's images into the media library (its own checks: type from the bytes, pixel
 * budget, re-encode, variants): read from the local copy of `content/images` when one is given
 * and holds the file, else fetched through the SSRF-safe fetcher. Never throws for a missing or
 * refused file: the import reports it and goes on.
 */
export function createGhostImages(deps: {
  media: Pick<MediaLibrary, 'upload' | 'maxBytes'>;
  allowedHosts: readonly string[];
  mediaFrom: string | null;
}): GhostImages {
  async function bytesOf(url: string): Promise<Buffer | { code: string }> {
    const local = deps.mediaFrom ? ghostLocalCopy(url, deps.mediaFrom) : null;
    if (local) {
      const found = await readFile(local).catch(() => null);
      if (found) return found;
    }
    try {
      const answer = await fetchSafely(url, {
        allowedHosts: deps.allowedHosts,
        maxBytes: deps.media.maxBytes,
        accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1',
      });
      return Buffer.from(answer.bytes);
    } catch (error) {
      return { code: isKiosqueError(error) ? error.code : 'WIRE_FETCH_FAILED' };
    }
  }

  return {
    async importImage(url, details) {
      const bytes = await bytesOf(url);
      if (!Buffer.isBuffer(bytes)) return { problem: 'not-found', code: bytes.code };
      const fileName = path.posix.basename(new URL(url).pathname) || 'image';
      try {
        const image = await deps.media.upload({
          bytes,
          fileName,
          uploadedBy: null,
          details: { alt: details.alt.slice(0, 1000), caption: details.caption.slice(0, 2000) },
        });
        return { imageId: image.id };
      } catch (error) {
        if (isKiosqueError(error)) return { problem: 'refused', code: error.code };
        throw error;
      }
    },
  };
}
