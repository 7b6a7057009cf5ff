import { createHmac, randomBytes } from 'node:crypto';
import type { WebhookSigning } from '../domain/webhooks/webhook-service.js';
import { sameSecret } from './constant-time.js';

const hmac = (secret: string, unixSeconds: number, body: string) =>
  createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');

/**
 * Webhook signatures in Stripe's scheme (decision 0048): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">` with the webhook's own secret. The time is signed too, so a captured request cannot be
 * replayed later than the receiver's tolerance.
 */
export const webhookSigning: WebhookSigning = {
  newSecret: () => `whsec_${randomBytes(32).toString('hex')}`,
  sign: (secret, unixSeconds, body) => `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`,
};

/**
 * What a receiver does with X-Kiosque-Signature: true when the header's `v1` is this body's
 * signature with `secret` and its time is within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(options: {
  header: string | undefined;
  secret: string;
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): boolean {
  const parts = new Map(
    (options.header ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(options.now.getTime() / 1000 - t) > (options.toleranceSeconds ?? 300)) return false;
  return sameSecret(hmac(options.secret, t, options.body), v1);
}
