import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import { hasPaidSubscription, type Member, type Plan, type Subscription, tierOf } from '../members/member.js';
import type { AuditLog, MemberStore } from '../members/member-service.js';

/** A payment provider's event, already verified and read into plain facts by the adapter. */
export type BillingEvent = { id: string; created: Date } & (
  | { type: 'checkout.completed'; memberId: string | null; customerId: string | null }
  | {
      type: 'subscription.changed';
      memberId: string | null;
      customerId: string | null;
      subscription: Omit<Subscription, 'lastEventAt'>;
    }
  | {
      type: 'invoice.paid';
      customerId: string | null;
      invoiceId: string;
      amountMinor: number;
      currency: string;
      paidAt: Date;
    }
  | { type: 'ignored'; providerType: string }
);

export type EventOutcome = 'applied' | 'stale' | 'unmatched' | 'ignored' | 'duplicate';

/** Events already received, so a redelivery is applied once only. */
export interface BillingEventLog {
  /** Records the event as being handled; false when it was seen before. */
  claim(event: { id: string; type: string; created: Date; receivedAt: Date }): Promise<boolean>;
  settle(id: string, outcome: EventOutcome): Promise<void>;
  /** Forgets an event whose handling failed, so the provider's retry is handled afresh. */
  release(id: string): Promise<void>;
}

/** Subscription state per member, written only by newer events than the one it holds. */
export interface SubscriptionStore {
  memberIdForCustomer(customerId: string): Promise<string | null>;
  linkCustomer(memberId: string, customerId: string): Promise<void>;
  /**
   * Stores the member's subscription unless the one stored came from a later event (`lastEventAt`):
   * events are applied in the order Stripe created them, whatever order they arrive in.
   */
  apply(memberId: string, subscription: Subscription, now: Date): Promise<boolean>;
  recordPayment(payment: {
    id: string;
    memberId: string | null;
    invoiceId: string;
    amountMinor: number;
    currency: string;
    paidAt: Date;
  }): Promise<void>;
}

/**
 * The payment provider's pages and the one call made on a reader's behalf. Stripe in production
 * (`src/payments/`); it cannot run in tests, where a fake stands in for its API only.
 */
export interface CheckoutGateway {
  startCheckout(input: {
    memberId: string;
    email: string;
    customerId: string | null;
    plan: Plan;
    language: string;
    successUrl: string;
    cancelUrl: string;
  }): Promise<{ url: string }>;
  openPortal(input: { customerId: string; language: string; returnUrl: string }): Promise<{ url: string }>;
  cancel(subscriptionId: string, when: 'period-end' | 'now'): Promise<void>;
}

/**
 * Subscriptions: starting one (Checkout), managing it (Portal), cancelling at the period's end,
 * and the webhook events that grant and revoke paid access. Without a gateway (no Stripe keys),
 * subscriptions are closed and only staff's complimentary access makes a paid member.
 */
export function createBillingService(deps: {
  gateway: CheckoutGateway | null;
  events: BillingEventLog;
  subscriptions: SubscriptionStore;
  members: Pick<MemberStore, 'findById'>;
  audit: AuditLog;
  clock: Clock;
  ids: (prefix: string) => string;
}) {
  const { gateway, events, subscriptions, audit, clock } = deps;

  function open(): CheckoutGateway {
    if (!gateway) throw new KiosqueError('SUBSCRIPTIONS_CLOSED');
    return gateway;
  }

  async function memberOf(memberId: string | null, customerId: string | null): Promise<string | null> {
    if (memberId && (await deps.members.findById(memberId))) return memberId;
    return customerId ? subscriptions.memberIdForCustomer(customerId) : null;
  }

  async function apply(event: BillingEvent): Promise<EventOutcome> {
    const now = clock.now();
    switch (event.type) {
      case 'ignored':
        return 'ignored';
      case 'checkout.completed': {
        const memberId = await memberOf(event.memberId, event.customerId);
        if (!memberId) return 'unmatched';
        if (event.customerId) await subscriptions.linkCustomer(memberId, event.customerId);
        await audit.record({ at: now, memberId, actor: 'stripe', action: 'checkout.completed', details: {} });
        return 'applied';
      }
      case 'subscription.changed': {
        const memberId = await memberOf(event.memberId, event.customerId);
        if (!memberId) return 'unmatched';
        const member = await deps.members.findById(memberId);
        const current = member?.subscription;
        // A late event about an old, ended subscription must not replace a running one.
        if (
          current &&
          current.stripeSubscriptionId !== event.subscription.stripeSubscriptionId &&
          hasPaidSubscription({ subscription: current }, now) &&
          !hasPaidSubscription({ subscription: { ...event.subscription, lastEventAt: event.created } }, now)
        ) {
          return 'stale';
        }
        if (event.customerId) await subscriptions.linkCustomer(memberId, event.customerId);
        const applied = await subscriptions.apply(memberId, { ...event.subscription, lastEventAt: event.created }, now);
        if (!applied) return 'stale';
        await audit.record({
          at: now,
          memberId,
          actor: 'stripe',
          action: `subscription.${event.subscription.status}`,
          details: {
            plan: event.subscription.plan,
            periodEnd: event.subscription.currentPeriodEnd?.toISOString() ?? null,
            cancelAtPeriodEnd: event.subscription.cancelAtPeriodEnd,
          },
        });
        return 'applied';
      }
      case 'invoice.paid': {
        const memberId = event.customerId ? await subscriptions.memberIdForCustomer(event.customerId) : null;
        await subscriptions.recordPayment({
          id: deps.ids('pay'),
          memberId,
          invoiceId: event.invoiceId,
          amountMinor: event.amountMinor,
          currency: event.currency,
          paidAt: event.paidAt,
        });
        return memberId ? 'applied' : 'unmatched';
      }
    }
  }

  return {
    /** Whether readers can subscribe (Stripe is configured). */
    isOpen: () => gateway !== null,

    async startCheckout(member: Member, plan: Plan, language: string, urls: { success: string; cancel: string }) {
      const provider = open();
      if (tierOf(member, clock.now()) === 'paid') throw new KiosqueError('SUBSCRIPTION_ALREADY_ACTIVE');
      return provider.startCheckout({
        memberId: member.id,
        email: member.email,
        customerId: member.stripeCustomerId,
        plan,
        language,
        successUrl: urls.success,
        cancelUrl: urls.cancel,
      });
    },

    async openPortal(member: Member, language: string, returnUrl: string) {
      const provider = open();
      if (!member.stripeCustomerId) throw new KiosqueError('SUBSCRIPTION_NOT_FOUND');
      return provider.openPortal({ customerId: member.stripeCustomerId, language, returnUrl });
    },

    /** Cancels at the end of the period paid for: access lasts until then. */
    async cancelAtPeriodEnd(member: Member): Promise<void> {
      const provider = open();
      const now = clock.now();
      const subscription = member.subscription;
      if (!subscription || !hasPaidSubscription(member, now)) throw new KiosqueError('SUBSCRIPTION_NOT_FOUND');
      if (subscription.cancelAtPeriodEnd) return;
      await provider.cancel(subscription.stripeSubscriptionId, 'period-end');
      // Shown at once; Stripe's own event confirms it shortly after.
      await subscriptions.apply(member.id, { ...subscription, cancelAtPeriodEnd: true }, now);
      await audit.record({
        at: now,
        memberId: member.id,
        actor: 'member',
        action: 'subscription.cancel_requested',
        details: {},
      });
    },

    /** Before an account is deleted: a running subscription stops now, so nobody is billed for an erased account. */
    async endBeforeDeletion(member: Member): Promise<void> {
      const subscription = member.subscription;
      if (!subscription || !['active', 'trialing', 'past_due', 'unpaid', 'paused'].includes(subscription.status))
        return;
      await open().cancel(subscription.stripeSubscriptionId, 'now');
    },

    /** Applies a verified provider event once, in the order events were created. */
    async handleEvent(event: BillingEvent): Promise<EventOutcome> {
      const claimed = await events.claim({
        id: event.id,
        type: event.type === 'ignored' ? event.providerType : event.type,
        created: event.created,
        receivedAt: clock.now(),
      });
      if (!claimed) return 'duplicate';
      try {
        const outcome = await apply(event);
        await events.settle(event.id, outcome);
        return outcome;
      } catch (error) {
        await events.release(event.id);
        throw error;
      }
    },
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
