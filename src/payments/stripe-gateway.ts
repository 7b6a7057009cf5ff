import { Stripe } from 'stripe';
import { KiosqueError } from '../domain/errors.js';
import type { CheckoutGateway } from '../domain/paywall/billing-service.js';

/** The Stripe client for a secret key: a few retries, and a timeout so a page never hangs on Stripe. */
export function createStripeClient(secretKey: string): Stripe {
  return new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 15_000 });
}

/** Locales Stripe's hosted pages know; a site language they lack falls back to the reader's browser. */
const stripeLocales = new Set(['fr', 'en', 'de', 'es', 'it', 'nl', 'pt', 'ja', 'pl', 'sv', 'da', 'fi', 'nb']);
const localeOf = (language: string) => {
  const base = language.split('-')[0] ?? 'auto';
  return (stripeLocales.has(base) ? base : 'auto') as 'auto';
};

async function call<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new KiosqueError('BILLING_PROVIDER_FAILED', { cause: (error as Error).message });
  }
}

/** Stripe Checkout for subscribing, the Customer Portal for managing, cancellation through the API. */
export function createStripeGateway(stripe: Stripe, priceIds: { monthly: string; yearly: string }): CheckoutGateway {
  return {
    async startCheckout(input) {
      const session = await call(() =>
        stripe.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price: priceIds[input.plan], quantity: 1 }],
          // Both lead webhooks back to the member: the session names them, the subscription carries them.
          client_reference_id: input.memberId,
          subscription_data: { metadata: { member_id: input.memberId } },
          ...(input.customerId ? { customer: input.customerId } : { customer_email: input.email }),
          locale: localeOf(input.language),
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
        }),
      );
      if (!session.url) throw new KiosqueError('BILLING_PROVIDER_FAILED');
      return { url: session.url };
    },

    async openPortal(input) {
      const session = await call(() =>
        stripe.billingPortal.sessions.create({
          customer: input.customerId,
          return_url: input.returnUrl,
          locale: localeOf(input.language),
        }),
      );
      return { url: session.url };
    },

    async cancel(subscriptionId, when) {
      await call(() =>
        when === 'now'
          ? stripe.subscriptions.cancel(subscriptionId)
          : stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }),
      );
    },
  };
}
