import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import type { Article } from '../../domain/articles/article.js';
import { KiosqueError } from '../../domain/errors.js';
import { plans } from '../../domain/members/member.js';
import { anonymousMeterCookie } from '../../domain/paywall/anonymous-meter.js';
import { gateArticle } from '../../domain/paywall/paywall-service.js';
import { dependency } from '../cache-invalidation.js';
import { errorOf } from '../error-status.js';
import { assertMemberCsrf, currentMember } from '../member-session.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { accountPaths, PricingPage, WelcomePage } from '../views/member-pages.js';
import { ArticlePage } from '../views/pages.js';
import { MeteredNotice, Paywall } from '../views/paywall.js';
import { paths, type SiteContext } from '../views/site-context.js';

type LangParams = { lang: string };

/**
 * The story as this reader may receive it, decided on the server: the whole story, or its
 * beginning and the way in. Anonymous readers all get the same answer (the page cache keeps it);
 * signed-in members' pages are private and spend their monthly meter here.
 */
export async function readerView(
  request: FastifyRequest,
  deps: WebDependencies,
  site: SiteContext,
  article: Article,
): Promise<{ article: Article; paywall: ComponentChildren }> {
  const { members, paywall } = deps.audience;
  const signedIn = await currentMember(request, members);
  const decision = signedIn ? await paywall.forMember(signedIn.member, article) : paywall.forAnonymousPage(article);
  const path = paths.article(article.language, article.slug);
  if (decision.full) {
    return {
      article,
      paywall: decision.reason === 'metered' && decision.meter ? MeteredNotice({ site, meter: decision.meter }) : null,
    };
  }
  return {
    article: gateArticle(article, decision),
    paywall: Paywall({
      site,
      decision,
      articlePath: path,
      meterPath: accountPaths.read(article.language, article.slug),
      anonymousAllowance: paywall.allowance.anonymous,
      signedIn: signedIn !== null,
    }),
  };
}

const checkoutForm = z.object({ _csrf: z.string().max(200), plan: z.enum(plans) });

/** The pricing page, Stripe Checkout and its webhook, and the anonymous meter's uncached route. */
export function registerPaywallRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, reading } = deps;
  const { members, billing, paywall, pricing } = deps.audience;
  const secure = site.publicUrl.startsWith('https://');

  function language(lang: string): string {
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  app.get<{ Params: LangParams }>('/:lang/subscribe', async (request, reply) => {
    const lang = language(request.params.lang);
    return web.sendPage(request, reply, paths.subscribe(lang), async () => {
      const signedIn = await currentMember(request, members);
      return {
        body: PricingPage({
          site: await web.context(lang),
          pricing,
          billingOpen: billing.isOpen(),
          member: signedIn?.member ?? null,
          csrf: signedIn?.session.csrfToken ?? null,
          now: deps.clock.now(),
        }),
        dependencies: [dependency.menu(lang), dependency.siteSetting('paywall')],
      };
    });
  });

  app.post<{ Params: LangParams }>('/:lang/subscribe/checkout', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const signedIn = await currentMember(request, members);
    if (!signedIn) {
      return reply.redirect(`${accountPaths.account(lang)}?next=${encodeURIComponent(paths.subscribe(lang))}`, 303);
    }
    assertMemberCsrf(request, signedIn);
    const form = checkoutForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const { url } = await billing.startCheckout(signedIn.member, form.data.plan, lang, {
      success: `${site.publicUrl}${accountPaths.welcome(lang)}`,
      cancel: `${site.publicUrl}${paths.subscribe(lang)}`,
    });
    return reply.redirect(url, 303);
  });

  app.get<{ Params: LangParams }>('/:lang/subscribe/welcome', async (request, reply) => {
    const page = await web.context(language(request.params.lang));
    reply.header('cache-control', 'private, no-store');
    return web.sendHtml(reply, WelcomePage({ site: page }));
  });

  // The anonymous meter: never cached, so the one cached story page stays the same for everyone.
  app.get<{ Params: LangParams & { slug: string } }>('/:lang/read/:slug', async (request, reply) => {
    const lang = language(request.params.lang);
    const { slug } = request.params;
    reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex');
    if (await currentMember(request, members)) return reply.redirect(paths.article(lang, slug), 303);
    const [page, story] = await Promise.all([web.context(lang), reading.article(lang, slug)]);
    if ('movedTo' in story) return reply.redirect(accountPaths.read(lang, story.movedTo), 301);
    const { article } = story;
    if (article.access === 'public') return reply.redirect(paths.article(lang, slug), 303);
    const { decision, cookie } = paywall.forAnonymousMeter(request.cookies[anonymousMeterCookie], article);
    if (cookie) {
      reply.setCookie(anonymousMeterCookie, cookie, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: 40 * 86_400,
      });
    }
    const shown = decision.full ? article : gateArticle(article, decision);
    const wall = decision.full
      ? decision.meter
        ? MeteredNotice({ site: page, meter: decision.meter })
        : null
      : Paywall({
          site: page,
          decision,
          articlePath: paths.article(lang, slug),
          meterPath: null,
          anonymousAllowance: paywall.allowance.anonymous,
          signedIn: false,
          meterExhausted: true,
        });
    return web.sendHtml(reply, ArticlePage({ site: page, ...story, article: shown, paywall: wall }));
  });

  // Stripe's webhook: the raw body is what its signature covers, so this scope does not parse JSON.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(async (error, request, reply) => {
      // Stripe retries a 5xx for days: a request that can never succeed (too large, unreadable)
      // answers a 4xx in the webhook's terms (the route's `unreadable`), and only a failure of
      // ours (the database) a 500 worth retrying (issue 11).
      const { code, status } = errorOf(error, request);
      if (status >= 500) request.log.error({ err: error }, 'stripe webhook failed');
      return reply.status(status).header('cache-control', 'no-store').send({ code });
    });
    const fromStripe = {
      crossOrigin: 'called by Stripe’s servers, authenticated by its signature',
      unreadable: { tooLarge: 'BILLING_EVENT_TOO_LARGE', invalid: 'BILLING_EVENT_INVALID' },
    } as const;
    scope.post('/stripe/webhook', { config: fromStripe }, async (request, reply) => {
      const verify = deps.audience.webhook;
      if (!verify) throw new KiosqueError('SUBSCRIPTIONS_CLOSED');
      const signature = request.headers['stripe-signature'];
      if (typeof signature !== 'string' || !Buffer.isBuffer(request.body)) {
        throw new KiosqueError('BILLING_SIGNATURE_INVALID');
      }
      const event = verify(request.body, signature);
      const outcome = await billing.handleEvent(event);
      return reply.header('cache-control', 'no-store').send({ received: true, outcome });
    });
  });
}
