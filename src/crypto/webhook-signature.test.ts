import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSigning } from './webhook-signature.js';

const secret = 'whsec_test';
const body = '{"event":"story.published"}';
const now = new Date('2026-06-01T10:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('webhook signatures', () => {
  it('signs "t.body" with HMAC-SHA256 of the secret, as t=…,v1=…', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(webhookSigning.sign(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts its own signature and refuses another body, secret or a stale time', () => {
    const header = webhookSigning.sign(secret, t, body);
    expect(verifyWebhookSignature({ header, secret, body, now })).toBe(true);
    expect(verifyWebhookSignature({ header, secret, body: `${body} `, now })).toBe(false);
    expect(verifyWebhookSignature({ header, secret: 'whsec_other', body, now })).toBe(false);
    expect(verifyWebhookSignature({ header, secret, body, now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(verifyWebhookSignature({ header: undefined, secret, body, now })).toBe(false);
  });

  it('makes a new 256-bit secret each time', () => {
    const a = webhookSigning.newSecret();
    expect(a).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(webhookSigning.newSecret()).not.toBe(a);
  });
});
