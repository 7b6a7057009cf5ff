import { describe, expect, it } from 'vitest';
import { toBillingEvent } from './stripe-events.js';

const priceIds = { monthly: 'price_month', yearly: 'price_year' };

describe('Stripe events read into billing facts', () => {
  it('reads a subscription with the period end on its item (API 2025+) or on itself (older)', () => {
    const base = {
      id: 'evt_1',
      type: 'customer.subscription.updated',
      created: 1_780_000_000,
      data: {
        object: {
          id: 'sub_1',
          customer: 'cus_1',
          status: 'active',
          cancel_at_period_end: true,
          metadata: { member_id: 'mem_1' },
          items: { data: [{ current_period_end: 1_782_000_000, price: { id: 'price_year' } }] },
        },
      },
    };
    expect(toBillingEvent(base, priceIds)).toMatchObject({
      type: 'subscription.changed',
      memberId: 'mem_1',
      customerId: 'cus_1',
      subscription: {
        plan: 'yearly',
        status: 'active',
        cancelAtPeriodEnd: true,
        currentPeriodEnd: new Date(1_782_000_000_000),
      },
    });
    const older = structuredClone(base) as { data: { object: Record<string, unknown> } };
    older.data.object.items = { data: [{ price: { id: 'price_month' } }] };
    older.data.object.current_period_end = 1_781_000_000;
    expect(toBillingEvent(older, priceIds)).toMatchObject({
      subscription: { plan: 'monthly', currentPeriodEnd: new Date(1_781_000_000_000) },
    });
  });

  it('treats a deleted subscription as canceled and other events as ignored', () => {
    const deleted = {
      id: 'evt_2',
      type: 'customer.subscription.deleted',
      created: 1,
      data: { object: { id: 'sub_1', customer: 'cus_1', status: 'active', items: { data: [] } } },
    };
    expect(toBillingEvent(deleted, priceIds)).toMatchObject({ subscription: { status: 'canceled' } });
    expect(
      toBillingEvent({ id: 'evt_3', type: 'charge.refunded', created: 1, data: { object: {} } }, priceIds),
    ).toEqual({
      id: 'evt_3',
      created: new Date(1000),
      type: 'ignored',
      providerType: 'charge.refunded',
    });
  });
});
