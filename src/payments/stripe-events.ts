import type { Stripe } from 'stripe';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { KiosqueError } from '../domain/errors.js';
import { type Plan, type SubscriptionStatus, subscriptionStatuses } from '../domain/members/member.js';
import type { BillingEvent } from '../domain/paywall/billing-service.js';

// Only the fields Kiosque reads. Webhook payloads follow the endpoint's API version, so fields that
// moved between versions (current_period_end went from the subscription to its items) are read from both.
// Every value that reaches storage is bounded here (issue 11): a NUL byte, a 10 kB id, a timestamp past
// year 9999 or an amount beyond a 32-bit column would otherwise fail in the database as a 500, which
// Stripe retries for days.
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\0'), 'no NUL byte');
const stripeId = text(255);
/** Unix seconds between 1970 and 2200. */
const unixSeconds = z.number().int().min(0).max(7_258_118_400);
const idOf = z
  .union([stripeId, z.object({ id: stripeId })])
  .transform((value) => (typeof value === 'string' ? value : value.id));
const metadata = z.record(z.string().max(40), z.string().max(500)).nullish();
const envelope = z.object({
  id: stripeId,
  type: text(100),
  created: unixSeconds,
  data: z.object({ object: z.unknown() }),
});
const checkoutSession = z.object({
  client_reference_id: stripeId.nullish(),
  customer: idOf.nullish(),
  metadata,
});
const subscriptionObject = z.object({
  id: stripeId,
  customer: idOf.nullish(),
  status: z.enum(subscriptionStatuses),
  cancel_at_period_end: z.boolean().default(false),
  current_period_end: unixSeconds.nullish(),
  metadata,
  items: z
    .object({
      data: z.array(
        z.object({
          current_period_end: unixSeconds.nullish(),
          price: z.object({ id: stripeId, recurring: z.object({ interval: text(20) }).nullish() }).nullish(),
        }),
      ),
    })
    .nullish(),
});
const invoiceObject = z.object({
  id: stripeId,
  customer: idOf.nullish(),
  amount_paid: z.number().int().min(0).max(2_147_483_647),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  created: unixSeconds,
  status_transitions: z.object({ paid_at: unixSeconds.nullish() }).nullish(),
});

/** Stripe's signature timestamp tolerance, in seconds, both ways (the library checks only the past). */
export const signatureToleranceSeconds = 300;

const seconds = (value: number) => new Date(value * 1000);

/**
 * Reads a verified Stripe event into the facts the billing service applies. Events Kiosque does
 * not act on become `ignored` (still recorded, so a redelivery is recognised).
 */
export function toBillingEvent(raw: unknown, priceIds: { monthly: string; yearly: string }): BillingEvent {
  try {
    return readEvent(raw, priceIds);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new KiosqueError('BILLING_EVENT_INVALID', { issues: error.issues.slice(0, 5) });
    }
    throw error;
  }
}

function readEvent(raw: unknown, priceIds: { monthly: string; yearly: string }): BillingEvent {
  const event = envelope.parse(raw);
  const base = { id: event.id, created: seconds(event.created) };
  const object = event.data.object;
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = checkoutSession.parse(object);
      const memberId = session.client_reference_id ?? session.metadata?.member_id ?? null;
      return {
        ...base,
        type: 'checkout.completed',
        memberId: memberId === null ? null : stripeId.parse(memberId),
        customerId: session.customer ?? null,
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = subscriptionObject.parse(object);
      const item = subscription.items?.data[0];
      const priceId = item?.price?.id;
      const plan: Plan =
        priceId === priceIds.yearly || (priceId !== priceIds.monthly && item?.price?.recurring?.interval === 'year')
          ? 'yearly'
          : 'monthly';
      const periodEnd = item?.current_period_end ?? subscription.current_period_end ?? null;
      const status: SubscriptionStatus =
        event.type === 'customer.subscription.deleted' ? 'canceled' : subscription.status;
      return {
        ...base,
        type: 'subscription.changed',
        memberId: subscription.metadata?.member_id ? stripeId.parse(subscription.metadata.member_id) : null,
        customerId: subscription.customer ?? null,
        subscription: {
          stripeSubscriptionId: subscription.id,
          status,
          plan,
          currentPeriodEnd: periodEnd === null ? null : seconds(periodEnd),
          cancelAtPeriodEnd: subscription.cancel_at_period_end,
        },
      };
    }
    case 'invoice.paid': {
      const invoice = invoiceObject.parse(object);
      return {
        ...base,
        type: 'invoice.paid',
        customerId: invoice.customer ?? null,
        invoiceId: invoice.id,
        amountMinor: invoice.amount_paid,
        currency: invoice.currency.toUpperCase(),
        paidAt: seconds(invoice.status_transitions?.paid_at ?? invoice.created),
      };
    }
    default:
      return { ...base, type: 'ignored', providerType: event.type };
  }
}

/**
 * The one timestamp of a `Stripe-Signature` header (`t=…,v1=…`), or null when it has none, several
 * (the library would read the last one), or one that is not a plain number.
 */
function signedAt(header: string): number | null {
  const stamps = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('t='))
    .map((part) => part.slice(2));
  if (stamps.length !== 1 || !/^\d{1,12}$/.test(stamps[0] ?? '')) return null;
  return Number(stamps[0]);
}

/**
 * Verifies a webhook request with the stripe library (signature, and a five-minute tolerance measured
 * on the injected clock, in the past and in the future) and reads it. A bad or stale signature is
 * BILLING_SIGNATURE_INVALID; a signed event whose content Kiosque cannot read is BILLING_EVENT_INVALID.
 */
export function createStripeWebhookReader(options: {
  stripe: Stripe;
  webhookSecret: string;
  priceIds: { monthly: string; yearly: string };
  clock: Clock;
}) {
  return (payload: Buffer, signature: string): BillingEvent => {
    const now = options.clock.now().getTime();
    const stamp = signedAt(signature);
    // The library compares the age with the tolerance only one way, and takes `receivedAt` in
    // milliseconds (issue 11: seconds were passed, so every signature looked 56 years fresh).
    if (stamp === null || Math.abs(Math.floor(now / 1000) - stamp) > signatureToleranceSeconds) {
      throw new KiosqueError('BILLING_SIGNATURE_INVALID');
    }
    let event: unknown;
    try {
      event = options.stripe.webhooks.constructEvent(
        payload,
        signature,
        options.webhookSecret,
        signatureToleranceSeconds,
        undefined,
        now,
      );
    } catch (error) {
      // The library parses the payload only once the signature held: signed bytes that are not JSON.
      if (error instanceof SyntaxError) throw new KiosqueError('BILLING_EVENT_INVALID');
      throw new KiosqueError('BILLING_SIGNATURE_INVALID');
    }
    return toBillingEvent(event, options.priceIds);
  };
}
