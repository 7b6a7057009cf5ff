import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import {
  type ImageDetails,
  type LibraryImage,
  searchTextOf,
  type VariantFormat,
} from '../domain/media/media-library.js';
import { type Database, toDate } from './schema.js';

export interface ImageRecord {
  id: string;
  originalKey: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  createdAt: Date;
  /** Set for uploads; demo and imported images have none. */
  fileName?: string;
  uploadedBy?: string | null;
  variantFormats?: VariantFormat[];
}

const variantFormats: readonly VariantFormat[] = ['avif', 'jpg', 'webp'];

/** Stored as a sorted comma-separated list, so "all formats made" is one string to compare. */
function formatsText(formats: readonly VariantFormat[]): string {
  return variantFormats.filter((format) => formats.includes(format)).join(',');
}

function parseFormats(text: string): VariantFormat[] {
  return variantFormats.filter((format) => text.split(',').includes(format));
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const libraryColumns = [
  'id',
  'original_key',
  'mime',
  'width',
  'height',
  'bytes',
  'alt',
  'caption',
  'credit',
  'file_name',
  'uploaded_by',
  'variant_formats',
  'created_at',
] as const;

type LibraryRow = Pick<Selectable<Database['images']>, (typeof libraryColumns)[number]>;

function toLibraryImage(row: LibraryRow): LibraryImage {
  return {
    id: row.id,
    originalKey: row.original_key,
    mime: row.mime,
    width: Number(row.width),
    height: Number(row.height),
    bytes: Number(row.bytes),
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    fileName: row.file_name,
    uploadedBy: row.uploaded_by,
    createdAt: toDate(row.created_at),
    variantFormats: parseFormats(row.variant_formats),
  };
}

/** Image metadata on SQL (the bytes live in the media store). */
export function createImageRepository(db: Kysely<Database>) {
  function searching<O>(
    query: SelectQueryBuilder<Database, 'images', O>,
    search: string | undefined,
  ): SelectQueryBuilder<Database, 'images', O> {
    // Every word must appear somewhere in the folded alt, caption, credit or file name.
    const words = (search ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
    return words.reduce(
      (q, word) => q.where(sql<boolean>`${sql.ref('search_text')} like ${likePattern(word)} escape '\\'`),
      query,
    );
  }

  return {
    async insert(image: ImageRecord): Promise<void> {
      const fileName = image.fileName ?? '';
      await db
        .insertInto('images')
        .values({
          id: image.id,
          original_key: image.originalKey,
          mime: image.mime,
          width: image.width,
          height: image.height,
          bytes: image.bytes,
          alt: image.alt,
          caption: image.caption,
          credit: image.credit,
          created_at: image.createdAt.toISOString(),
          file_name: fileName,
          uploaded_by: image.uploadedBy ?? null,
          variant_formats: formatsText(image.variantFormats ?? []),
          search_text: searchTextOf({ ...image, fileName }),
        })
        .execute();
    },

    /** What the variant route needs; `null` when no image has this id. */
    async find(
      id: string,
    ): Promise<{ id: string; originalKey: string; mime: string; width: number; height: number } | null> {
      const row = await db
        .selectFrom('images')
        .select(['id', 'original_key', 'mime', 'width', 'height'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row
        ? {
            id: row.id,
            originalKey: row.original_key,
            mime: row.mime,
            width: Number(row.width),
            height: Number(row.height),
          }
        : null;
    },

    async findInLibrary(id: string): Promise<LibraryImage | null> {
      const row = await db.selectFrom('images').select(libraryColumns).where('id', '=', id).executeTakeFirst();
      return row ? toLibraryImage(row) : null;
    },

    /** Newest first; `search` is already folded (lower case, no accents). */
    async list(query: {
      search?: string;
      limit: number;
      offset: number;
    }): Promise<{ items: LibraryImage[]; total: number }> {
      const [rows, count] = await Promise.all([
        searching(db.selectFrom('images').select(libraryColumns), query.search)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        searching(
          db.selectFrom('images').select((eb) => eb.fn.countAll().as('total')),
          query.search,
        ).executeTakeFirst(),
      ]);
      return { items: rows.map(toLibraryImage), total: Number(count?.total ?? 0) };
    },

    /** Whether an image with this id existed (and now carries these default words). */
    async updateDetails(id: string, details: ImageDetails): Promise<boolean> {
      const row = await db.selectFrom('images').select('file_name').where('id', '=', id).executeTakeFirst();
      if (!row) return false;
      await db
        .updateTable('images')
        .set({ ...details, search_text: searchTextOf({ ...details, fileName: row.file_name }) })
        .where('id', '=', id)
        .execute();
      return true;
    },

    async addVariantFormats(id: string, formats: VariantFormat[]): Promise<void> {
      const row = await db.selectFrom('images').select('variant_formats').where('id', '=', id).executeTakeFirst();
      if (!row) return;
      const merged = formatsText([...parseFormats(row.variant_formats), ...formats]);
      await db.updateTable('images').set({ variant_formats: merged }).where('id', '=', id).execute();
    },

    /**
     * Uploads whose background variants were not all made (the process stopped meanwhile), with
     * the formats still missing. Demo and imported images are left to the on-demand route.
     */
    async awaitingVariants(): Promise<{ source: LibraryImage; missing: VariantFormat[] }[]> {
      const rows = await db
        .selectFrom('images')
        .select(libraryColumns)
        .where('uploaded_by', 'is not', null)
        .where('variant_formats', '!=', formatsText(variantFormats))
        .orderBy('created_at')
        .limit(1000)
        .execute();
      return rows.map((row) => {
        const source = toLibraryImage(row);
        return { source, missing: variantFormats.filter((format) => !source.variantFormats.includes(format)) };
      });
    },
  };
}

export type ImageRepository = ReturnType<typeof createImageRepository>;
