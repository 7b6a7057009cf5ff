import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { KiosqueError } from '../../domain/errors.js';
import { memberStatuses } from '../../domain/members/member.js';
import { membersToCsv } from '../../domain/members/member-csv.js';
import type { MemberQuery } from '../../domain/members/member-service.js';
import type { WebDependencies } from '../server.js';
import { type MemberFilters, MemberPage, MembersPage } from '../views/admin-members.js';
import type { AdminContext } from '../views/admin-views.js';

const pageSize = 50;
const exportLimit = 100_000;

const filtersSchema = z.object({
  status: z.enum(memberStatuses).optional().catch(undefined),
  tier: z.enum(['free', 'paid']).optional().catch(undefined),
  newsletter: z.enum(['yes', 'no']).optional().catch(undefined),
  language: z.string().max(20).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
const grantForm = z.object({ until: z.string().max(20).optional() });

/** Staff's view of readers: list with filters, CSV export, one member's page, complimentary access. */
export function registerAdminMemberRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  deps: WebDependencies,
) {
  const { members } = deps.audience;
  const { site, clock } = deps;

  function filtersOf(query: unknown): MemberFilters & { page: number } {
    const parsed = filtersSchema.parse(query ?? {});
    const language = parsed.language && site.languages.includes(parsed.language) ? parsed.language : undefined;
    const q = parsed.q?.trim() || undefined;
    return { ...parsed, language, q, page: parsed.page ?? 1 };
  }

  const toQuery = (filters: MemberFilters, limit: number, offset: number): MemberQuery => ({
    status: filters.status,
    tier: filters.tier,
    newsletter: filters.newsletter,
    language: filters.language,
    search: filters.q,
    limit,
    offset,
  });

  const route = (
    method: 'GET' | 'POST',
    url: string,
    handler: (request: FastifyRequest, reply: FastifyReply) => unknown,
  ) => scope.route({ method, url, config: { access: 'members.manage' }, bodyLimit: 16 * 1024, handler });

  route('GET', '/admin/members', async (request, reply) => {
    const { page, ...filters } = filtersOf(request.query);
    const { items, total } = await members.list(toQuery(filters, pageSize, (page - 1) * pageSize));
    return views.send(
      reply,
      MembersPage({
        admin: views.context(request, reply),
        rows: items,
        total,
        page,
        pageCount: Math.max(1, Math.ceil(total / pageSize)),
        filters,
        now: clock.now(),
      }),
    );
  });

  route('GET', '/admin/members.csv', async (request, reply) => {
    const { page: _page, ...filters } = filtersOf(request.query);
    const { items } = await members.list(toQuery(filters, exportLimit, 0));
    const now = clock.now();
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="members-${now.toISOString().slice(0, 10)}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(`\uFEFF${membersToCsv(items, now)}`);
  });

  async function memberPage(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    notice?: { kind: 'error' | 'success'; text: string },
  ) {
    const member = await members.findById(request.params.id);
    if (!member) throw new KiosqueError('MEMBER_NOT_FOUND');
    const history = await members.history(member.id);
    return views.send(
      reply,
      MemberPage({ admin: views.context(request, reply), member, history, now: clock.now(), notice }),
    );
  }

  route('GET', '/admin/members/:id', async (request, reply) =>
    memberPage(request as FastifyRequest<{ Params: { id: string } }>, reply),
  );

  route('POST', '/admin/members/:id/complimentary', async (request, reply) => {
    const typed = request as FastifyRequest<{ Params: { id: string } }>;
    const form = grantForm.safeParse(request.body);
    if (!form.success || !request.staff) throw new KiosqueError('FORM_INVALID');
    const text = form.data.until?.trim() ?? '';
    let until: Date | null = null;
    if (text) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T23:59:59Z`))) {
        throw new KiosqueError('MEMBER_INPUT_INVALID');
      }
      until = new Date(`${text}T23:59:59Z`);
    }
    await members.setComplimentary(request.staff.user, typed.params.id, { until });
    const t = views.context(request, reply).t;
    return memberPage(typed, reply, { kind: 'success', text: t.t('admin.members.granted') });
  });

  route('POST', '/admin/members/:id/complimentary/revoke', async (request, reply) => {
    const typed = request as FastifyRequest<{ Params: { id: string } }>;
    if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
    await members.setComplimentary(request.staff.user, typed.params.id, null);
    const t = views.context(request, reply).t;
    return memberPage(typed, reply, { kind: 'success', text: t.t('admin.members.revoked') });
  });
}
