import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { StaticPageInput, StaticPages } from '../../domain/pages/static-pages.js';
import { errorOf } from '../error-status.js';
import { PageEditor, PageList } from '../views/admin-pages.js';
import type { AdminContext } from '../views/admin-views.js';

type FormFields = Record<string, string | string[] | undefined>;

/** The admin's forms are url-encoded: anything else (JSON of other types) is refused unread. */
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
function fieldsOf(body: unknown): FormFields {
  const parsed = formBody.safeParse(body ?? {});
  if (!parsed.success) throw new KiosqueError('FORM_INVALID');
  return parsed.data;
}
const one = (fields: FormFields, name: string): string => {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

function inputOf(fields: FormFields): StaticPageInput {
  return {
    language: one(fields, 'language'),
    slug: one(fields, 'slug').trim(),
    title: one(fields, 'title'),
    description: one(fields, 'description'),
    bodyMarkdown: one(fields, 'bodyMarkdown'),
    translationOf: one(fields, 'translationOf').trim() || null,
  };
}

const refusable: ErrorCode[] = ['STATIC_PAGE_INVALID', 'STATIC_PAGE_SLUG_TAKEN', 'STATIC_PAGE_LANGUAGE_TAKEN'];

/**
 * Admin → Pages (`pages.manage`: editors and up; decision 0059): the static pages per language,
 * written in Markdown, each a translation of another or a page of its own.
 */
export function registerAdminPageRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  deps: { pages: StaticPages; languages: readonly string[] },
) {
  const route = <Params = unknown>(
    method: 'GET' | 'POST',
    url: string,
    handler: (request: FastifyRequest<{ Params: Params; Body: FormFields }>, reply: FastifyReply) => unknown,
  ) =>
    scope.route({ method, url, config: { access: 'pages.manage' }, bodyLimit: 256 * 1024, handler: handler as never });

  async function editor(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { id: string | null; input: StaticPageInput },
    error: unknown = null,
  ) {
    const admin = views.context(request, reply);
    const all = await deps.pages.list();
    const message = error && isKiosqueError(error) ? admin.t.t(`error.${error.code}`, messageValues(error)) : null;
    return views.send(
      reply,
      PageEditor({
        admin,
        id: page.id,
        input: page.input,
        languages: deps.languages,
        others: all.filter((other) => other.id !== page.id),
        error: message,
      }),
      error ? errorOf(error).status : 200,
    );
  }

  route('GET', '/admin/pages', async (request, reply) =>
    views.send(reply, PageList({ admin: views.context(request, reply), pages: await deps.pages.list() })),
  );

  route('GET', '/admin/pages/new', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const source = query.translationOf ? await deps.pages.find(query.translationOf) : null;
    return editor(request, reply, {
      id: null,
      input: {
        language:
          query.language && deps.languages.includes(query.language) ? query.language : (deps.languages[0] ?? ''),
        slug: '',
        title: '',
        description: '',
        bodyMarkdown: source?.bodyMarkdown ?? '',
        translationOf: source?.id ?? null,
      },
    });
  });

  route('POST', '/admin/pages', async (request, reply) => {
    const input = inputOf(fieldsOf(request.body));
    try {
      const page = await deps.pages.create(input);
      return reply.redirect(`/admin/pages/${page.id}?saved=1`, 303);
    } catch (error) {
      if (!isKiosqueError(error) || !refusable.includes(error.code)) throw error;
      return editor(request, reply, { id: null, input }, error);
    }
  });

  route<{ id: string }>('GET', '/admin/pages/:id', async (request, reply) => {
    const page = await deps.pages.find(request.params.id);
    if (!page) throw new KiosqueError('PAGE_NOT_FOUND');
    return editor(request, reply, {
      id: page.id,
      input: { ...page, translationOf: null },
    });
  });

  route<{ id: string }>('POST', '/admin/pages/:id', async (request, reply) => {
    const input = inputOf(fieldsOf(request.body));
    try {
      await deps.pages.update(request.params.id, input);
      return reply.redirect(`/admin/pages/${request.params.id}?saved=1`, 303);
    } catch (error) {
      if (!isKiosqueError(error) || !refusable.includes(error.code)) throw error;
      return editor(request, reply, { id: request.params.id, input }, error);
    }
  });

  route<{ id: string }>('POST', '/admin/pages/:id/delete', async (request, reply) => {
    await deps.pages.remove(request.params.id);
    return reply.redirect('/admin/pages', 303);
  });
}
