import type { Kysely } from 'kysely';
import type { BillingEventLog, SubscriptionStore } from '../domain/paywall/billing-service.js';
import type { MeterStore } from '../domain/paywall/paywall-service.js';
import { isUniqueViolation } from './article-repository.js';
import { type Database, toDate } from './schema.js';

/** Subscription state and payment records per member, on SQL. */
export function createBillingRepository(db: Kysely<Database>): SubscriptionStore & {
  paymentsOf(memberId: string): Promise<{ invoice: string; amountMinor: number; currency: string; paidAt: Date }[]>;
} {
  return {
    async memberIdForCustomer(customerId) {
      const row = await db
        .selectFrom('members')
        .select('id')
        .where('stripe_customer_id', '=', customerId)
        .executeTakeFirst();
      return row?.id ?? null;
    },

    async linkCustomer(memberId, customerId) {
      await db
        .updateTable('members')
        .set({ stripe_customer_id: customerId })
        .where('id', '=', memberId)
        .where((eb) => eb.or([eb('stripe_customer_id', 'is', null), eb('stripe_customer_id', '=', customerId)]))
        .execute();
    },

    async apply(memberId, subscription, now) {
      const values = {
        member_id: memberId,
        stripe_subscription_id: subscription.stripeSubscriptionId,
        status: subscription.status,
        plan: subscription.plan,
        current_period_end: subscription.currentPeriodEnd?.toISOString() ?? null,
        cancel_at_period_end: subscription.cancelAtPeriodEnd ? 1 : 0,
        last_event_at: subscription.lastEventAt.toISOString(),
        updated_at: now.toISOString(),
      };
      // Insert, or overwrite only a row written by an event no newer than this one.
      const result = await db
        .insertInto('member_subscriptions')
        .values(values)
        .onConflict((oc) =>
          oc
            .column('member_id')
            .doUpdateSet({
              stripe_subscription_id: (eb) => eb.ref('excluded.stripe_subscription_id'),
              status: (eb) => eb.ref('excluded.status'),
              plan: (eb) => eb.ref('excluded.plan'),
              current_period_end: (eb) => eb.ref('excluded.current_period_end'),
              cancel_at_period_end: (eb) => eb.ref('excluded.cancel_at_period_end'),
              last_event_at: (eb) => eb.ref('excluded.last_event_at'),
              updated_at: (eb) => eb.ref('excluded.updated_at'),
            })
            .where('member_subscriptions.last_event_at', '<=', values.last_event_at),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async recordPayment(payment) {
      await db
        .insertInto('payment_records')
        .values({
          id: payment.id,
          member_id: payment.memberId,
          holder: payment.memberId ?? 'unknown',
          stripe_invoice_id: payment.invoiceId,
          amount_minor: payment.amountMinor,
          currency: payment.currency,
          paid_at: payment.paidAt.toISOString(),
        })
        .onConflict((oc) => oc.column('stripe_invoice_id').doNothing())
        .execute();
    },

    async paymentsOf(memberId) {
      const rows = await db
        .selectFrom('payment_records')
        .selectAll()
        .where('member_id', '=', memberId)
        .orderBy('paid_at')
        .execute();
      return rows.map((row) => ({
        invoice: row.stripe_invoice_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        paidAt: toDate(row.paid_at),
      }));
    },
  };
}

/** Stripe events already received: the primary key makes a redelivery lose the race. */
export function createBillingEventRepository(db: Kysely<Database>): BillingEventLog {
  return {
    async claim(event) {
      try {
        await db
          .insertInto('billing_events')
          .values({
            id: event.id,
            type: event.type,
            created_at: event.created.toISOString(),
            received_at: event.receivedAt.toISOString(),
            outcome: 'pending',
          })
          .execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async settle(id, outcome) {
      await db.updateTable('billing_events').set({ outcome }).where('id', '=', id).execute();
    },

    async release(id) {
      await db.deleteFrom('billing_events').where('id', '=', id).execute();
    },
  };
}

/** Members' monthly meter. */
export function createMeterRepository(db: Kysely<Database>): MeterStore & {
  readsOf(memberId: string): Promise<{ period: string; articleId: string; readAt: Date }[]>;
} {
  return {
    async readsIn(memberId, period) {
      const rows = await db
        .selectFrom('member_meter_reads')
        .select('article_id')
        .where('member_id', '=', memberId)
        .where('period', '=', period)
        .execute();
      return rows.map((row) => row.article_id);
    },

    async record(memberId, period, articleId, at) {
      await db
        .insertInto('member_meter_reads')
        .values({ member_id: memberId, period, article_id: articleId, read_at: at.toISOString() })
        .onConflict((oc) => oc.columns(['member_id', 'period', 'article_id']).doNothing())
        .execute();
    },

    async readsOf(memberId) {
      const rows = await db
        .selectFrom('member_meter_reads')
        .selectAll()
        .where('member_id', '=', memberId)
        .orderBy('read_at')
        .execute();
      return rows.map((row) => ({ period: row.period, articleId: row.article_id, readAt: toDate(row.read_at) }));
    },
  };
}
