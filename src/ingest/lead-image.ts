import { isKiosqueError } from '../domain/errors.js';
import type { MediaLibrary } from '../domain/media/media-library.js';
import { leadImageProblemOf, type WireImages } from '../domain/wire/wire-desk.js';
import { fetchSafely } from './safe-fetch.js';

/**
 * A wire item's lead image into the media library: fetched like any wire address (public
 * addresses only unless the host is allowed by name, at most the upload limit), then stored
 * through the media library's own `upload` (type from the bytes, pixel budget, re-encode,
 * variants). Never throws: what went wrong comes back as a problem for the editor.
 */
export function createLeadImageImporter(deps: {
  media: Pick<MediaLibrary, 'upload' | 'maxBytes'>;
  allowedHosts: readonly string[];
  log?: { warn(object: object, message: string): void };
}): WireImages {
  return {
    async importFromUrl(url, meta) {
      try {
        const answer = await fetchSafely(url, {
          allowedHosts: deps.allowedHosts,
          maxBytes: deps.media.maxBytes,
          accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1',
        });
        const last = new URL(answer.url).pathname.split('/').pop() ?? '';
        const fileName = (() => {
          try {
            return decodeURIComponent(last);
          } catch {
            return last;
          }
        })();
        const image = await deps.media.upload({
          bytes: Buffer.from(answer.bytes),
          fileName: fileName || 'wire-image',
          uploadedBy: meta.uploadedBy,
          details: { alt: meta.alt, caption: meta.caption, credit: meta.credit },
        });
        return { imageId: image.id };
      } catch (error) {
        deps.log?.warn({ err: error, url }, 'wire lead image not imported');
        return { problem: leadImageProblemOf(isKiosqueError(error) ? error.code : '') };
      }
    },
  };
}
