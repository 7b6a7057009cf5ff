import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

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
}

/** Image metadata on SQL (the bytes live in the media store). */
export function createImageRepository(db: Kysely<Database>) {
  return {
    async insert(image: ImageRecord): Promise<void> {
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
        })
        .execute();
    },

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
  };
}

export type ImageRepository = ReturnType<typeof createImageRepository>;
