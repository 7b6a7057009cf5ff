import { Stripe } from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fakeStripeApi, type MemberAgent, memberPost, signInMember } from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { addMember, post, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };
const at = (date: Date) => Math.floor(date.getTime() / 1000);

const webhookSecret = 'whsec_testsecretfortheintegrationsuite';
const stripeEnv = {
  STRIPE_SECRET_KEY: 'sk_test_notarealkey',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_PRICE_MONTHLY: 'price_monthly123',
  STRIPE_PRICE_YEARLY: 'price_yearly456',
  KIOSQUE_CURRENCY: 'CHF',
  KIOSQUE_PRICE_MONTHLY: '9.5',
  KIOSQUE_PRICE_YEARLY: '95',
};
// Only its offline helpers are used: signing test payloads. No request ever reaches Stripe.
const stripe = new Stripe('sk_test_notarealkey');

describeEachDatabase('subscriptions on $kind', ({ kind }) => {
  let site: TestSite;
  let closed: TestSite;
  let smtp: SmtpSink;
  const api = fakeStripeApi();
  let reader: MemberAgent;
  let memberId: string;
  let owner: StaffAgent;
  let eventCount = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    [site, closed] = await Promise.all([
      startTestSite(kind, { clock, env: { SMTP_URL: smtp.url, ...stripeEnv }, checkoutGateway: api.gateway }),
      startTestSite(kind, { clock, demo: false, env: { SMTP_URL: smtp.url } }),
    ]);
    reader = await signInMember(site, smtp, 'payer@example.org');
    memberId = (
      await site.app.database.db
        .selectFrom('members')
        .select('id')
        .where('email', '=', 'payer@example.org')
        .executeTakeFirstOrThrow()
    ).id;
    owner = await setupOwner(site);
  });
  afterAll(async () => {
    await Promise.all([site?.close(), closed?.close()]);
    await smtp?.close();
  });

  const get = (target: TestSite, url: string, cookie = '') =>
    target.app.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  function webhook(event: object, options: { secret?: string; target?: TestSite } = {}) {
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? webhookSecret,
      timestamp: at(now),
    });
    return (options.target ?? site).app.server.inject({
      method: 'POST',
      url: '/stripe/webhook',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      payload,
    });
  }

  function subscriptionEvent(
    type: string,
    created: Date,
    fields: { status?: string; cancel?: boolean; periodEnd?: Date; id?: string; subscription?: string } = {},
  ) {
    eventCount++;
    return {
      id: fields.id ?? `evt_test_${eventCount}`,
      object: 'event',
      type,
      created: at(created),
      data: {
        object: {
          id: fields.subscription ?? 'sub_test_1',
          object: 'subscription',
          customer: 'cus_test_1',
          status: fields.status ?? 'active',
          cancel_at_period_end: fields.cancel ?? false,
          metadata: { member_id: memberId },
          items: {
            data: [
              {
                current_period_end: at(fields.periodEnd ?? new Date('2026-06-04T08:00:00Z')),
                price: { id: 'price_monthly123', recurring: { interval: 'month' } },
              },
            ],
          },
        },
      },
    };
  }

  const tierOf = async () => JSON.parse((await get(site, '/en/account/export', reader.cookie)).body).account;

  it('says subscriptions are not open without Stripe keys, and refuses checkout and webhooks', async () => {
    const pricing = await get(closed, '/en/subscribe');
    expect(pricing.body).toContain('Subscriptions are not open yet');
    expect(pricing.body).not.toContain('/subscribe/checkout');
    expect(pricing.body).toContain('€8.00 a month');
    const hook = await webhook(subscriptionEvent('customer.subscription.created', now), { target: closed });
    expect(hook.statusCode).toBe(409);
    expect(JSON.parse(hook.body)).toEqual({ code: 'SUBSCRIPTIONS_CLOSED' });
  });

  it('shows configured prices in the configured currency, in each language', async () => {
    const english = await get(site, '/en/subscribe');
    expect(english.body).toMatch(/CHF\s9\.50 a month/);
    expect(english.body).toMatch(/CHF\s95\.00 a year/);
    expect(english.body).toContain('Sign in to subscribe');
    expect(english.headers['cache-control']).toMatch(/^public/);
    const french = await get(site, '/fr/subscribe');
    expect(french.body).toMatch(/9,50\s*CHF par mois/u);
  });

  it('reaches the pricing page from every subscribe call-to-action', async () => {
    for (const url of ['/en/', '/en/night-trains-return-to-europe', '/en/what-the-river-sensors-found', '/fr/']) {
      expect((await get(site, url)).body, url).toContain(`href="/${url.split('/')[1]}/subscribe"`);
    }
  });

  it('sends a signed-in member to Stripe Checkout for the plan they chose', async () => {
    const pricing = await get(site, '/en/subscribe', reader.cookie);
    expect(pricing.headers['cache-control']).toBe('private, no-store');
    expect(pricing.body).toContain('action="/en/subscribe/checkout"');
    const forged = await memberPost(site, { ...reader, csrf: 'nope' }, '/en/subscribe/checkout', { plan: 'yearly' });
    expect(forged.statusCode).toBe(403);
    const response = await memberPost(site, reader, '/en/subscribe/checkout', { plan: 'yearly' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(api.calls.at(-1)).toEqual({
      method: 'startCheckout',
      input: expect.objectContaining({
        memberId,
        email: 'payer@example.org',
        plan: 'yearly',
        customerId: null,
        successUrl: `${site.config.publicUrl}/en/subscribe/welcome`,
      }),
    });
    const anonymous = await site.app.server.inject({
      method: 'POST',
      url: '/en/subscribe/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'plan=monthly',
    });
    expect(anonymous.headers.location).toBe('/en/account?next=%2Fen%2Fsubscribe');
  });

  it('refuses a webhook whose signature does not match', async () => {
    const forged = await webhook(subscriptionEvent('customer.subscription.created', now), {
      secret: 'whsec_wrongsecret',
    });
    expect(forged.statusCode).toBe(400);
    expect(JSON.parse(forged.body)).toEqual({ code: 'BILLING_SIGNATURE_INVALID' });
    const unsigned = await site.app.server.inject({
      method: 'POST',
      url: '/stripe/webhook',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(subscriptionEvent('customer.subscription.created', now)),
    });
    expect(unsigned.statusCode).toBe(400);
    expect((await tierOf()).tier).toBe('free');
  });

  it('grants access on a verified event, once however often it is delivered', async () => {
    const completed = await webhook({
      id: 'evt_checkout_1',
      object: 'event',
      type: 'checkout.session.completed',
      created: at(now),
      data: {
        object: { id: 'cs_1', client_reference_id: memberId, customer: 'cus_test_1', subscription: 'sub_test_1' },
      },
    });
    expect(JSON.parse(completed.body)).toEqual({ received: true, outcome: 'applied' });
    const created = subscriptionEvent('customer.subscription.created', now);
    expect(JSON.parse((await webhook(created)).body).outcome).toBe('applied');
    expect(JSON.parse((await webhook(created)).body).outcome).toBe('duplicate');
    const account = await tierOf();
    expect(account).toMatchObject({ tier: 'paid', status: 'active', stripeCustomerId: 'cus_test_1' });
    expect(account.subscription.currentPeriodEnd).toBe('2026-06-04T08:00:00.000Z');
    const page = await get(site, '/en/what-the-river-sensors-found', reader.cookie);
    expect(page.body).toContain('Marguerite Oyelaran');
    const rows = await site.app.database.db.selectFrom('billing_events').selectAll().execute();
    expect(rows.filter((row) => row.id === created.id)).toHaveLength(1);
  });

  it('applies events in the order Stripe created them, whatever order they arrive in', async () => {
    const t1 = new Date(now.getTime() + 60_000);
    const t2 = new Date(now.getTime() + 120_000);
    const newer = subscriptionEvent('customer.subscription.updated', t2, { status: 'past_due' });
    const older = subscriptionEvent('customer.subscription.updated', t1, { status: 'active', cancel: true });
    expect(JSON.parse((await webhook(newer)).body).outcome).toBe('applied');
    expect(JSON.parse((await webhook(older)).body).outcome).toBe('stale');
    expect((await tierOf()).status).toBe('past_due');
    const recovered = subscriptionEvent('customer.subscription.updated', new Date(now.getTime() + 180_000));
    await webhook(recovered);
    expect((await tierOf()).status).toBe('active');
  });

  it('records payments for the accounts law', async () => {
    const paid = await webhook({
      id: 'evt_invoice_1',
      object: 'event',
      type: 'invoice.paid',
      created: at(now),
      data: {
        object: {
          id: 'in_test_1',
          customer: 'cus_test_1',
          amount_paid: 950,
          currency: 'chf',
          created: at(now),
          status_transitions: { paid_at: at(now) },
        },
      },
    });
    expect(JSON.parse(paid.body).outcome).toBe('applied');
    const data = JSON.parse((await get(site, '/en/account/export', reader.cookie)).body);
    expect(data.payments).toEqual([
      { invoice: 'in_test_1', amountMinor: 950, currency: 'CHF', paidAt: now.toISOString() },
    ]);
  });

  it('cancels at the end of the period from the account page, and opens the Customer Portal', async () => {
    const account = await get(site, '/en/account', reader.cookie);
    expect(account.body).toContain('Renews on');
    const cancel = await memberPost(site, reader, '/en/account/subscription/cancel');
    expect(cancel.statusCode).toBe(303);
    expect(api.calls.at(-1)).toEqual({ method: 'cancel', input: { subscriptionId: 'sub_test_1', when: 'period-end' } });
    const after = await get(site, '/en/account?done=canceled', reader.cookie);
    expect(after.body).toContain('Subscriber until the end of the period');
    expect(after.body).toContain('Access until');
    expect((await tierOf()).tier).toBe('paid');
    const portal = await memberPost(site, reader, '/en/account/billing');
    expect(portal.headers.location).toMatch(/^https:\/\/billing\.stripe\.com\//);
    expect(api.calls.at(-1)).toMatchObject({ method: 'openPortal', input: { customerId: 'cus_test_1' } });
  });

  it('revokes access when Stripe ends the subscription', async () => {
    const ended = subscriptionEvent('customer.subscription.deleted', new Date(now.getTime() + 600_000), {
      status: 'canceled',
    });
    expect(JSON.parse((await webhook(ended)).body).outcome).toBe('applied');
    expect(await tierOf()).toMatchObject({ tier: 'free', status: 'lapsed' });
    // Back to a free member: the story is now one of the month's free ones, no longer theirs by right.
    const page = await get(site, '/en/what-the-river-sensors-found', reader.cookie);
    expect(page.body).toContain('You are reading free story 1 of 3 this month.');
  });

  it('lists members with filters and search, and logs every change', async () => {
    await signInMember(site, smtp, 'lecteur@example.org', 'fr');
    await signInMember(site, smtp, '=hyperlink@example.org');
    const all = await get(site, '/admin/members', owner.cookie);
    expect(all.statusCode).toBe(200);
    for (const email of ['payer@example.org', 'lecteur@example.org']) expect(all.body).toContain(email);
    const french = await get(site, '/admin/members?language=fr', owner.cookie);
    expect(french.body).toContain('lecteur@example.org');
    expect(french.body).not.toContain('payer@example.org');
    const lapsed = await get(site, '/admin/members?status=lapsed', owner.cookie);
    expect(lapsed.body).toContain('payer@example.org');
    expect(lapsed.body).not.toContain('lecteur@example.org');
    const search = await get(site, '/admin/members?q=LECTEUR', owner.cookie);
    expect(search.body).toContain('lecteur@example.org');
    expect(search.body).not.toContain('payer@example.org');
    const noNewsletter = await get(site, '/admin/members?newsletter=yes', owner.cookie);
    expect(noNewsletter.body).not.toContain('payer@example.org');

    const lecteur = await site.app.database.db
      .selectFrom('members')
      .select('id')
      .where('email', '=', 'lecteur@example.org')
      .executeTakeFirstOrThrow();
    const grant = await post(
      site,
      `/admin/members/${lecteur.id}/complimentary`,
      { _csrf: owner.csrf, until: '2026-12-31' },
      owner.cookie,
    );
    expect(grant.statusCode).toBe(200);
    expect((await get(site, '/admin/members?tier=paid', owner.cookie)).body).toContain('lecteur@example.org');
    const past = await post(
      site,
      `/admin/members/${lecteur.id}/complimentary`,
      { _csrf: owner.csrf, until: '2020-01-01' },
      owner.cookie,
    );
    expect(past.statusCode).toBe(400);
    await post(site, `/admin/members/${lecteur.id}/complimentary/revoke`, { _csrf: owner.csrf }, owner.cookie);
    const detail = await get(site, `/admin/members/${lecteur.id}`, owner.cookie);
    expect(detail.body).toContain('complimentary.granted');
    expect(detail.body).toContain('complimentary.revoked');
    const log = await site.app.database.db
      .selectFrom('member_audit_log')
      .selectAll()
      .where('member_id', '=', lecteur.id)
      .execute();
    expect(log.filter((entry) => entry.action.startsWith('complimentary.')).map((entry) => entry.actor)).toEqual([
      expect.stringMatching(/^staff:stf_/),
      expect.stringMatching(/^staff:stf_/),
    ]);
  });

  it('exports members as CSV with formula cells made harmless', async () => {
    const csv = await get(site, '/admin/members.csv', owner.cookie);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="members-/);
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^email,language,joined,tier,status/);
    expect(lines.some((line) => line.startsWith("'=hyperlink@example.org,"))).toBe(true);
    expect(lines.some((line) => line.startsWith('payer@example.org,en,'))).toBe(true);
  });

  it('keeps the members list from roles below admin', async () => {
    const editor = await addMember(site, 'editor', 'editor@example.org');
    expect((await get(site, '/admin/members', editor.cookie)).statusCode).toBe(403);
    expect((await get(site, '/admin/members.csv', editor.cookie)).statusCode).toBe(403);
  });
});
