import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 13: integrations, the programs that read and write the site through its APIs. Each has a
 * Content API key (read-only, public like Ghost's: it is kept as it is, to be looked up) and an
 * Admin API token whose secret is kept only as a SHA-256 digest (shown once, decision 0045).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_key', 'text', (c) => c.notNull().unique())
    .addColumn('admin_secret_digest', 'text', (c) => c.notNull())
    // JSON array of scope names (`domain/integrations/integration.ts#scopes`).
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('revoked_at', time)
    .addColumn('last_used_at', time)
    .execute();
}
