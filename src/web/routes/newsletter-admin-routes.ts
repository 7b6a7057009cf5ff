import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { StoryLister } from '../../domain/articles/story-list.js';
import { isKiosqueError, KiosqueError } from '../../domain/errors.js';
import type { NewsletterActor, NewsletterService } from '../../domain/newsletter/newsletter-service.js';
import type { AdminAccess } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import type { AdminContext } from '../views/admin-views.js';
import {
  type AdminNotice,
  NewslettersPage,
  SendStoryPage,
  SubscriberLookupPage,
} from '../views/newsletter-admin-views.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** What the admin scope lends its route files: its guarded route helper, page context and sender. */
export interface AdminScope {
  route(method: 'GET' | 'POST', url: string, access: AdminAccess, handler: Handler): unknown;
  context(request: FastifyRequest, reply: FastifyReply): AdminContext;
  send(reply: FastifyReply, node: VNode, status?: number): unknown;
  languages: readonly string[];
  newsletter: NewsletterService;
  stories: StoryLister;
}

const listForm = z.object({
  name: z.string().max(1000),
  language: z.string().max(20),
  digestTime: z.string().max(10).optional(),
});
const sendForm = z.object({ listId: z.string().max(200), mode: z.enum(['now', 'digest']) });

function actorOf(request: FastifyRequest): NewsletterActor {
  const user = request.staff?.user;
  if (!user) throw new KiosqueError('SIGNIN_REQUIRED');
  return { id: user.id, role: user.role, authorId: user.authorId };
}

/** The newsroom's newsletter pages: lists, "send to newsletter" per story, subscriber export. */
export function registerNewsletterAdminRoutes(scope: AdminScope): void {
  const { route, context, send, newsletter } = scope;

  async function listsPage(request: FastifyRequest, reply: FastifyReply, notice?: AdminNotice, status = 200) {
    const [lists, sends, stories] = await Promise.all([
      newsletter.lists(),
      newsletter.recentSends(20),
      scope.stories.listForNewsroom({ status: 'published', limit: 10, offset: 0 }),
    ]);
    return send(
      reply,
      NewslettersPage({ admin: context(request, reply), lists, sends, stories: stories.items, notice }),
      status,
    );
  }

  route('GET', '/admin/newsletters', 'newsletter.manage', (request, reply) => listsPage(request, reply));

  route('POST', '/admin/newsletters/lists', 'newsletter.manage', async (request, reply) => {
    const form = listForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const t = context(request, reply).t;
    try {
      const list = await newsletter.createList(form.data, scope.languages, actorOf(request));
      return listsPage(request, reply, {
        kind: 'success',
        text: t.t('admin.newsletters.created', { name: list.name }),
      });
    } catch (error) {
      if (isKiosqueError(error) && error.code === 'NEWSLETTER_LIST_INVALID') {
        return listsPage(request, reply, { kind: 'error', text: t.t(`error.${error.code}`) }, 400);
      }
      throw error;
    }
  });

  route('GET', '/admin/stories/:id/newsletter', 'newsletter.manage', async (request, reply) => {
    const { id } = request.params as { id: string };
    const options = await newsletter.sendOptions(id, actorOf(request));
    return send(reply, SendStoryPage({ admin: context(request, reply), ...options }));
  });

  route('POST', '/admin/stories/:id/newsletter', 'newsletter.manage', async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = sendForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const options = await newsletter.sendOptions(id, actorOf(request));
    const t = context(request, reply).t;
    try {
      const result = await newsletter.sendStory({ articleId: id, ...form.data }, actorOf(request));
      const headline = options.story.headline;
      return listsPage(request, reply, {
        kind: 'success',
        text:
          result.mode === 'now'
            ? t.t('admin.newsletters.queuedNow', { headline, list: result.list.name })
            : t.t('admin.newsletters.queuedDigest', {
                headline,
                list: result.list.name,
                date: t.dateTime(result.at),
              }),
      });
    } catch (error) {
      const shown = ['NEWSLETTER_ALREADY_SENT', 'NEWSLETTER_STORY_NOT_PUBLISHED', 'NEWSLETTER_LANGUAGE_MISMATCH'];
      if (isKiosqueError(error) && shown.includes(error.code)) {
        return send(
          reply,
          SendStoryPage({
            admin: context(request, reply),
            ...options,
            notice: { kind: 'error', text: t.t(`error.${error.code}`) },
          }),
          errorOf(error).status,
        );
      }
      throw error;
    }
  });

  route('GET', '/admin/subscribers', 'subscribers.export', async (request, reply) => {
    const email = String((request.query as { email?: unknown }).email ?? '').slice(0, 254);
    const admin = context(request, reply);
    if (!email) return send(reply, SubscriberLookupPage({ admin, email, found: false }));
    try {
      await newsletter.exportByEmail(email);
      return send(reply, SubscriberLookupPage({ admin, email, found: true }));
    } catch (error) {
      if (isKiosqueError(error) && error.code === 'NEWSLETTER_SUBSCRIBER_NOT_FOUND') {
        const notice = { kind: 'error' as const, text: admin.t.t('error.NEWSLETTER_SUBSCRIBER_NOT_FOUND') };
        return send(reply, SubscriberLookupPage({ admin, email, found: false, notice }), 404);
      }
      throw error;
    }
  });

  route('GET', '/admin/subscribers/export', 'subscribers.export', async (request, reply) => {
    const email = String((request.query as { email?: unknown }).email ?? '');
    const data = await newsletter.exportByEmail(email);
    request.log.info({ staff: request.staff?.user.id }, 'subscriber data exported');
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="subscriber-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });
}
