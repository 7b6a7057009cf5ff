import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isKiosqueError } from '../domain/errors.js';
import type { ImportedImages } from '../domain/imports/imported-images.js';
import type { MediaLibrary } from '../domain/media/media-library.js';
import { fetchSafely } from './safe-fetch.js';

/** Where each system keeps its uploads, as their addresses show it. */
export const uploadsFolders = { wordpress: '/wp-content/uploads/', ghost: '/content/images/' } as const;

/**
 * The local copy of an uploaded file: `https://old.site/wp-content/uploads/2024/05/a.jpg` (or Ghost's
 * `/content/images/…`) under
 * `--media-from DIR` is `DIR/2024/05/a.jpg`. Null when the address is not an upload or would lead
 * outside the folder (`..` in a hostile export).
 */
export function localCopyOf(url: string, mediaFrom: string, uploadsPart: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  const at = pathname.indexOf(uploadsPart);
  if (at < 0) return null;
  const root = path.resolve(mediaFrom);
  const file = path.resolve(root, pathname.slice(at + uploadsPart.length));
  return file.startsWith(`${root}${path.sep}`) ? file : null;
}

/**
 * Images of an import into the media library (type read from the bytes, pixel budget, re-encode,
 * variants): read from the local copy of the uploads folder when one is given and holds the
 * file, else fetched through the SSRF-safe fetcher. Never throws for a missing or refused file:
 * the import reports it and goes on.
 */
export function createImportImages(deps: {
  media: Pick<MediaLibrary, 'upload' | 'maxBytes'>;
  allowedHosts: readonly string[];
  mediaFrom: string | null;
  fetchTimeoutMs?: number;
  /** The uploads folder in the old addresses (`uploadsFolders`), mapped onto `mediaFrom`. */
  uploadsFolder: string;
}): ImportedImages {
  async function bytesOf(url: string): Promise<Buffer | { code: string }> {
    const local = deps.mediaFrom ? localCopyOf(url, deps.mediaFrom, deps.uploadsFolder) : null;
    if (local) {
      const found = await readFile(local).catch(() => null);
      if (found) return found;
    }
    try {
      const answer = await fetchSafely(url, {
        allowedHosts: deps.allowedHosts,
        maxBytes: deps.media.maxBytes,
        timeoutMs: deps.fetchTimeoutMs,
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
      let fileName = path.posix.basename(new URL(url).pathname);
      try {
        fileName = decodeURIComponent(fileName);
      } catch {}
      try {
        const image = await deps.media.upload({
          bytes,
          fileName: fileName || 'image',
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
