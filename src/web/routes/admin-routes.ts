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
import type { StoryReview } from '../../domain/articles/story-review.js';
import type { TaxonomyEditor } from '../../domain/articles/taxonomy-editor.js';
import type { AuditLogStore, AuditTrail } from '../../domain/audit/audit-trail.js';
import type { CorrectionDesk } from '../../domain/corrections/correction-desk.js';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { FrontPageEditor } from '../../domain/frontpage/front-page-editor.js';
import { negotiateLanguage } from '../../domain/i18n/translator.js';
import type { ImportQueue } from '../../domain/imports/import-queue.js';
import type { IntegrationService } from '../../domain/integrations/integration-service.js';
import type { MediaLibrary } from '../../domain/media/media-library.js';
import type { StaticPages } from '../../domain/pages/static-pages.js';
import type { SiteSettings } from '../../domain/settings/site-settings.js';
import type { PasswordReset } from '../../domain/staff/password-reset.js';
import { assignableRoles, hasPermission, isRole } from '../../domain/staff/roles.js';
import type { StaffMail } from '../../domain/staff/staff-mail.js';
import type { StaffService, StaffUser } from '../../domain/staff/staff-service.js';
import { secondStepLifetimeMs, sessionLifetimeMs } from '../../domain/staff/staff-service.js';
import type { TwoFactor } from '../../domain/staff/two-factor.js';
import type { WebhookService } from '../../domain/webhooks/webhook-service.js';
import type { WireDesk } from '../../domain/wire/wire-desk.js';
import { type AdminAccess, createAdminGuard, preSessionCsrfCookie, staffCookie } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import type { WebDependencies } from '../server.js';
import { pageSecurityHeaders } from '../server.js';
import { SecondFactorPage } from '../views/admin-account.js';
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
import { registerAdminAccountRoutes } from './admin-account-routes.js';
import { registerAdminExportRoutes, type SiteExporter } from './admin-export-routes.js';
import { registerAdminFrontPageRoutes } from './admin-front-page-routes.js';
import { registerAdminImportRoutes } from './admin-import-routes.js';
import { registerAdminIntegrationRoutes } from './admin-integration-routes.js';
import { registerAdminMediaRoutes } from './admin-media-routes.js';
import { registerAdminMemberRoutes } from './admin-member-routes.js';
import { registerAdminPageRoutes } from './admin-page-routes.js';
import { registerAdminSettingsRoutes } from './admin-settings-routes.js';
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
  /** Corrections and clarifications on stories (decision 0056). */
  corrections: CorrectionDesk;
  /** The site's time zone, in which a scheduled time typed without the editor script is read. */
  timeZone: string;
  /** Renames sections, tags and authors (issue 11: announced, so pages naming them are dropped). */
  taxonomy: TaxonomyEditor;
  /** Front-page curation (issue 14): pinned lead and top stories, section leads, the banner. */
  frontPage: FrontPageEditor;
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
  /** Two-factor sign-in (issue 14, decision 0054). */
  twoFactor: TwoFactor;
  /** The staff audit log (decision 0055): written through `audit`, read through `auditLog`. */
  audit: AuditTrail;
  auditLog: AuditLogStore;
  /** Invitations and account notices by email. */
  staffMail: StaffMail;
  /** The review loop (issue 14): submit, request changes, approve, and the "To review" count. */
  review: StoryReview;
  /** The site's settings (decision 0058). */
  settings: SiteSettings;
  /** About, Contact, the policies (decision 0059). */
  staticPages: StaticPages;
  /** Languages the site may offer (KIOSQUE_LANGUAGES): Admin → Settings chooses among them. */
  installedLanguages: readonly string[];
}

/** The story list's views (issue 14): each a set of filters with a name and a tab. */
export const storyListViews = ['mine', 'review', 'changes', 'scheduled', 'outdated'] as const;
export type StoryListView = (typeof storyListViews)[number];

declare module 'fastify' {
  interface FastifyRequest {
    /** Stories waiting for an editor, for the admin navigation; null for people who do not review. */
    toReview: number | null;
  }
}

/** The half-signed-in step's cookie: between a right password and the second factor. */
const secondStepCookie = 'kiosque_signin_step';

const storyListQuery = z.object({
  status: z.enum(['draft', 'scheduled', 'published', 'deleted']).optional().catch(undefined),
  language: z.string().max(20).optional(),
  q: z.string().max(200).optional(),
  section: z.string().max(100).optional().catch(undefined),
  author: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  translation: z.enum(['outdated']).optional().catch(undefined),
  view: z.enum(storyListViews).optional().catch(undefined),
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
  role: z.string().max(100).optional(),
  language: z.string().max(20),
});
const codeForm = z.object({ code: z.string().max(100), next: z.string().max(2000).optional() });

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
      toReview: request.toReview ?? null,
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
    scope.decorateRequest('toReview', null);
    // The navigation's "To review" count, on the pages of the people who answer reviews.
    scope.addHook('preHandler', async (request) => {
      const user = request.staff?.user;
      if (
        request.method === 'GET' &&
        !request.url.startsWith('/admin/api/') &&
        user &&
        hasPermission(user.role, 'story.review')
      ) {
        request.toReview = await admin.review.countReady();
      }
    });

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
    registerAdminFrontPageRoutes(
      scope,
      { context, send },
      {
        frontPage: admin.frontPage,
        stories: admin.stories,
        search: admin.search,
        languages: site.languages,
        defaultLanguage: site.defaultLanguage,
        timeZone: admin.timeZone,
        clock: deps.clock,
      },
    );
    registerAdminExportRoutes(scope, { context, send }, admin.siteExport);
    registerAdminWireRoutes(scope, { context, send }, { desk: admin.wire, staff: admin.staff, clock: deps.clock });
    registerAdminIntegrationRoutes(
      scope,
      { context, send },
      {
        integrations: admin.integrations,
        webhooks: admin.webhooks,
        publicUrl: deps.site.publicUrl,
        audit: admin.audit,
      },
    );
    registerAdminAccountRoutes(
      scope,
      { context, send },
      { staff: admin.staff, twoFactor: admin.twoFactor, auditLog: admin.auditLog },
    );
    registerAdminSettingsRoutes(
      scope,
      { context, send },
      {
        settings: admin.settings,
        staticPages: admin.staticPages,
        media: admin.media,
        installedLanguages: admin.installedLanguages,
      },
    );
    registerAdminPageRoutes(scope, { context, send }, { pages: admin.staticPages, languages: site.languages });
    registerAdminImportRoutes(scope, { context, send }, { imports: admin.imports, staff: admin.staff });
    registerStoryRoutes(scope, { context, send }, deps, {
      editor: admin.editor,
      corrections: admin.corrections,
      staff: admin.staff,
      timeZone: admin.timeZone,
      integrations: admin.integrations,
      review: admin.review,
    });

    route<unknown, unknown, Record<string, string>>('GET', '/admin/stories', 'admin.enter', async (request, reply) => {
      const filters = storyListQuery.parse(request.query);
      const page = filters.page ?? 1;
      const view = filters.view;
      // "My stories" are those on the person's byline; someone without one has none.
      const ownAuthor = request.staff?.user.authorId ?? null;
      const language = filters.language && site.languages.includes(filters.language) ? filters.language : undefined;
      const choices = await admin.editor.choices();
      const section = choices.sections.find((s) => s.id === filters.section);
      const sectionId = section?.id;
      const authorId = choices.authors.some((a) => a.id === filters.author) ? filters.author : undefined;
      // A section belongs to one language: with both, the section alone says it (and faster), or
      // they contradict each other and no story can match.
      const { items, total } =
        (section && language && section.language !== language) || (view === 'mine' && !ownAuthor)
          ? { items: [], total: 0 }
          : await listStories(admin, {
              status: view === 'scheduled' ? 'scheduled' : filters.status,
              language: section ? undefined : language,
              sectionId,
              authorId: view === 'mine' ? (ownAuthor ?? undefined) : authorId,
              outOfDate: filters.translation === 'outdated' || view === 'outdated',
              review: view === 'review' ? 'ready' : view === 'changes' ? 'changes' : undefined,
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
            view,
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
        const outcome = await admin.staff.signIn(form.data.email, form.data.password, requestContext(request));
        const next = safeNext(form.data.next);
        if (outcome.kind === 'second-factor') {
          // No session yet: only the step's token, for the code page, for five minutes.
          reply.setCookie(secondStepCookie, outcome.step, {
            path: '/admin/login',
            httpOnly: true,
            sameSite: 'strict',
            secure,
            maxAge: Math.floor(secondStepLifetimeMs / 1000),
          });
          return reply.redirect(`/admin/login/code${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
        }
        startSession(reply, outcome.session.token);
        return reply.redirect(next || '/admin/stories', 303);
      } catch (error) {
        return refusedForm(request, reply, error, ['LOGIN_FAILED', 'LOGIN_THROTTLED'], (ctx, text) =>
          LoginPage({ admin: ctx, error: text, email: form.data.email, next: safeNext(form.data.next) }),
        );
      }
    });

    // Two-factor sign-in's second step (issue 14, decision 0054).
    route<unknown, unknown, { next?: string }>('GET', '/admin/login/code', 'public', async (request, reply) => {
      if (request.staff) return reply.redirect('/admin/stories', 302);
      const user = await admin.staff.secondStepOf(request.cookies[secondStepCookie] ?? '');
      if (!user) throw new KiosqueError('TWO_FACTOR_STEP_EXPIRED');
      return send(reply, SecondFactorPage({ admin: context(request, reply), next: safeNext(request.query.next) }));
    });

    route('POST', '/admin/login/code', 'public', async (request, reply) => {
      const form = codeForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      const next = safeNext(form.data.next);
      try {
        const { session } = await admin.staff.completeSignIn(
          request.cookies[secondStepCookie] ?? '',
          form.data.code,
          requestContext(request),
        );
        reply.clearCookie(secondStepCookie, { path: '/admin/login' });
        startSession(reply, session.token);
        return reply.redirect(next || '/admin/stories', 303);
      } catch (error) {
        return refusedForm(request, reply, error, ['TWO_FACTOR_CODE_INVALID', 'LOGIN_THROTTLED'], (ctx, text) =>
          SecondFactorPage({ admin: ctx, error: text, next }),
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
      extra: {
        notice?: { kind: 'error' | 'success' | 'warning'; text: string };
        invitationLink?: string;
        values?: { name: string; email: string; language: string };
      },
      status = 200,
    ) {
      const ctx = context(request, reply);
      const user = request.staff?.user;
      if (!user) throw new KiosqueError('SIGNIN_REQUIRED');
      const members = await admin.staff.list();
      return send(reply, StaffPage({ admin: ctx, members, assignable: assignableRoles(user.role), ...extra }), status);
    }

    route('GET', '/admin/staff', 'staff.manage', async (request, reply) => staffPage(request, reply, {}));

    /**
     * The invitation goes by email in the invitee's language; the link is shown on the page only
     * when the email could not be sent (or no mail server is configured), to hand over another way.
     */
    async function invitationSent(
      request: FastifyRequest,
      reply: FastifyReply,
      invited: { user: StaffUser; token: string },
      resent: boolean,
    ) {
      const ctx = context(request, reply);
      const inviter = request.staff?.user ?? null;
      const outcome = await admin.staffMail.invitation(invited.user, inviter, invited.token);
      const values = { name: invited.user.name, email: invited.user.email };
      if (outcome === 'sent') {
        return staffPage(request, reply, {
          notice: {
            kind: 'success',
            text: ctx.t.t(resent ? 'admin.staff.invitationResent' : 'admin.staff.invitationEmailed', values),
          },
        });
      }
      request.log.warn({ userId: invited.user.id }, 'invitation email not sent; link shown to the inviter');
      return staffPage(request, reply, {
        notice: { kind: 'warning', text: ctx.t.t('admin.staff.invitationNotEmailed', values) },
        invitationLink: `${site.publicUrl}/admin/invitation?token=${invited.token}`,
      });
    }

    route('POST', '/admin/staff', 'staff.manage', async (request, reply) => {
      const form = inviteForm.safeParse(request.body);
      if (!form.success) throw new KiosqueError('FORM_INVALID');
      const values = {
        name: form.data.name.slice(0, 120),
        email: form.data.email.slice(0, 254),
        language: form.data.language,
      };
      try {
        // The role is chosen, never assumed: a form without one stores nothing.
        const role = form.data.role ?? '';
        if (!isRole(role)) throw new KiosqueError('STAFF_ROLE_REQUIRED');
        const language = site.languages.includes(form.data.language) ? form.data.language : adminLanguage(request);
        const invited = await admin.staff.invite(request.staff?.user ?? null, { ...form.data, role, language });
        return await invitationSent(request, reply, invited, false);
      } catch (error) {
        if (
          !isKiosqueError(error) ||
          !['STAFF_EMAIL_TAKEN', 'STAFF_INPUT_INVALID', 'STAFF_ROLE_REQUIRED'].includes(error.code)
        )
          throw error;
        return staffPage(
          request,
          reply,
          { notice: { kind: 'error', text: message(request, reply, error.code) }, values },
          errorOf(error).status,
        );
      }
    });

    route<unknown, { id: string }>('POST', '/admin/staff/:id/resend', 'staff.manage', async (request, reply) => {
      if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
      const invited = await admin.staff.reissueInvitation(request.staff.user, request.params.id);
      return invitationSent(request, reply, invited, true);
    });

    route<unknown, { id: string }>(
      'POST',
      '/admin/staff/:id/two-factor-reset',
      'staff.manage',
      async (request, reply) => {
        if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
        const member = (await admin.staff.list()).find((m) => m.id === request.params.id);
        if (!member) throw new KiosqueError('STAFF_NOT_FOUND');
        await admin.twoFactor.resetFor(request.staff.user, member);
        const ctx = context(request, reply);
        return staffPage(request, reply, {
          notice: { kind: 'success', text: ctx.t.t('admin.staff.twoFactorReset', { name: member.name }) },
        });
      },
    );

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
