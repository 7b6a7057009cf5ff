import type { Kysely } from 'kysely';
import type { EditorChoices, EditorLibrary } from '../domain/articles/story-editor.js';
import type { Database } from './schema.js';

// The picker lists the newest images; the media library (search, pages) is where older ones are found.
const pickerImageCount = 200;

/** What the editor offers to choose from, on SQL. */
export function createNewsroomRepository(db: Kysely<Database>): EditorLibrary {
  return {
    async choices(): Promise<EditorChoices> {
      const [sections, tags, authors, images] = await Promise.all([
        db.selectFrom('sections').selectAll().orderBy('language').orderBy('name').execute(),
        db.selectFrom('tags').selectAll().orderBy('language').orderBy('name').execute(),
        db.selectFrom('authors').select(['id', 'slug', 'name', 'bio']).orderBy('name').execute(),
        db
          .selectFrom('images')
          .select(['id', 'width', 'height', 'alt', 'caption', 'credit'])
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(pickerImageCount)
          .execute(),
      ]);
      return {
        sections,
        tags,
        authors,
        images: images.map((image) => ({ ...image, width: Number(image.width), height: Number(image.height) })),
      };
    },

    async existingImages(ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('images').select('id').where('id', 'in', ids).execute();
      return rows.map((row) => row.id);
    },
  };
}
