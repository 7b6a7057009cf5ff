import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditActor, AuditTrail } from '../../domain/audit/audit-trail.js';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { Integration, IntegrationKeys } from '../../domain/integrations/integration.js';
import type { IntegrationService } from '../../domain/integrations/integration-service.js';
import type { Webhook } from '../../domain/webhooks/webhook.js';
import type { WebhookService } from '../../domain/webhooks/webhook-service.js';
import { errorOf } from '../error-status.js';
import { type IntegrationNotice, IntegrationPage, IntegrationsPage } from '../views/admin-integrations.js';
import { DeliveryLogPage, Webhooks } from '../views/admin-webhooks.js';
import type { AdminPages } from './admin-media-routes.js';

const webhookForm = z.object({
  event: z.string().max(100).default(''),
  targetUrl: z.string().max(4000).default(''),
});

const addForm = z.object({
  name: z.string().max(1000).default(''),
  // One checkbox arrives as a string, several as an array; none at all as nothing.
  scopes: z
    .union([z.string().max(100), z.array(z.string().max(100)).max(20)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
});

/**
 * Admin → Integrations (`integrations.manage`): add an integration (its keys shown once), revoke
 * it, replace its keys. Registered inside the admin's guarded scope: session, same origin and CSRF
 * token on every POST.
 */
export function registerAdminIntegrationRoutes(
  scope: FastifyInstance,
  pages: AdminPages,
  deps: { integrations: IntegrationService; webhooks: WebhookService; publicUrl: string; audit: AuditTrail },
) {
  const { integrations, webhooks } = deps;
  const actorOf = (request: FastifyRequest): AuditActor =>
    request.staff
      ? { id: request.staff.user.id, name: request.staff.user.name, kind: 'staff' }
      : { id: null, name: '', kind: 'system' };
  const contentApiUrl = `${deps.publicUrl}/ghost/api/content/`;
  const route = <Params = unknown>(
    method: 'GET' | 'POST',
    url: string,
    handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => unknown,
  ) =>
    scope.route({
      method,
      url,
      config: { access: 'integrations.manage' },
      bodyLimit: 16 * 1024,
      handler: handler as never,
    });

  async function listPage(request: FastifyRequest, reply: FastifyReply, notice?: IntegrationNotice, status = 200) {
    const all = await integrations.list();
    return pages.send(
      reply,
      IntegrationsPage({ admin: pages.context(request, reply), integrations: all, notice }),
      status,
    );
  }

  /** An integration's page: its keys, then its webhooks (a new one's secret, or a refused form). */
  async function integrationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    integration: Integration,
    extra: {
      keys?: IntegrationKeys;
      created?: { webhook: Webhook; secret: string };
      notice?: IntegrationNotice;
      form?: { event: string; targetUrl: string };
      status?: number;
    } = {},
  ) {
    const admin = pages.context(request, reply);
    const hooks = await webhooks.listFor(integration.id);
    return pages.send(
      reply,
      IntegrationPage({
        admin,
        integration,
        keys: extra.keys,
        contentApiUrl,
        children: Webhooks({
          admin,
          integration,
          webhooks: hooks,
          created: extra.created,
          notice: extra.notice,
          form: extra.form,
        }),
      }),
      extra.status ?? 200,
    );
  }

  route('GET', '/admin/integrations', (request, reply) => listPage(request, reply));

  route('POST', '/admin/integrations', async (request, reply) => {
    const form = addForm.safeParse(request.body ?? {});
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      const keys = await integrations.add({
        name: form.data.name,
        scopes: form.data.scopes,
        createdBy: request.staff?.user.id ?? null,
      });
      await deps.audit.record({
        action: 'integration.created',
        actor: actorOf(request),
        subject: { id: keys.integration.id, name: keys.integration.name },
      });
      return integrationPage(request, reply, keys.integration, { keys, status: 201 });
    } catch (error) {
      if (!isKiosqueError(error) || error.code !== 'INTEGRATION_INVALID') throw error;
      return listPage(request, reply, { code: error.code, values: messageValues(error) }, errorOf(error).status);
    }
  });

  route<{ id: string }>('GET', '/admin/integrations/:id', async (request, reply) => {
    return integrationPage(request, reply, await integrations.find(request.params.id));
  });

  route<{ id: string }>('POST', '/admin/integrations/:id/keys', async (request, reply) => {
    const keys = await integrations.replaceKeys(request.params.id);
    return integrationPage(request, reply, keys.integration, { keys });
  });

  route<{ id: string }>('POST', '/admin/integrations/:id/revoke', async (request, reply) => {
    const integration = await integrations.find(request.params.id);
    await integrations.revoke(integration.id);
    if (integration.revokedAt === null) {
      await deps.audit.record({
        action: 'integration.revoked',
        actor: actorOf(request),
        subject: { id: integration.id, name: integration.name },
      });
    }
    return reply.redirect(`/admin/integrations/${encodeURIComponent(request.params.id)}`, 303);
  });

  route<{ id: string }>('POST', '/admin/integrations/:id/webhooks', async (request, reply) => {
    const integration = await integrations.find(request.params.id);
    const form = webhookForm.safeParse(request.body ?? {});
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      const created = await webhooks.add({
        integrationId: integration.id,
        event: form.data.event,
        targetUrl: form.data.targetUrl,
        createdBy: request.staff?.user.id ?? null,
      });
      return integrationPage(request, reply, integration, { created, status: 201 });
    } catch (error) {
      if (!isKiosqueError(error) || error.code !== 'HOOK_INVALID') throw error;
      return integrationPage(request, reply, integration, {
        notice: { code: error.code, values: messageValues(error) },
        form: form.data,
        status: errorOf(error).status,
      });
    }
  });

  route<{ id: string; webhookId: string }>(
    'POST',
    '/admin/integrations/:id/webhooks/:webhookId/delete',
    async (request, reply) => {
      await webhooks.remove(request.params.id, request.params.webhookId);
      return reply.redirect(`/admin/integrations/${encodeURIComponent(request.params.id)}`, 303);
    },
  );

  route<{ id: string }>('GET', '/admin/integrations/:id/deliveries', async (request, reply) => {
    const integration = await integrations.find(request.params.id);
    const log = await webhooks.log(integration.id);
    return pages.send(reply, DeliveryLogPage({ admin: pages.context(request, reply), integration, ...log }));
  });

  route<{ id: string; deliveryId: string }>(
    'POST',
    '/admin/integrations/:id/deliveries/:deliveryId/resend',
    async (request, reply) => {
      await webhooks.redeliver(request.params.id, request.params.deliveryId);
      return reply.redirect(`/admin/integrations/${encodeURIComponent(request.params.id)}/deliveries`, 303);
    },
  );
}
