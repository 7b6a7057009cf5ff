import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { sameSecret } from '../../crypto/constant-time.js';
import { isKiosqueError, KiosqueError } from '../../domain/errors.js';
import { tierOf } from '../../domain/members/member.js';
import { type MemberService, type NewsletterDirectory, safeNextPath } from '../../domain/members/member-service.js';
import { meterPeriod } from '../../domain/paywall/access-policy.js';
import type { BillingEvent, BillingService } from '../../domain/paywall/billing-service.js';
import type { MeterStore, PaywallService } from '../../domain/paywall/paywall-service.js';
import {
  assertMemberCsrf,
  currentMember,
  memberCookie,
  memberFormCookie,
  type SignedInMember,
  setMemberCookie,
} from '../member-session.js';
import { type PageRenderer, pageSecurityHeaders, type WebDependencies } from '../server.js';
import {
  AccountPage,
  accountPaths,
  type Pricing,
  SignInPage,
  SignInSentPage,
  VerifyPage,
} from '../views/member-pages.js';
import { MessagePage } from '../views/pages.js';

type LangParams = { lang: string };

/** What the members, paywall and subscription routes need, as one group of the web's dependencies. */
export interface AudienceDependencies {
  members: MemberService;
  paywall: PaywallService;
  billing: BillingService;
  newsletters: Pick<NewsletterDirectory, 'subscriptionsOf'>;
  meterReads: Pick<MeterStore, 'readsIn'>;
  pricing: Pricing;
  timeZone: string;
  /** 32 bytes of randomness, URL-safe. */
  secret: () => string;
  /** Reads a Stripe webhook request into a verified event; null when Stripe is not configured. */
  webhook: ((payload: Buffer, signature: string) => BillingEvent) | null;
}

const signInForm = z.object({ email: z.string().max(1000), next: z.string().max(500).optional() });
const verifyForm = z.object({
  _csrf: z.string().max(200),
  token: z.string().max(200),
  next: z.string().max(500).optional(),
});

/** Readers' accounts: sign-in by emailed link, the account page, export, deletion, subscription changes. */
export function registerMemberRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site } = deps;
  const audience = deps.audience;
  const { members, billing, paywall } = audience;
  const secure = site.publicUrl.startsWith('https://');

  function language(lang: string): string {
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  /** Personal pages: never stored by any cache. */
  function sendPrivate(reply: FastifyReply, node: VNode, status = 200) {
    reply.header('cache-control', 'private, no-store');
    return web.sendHtml(reply, node, status);
  }

  async function requireMember(request: FastifyRequest): Promise<SignedInMember> {
    const signedIn = await currentMember(request, members);
    if (!signedIn) throw new KiosqueError('MEMBER_SIGNIN_REQUIRED');
    return signedIn;
  }

  /** A state change from a signed-in reader, with their CSRF token (same-origin is checked for every post: same-origin.ts). */
  async function memberPost(request: FastifyRequest): Promise<SignedInMember> {
    const signedIn = await requireMember(request);
    assertMemberCsrf(request, signedIn);
    return signedIn;
  }

  async function accountPage(request: FastifyRequest, reply: FastifyReply, lang: string, notice?: string) {
    const signedIn = await currentMember(request, members);
    const page = await web.context(lang);
    if (!signedIn) {
      // A repeated `next` arrives as an array: only a single string is a place to go back to.
      const asked = (request.query as { next?: unknown }).next;
      const next = safeNextPath(typeof asked === 'string' ? asked : undefined, site.languages);
      // A stale cookie is dropped, so the reader's next pages come from the cache again.
      if (request.cookies[memberCookie]) reply.clearCookie(memberCookie, { path: '/' });
      return sendPrivate(reply, SignInPage({ site: page, next }));
    }
    const { member, session } = signedIn;
    const now = deps.clock.now();
    const [newsletters, reads, lists] = await Promise.all([
      audience.newsletters.subscriptionsOf(member.email),
      audience.meterReads.readsIn(member.id, meterPeriod(now, audience.timeZone)),
      deps.newsletter.lists(),
    ]);
    const receiving = new Set(newsletters.filter((n) => n.status !== 'unsubscribed').map((n) => n.list));
    // The signup form subscribes to a language's default list: those are the ones offered here.
    const available = lists
      .filter((list) => list.isDefault && site.languages.includes(list.language) && !receiving.has(list.name))
      .map((list) => ({ language: list.language, name: list.name }));
    return sendPrivate(
      reply,
      AccountPage({
        site: page,
        view: {
          member,
          now,
          csrf: session.csrfToken,
          newsletters,
          available,
          meter: { used: reads.length, allowance: paywall.allowance.members },
          billingOpen: billing.isOpen(),
          notice,
        },
      }),
    );
  }

  app.get<{ Params: LangParams; Querystring: { next?: string; done?: string } }>(
    '/:lang/account',
    async (request, reply) => {
      const lang = language(request.params.lang);
      const t = web.translator(lang);
      const done = request.query.done;
      const notices: Record<string, string> = {
        canceled: t.t('member.account.canceled'),
        welcome: t.t('member.account.welcome'),
        newsletter: t.t('member.account.newsletterRequested'),
      };
      const notice = done ? notices[done] : undefined;
      return accountPage(request, reply, lang, notice);
    },
  );

  app.post<{ Params: LangParams }>('/:lang/account/signin', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const form = signInForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await members.requestSignIn({ email: form.data.email, language: lang, next: form.data.next, ip: request.ip });
    } catch (error) {
      if (isKiosqueError(error) && error.code === 'MEMBER_EMAIL_INVALID') {
        const page = await web.context(lang);
        return sendPrivate(
          reply,
          SignInPage({
            site: page,
            next: safeNextPath(form.data.next, site.languages),
            error: page.t.t('error.MEMBER_EMAIL_INVALID'),
            email: form.data.email.slice(0, 254),
          }),
          400,
        );
      }
      throw error;
    }
    return reply.redirect(accountPaths.sent(lang), 303);
  });

  app.get<{ Params: LangParams }>('/:lang/account/signin/sent', async (request, reply) => {
    const page = await web.context(language(request.params.lang));
    return sendPrivate(reply, SignInSentPage({ site: page }));
  });

  app.get<{ Params: LangParams; Querystring: { token?: string; next?: string } }>(
    '/:lang/account/verify',
    async (request, reply) => {
      const lang = language(request.params.lang);
      const token = String(request.query.token ?? '');
      if (!(await members.isLinkValid(token))) throw new KiosqueError('MEMBER_LINK_INVALID');
      const csrf = request.cookies[memberFormCookie] ?? audience.secret();
      reply.setCookie(memberFormCookie, csrf, { path: `/${lang}/account`, httpOnly: true, sameSite: 'strict', secure });
      const page = await web.context(lang);
      const node = VerifyPage({ site: page, token, next: safeNextPath(request.query.next, site.languages), csrf });
      // The token is in this page's URL: a Referer may carry the site's origin, never the path.
      // (Not `no-referrer`: browsers then post this page's form with `Origin: null`, issue 11.)
      return reply
        .headers({ ...pageSecurityHeaders, 'referrer-policy': 'strict-origin', 'cache-control': 'private, no-store' })
        .type('text/html; charset=utf-8')
        .send(`<!DOCTYPE html>${renderToString(node)}`);
    },
  );

  app.post<{ Params: LangParams }>('/:lang/account/verify', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    // The token first: a post without this page's token is refused as such, whatever else it holds.
    const submitted = (request.body as { _csrf?: unknown } | undefined)?._csrf;
    if (!sameSecret(typeof submitted === 'string' ? submitted : undefined, request.cookies[memberFormCookie])) {
      throw new KiosqueError('CSRF_INVALID');
    }
    const form = verifyForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const { session } = await members.signInWithLink(form.data.token);
    setMemberCookie(reply, session.token, secure);
    reply.clearCookie(memberFormCookie, { path: `/${lang}/account` });
    return reply.redirect(safeNextPath(form.data.next, site.languages) ?? accountPaths.account(lang), 303);
  });

  app.post<{ Params: LangParams }>('/:lang/account/signout', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const signedIn = await memberPost(request);
    await members.signOut(signedIn.token);
    reply.clearCookie(memberCookie, { path: '/' });
    return reply.redirect(`/${lang}/`, 303);
  });

  app.get<{ Params: LangParams }>('/:lang/account/export', async (request, reply) => {
    language(request.params.lang);
    const { member } = await requireMember(request);
    const data = await members.exportData(member.id);
    const day = deps.clock.now().toISOString().slice(0, 10);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="account-${day}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post<{ Params: LangParams }>('/:lang/account/delete', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const { member, token } = await memberPost(request);
    if ((request.body as { confirm?: unknown }).confirm !== 'yes') throw new KiosqueError('FORM_INVALID');
    if (tierOf(member, deps.clock.now()) === 'paid' && member.subscription && billing.isOpen()) {
      await billing.endBeforeDeletion(member);
    }
    await members.signOut(token);
    await members.deleteAccount(member.id);
    reply.clearCookie(memberCookie, { path: '/' });
    const page = await web.context(lang);
    return sendPrivate(
      reply,
      MessagePage({
        site: page,
        title: page.t.t('member.deleted.title'),
        message: page.t.t('member.deleted.body'),
      }),
    );
  });

  app.post<{ Params: LangParams }>(
    '/:lang/account/subscription/cancel',
    { bodyLimit: 8 * 1024 },
    async (request, reply) => {
      const lang = language(request.params.lang);
      const { member } = await memberPost(request);
      await billing.cancelAtPeriodEnd(member);
      return reply.redirect(`${accountPaths.account(lang)}?done=canceled`, 303);
    },
  );

  // Through the newsletters' own signup: a confirmation email, and the consent it records.
  app.post<{ Params: LangParams }>('/:lang/account/newsletters', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const { member } = await memberPost(request);
    const wanted = String((request.body as { language?: unknown }).language ?? '');
    if (!site.languages.includes(wanted)) throw new KiosqueError('FORM_INVALID');
    await deps.newsletter.signup({
      email: member.email,
      language: wanted,
      sourcePath: accountPaths.account(lang),
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
    });
    return reply.redirect(`${accountPaths.account(lang)}?done=newsletter`, 303);
  });

  app.post<{ Params: LangParams }>('/:lang/account/billing', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    const { member } = await memberPost(request);
    const { url } = await billing.openPortal(member, lang, `${site.publicUrl}${accountPaths.account(lang)}`);
    return reply.redirect(url, 303);
  });
}
