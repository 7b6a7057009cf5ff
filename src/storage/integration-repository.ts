import type { Kysely, Selectable } from 'kysely';
import type { Integration, Scope } from '../domain/integrations/integration.js';
import { isScope } from '../domain/integrations/integration.js';
import type { IntegrationStore } from '../domain/integrations/integration-service.js';
import type { Database, IntegrationsTable } from './schema.js';
import { toDate, toDateOrNull } from './schema.js';

function integrationOf(row: Selectable<IntegrationsTable>): Integration {
  const named = JSON.parse(row.scopes) as unknown;
  const scopes = Array.isArray(named)
    ? named.filter((name): name is Scope => typeof name === 'string' && isScope(name))
    : [];
  return {
    id: row.id,
    name: row.name,
    contentKey: row.content_key,
    scopes,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    revokedAt: toDateOrNull(row.revoked_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

/** Integrations and their keys (migration 0021). */
export function createIntegrationRepository(db: Kysely<Database>): IntegrationStore {
  return {
    async insert(integration, adminSecretDigest) {
      await db
        .insertInto('integrations')
        .values({
          id: integration.id,
          name: integration.name,
          content_key: integration.contentKey,
          admin_secret_digest: adminSecretDigest,
          scopes: JSON.stringify(integration.scopes),
          created_by: integration.createdBy,
          created_at: integration.createdAt.toISOString(),
          revoked_at: null,
          last_used_at: null,
        })
        .execute();
    },
    async list() {
      const rows = await db.selectFrom('integrations').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(integrationOf);
    },
    async find(id) {
      const row = await db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { integration: integrationOf(row), adminSecretDigest: row.admin_secret_digest } : null;
    },
    async findByContentKey(contentKey) {
      const row = await db
        .selectFrom('integrations')
        .selectAll()
        .where('content_key', '=', contentKey)
        .executeTakeFirst();
      return row ? integrationOf(row) : null;
    },
    async update(id, change) {
      await db
        .updateTable('integrations')
        .set({
          ...(change.revokedAt ? { revoked_at: change.revokedAt.toISOString() } : {}),
          ...(change.lastUsedAt ? { last_used_at: change.lastUsedAt.toISOString() } : {}),
          ...(change.adminSecretDigest ? { admin_secret_digest: change.adminSecretDigest } : {}),
          ...(change.contentKey ? { content_key: change.contentKey } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
