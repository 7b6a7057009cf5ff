import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/** The editor: private preview links, and indexes for the story list and the scheduler. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // Null until someone asks for a preview link; unguessable, so it is the only key a reader needs.
  await db.schema.alterTable('articles').addColumn('preview_token', 'text').execute();
  await db.schema.createIndex('articles_preview_token_idx').on('articles').column('preview_token').unique().execute();
  // The story list shows live (or trashed) stories, last changed first: this keeps it an index walk
  // at 100,000 stories instead of a sort of the whole table.
  await db.schema.createIndex('articles_newsroom_idx').on('articles').columns(['deleted_at', 'updated_at']).execute();
  await db.schema
    .createIndex('articles_newsroom_status_idx')
    .on('articles')
    .columns(['status', 'deleted_at', 'updated_at'])
    .execute();
  // The scheduler asks every second which scheduled stories are due.
  await db.schema.createIndex('articles_due_idx').on('articles').columns(['status', 'scheduled_at']).execute();
}
