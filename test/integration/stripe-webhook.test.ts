import { Stripe } from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 11: the webhook's signature age was never checked (seconds were passed where the stripe
// library expects milliseconds), and a signed event of an unexpected shape or an oversized body
// answered 500, which Stripe retries for days. These run against the real route with signatures
// computed from the webhook secret.

const now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };
const at = (date: Date) => Math.floor(date.getTime() / 1000);
const webhookSecret = 'whsec_testsecretforthewebhooksuite';
const stripeEnv = {
  STRIPE_SECRET_KEY: 'sk_test_notarealkey',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_PRICE_MONTHLY: 'price_monthly123',
  STRIPE_PRICE_YEARLY: 'price_yearly456',
};
// Only its offline helper is used: signing test payloads.
const stripe = new Stripe('sk_test_notarealkey');
const year = 365 * 24 * 3600;

describeEachDatabase('the Stripe webhook on $kind', ({ kind }) => {
  let site: TestSite;
  let counter = 0;

  beforeAll(async () => {
    site = await startTestSite(kind, { clock, demo: false, env: stripeEnv });
  });
  afterAll(async () => {
    await site?.close();
  });

  const post = (payload: string, header: string) =>
    site.app.server.inject({
      method: 'POST',
      url: '/stripe/webhook',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      payload,
    });
  const signed = (payload: string, timestamp = at(now)) =>
    post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp }));
  const event = (fields: Record<string, unknown> = {}) => ({
    id: `evt_webhook_${++counter}`,
    type: 'charge.refunded',
    created: at(now) - 10,
    data: { object: {} },
    ...fields,
  });
  const stored = async () =>
    Number(
      (
        await site.app.database.db
          .selectFrom('billing_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('applies an event signed now and up to five minutes ago or ahead', async () => {
    for (const offset of [0, -300, 300]) {
      const before = await stored();
      const response = await signed(JSON.stringify(event()), at(now) + offset);
      expect(response.statusCode, `signed ${offset} s from now`).toBe(200);
      expect(response.json()).toMatchObject({ received: true, outcome: 'ignored' });
      expect(await stored()).toBe(before + 1);
    }
  });

  it('refuses events signed a year ago, a year ahead, or just past the tolerance, storing nothing', async () => {
    const before = await stored();
    for (const offset of [-year, year, -301, 301]) {
      const response = await signed(JSON.stringify(event()), at(now) + offset);
      expect(response.statusCode, `signed ${offset} s from now`).toBe(400);
      expect(response.json()).toEqual({ code: 'BILLING_SIGNATURE_INVALID' });
    }
    expect(await stored()).toBe(before);
  });

  it('refuses a header with two timestamps, one of them fresh', async () => {
    const payload = JSON.stringify(event());
    const old = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp: at(now) - year });
    const response = await post(payload, `t=${at(now)},${old}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'BILLING_SIGNATURE_INVALID' });
  });

  it('answers 400 and stores nothing for a signed event of an unexpected shape', async () => {
    const before = await stored();
    const hostile: [string, string][] = [
      ['not JSON', '{"id": "evt_'],
      ['JSON null', 'null'],
      ['no data', JSON.stringify({ id: 'evt_shape_1', type: 'charge.refunded', created: at(now) })],
      ['created as text', JSON.stringify(event({ created: 'yesterday' }))],
      ['created past year 9999', JSON.stringify(event({ created: 1e15 }))],
      ['a NUL byte in the id', JSON.stringify(event({ id: 'evt_\u0000nul' }))],
      ['an id of 10 kB', JSON.stringify(event({ id: `evt_${'x'.repeat(10_000)}` }))],
      [
        'an unknown subscription status',
        JSON.stringify(
          event({
            type: 'customer.subscription.updated',
            data: { object: { id: 'sub_1', customer: 'cus_1', status: 'sleeping', items: { data: [] } } },
          }),
        ),
      ],
      [
        'an amount beyond the column',
        JSON.stringify(
          event({
            type: 'invoice.paid',
            data: { object: { id: 'in_1', customer: 'cus_1', amount_paid: 1e12, currency: 'eur', created: at(now) } },
          }),
        ),
      ],
      [
        'a currency that is not ISO 4217',
        JSON.stringify(
          event({
            type: 'invoice.paid',
            data: {
              object: { id: 'in_1', customer: 'cus_1', amount_paid: 800, currency: 'euro\u0000', created: at(now) },
            },
          }),
        ),
      ],
      [
        'a member id with a NUL byte',
        JSON.stringify(
          event({
            type: 'checkout.session.completed',
            data: { object: { client_reference_id: 'mem\u0000', customer: 'cus_1' } },
          }),
        ),
      ],
    ];
    for (const [what, payload] of hostile) {
      const response = await signed(payload);
      expect(response.statusCode, what).toBe(400);
      expect(response.json(), what).toEqual({ code: 'BILLING_EVENT_INVALID' });
    }
    expect(await stored()).toBe(before);
  });

  it('answers 413, not 500, to a body over 512 kB', async () => {
    const before = await stored();
    const response = await signed(JSON.stringify(event({ data: { object: { padding: 'x'.repeat(600 * 1024) } } })));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ code: 'BILLING_EVENT_TOO_LARGE' });
    expect(await stored()).toBe(before);
  });
});
