import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AuthorProfileEditor } from '../../domain/articles/author-profile-editor.js';
import type { ListingTaxonomyKind, TaxonomyEditor } from '../../domain/articles/taxonomy-editor.js';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { MediaLibrary } from '../../domain/media/media-library.js';
import { hasPermission, mayEditAuthorProfile } from '../../domain/staff/roles.js';
import { errorOf } from '../error-status.js';
import { AuthorProfilePage, AuthorsPage, TaxonomyListPage, TaxonPage, type TaxonRow } from '../views/admin-taxonomy.js';
import type { AdminContext } from '../views/admin-views.js';

const renameBody = z.object({
  name: z.string().max(1000),
  slug: z.string().max(1000).optional(),
});
const kinds = z.enum(['section', 'tag', 'author']);
const taxonForm = z.object({
  name: z.string().max(1000),
  slug: z.string().max(1000).optional(),
  description: z.string().max(20_000).default(''),
});
const mergeForm = z.object({ into: z.string().max(200) });
const moveForm = z.object({ direction: z.enum(['up', 'down']) });
const noticeQuery = z.object({
  language: z.string().max(20).optional().catch(undefined),
  done: z.enum(['saved', 'merged', 'moved']).optional().catch(undefined),
});

/** What the management screens read and change (decisions 0061, 0062). */
export interface TaxonomyScreens {
  editor: TaxonomyEditor;
  taxa: {
    list(kind: ListingTaxonomyKind, language: string): Promise<TaxonRow[]>;
    find(kind: ListingTaxonomyKind, id: string): Promise<TaxonRow | null>;
  };
  authors: { list(): Promise<{ id: string; slug: string; name: string; stories: number }[]> };
  profiles: AuthorProfileEditor;
  media: MediaLibrary;
}

/** Refusals a staff member can fix in the form: shown again with the message, nothing stored. */
const fixable: readonly ErrorCode[] = [
  'TAXONOMY_NAME_INVALID',
  'TAXONOMY_SLUG_TAKEN',
  'TAXONOMY_DESCRIPTION_TOO_LONG',
  'TAXONOMY_MERGE_REFUSED',
  'AUTHOR_LINK_INVALID',
  'AUTHOR_PROFILE_INVALID',
];

const plural = { section: 'sections', tag: 'tags' } as const;

/**
 * Admin → Sections, Admin → Tags (`taxonomy.manage`): per language, list with story counts,
 * rename (old addresses answer with a 301), describe, merge, and the order of the section menu
 * with plain forms (decision 0061). Admin → Authors: every profile for editors and up, one's own
 * for anyone linked to an author (decision 0062). `PUT /admin/api/taxonomy/:kind/:id` stays, the
 * JSON rename of issue 11. All inside the admin's guarded scope (session, same origin, CSRF).
 */
export function registerAdminTaxonomyRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  screens: TaxonomyScreens,
) {
  const { editor } = screens;

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
      await editor.rename(kind.data, request.params.id, body.data);
      return reply.status(204).header('cache-control', 'no-store').send();
    },
  });

  /** The form shown again with the refusal in the staff member's language, and its status. */
  async function refused(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    page: (admin: AdminContext, message: string) => Promise<VNode>,
  ) {
    if (!isKiosqueError(error) || !fixable.includes(error.code)) throw error;
    const admin = views.context(request, reply);
    const message = admin.t.t(`error.${error.code}`, messageValues(error));
    return views.send(reply, await page(admin, message), errorOf(error).status);
  }

  const route = (
    method: 'GET' | 'POST',
    url: string,
    access: 'taxonomy.manage' | 'admin.enter',
    handler: (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => unknown,
  ) => scope.route({ method, url, config: { access }, bodyLimit: 64 * 1024, handler: handler as never });

  for (const kind of ['section', 'tag'] as const) {
    const base = `/admin/${plural[kind]}`;

    route('GET', base, 'taxonomy.manage', async (request, reply) => {
      const admin = views.context(request, reply);
      const query = noticeQuery.parse(request.query ?? {});
      const language = query.language && admin.languages.includes(query.language) ? query.language : admin.t.language;
      const rows = await screens.taxa.list(kind, language);
      return views.send(reply, TaxonomyListPage({ admin, kind, language, rows, done: query.done }));
    });

    async function taxonPage(admin: AdminContext, id: string, notice?: { kind: 'error' | 'success'; text: string }) {
      const taxon = await screens.taxa.find(kind, id);
      if (!taxon) throw new KiosqueError(kind === 'section' ? 'SECTION_NOT_FOUND' : 'TAG_NOT_FOUND', { id });
      const others = (await screens.taxa.list(kind, taxon.language)).filter((other) => other.id !== taxon.id);
      return TaxonPage({ admin, kind, taxon, others, notice });
    }

    route('GET', `${base}/:id`, 'taxonomy.manage', async (request, reply) => {
      const admin = views.context(request, reply);
      const { done } = noticeQuery.parse(request.query ?? {});
      const notice =
        done === 'saved' ? { kind: 'success' as const, text: admin.t.t('admin.taxonomy.saved') } : undefined;
      return views.send(reply, await taxonPage(admin, request.params.id, notice));
    });

    route('POST', `${base}/:id`, 'taxonomy.manage', async (request, reply) => {
      const form = taxonForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        await editor.update(kind, request.params.id, form.data);
      } catch (error) {
        return refused(request, reply, error, (admin, text) =>
          taxonPage(admin, request.params.id, { kind: 'error', text }),
        );
      }
      return reply.redirect(`${base}/${encodeURIComponent(request.params.id)}?done=saved`, 303);
    });

    route('POST', `${base}/:id/merge`, 'taxonomy.manage', async (request, reply) => {
      const form = mergeForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      const taxon = await screens.taxa.find(kind, request.params.id);
      try {
        await editor.merge(kind, request.params.id, form.data.into);
      } catch (error) {
        return refused(request, reply, error, (admin, text) =>
          taxonPage(admin, request.params.id, { kind: 'error', text }),
        );
      }
      const language = taxon ? `&language=${encodeURIComponent(taxon.language)}` : '';
      return reply.redirect(`${base}?done=merged${language}`, 303);
    });
  }

  route('POST', '/admin/sections/:id/move', 'taxonomy.manage', async (request, reply) => {
    const form = moveForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const section = await screens.taxa.find('section', request.params.id);
    await editor.moveSection(request.params.id, form.data.direction);
    const language = section ? `&language=${encodeURIComponent(section.language)}` : '';
    return reply.redirect(`/admin/sections?done=moved${language}#${encodeURIComponent(request.params.id)}`, 303);
  });

  // Authors: anyone in the admin may open the list; it shows what they may edit.
  route('GET', '/admin/authors', 'admin.enter', async (request, reply) => {
    const admin = views.context(request, reply);
    const user = request.staff?.user;
    if (!user) throw new KiosqueError('SIGNIN_REQUIRED');
    const all = await screens.authors.list();
    const rows = hasPermission(user.role, 'authors.manage') ? all : all.filter((author) => author.id === user.authorId);
    return views.send(reply, AuthorsPage({ admin, rows }));
  });

  async function profilePage(
    request: FastifyRequest<{ Params: { id: string } }>,
    admin: AdminContext,
    notice?: { kind: 'error' | 'success'; text: string },
    typed?: { imageId: string; links: string; languages: Record<string, { jobTitle?: string; bio?: string }> },
  ) {
    const profile = await screens.profiles.find(request.params.id);
    if (!profile) throw new KiosqueError('AUTHOR_NOT_FOUND', { id: request.params.id });
    const user = request.staff?.user;
    if (!user || !mayEditAuthorProfile(user, profile.authorId)) throw new KiosqueError('ACCESS_DENIED');
    const { items } = await screens.media.list({ limit: 24 });
    const current = profile.imageId ? await screens.media.find(profile.imageId).catch(() => null) : null;
    const images = current && !items.some((image) => image.id === current.id) ? [current, ...items] : items;
    return AuthorProfilePage({ admin, profile, images, notice, typed });
  }

  route('GET', '/admin/authors/:id', 'admin.enter', async (request, reply) => {
    const admin = views.context(request, reply);
    const { done } = noticeQuery.parse(request.query ?? {});
    const notice = done === 'saved' ? { kind: 'success' as const, text: admin.t.t('admin.taxonomy.saved') } : undefined;
    return views.send(reply, await profilePage(request, admin, notice));
  });

  route('POST', '/admin/authors/:id', 'admin.enter', async (request, reply) => {
    const fields = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
    const input = {
      imageId: text('imageId'),
      links: text('links'),
      languages: Object.fromEntries(
        views
          .context(request, reply)
          .languages.map((language) => [
            language,
            { jobTitle: text(`jobTitle.${language}`), bio: text(`bio.${language}`) },
          ]),
      ),
    };
    // Rights before anything else: a staff member who may not edit this profile learns nothing more.
    const profile = await screens.profiles.find(request.params.id);
    if (!profile) throw new KiosqueError('AUTHOR_NOT_FOUND', { id: request.params.id });
    const user = request.staff?.user;
    if (!user || !mayEditAuthorProfile(user, profile.authorId)) throw new KiosqueError('ACCESS_DENIED');
    try {
      await screens.profiles.save(request.params.id, input);
    } catch (error) {
      return refused(request, reply, error, (admin, message) =>
        profilePage(request, admin, { kind: 'error', text: message }, input),
      );
    }
    return reply.redirect(`/admin/authors/${encodeURIComponent(request.params.id)}?done=saved`, 303);
  });
}
