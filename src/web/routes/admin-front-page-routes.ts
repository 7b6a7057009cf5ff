import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { listStories, type NewsroomSearch, type StoryLister } from '../../domain/articles/story-list.js';
import type { Clock } from '../../domain/clock.js';
import { isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { FrontPageEditor } from '../../domain/frontpage/front-page-editor.js';
import { errorOf } from '../error-status.js';
import { type BannerFields, FrontPageScreen } from '../views/admin-front-page.js';
import type { AdminContext } from '../views/admin-views.js';
import { dateToZonedTime, zonedTimeToDate } from './admin-story-routes.js';

const idForm = z.object({ id: z.string().max(100) });
const topForm = z.object({ id: z.string().max(100), action: z.enum(['add', 'remove', 'up', 'down']) });
const sectionForm = z.object({ sectionId: z.string().max(100), id: z.string().max(100) });
const bannerForm = z.object({
  action: z.enum(['save', 'remove']).default('save'),
  text: z.string().max(2000).default(''),
  link: z.string().max(4000).default(''),
  expiresAt: z.string().max(40).default(''),
});
const screenQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  saved: z.string().max(10).optional().catch(undefined),
});

/** A new banner's expiry as the form first offers it: two hours from now. */
const defaultBannerLifetimeMs = 2 * 3600 * 1000;

/**
 * Admin → Front page (issue 14, decision 0060): `/admin/front-page/:lang`, for staff with
 * `frontpage.manage` (editors and up). Each change is a plain form post answered with a redirect
 * back to the screen (so a reload repeats nothing); a refused change shows the screen again with
 * the reason in the staff member's language and what they typed.
 */
export function registerAdminFrontPageRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  deps: {
    frontPage: FrontPageEditor;
    stories: StoryLister;
    search: NewsroomSearch;
    languages: readonly string[];
    defaultLanguage: string;
    timeZone: string;
    clock: Clock;
  },
) {
  const { frontPage, timeZone, clock } = deps;

  const route = <Params = unknown>(
    method: 'GET' | 'POST',
    url: string,
    handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => unknown,
  ) =>
    scope.route({
      method,
      url,
      config: { access: 'frontpage.manage' },
      bodyLimit: 16 * 1024,
      handler: handler as never,
    });

  function languageOf(request: FastifyRequest<{ Params: { lang: string } }>): string {
    const { lang } = request.params;
    if (!deps.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  async function screenPage(
    request: FastifyRequest,
    reply: FastifyReply,
    language: string,
    extra: { query?: string; banner?: BannerFields; notice?: { kind: 'error' | 'success'; text: string } },
    status = 200,
  ) {
    const admin = views.context(request, reply);
    const query = extra.query ?? '';
    const [screen, found] = await Promise.all([
      frontPage.screen(language),
      listStories(deps, { language, text: query, searchLanguages: [language], limit: 20, offset: 0 }),
    ]);
    const results = found.items.filter((row) => !row.deleted);
    const stored = screen.banner;
    const banner: BannerFields = extra.banner ?? {
      text: stored?.text ?? '',
      link: stored?.link ?? '',
      expiresAt: dateToZonedTime(
        stored && !screen.bannerExpired ? stored.expiresAt : new Date(clock.now().getTime() + defaultBannerLifetimeMs),
        timeZone,
      ).slice(0, 16),
    };
    return views.send(
      reply,
      FrontPageScreen({ admin, language, screen, query, results, banner, timeZone, notice: extra.notice }),
      status,
    );
  }

  /** A change the person can fix is shown on the screen; anything else goes to the error handler. */
  async function refused(
    request: FastifyRequest,
    reply: FastifyReply,
    language: string,
    error: unknown,
    banner?: BannerFields,
  ) {
    if (!isKiosqueError(error) || !['FRONT_PAGE_STORY_INVALID', 'BREAKING_BANNER_INVALID'].includes(error.code)) {
      throw error;
    }
    const { t } = views.context(request, reply);
    const text = t.t(`error.${error.code}`, messageValues(error));
    return screenPage(request, reply, language, { notice: { kind: 'error', text }, banner }, errorOf(error).status);
  }

  const back = (reply: FastifyReply, language: string) => reply.redirect(`/admin/front-page/${language}?saved=1`, 303);
  const by = (request: FastifyRequest) => request.staff?.user.id ?? null;

  route('GET', '/admin/front-page', async (request, reply) => {
    const preferred = request.staff?.user.language;
    const language = preferred && deps.languages.includes(preferred) ? preferred : deps.defaultLanguage;
    return reply.redirect(`/admin/front-page/${language}`, 302);
  });

  route<{ lang: string }>('GET', '/admin/front-page/:lang', async (request, reply) => {
    const language = languageOf(request);
    const query = screenQuery.parse(request.query ?? {});
    const { t } = views.context(request, reply);
    return screenPage(request, reply, language, {
      query: query.q?.trim() ?? '',
      ...(query.saved === '1' ? { notice: { kind: 'success' as const, text: t.t('admin.frontPage.saved') } } : {}),
    });
  });

  route<{ lang: string }>('POST', '/admin/front-page/:lang/lead', async (request, reply) => {
    const language = languageOf(request);
    const form = idForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await frontPage.setLead(language, form.data.id.trim() || null);
    } catch (error) {
      return refused(request, reply, language, error);
    }
    return back(reply, language);
  });

  route<{ lang: string }>('POST', '/admin/front-page/:lang/top', async (request, reply) => {
    const language = languageOf(request);
    const form = topForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const { id, action } = form.data;
    try {
      if (action === 'add') await frontPage.addTop(language, id);
      else if (action === 'remove') await frontPage.removeTop(language, id);
      else await frontPage.moveTop(language, id, action);
    } catch (error) {
      return refused(request, reply, language, error);
    }
    return back(reply, language);
  });

  route<{ lang: string }>('POST', '/admin/front-page/:lang/sections', async (request, reply) => {
    const language = languageOf(request);
    const form = sectionForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await frontPage.setSectionLead(language, form.data.sectionId, form.data.id.trim() || null);
    } catch (error) {
      return refused(request, reply, language, error);
    }
    return back(reply, language);
  });

  route<{ lang: string }>('POST', '/admin/front-page/:lang/banner', async (request, reply) => {
    const language = languageOf(request);
    const form = bannerForm.safeParse(request.body ?? {});
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const { action, text, link, expiresAt } = form.data;
    if (action === 'remove') {
      await frontPage.removeBanner(language, by(request));
      return back(reply, language);
    }
    try {
      await frontPage.saveBanner(
        language,
        { text, link, expiresAt: zonedTimeToDate(expiresAt, timeZone) },
        by(request),
      );
    } catch (error) {
      return refused(request, reply, language, error, { text, link, expiresAt });
    }
    return back(reply, language);
  });
}
