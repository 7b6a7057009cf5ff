import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import type { StoryEditor } from '../../domain/articles/story-editor.js';
import {
  listStories,
  type NewsroomSearch,
  type StoryLister,
  storyListPageSize,
} from '../../domain/articles/story-list.js';
import type { TaxonomyEditor } from '../../domain/articles/taxonomy-editor.js';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import { negotiateLanguage } from '../../domain/i18n/translator.js';
import type { ImportQueue } from '../../domain/imports/import-queue.js';
import type { IntegrationService } from '../../domain/integrations/integration-service.js';
import type { MediaLibrary } from '../../domain/media/media-library.js';
import type { PasswordReset } from '../../domain/staff/password-reset.js';
import { assignableRoles, isRole } from '../../domain/staff/roles.js';
import type { StaffService } from '../../domain/staff/staff-service.js';
import { sessionLifetimeMs } from '../../domain/staff/staff-service.js';
import type { WebhookService } from '../../domain/webhooks/webhook-service.js';
import type { WireDesk } from '../../domain/wire/wire-desk.js';
import { type AdminAccess, createAdminGuard, preSessionCsrfCookie, staffCookie } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import type { WebDependencies } from '../server.js';
import { pageSecurityHeaders } from '../server.js';
import {
  type AdminContext,
  AdminMessagePage,
  ForgotPasswordPage,
  LoginPage,
  PasswordSetupPage,
  roleKey,
  StaffPage,
  StoryListPage,
} from '../views/admin-views.js';
import { registerAdminExportRoutes, type SiteExporter } from './admin-export-routes.js';
import { registerAdminImportRoutes } from './admin-import-routes.js';
import { registerAdminIntegrationRoutes } from './admin-integration-routes.js';
import { registerAdminMediaRoutes } from './admin-media-routes.js';
import { registerAdminMemberRoutes } from './admin-member-routes.js';
import { registerStoryRoutes } from './admin-story-routes.js';
import { registerAdminTaxonomyRoutes, type TaxonomyScreens } from './admin-taxonomy-routes.js';
import { registerAdminWireRoutes } from './admin-wire-routes.js';
import { registerNewsletterAdminRoutes } from './newsletter-admin-routes.js';

export interface AdminDependencies {
  staff: StaffService;
  /** "Forgot your password?": reset links by email. */
  passwordReset: PasswordReset;
  stories: StoryLister;
  /** The search engine behind the story list's search box. */
  search: NewsroomSearch;
  secret: () => string;
  media: MediaLibrary;
  /** The story editor: writes with per-story rights, revisions, preview links. */
  editor: StoryEditor;
  /** The site's time zone, in which a scheduled time typed without the editor script is read. */
  timeZone: string;
  /** Renames sections, tags and authors (issue 11: announced, so pages naming them are dropped). */
  taxonomy: TaxonomyEditor;
  /** Admin → Sections, Tags and Authors (issue 14, decisions 0061, 0062). */
  taxonomyScreens: Omit<TaxonomyScreens, 'media'>;
  /** The wire desk (issue 12): sources, the queue, "Use as draft". */
  wire: WireDesk;
  /** Programs that use the Content and Admin APIs, and their keys (issue 13). */
  integrations: IntegrationService;
  /** Outgoing webhooks of the integrations, and their delivery log (issue 13). */
  webhooks: WebhookService;
  /** The whole site as a download (issue 13). */
  siteExport: SiteExporter;
  /** Imports from other systems (issue 13): upload, progress, report. */
  imports: ImportQueue;
}

const storyListQuery = z.object({
  status: z.enum(['draft', 'scheduled', 'published', 'deleted']).optional().catch(undefined),
  language: z.string().max(20).optional(),
  q: z.string().max(200).optional(),
  section: z.string().max(100).optional().catch(undefined),
  author: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  translation: z.enum(['outdated']).optional().catch(undefined),
});

const loginForm = z.object({
  email: z.string().max(1000),
  password: z.string().max(1000),
  next: z.string().max(2000).optional(),
});
const setupForm = z.object({
  token: z.string().max(200),
  name: z.string().max(1000),
  email: z.string().max(1000),
  password: z.string().max(1000),
});
const invitationForm = z.object({ token: z.string().max(200), password: z.string().max(1000) });
const forgotForm = z.object({ email: z.string().max(1000) });
const inviteForm = z.object({
  name: z.string().max(1000),
  email: z.string().max(1000),
  role: z.string(),
  language: z.string(),
});

/** Everything under /admin: sign-in, owner setup, invitations, staff, and the guard in front of it all. */
export function registerAdminRoutes(app: FastifyInstance, deps: WebDependencies, admin: AdminDependencies) {
  const { site, translators, assets } = deps;
  const secure = site.publicUrl.startsWith('https://');

  function adminLanguage(request: FastifyRequest): string {
    return (
      request.staff?.user.language ??
      negotiateLanguage(request.headers['accept-language'], site.languages, site.defaultLanguage)
    );
  }

  function context(request: FastifyRequest, reply: FastifyReply): AdminContext {
    const language = adminLanguage(request);
    let csrfToken = request.staff?.session.csrfToken;
    if (!csrfToken) {
      csrfToken = request.cookies[preSessionCsrfCookie] ?? admin.secret();
      reply.setCookie(preSessionCsrfCookie, csrfToken, { path: '/admin', httpOnly: true, sameSite: 'strict', secure });
    }
    return {
      t: translators.get(language) ?? (translators.get(site.defaultLanguage) as AdminContext['t']),
      siteName: site.name,
      languages: site.languages,
      assets: {
        css: assets.get('admin.css')?.url ?? '',
        js: assets.get('admin.js')?.url ?? '',
        icon: assets.get('favicon.svg')?.url ?? '',
      },
      user: request.staff?.user ?? null,
      csrfToken,
    };
  }

  function send(reply: FastifyReply, node: VNode, status = 200) {
    // A page may ask for a stricter Referrer-Policy (one whose URL carries a token) than the default.
    const referrerPolicy = reply.getHeader('referrer-policy');
    return reply
      .status(status)
      .headers(pageSecurityHeaders)
      .headers(referrerPolicy ? { 'referrer-policy': referrerPolicy } : {})
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(`<!DOCTYPE html>${renderToString(node)}`);
  }

  function startSession(reply: FastifyReply, token: string) {
    reply.setCookie(staffCookie, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: Math.floor(sessionLifetimeMs / 1000),
    });
  }

  const requestContext = (request: FastifyRequest) => ({
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? ''),
  });

  const message = (request: FastifyRequest, reply: FastifyReply, code: ErrorCode, error?: unknown) =>
    context(request, reply).t.t(`error.${code}`, messageValues(error));

  /**
   * A form refused for one of `codes` (what the person can fix: a weak password, a taken
   * address, a wait) is shown again by `page`, with the message in their language and the
   * status `errorOf` gives the code (a 429 says when to come back, as every other 429 does);
   * anything else goes on to the error handler.
   */
  function refusedForm(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    codes: readonly ErrorCode[],
    page: (ctx: AdminContext, message: string) => VNode,
  ) {
    if (!isKiosqueError(error) || !codes.includes(error.code)) throw error;
    const { status } = errorOf(error);
    const values = messageValues(error);
    if (status === 429 && typeof values.seconds === 'number') reply.header('retry-after', String(values.seconds));
    const ctx = context(request, reply);
    return send(reply, page(ctx, ctx.t.t(`error.${error.code}`, values)), status);
  }

  app.register(async (scope) => {
    scope.addHook('preHandler', createAdminGuard(admin.staff));

    scope.setErrorHandler(async (error, request, reply) => {
      const { code, status } = errorOf(error, request);
      if (status >= 500) request.log.error({ err: error, url: request.url }, 'admin request failed');
      const text = message(request, reply, code, error);
      if (request.url.startsWith('/admin/api/'))
        return reply.status(status).header('cache-control', 'no-store').send({ code, message: text });
      const ctx = context(request, reply);
      const title = ctx.t.t(
        status === 403 ? 'admin.denied.title' : status === 401 ? 'admin.login.title' : 'error.title400',
      );
      return send(reply, AdminMessagePage({ admin: ctx, title, message: text }), status);
    });

    const route = <Body = unknown, Params = unknown, Query = unknown>(
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      access: AdminAccess,
      handler: (
        request: FastifyRequest<{ Body: Body; Params: Params; Querystring: Query }>,
        reply: FastifyReply,
      ) => unknown,
    ) => scope.route({ method, url, config: { access }, bodyLimit: 64 * 1024, handler: handler as never });

    route('GET', '/admin', 'admin.enter', async (_request, reply) => reply.redirect('/admin/stories', 302));

    registerAdminMediaRoutes(scope, { context, send }, deps, admin);
    registerAdminMemberRoutes(scope, { context, send }, deps);
    registerAdminTaxonomyRoutes(scope, { context, send }, { ...admin.taxonomyScreens, media: admin.media });
    registerAdminExportRoutes(scope, { context, send }, admin.siteExport);
    registerAdminWireRoutes(scope, { context, send }, { desk: admin.wire, staff: admin.staff, clock: deps.clock });
    registerAdminIntegrationRoutes(
      scope,
      { context, send },
      { integrations: admin.integrations, webhooks: admin.webhooks, publicUrl: deps.site.publicUrl },
    );
    registerAdminImportRoutes(scope, { context, send }, { imports: admin.imports, staff: admin.staff });
    registerStoryRoutes(scope, { context, send }, deps, {
      editor: admin.editor,
      staff: admin.staff,
      timeZone: admin.timeZone,
      integrations: admin.integrations,
    });

    route<unknown, unknown, Record<string, string>>('GET', '/admin/stories', 'admin.enter', async (request, reply) => {
      const filters = storyListQuery.parse(request.query);
      const page = filters.page ?? 1;
      const language = filters.language && site.languages.includes(filters.language) ? filters.language : undefined;
      const choices = await admin.editor.choices();
      const section = choices.sections.find((s) => s.id === filters.section);
      const sectionId = section?.id;
      const authorId = choices.authors.some((a) => a.id === filters.author) ? filters.author : undefined;
      // A section belongs to one language: with both, the section alone says it (and faster), or
      // they contradict each other and no story can match.
      const { items, total } =
        section && language && section.language !== language
          ? { items: [], total: 0 }
          : await listStories(admin, {
              status: filters.status,
              language: section ? undefined : language,
              sectionId,
              authorId,
              outOfDate: filters.translation === 'outdated',
              text: filters.q,
              searchLanguages: section ? [section.language] : language ? [language] : site.languages,
              limit: storyListPageSize,
              offset: (page - 1) * storyListPageSize,
            });
      return send(
        reply,
        StoryListPage({
          admin: context(request, reply),
          rows: items,
          total,
          page,
          pageCount: Math.max(1, Math.ceil(total / storyListPageSize)),
          filters: {
            status: filters.status,
            language,
            q: filters.q,
            section: sectionId,
            author: authorId,
            translation: filters.translation,
          },
          sections: choices.sections,
          authors: choices.authors,
          now: deps.clock.now(),
        }),
      );
    });

    route<unknown, unknown, { token?: string }>('GET', '/admin/setup', 'public', async (request, reply) => {
      const token = String(request.query.token ?? '');
      const ctx = context(request, reply);
      if (!(await admin.staff.needsSetup())) throw new KiosqueError('SETUP_ALREADY_DONE');
      if (!(await admin.staff.isSetupLinkValid(token))) throw new KiosqueError('SETUP_LINK_INVALID');
      return send(reply, PasswordSetupPage({ admin: ctx, mode: 'setup', token }));
    });

    route('POST', '/admin/setup', 'public', async (request, reply) => {
      const form = setupForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      const language = adminLanguage(request);
      try {
        const { session } = await admin.staff.setupOwner(
          form.data.token,
          { ...form.data, language },
          requestContext(request),
        );
        startSession(reply, session.token);
        return reply.redirect('/admin/stories', 303);
      } catch (error) {
        return refusedForm(request, reply, error, ['STAFF_PASSWORD_WEAK', 'STAFF_INPUT_INVALID'], (ctx, text) =>
          PasswordSetupPage({ admin: ctx, mode: 'setup', token: form.data.token, error: text, values: form.data }),
        );
      }
    });

    route<unknown, unknown, { token?: string }>('GET', '/admin/invitation', 'public', async (request, reply) => {
      const token = String(request.query.token ?? '');
      if (!(await admin.staff.isSetupLinkValid(token))) throw new KiosqueError('SETUP_LINK_INVALID');
      return send(reply, PasswordSetupPage({ admin: context(request, reply), mode: 'invitation', token }));
    });

    route('POST', '/admin/invitation', 'public', async (request, reply) => {
      const form = invitationForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        const { session } = await admin.staff.acceptInvitation(
          form.data.token,
          form.data.password,
          requestContext(request),
        );
        startSession(reply, session.token);
        return reply.redirect('/admin/stories', 303);
      } catch (error) {
        return refusedForm(request, reply, error, ['STAFF_PASSWORD_WEAK'], (ctx, text) =>
          PasswordSetupPage({ admin: ctx, mode: 'invitation', token: form.data.token, error: text }),
        );
      }
    });

    route<unknown, unknown, { next?: string }>('GET', '/admin/login', 'public', async (request, reply) => {
      if (request.staff) return reply.redirect('/admin/stories', 302);
      return send(reply, LoginPage({ admin: context(request, reply), next: safeNext(request.query.next) }));
    });

    route('POST', '/admin/login', 'public', async (request, reply) => {
      const form = loginForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        const { session } = await admin.staff.signIn(form.data.email, form.data.password, requestContext(request));
        startSession(reply, session.token);
        return reply.redirect(safeNext(form.data.next) || '/admin/stories', 303);
      } catch (error) {
        return refusedForm(request, reply, error, ['LOGIN_FAILED', 'LOGIN_THROTTLED'], (ctx, text) =>
          LoginPage({ admin: ctx, error: text, email: form.data.email, next: safeNext(form.data.next) }),
        );
      }
    });

    // "Forgot your password?" (issue 11): the same answer for every address, a one-time link by email.
    route<unknown, unknown, { sent?: string }>('GET', '/admin/password/forgot', 'public', async (request, reply) =>
      send(reply, ForgotPasswordPage({ admin: context(request, reply), sent: request.query.sent === '1' })),
    );

    route('POST', '/admin/password/forgot', 'public', async (request, reply) => {
      const form = forgotForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        await admin.passwordReset.request({ email: form.data.email, ip: request.ip });
      } catch (error) {
        return refusedForm(request, reply, error, ['MEMBER_EMAIL_INVALID', 'MAIL_RATE_LIMITED'], (ctx, text) =>
          ForgotPasswordPage({ admin: ctx, error: text, email: form.data.email.slice(0, 254) }),
        );
      }
      return reply.redirect('/admin/password/forgot?sent=1', 303);
    });

    route<unknown, unknown, { token?: string }>('GET', '/admin/password/reset', 'public', async (request, reply) => {
      const token = String(request.query.token ?? '');
      if (!(await admin.passwordReset.isLinkValid(token))) throw new KiosqueError('STAFF_RESET_LINK_INVALID');
      // The link's token must not leak to another site through the Referer of anything on the page.
      reply.header('referrer-policy', 'no-referrer');
      return send(reply, PasswordSetupPage({ admin: context(request, reply), mode: 'reset', token }));
    });

    route('POST', '/admin/password/reset', 'public', async (request, reply) => {
      const form = invitationForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      try {
        await admin.passwordReset.reset(form.data.token, form.data.password);
      } catch (error) {
        return refusedForm(request, reply, error, ['STAFF_PASSWORD_WEAK'], (ctx, text) =>
          PasswordSetupPage({ admin: ctx, mode: 'reset', token: form.data.token, error: text }),
        );
      }
      // Every session ended, this browser's included.
      reply.clearCookie(staffCookie, { path: '/' });
      const ctx = context(request, reply);
      return send(
        reply,
        AdminMessagePage({
          admin: { ...ctx, user: null },
          title: ctx.t.t('admin.reset.title'),
          message: ctx.t.t('admin.reset.done'),
        }),
      );
    });

    route('POST', '/admin/logout', 'admin.enter', async (request, reply) => {
      if (request.staff) await admin.staff.signOut(request.staff.token);
      reply.clearCookie(staffCookie, { path: '/' });
      return reply.redirect('/admin/login', 303);
    });

    route('POST', '/admin/logout-everywhere', 'admin.enter', async (request, reply) => {
      if (request.staff) await admin.staff.signOutEverywhere(request.staff.user.id);
      reply.clearCookie(staffCookie, { path: '/' });
      const ctx = context(request, reply);
      return send(
        reply,
        AdminMessagePage({
          admin: { ...ctx, user: null },
          title: ctx.t.t('admin.signOutEverywhere'),
          message: ctx.t.t('admin.signedOutEverywhere'),
        }),
      );
    });

    route<{ language?: string }>('POST', '/admin/account/language', 'admin.enter', async (request, reply) => {
      const language = String(request.body?.language ?? '');
      if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
      await admin.staff.setLanguage(request.staff.user.id, language);
      return reply.redirect(adminPathOf(request.headers.referer), 303);
    });

    async function staffPage(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { notice?: { kind: 'error' | 'success'; text: string }; invitationLink?: string },
      status = 200,
    ) {
      const ctx = context(request, reply);
      const user = request.staff?.user;
      if (!user) throw new KiosqueError('SIGNIN_REQUIRED');
      const members = await admin.staff.list();
      return send(reply, StaffPage({ admin: ctx, members, assignable: assignableRoles(user.role), ...extra }), status);
    }

    route('GET', '/admin/staff', 'staff.manage', async (request, reply) => staffPage(request, reply, {}));

    route('POST', '/admin/staff', 'staff.manage', async (request, reply) => {
      const form = inviteForm.safeParse(request.body);
      if (!form.success || !isRole(form.data.role)) throw new KiosqueError('FORM_INVALID');
      const ctx = context(request, reply);
      try {
        const { user, token } = await admin.staff.invite(request.staff?.user ?? null, {
          ...form.data,
          role: form.data.role,
        });
        return staffPage(request, reply, {
          notice: { kind: 'success', text: ctx.t.t('admin.staff.invited', { name: user.name }) },
          invitationLink: `${site.publicUrl}/admin/invitation?token=${token}`,
        });
      } catch (error) {
        if (!isKiosqueError(error) || !['STAFF_EMAIL_TAKEN', 'STAFF_INPUT_INVALID'].includes(error.code)) throw error;
        return staffPage(
          request,
          reply,
          { notice: { kind: 'error', text: message(request, reply, error.code) } },
          errorOf(error).status,
        );
      }
    });

    route<{ role?: string }, { id: string }>(
      'POST',
      '/admin/staff/:id/role',
      'staff.manage',
      async (request, reply) => {
        const role = String(request.body?.role ?? '');
        if (!isRole(role) || !request.staff) throw new KiosqueError('FORM_INVALID');
        await admin.staff.changeRole(request.staff.user, request.params.id, role);
        const ctx = context(request, reply);
        const member = (await admin.staff.list()).find((m) => m.id === request.params.id);
        return staffPage(request, reply, {
          notice: {
            kind: 'success',
            text: ctx.t.t('admin.staff.roleChanged', { name: member?.name ?? '', role: ctx.t.t(roleKey(role)) }),
          },
        });
      },
    );

    route<unknown, { id: string }>('POST', '/admin/staff/:id/remove', 'staff.manage', async (request, reply) => {
      if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
      const member = (await admin.staff.list()).find((m) => m.id === request.params.id);
      await admin.staff.remove(request.staff.user, request.params.id);
      const ctx = context(request, reply);
      return staffPage(request, reply, {
        notice: { kind: 'success', text: ctx.t.t('admin.staff.removed', { name: member?.name ?? '' }) },
      });
    });

    registerNewsletterAdminRoutes({
      route,
      context,
      send,
      languages: site.languages,
      newsletter: deps.newsletter,
      stories: admin.stories,
    });
  });
}

/** Only a path inside the admin may be a post-sign-in destination (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/?=&%.]*)?$/.test(next) && !next.startsWith('//') ? next : '';
}

/**
 * The admin page a Referer names, to go back to after a change; `/admin` when it names none or
 * cannot be read (issue 11: a malformed Referer made this a 500). Only the path is kept, so the
 * redirect never leaves the site.
 */
function adminPathOf(referer: string | undefined): string {
  if (!referer) return '/admin';
  try {
    const { pathname } = new URL(referer);
    return pathname === '/admin' || pathname.startsWith('/admin/') ? pathname : '/admin';
  } catch {
    return '/admin';
  }
}
