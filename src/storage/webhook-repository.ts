import type { Kysely, Selectable } from 'kysely';
import type { Delivery, DeliveryError, DeliveryStatus, Webhook, WebhookEvent } from '../domain/webhooks/webhook.js';
import type { DeliveryStore, WebhookStore } from '../domain/webhooks/webhook-service.js';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from './schema.js';
import { toDate, toDateOrNull } from './schema.js';

function webhookOf(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    integrationId: row.integration_id,
    event: row.event as WebhookEvent,
    targetUrl: row.target_url,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  };
}

function errorOf(text: string | null): DeliveryError | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as { code?: unknown; values?: unknown };
    if (typeof parsed.code !== 'string') return null;
    const values = typeof parsed.values === 'object' && parsed.values !== null ? parsed.values : {};
    return { code: parsed.code, values: values as DeliveryError['values'] };
  } catch {
    return null;
  }
}

function deliveryOf(row: Selectable<WebhookDeliveriesTable>): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event as WebhookEvent,
    eventKey: row.event_key,
    body: row.body,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: errorOf(row.last_error),
    answer: row.answer,
    createdAt: toDate(row.created_at),
    windowFrom: toDate(row.window_from),
    lastAttemptAt: toDateOrNull(row.last_attempt_at),
    nextAttemptAt: toDateOrNull(row.next_attempt_at),
    finishedAt: toDateOrNull(row.finished_at),
  };
}

/** Webhooks and their delivery log (migration 0022). */
export function createWebhookRepository(db: Kysely<Database>): { webhooks: WebhookStore; deliveries: DeliveryStore } {
  const webhooks: WebhookStore = {
    async insert(webhook, secret) {
      await db
        .insertInto('webhooks')
        .values({
          id: webhook.id,
          integration_id: webhook.integrationId,
          event: webhook.event,
          target_url: webhook.targetUrl,
          secret,
          created_by: webhook.createdBy,
          created_at: webhook.createdAt.toISOString(),
        })
        .execute();
    },
    async listFor(integrationId) {
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .where('integration_id', '=', integrationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(webhookOf);
    },
    async subscribedTo(event) {
      const rows = await db
        .selectFrom('webhooks')
        .innerJoin('integrations', 'integrations.id', 'webhooks.integration_id')
        .selectAll('webhooks')
        .where('webhooks.event', '=', event)
        .where('integrations.revoked_at', 'is', null)
        .orderBy('webhooks.id')
        .execute();
      return rows.map(webhookOf);
    },
    async find(id) {
      const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { webhook: webhookOf(row), secret: row.secret } : null;
    },
    async remove(id) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
        await trx.deleteFrom('webhooks').where('id', '=', id).execute();
      });
    },
  };

  const deliveries: DeliveryStore = {
    async insert(delivery) {
      const result = await db
        .insertInto('webhook_deliveries')
        .values({
          id: delivery.id,
          webhook_id: delivery.webhookId,
          event: delivery.event,
          event_key: delivery.eventKey,
          body: delivery.body,
          status: delivery.status,
          attempts: delivery.attempts,
          last_status: delivery.lastStatus,
          last_error: delivery.lastError ? JSON.stringify(delivery.lastError) : null,
          answer: delivery.answer,
          created_at: delivery.createdAt.toISOString(),
          window_from: delivery.windowFrom.toISOString(),
          last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
          next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
          finished_at: delivery.finishedAt?.toISOString() ?? null,
        })
        .onConflict((oc) => oc.columns(['webhook_id', 'event_key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async find(id) {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? deliveryOf(row) : null;
    },
    async listFor(webhookIds, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', 'in', webhookIds)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(deliveryOf);
    },
    async recordAttempt(id, change) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: change.status,
          attempts: eb('attempts', '+', 1),
          last_status: change.lastStatus,
          last_error: change.lastError ? JSON.stringify(change.lastError) : null,
          answer: change.answer,
          last_attempt_at: change.lastAttemptAt?.toISOString() ?? null,
          next_attempt_at: change.nextAttemptAt?.toISOString() ?? null,
          finished_at: change.finishedAt?.toISOString() ?? null,
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    async reopen(id, now) {
      const at = now.toISOString();
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', window_from: at, next_attempt_at: at, finished_at: null })
        .where('id', '=', id)
        .where('status', '!=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async pending(limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map(deliveryOf);
    },
    async prune(before) {
      const result = await db
        .deleteFrom('webhook_deliveries')
        .where('status', '!=', 'pending')
        .where('finished_at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  return { webhooks, deliveries };
}

/**
 * The translations a change of their source's words puts out of date: those saved against a
 * revision at or after `wasCurrentFrom` (up to date until now) and before `textRevision`.
 */
export function createOutdatedTranslations(db: Kysely<Database>) {
  return async (
    sourceId: string,
    wasCurrentFrom: number,
    textRevision: number,
  ): Promise<{ id: string; language: string; slug: string; sourceRevision: number }[]> => {
    const rows = await db
      .selectFrom('articles')
      .innerJoin('articles as source', 'source.id', 'articles.translation_source_id')
      .select([
        'articles.id as id',
        'articles.language as language',
        'articles.slug as slug',
        'articles.translation_source_revision as revision',
      ])
      .where('articles.translation_source_id', '=', sourceId)
      .whereRef('source.translation_group', '=', 'articles.translation_group')
      .where('articles.deleted_at', 'is', null)
      .where('articles.translation_source_revision', '>=', wasCurrentFrom)
      .where('articles.translation_source_revision', '<', textRevision)
      .orderBy('articles.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      language: row.language,
      slug: row.slug,
      sourceRevision: Number(row.revision),
    }));
  };
}
