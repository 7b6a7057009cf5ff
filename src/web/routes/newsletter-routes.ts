import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sameSecret } from '../../crypto/constant-time.js';
import { isKiosqueError, KiosqueError } from '../../domain/errors.js';
import { dependency } from '../cache-invalidation.js';
import { errorOf } from '../error-status.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { NewsletterActionPage } from '../views/newsletter-pages.js';
import { MessagePage, NewsletterPage } from '../views/pages.js';
import { paths } from '../views/site-context.js';

const signupForm = z.object({
  email: z.string().max(1000),
  source: z.string().max(500).optional(),
});

/** The signup form is an HTML form: a JSON, multipart or text body is not what the page sends. */
function isUrlEncodedForm(request: FastifyRequest): boolean {
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

const tokenQuery = z.object({ token: z.string().min(1).max(400) });

const mailEvent = z.object({
  type: z.enum(['bounce', 'complaint']),
  email: z.string().max(1000),
  /** A soft (temporary) bounce says nothing about the address: it is ignored. */
  permanent: z.boolean().optional(),
  reason: z.string().max(500).optional(),
});
const mailEvents = z.union([
  mailEvent,
  z.array(mailEvent).max(1000),
  z.object({ events: z.array(mailEvent).max(1000) }),
]);

const origin = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: String(request.headers['user-agent'] ?? ''),
});

/**
 * Newsletter signup (its own page and the form on every article), and the pages the emails'
 * signed links open: confirm, unsubscribe (RFC 8058 one-click POST), "your data"; and the
 * mail provider's bounce and complaint webhook.
 */
export function registerNewsletterRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, newsletter } = deps;
  type LangParams = { lang: string };
  type TokenRequest = { Params: LangParams; Querystring: Record<string, string> };

  /** Pages opened from an email hold the person's address: never cached, never indexed. */
  const personal = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  function token(request: FastifyRequest<TokenRequest>): string {
    const query = tokenQuery.safeParse(request.query);
    if (!query.success) throw new KiosqueError('NEWSLETTER_LINK_INVALID');
    return query.data.token;
  }

  const withToken = (path: string, value: string) => `${path}?token=${encodeURIComponent(value)}`;

  function language(lang: string): string {
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  app.get<{ Params: LangParams }>('/:lang/newsletter', async (request, reply) => {
    const lang = language(request.params.lang);
    // The same for every reader: kept in the page cache like the subscribe page.
    return web.sendPage(request, reply, paths.newsletter(lang), async () => ({
      body: NewsletterPage({ site: await web.context(lang) }),
      dependencies: [dependency.menu(lang)],
    }));
  });

  app.post<{ Params: LangParams }>('/:lang/newsletter', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    if (!isUrlEncodedForm(request)) throw new KiosqueError('FORM_INVALID');
    const form = signupForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const sourcePath = form.data.source?.startsWith('/') ? form.data.source : paths.newsletter(lang);
    try {
      await newsletter.signup({ email: form.data.email, language: lang, sourcePath, ...origin(request) });
    } catch (error) {
      if (isKiosqueError(error) && error.code === 'NEWSLETTER_EMAIL_INVALID') {
        const page = await web.context(lang);
        reply.header('cache-control', 'no-store');
        return web.sendHtml(
          reply,
          NewsletterPage({ site: page, error: page.t.t('error.NEWSLETTER_EMAIL_INVALID') }),
          400,
        );
      }
      throw error;
    }
    // Post/redirect/get: reloading the confirmation does not post again.
    return reply.redirect(paths.newsletterThanks(lang), 303);
  });

  app.get<{ Params: LangParams }>('/:lang/newsletter/thanks', async (request, reply) => {
    const page = await web.context(language(request.params.lang));
    return web.sendHtml(
      reply,
      MessagePage({
        site: page,
        title: page.t.t('newsletter.thanksTitle'),
        message: page.t.t('newsletter.thanksBody'),
      }),
    );
  });

  app.get<TokenRequest>('/:lang/newsletter/confirm', async (request, reply) => {
    const lang = language(request.params.lang);
    const value = token(request);
    const { email, list } = await newsletter.confirmation(value);
    const page = await web.context(lang);
    personal(reply);
    return web.sendHtml(
      reply,
      NewsletterActionPage({
        site: page,
        title: page.t.t('newsletter.confirm.title'),
        message: page.t.t('newsletter.confirm.body', { email, list: list.name }),
        action: withToken(paths.newsletterConfirm(lang), value),
        submit: page.t.t('newsletter.confirm.submit'),
      }),
    );
  });

  app.post<TokenRequest>('/:lang/newsletter/confirm', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const { email, list } = await newsletter.confirm(token(request), origin(request));
    const page = await web.context(lang);
    personal(reply);
    return web.sendHtml(
      reply,
      MessagePage({
        site: page,
        title: page.t.t('newsletter.confirmed.title'),
        message: page.t.t('newsletter.confirmed.body', { email, list: list.name }),
      }),
    );
  });

  app.get<TokenRequest>('/:lang/newsletter/unsubscribe', async (request, reply) => {
    const lang = language(request.params.lang);
    const value = token(request);
    const { email, list } = await newsletter.unsubscription(value);
    const page = await web.context(lang);
    personal(reply);
    return web.sendHtml(
      reply,
      NewsletterActionPage({
        site: page,
        title: page.t.t('newsletter.unsubscribe.title'),
        message: page.t.t('newsletter.unsubscribe.body', { email, list: list.name }),
        action: withToken(paths.newsletterUnsubscribe(lang), value),
        submit: page.t.t('newsletter.unsubscribe.submit'),
      }),
    );
  });

  // RFC 8058: mail providers POST `List-Unsubscribe=One-Click`, urlencoded or multipart, from
  // their own servers. The signed token in the URL is the whole proof, so the body is not read,
  // any content type is taken, and there is no same-origin check (a forger would need the token).
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: 16 * 1024 }, (_request, payload, done) => {
      payload.on('data', () => {});
      payload.on('end', () => done(null, undefined));
      payload.on('error', (error) => done(error, undefined));
    });
    const oneClick = {
      crossOrigin: 'RFC 8058 one-click unsubscribe: mail providers post it; the signed token is the proof',
    };
    scope.post<TokenRequest>('/:lang/newsletter/unsubscribe', { config: oneClick }, async (request, reply) => {
      const lang = language(request.params.lang);
      const { email, list } = await newsletter.unsubscribe(token(request), origin(request));
      const page = await web.context(lang);
      personal(reply);
      return web.sendHtml(
        reply,
        MessagePage({
          site: page,
          title: page.t.t('newsletter.unsubscribed.title'),
          message: page.t.t('newsletter.unsubscribed.body', { email, list: list.name }),
        }),
      );
    });
  });

  app.get<TokenRequest>('/:lang/newsletter/data', async (request, reply) => {
    language(request.params.lang);
    const data = await newsletter.exportByLink(token(request));
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="newsletter-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post(
    '/webhooks/mail',
    {
      bodyLimit: 256 * 1024,
      config: { crossOrigin: 'called by the mail provider’s servers, authenticated by a bearer secret' },
      // A machine calls this: answers are JSON, with the catalog code.
      errorHandler: (error, request, reply) => {
        const { code, status } = errorOf(error, request);
        if (status >= 500) request.log.error({ err: error }, 'mail webhook failed');
        reply.status(status).header('cache-control', 'no-store').send({ code });
      },
    },
    async (request, reply) => {
      const secret = deps.mailWebhookSecret;
      if (!secret) throw new KiosqueError('PAGE_NOT_FOUND');
      const given = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, secret)) {
        const t = web.translator(site.defaultLanguage);
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({ code: 'WEBHOOK_UNAUTHORIZED', message: t.t('error.WEBHOOK_UNAUTHORIZED') });
      }
      const parsed = mailEvents.parse(request.body);
      const events = Array.isArray(parsed) ? parsed : 'events' in parsed ? parsed.events : [parsed];
      let suppressed = 0;
      for (const event of events) {
        if (event.type === 'bounce' && event.permanent === false) continue;
        if (await newsletter.suppress(event.email, event.type, event.reason ?? '')) suppressed++;
      }
      return reply.header('cache-control', 'no-store').send({ received: events.length, suppressed });
    },
  );
}
