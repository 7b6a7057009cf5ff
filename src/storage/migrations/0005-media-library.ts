import type { Kysely } from 'kysely';
import { searchTextOf } from '../../domain/media/media-library.js';
import type { Dialect } from '../schema.js';

/**
 * The media library: who uploaded an image and under what file name, which variant formats were
 * made for every width (pages offer AVIF only once it exists), and a folded search text so that a
 * search matches the same way on both databases. Uploads have an uploader; demo and imported
 * images have none and keep their variants made on first request.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
  await db.schema
    .alterTable('images')
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('images')
    .addColumn('uploaded_by', 'text', (c) => c.references('staff_users.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('images')
    .addColumn('variant_formats', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('images')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // The library lists newest first, page by page.
  await db.schema.createIndex('images_created_idx').on('images').columns(['created_at', 'id']).execute();

  // Folding (accents, case) is done in the application, so existing rows are filled here.
  const images = db as unknown as Kysely<{
    images: { id: string; alt: string; caption: string; credit: string; search_text: string };
  }>;
  const rows = await images.selectFrom('images').select(['id', 'alt', 'caption', 'credit']).execute();
  for (const row of rows) {
    await images
      .updateTable('images')
      .set({ search_text: searchTextOf({ ...row, fileName: '' }) })
      .where('id', '=', row.id)
      .execute();
  }
}
