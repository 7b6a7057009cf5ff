import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TaxonomyEditor } from '../../domain/articles/taxonomy-editor.js';
import { KiosqueError } from '../../domain/errors.js';

const renameBody = z.object({
  name: z.string().max(1000),
  slug: z.string().max(1000).optional(),
});
const kinds = z.enum(['section', 'tag', 'author']);

/**
 * `PUT /admin/api/taxonomy/:kind/:id` renames a section, tag or author (`{ name, slug? }`), for
 * staff with `taxonomy.manage`. Registered inside the admin's guarded scope (session, same origin,
 * CSRF token); the rename is announced so every page naming the old value is dropped (issue 11).
 */
export function registerAdminTaxonomyRoutes(scope: FastifyInstance, taxonomy: TaxonomyEditor) {
  scope.route<{ Params: { kind: string; id: string } }>({
    method: 'PUT',
    url: '/admin/api/taxonomy/:kind/:id',
    config: { access: 'taxonomy.manage' },
    bodyLimit: 16 * 1024,
    handler: async (request, reply) => {
      const kind = kinds.safeParse(request.params.kind);
      if (!kind.success) throw new KiosqueError('PAGE_NOT_FOUND');
      const body = renameBody.safeParse(request.body);
      if (!body.success) throw new KiosqueError('FORM_INVALID');
      await taxonomy.rename(kind.data, request.params.id, body.data);
      return reply.status(204).header('cache-control', 'no-store').send();
    },
  });
}
