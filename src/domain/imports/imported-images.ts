/**
 * Why the port exists: an importer hands image addresses to the media library (its own checks)
 * without knowing where the bytes come from — a local copy of the old site's uploads, or the
 * network through the SSRF-safe fetcher (`ingest/import-media.ts`). Shared by every importer.
 */
export interface ImportedImages {
  /** Into the media library, or why not: `not-found` (404, no network), `refused` (not an image). */
  importImage(
    url: string,
    details: { alt: string; caption: string },
  ): Promise<{ imageId: string } | { problem: 'not-found' | 'refused'; code?: string }>;
}
