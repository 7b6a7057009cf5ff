import type { Stripe } from 'stripe';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { KiosqueError } from '../domain/errors.js';
import { type Plan, type SubscriptionStatus, subscriptionStatuses } from '../domain/members/member.js';
import type { BillingEvent } from '../domain/paywall/billing-service.js';

// Only the fields Kiosque reads. Webhook payloads follow the endpoint's API version, so fields that
// moved between versions (current_period_end went from the subscription to its items) are read from both.
const idOf = z
  .union([z.string(), z.object({ id: z.string() })])
  .transform((value) => (typeof value === 'string' ? value : value.id));
const envelope = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number(),
  data: z.object({ object: z.unknown() }),
});
const checkoutSession = z.object({
  client_reference_id: z.string().nullish(),
  customer: idOf.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
const subscriptionObject = z.object({
  id: z.string(),
  customer: idOf.nullish(),
  status: z.enum(subscriptionStatuses),
  cancel_at_period_end: z.boolean().default(false),
  current_period_end: z.number().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  items: z
    .object({
      data: z.array(
        z.object({
          current_period_end: z.number().nullish(),
          price: z.object({ id: z.string(), recurring: z.object({ interval: z.string() }).nullish() }).nullish(),
        }),
      ),
    })
    .nullish(),
});
const invoiceObject = z.object({
  id: z.string(),
  customer: idOf.nullish(),
  amount_paid: z.number().int(),
  currency: z.string(),
  created: z.number(),
  status_transitions: z.object({ paid_at: z.number().nullish() }).nullish(),
});

const seconds = (value: number) => new Date(value * 1000);

/**
 * Reads a verified Stripe event into the facts the billing service applies. Events Kiosque does
 * not act on become `ignored` (still recorded, so a redelivery is recognised).
 */
export function toBillingEvent(raw: unknown, priceIds: { monthly: string; yearly: string }): BillingEvent {
  const event = envelope.parse(raw);
  const base = { id: event.id, created: seconds(event.created) };
  const object = event.data.object;
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = checkoutSession.parse(object);
      return {
        ...base,
        type: 'checkout.completed',
        memberId: session.client_reference_id ?? session.metadata?.member_id ?? null,
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
        memberId: subscription.metadata?.member_id ?? null,
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
      return { ...base, type: 'ignored', providerType: event.type.slice(0, 100) };
  }
}

/**
 * Verifies a webhook request with the stripe library (signature and a five-minute tolerance,
 * measured on the injected clock) and reads it. A bad signature is BILLING_SIGNATURE_INVALID.
 */
export function createStripeWebhookReader(options: {
  stripe: Stripe;
  webhookSecret: string;
  priceIds: { monthly: string; yearly: string };
  clock: Clock;
}) {
  return (payload: Buffer, signature: string): BillingEvent => {
    let event: unknown;
    try {
      event = options.stripe.webhooks.constructEvent(
        payload,
        signature,
        options.webhookSecret,
        300,
        undefined,
        Math.floor(options.clock.now().getTime() / 1000),
      );
    } catch {
      throw new KiosqueError('BILLING_SIGNATURE_INVALID');
    }
    return toBillingEvent(event, options.priceIds);
  };
}
