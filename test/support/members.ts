import { expect } from 'vitest';
import type { CheckoutGateway } from '../../src/domain/paywall/billing-service.js';
import { linksOf, type ReceivedMail, type SmtpSink } from './smtp-sink.js';
import { cookieValue, formHeaders } from './staff.js';
import type { TestSite } from './test-app.js';

/** A signed-in reader as a browser holds them: the session cookie and the CSRF token of their forms. */
export interface MemberAgent {
  email: string;
  cookie: string;
  csrf: string;
}

/** The site path of an absolute link of the site. */
export function sitePath(site: TestSite, url: string): string {
  expect(url.startsWith(`${site.config.publicUrl}/`), url).toBe(true);
  return url.slice(site.config.publicUrl.length);
}

export async function requestLink(site: TestSite, email: string, language = 'en', next?: string) {
  return site.app.server.inject({
    method: 'POST',
    url: `/${language}/account/signin`,
    headers: formHeaders,
    payload: new URLSearchParams({ email, ...(next ? { next } : {}) }).toString(),
  });
}

/** The sign-in link of the newest email received for `email`. */
export function signInLinkOf(smtp: SmtpSink, email: string): string {
  const mail = smtp.received.filter((m) => m.to.includes(email)).at(-1) as ReceivedMail | undefined;
  if (!mail) throw new Error(`no email for ${email}`);
  const link = linksOf(mail).find((l) => /\/account\/verify\?token=/.test(l.href));
  if (!link) throw new Error(`no sign-in link in ${JSON.stringify(linksOf(mail))}`);
  return link.href;
}

/** Follows a sign-in link as a browser: opens the confirmation page, then presses its button. */
export async function followSignInLink(site: TestSite, link: string) {
  const page = await site.app.server.inject({ method: 'GET', url: sitePath(site, link) });
  if (page.statusCode !== 200) return { page, response: page };
  const formCookie = cookieValue(page.headers['set-cookie'], 'kiosque_member_form');
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)?.[1] ?? '';
  const form: Record<string, string> = { _csrf: field('_csrf'), token: field('token') };
  if (field('next')) form.next = field('next').replace(/&amp;/g, '&');
  const language = sitePath(site, link).split('/')[1];
  const response = await site.app.server.inject({
    method: 'POST',
    url: `/${language}/account/verify`,
    headers: { ...formHeaders, cookie: formCookie },
    payload: new URLSearchParams(form).toString(),
  });
  return { page, response };
}

/** Signs a reader in end to end: the form, the real email, the link. */
export async function signInMember(
  site: TestSite,
  smtp: SmtpSink,
  email: string,
  language = 'en',
): Promise<MemberAgent> {
  const before = smtp.received.length;
  expect((await requestLink(site, email, language)).statusCode).toBe(303);
  await smtp.waitFor(before + 1);
  const { response } = await followSignInLink(site, signInLinkOf(smtp, email));
  expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
  const cookie = cookieValue(response.headers['set-cookie'], 'kiosque_member');
  const account = await site.app.server.inject({ method: 'GET', url: `/${language}/account`, headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1];
  if (!csrf) throw new Error('no CSRF token on the account page');
  return { email, cookie, csrf };
}

export const memberPost = (site: TestSite, agent: MemberAgent, url: string, form: Record<string, string> = {}) =>
  site.app.server.inject({
    method: 'POST',
    url,
    headers: { ...formHeaders, cookie: agent.cookie },
    payload: new URLSearchParams({ _csrf: agent.csrf, ...form }).toString(),
  });

/**
 * Stands in for Stripe's API, which cannot run in tests (no network, no Stripe account): it
 * records what Kiosque asked for and answers with Stripe-shaped URLs. Webhooks are not faked:
 * tests sign real payloads with the stripe library's own test helper.
 */
export function fakeStripeApi() {
  const calls: { method: string; input: unknown }[] = [];
  const gateway: CheckoutGateway = {
    async startCheckout(input) {
      calls.push({ method: 'startCheckout', input });
      return { url: `https://checkout.stripe.com/c/pay/cs_test_${calls.length}` };
    },
    async openPortal(input) {
      calls.push({ method: 'openPortal', input });
      return { url: `https://billing.stripe.com/p/session/test_${calls.length}` };
    },
    async cancel(subscriptionId, when) {
      calls.push({ method: 'cancel', input: { subscriptionId, when } });
    },
  };
  return { gateway, calls };
}
