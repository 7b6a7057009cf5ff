import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Edits of a live story are kept aside as its pending version (issue 11, decision 0016): the
 * revision holding it is named here, null when there is none. The content lives in
 * `article_revisions` like every other saved state, so nothing else is stored twice.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('articles').addColumn('pending_revision', 'integer').execute();
}
