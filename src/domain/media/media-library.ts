import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';

/** The image formats the newsroom may upload, recognised from the file's bytes. */
export const uploadFormats = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type UploadFormat = (typeof uploadFormats)[number];

/** Formats whose variants exist for every offered width; anything else is made on first request. */
export type VariantFormat = 'webp' | 'jpg' | 'avif';

/** An image of the media library with its default words (a story may override them per use). */
export interface LibraryImage {
  id: string;
  originalKey: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  /** The name the file had on the uploader's computer: searchable, never used as a path. */
  fileName: string;
  uploadedBy: string | null;
  createdAt: Date;
  variantFormats: VariantFormat[];
}

export interface ImageDetails {
  alt: string;
  caption: string;
  credit: string;
}

/** Longest default words an image may carry; longer text is refused rather than cut. */
export const detailLimits: Record<keyof ImageDetails, number> = { alt: 1000, caption: 2000, credit: 300 };

export const libraryPageSize = 24;

/** Image rows on SQL: why it exists — the library lists, searches and edits them without knowing the database. */
export interface LibraryRecords {
  insert(image: LibraryImage): Promise<void>;
  find(id: string): Promise<LibraryImage | null>;
  list(query: { search?: string; limit: number; offset: number }): Promise<{ items: LibraryImage[]; total: number }>;
  updateDetails(id: string, details: ImageDetails): Promise<boolean>;
}

/** Where originals are written; the media store, seen from the library. */
export interface OriginalStore {
  put(key: string, bytes: Buffer): Promise<void>;
}

/** A clean original ready to store: re-encoded from the upload, metadata stripped, orientation applied. */
export interface CleanOriginal {
  bytes: Buffer;
  format: UploadFormat;
  mime: string;
  extension: string;
  width: number;
  height: number;
}

/** Reads an upload's real type from its bytes and re-encodes it; throws a KiosqueError for anything else. */
export interface ImageInspector {
  clean(bytes: Buffer): Promise<CleanOriginal>;
}

/** Makes the responsive variants of a new image after the upload has been answered. */
export interface VariantScheduler {
  schedule(image: { id: string; originalKey: string; width: number }, formats?: readonly VariantFormat[]): void;
}

export interface MediaLibraryDependencies {
  records: LibraryRecords;
  store: OriginalStore;
  inspector: ImageInspector;
  variants: VariantScheduler;
  clock: Clock;
  ids: IdGenerator;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
}

export interface Upload {
  bytes: Buffer;
  fileName: string;
  uploadedBy: string | null;
  details?: Partial<ImageDetails>;
}

/**
 * Lower case without accents: the same folding is applied to what is stored and to what is
 * searched, so "Équipe" and "equipe" match on SQLite and PostgreSQL alike.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What the library search looks in: the default words and the original file name. */
export function searchTextOf(image: Pick<LibraryImage, 'alt' | 'caption' | 'credit' | 'fileName'>): string {
  return foldForSearch([image.alt, image.caption, image.credit, image.fileName].join('\n'));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed.
const controlCharacters = /[\u0000-\u001f\u007f]/g;

/** A file name as shown and searched: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  return base.replace(controlCharacters, '').trim().slice(0, 200);
}

function cleanDetails(details: Partial<ImageDetails>): ImageDetails {
  const clean = {
    alt: (details.alt ?? '').trim(),
    caption: (details.caption ?? '').trim(),
    credit: (details.credit ?? '').trim(),
  };
  for (const field of Object.keys(detailLimits) as (keyof ImageDetails)[]) {
    if (clean[field].length > detailLimits[field]) throw new KiosqueError('FORM_INVALID', { field });
  }
  return clean;
}

/** The newsroom's media library: uploads, the list and its search, default alt text, caption and credit. */
export function createMediaLibrary(deps: MediaLibraryDependencies) {
  const { records, store, inspector, variants, clock, ids, maxBytes } = deps;
  const limitMb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;

  function assertSize(byteCount: number): void {
    if (byteCount > maxBytes) throw new KiosqueError('MEDIA_TOO_LARGE', { limit: limitMb });
  }

  async function find(id: string): Promise<LibraryImage> {
    const image = await records.find(id);
    if (!image) throw new KiosqueError('MEDIA_NOT_FOUND');
    return image;
  }

  return {
    /** The upload limit in megabytes, as staff are told it. */
    limitMb,
    maxBytes,

    /** Refuses a file that is too large before anything is read or stored. */
    assertSize,

    /**
     * Stores a cleaned copy of the upload as the original and records it; variants follow in the
     * background. Nothing is stored when the file is refused.
     */
    async upload(upload: Upload): Promise<LibraryImage> {
      if (upload.bytes.length === 0) throw new KiosqueError('MEDIA_FILE_MISSING');
      assertSize(upload.bytes.length);
      const details = cleanDetails(upload.details ?? {});
      const original = await inspector.clean(upload.bytes);
      const id = ids('img');
      const image: LibraryImage = {
        id,
        originalKey: `originals/${id}.${original.extension}`,
        mime: original.mime,
        width: original.width,
        height: original.height,
        bytes: original.bytes.length,
        ...details,
        fileName: cleanFileName(upload.fileName),
        uploadedBy: upload.uploadedBy,
        createdAt: clock.now(),
        variantFormats: [],
      };
      // The file first: a row never points at bytes that are not there.
      await store.put(image.originalKey, original.bytes);
      await records.insert(image);
      variants.schedule(image);
      return image;
    },

    find,

    /** Newest first, `libraryPageSize` (or `limit`) per page; every word of `search` must match. */
    async list(query: { search?: string; page?: number; limit?: number }) {
      const limit = Math.min(Math.max(query.limit ?? libraryPageSize, 1), 100);
      const page = Math.max(query.page ?? 1, 1);
      const search = query.search ? foldForSearch(query.search).trim() : undefined;
      const { items, total } = await records.list({ search: search || undefined, limit, offset: (page - 1) * limit });
      return { items, total, page, pageCount: Math.max(1, Math.ceil(total / limit)) };
    },

    async updateDetails(id: string, details: Partial<ImageDetails>): Promise<LibraryImage> {
      const clean = cleanDetails(details);
      if (!(await records.updateDetails(id, clean))) throw new KiosqueError('MEDIA_NOT_FOUND');
      return find(id);
    },
  };
}

export type MediaLibrary = ReturnType<typeof createMediaLibrary>;
