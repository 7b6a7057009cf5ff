import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { IntegrationService } from '../../domain/integrations/integration-service.js';
import { errorOf } from '../error-status.js';
import { type IntegrationNotice, IntegrationPage, IntegrationsPage } from '../views/admin-integrations.js';
import type { AdminPages } from './admin-media-routes.js';

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
  deps: { integrations: IntegrationService; publicUrl: string },
) {
  const { integrations } = deps;
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
      return pages.send(
        reply,
        IntegrationPage({ admin: pages.context(request, reply), integration: keys.integration, keys, contentApiUrl }),
        201,
      );
    } catch (error) {
      if (!isKiosqueError(error) || error.code !== 'INTEGRATION_INVALID') throw error;
      return listPage(request, reply, { code: error.code, values: messageValues(error) }, errorOf(error).status);
    }
  });

  route<{ id: string }>('GET', '/admin/integrations/:id', async (request, reply) => {
    const integration = await integrations.find(request.params.id);
    return pages.send(reply, IntegrationPage({ admin: pages.context(request, reply), integration, contentApiUrl }));
  });

  route<{ id: string }>('POST', '/admin/integrations/:id/keys', async (request, reply) => {
    const keys = await integrations.replaceKeys(request.params.id);
    return pages.send(
      reply,
      IntegrationPage({ admin: pages.context(request, reply), integration: keys.integration, keys, contentApiUrl }),
    );
  });

  route<{ id: string }>('POST', '/admin/integrations/:id/revoke', async (request, reply) => {
    await integrations.revoke(request.params.id);
    return reply.redirect(`/admin/integrations/${encodeURIComponent(request.params.id)}`, 303);
  });
}
