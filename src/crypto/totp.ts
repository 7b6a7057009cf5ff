import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { TotpCodes } from '../domain/staff/two-factor.js';

const period = 30;

const totpOf = (secret: string, account = '', issuer = '') =>
  new TOTP({ issuer, label: account, algorithm: 'SHA1', digits: 6, period, secret: Secret.fromBase32(secret) });

/**
 * RFC 6238 codes through `otpauth`, with the settings every authenticator app reads (SHA-1, 6
 * digits, 30 seconds). The step is returned so the caller can refuse a code used before.
 */
export const totpCodes: TotpCodes = {
  newSecret: () => new Secret({ size: 20 }).base32,
  matchingStep(secret, code, now) {
    if (!/^\d{6}$/.test(code)) return null;
    let totp: TOTP;
    try {
      totp = totpOf(secret);
    } catch {
      return null;
    }
    const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
    return delta === null ? null : totp.counter({ timestamp: now.getTime() }) + delta;
  },
  provisioningUri: (secret, account, issuer) => totpOf(secret, account, issuer).toString(),
};

const recoveryAlphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A recovery code: 12 characters of a 32-letter alphabet without 0, 1, l or o (60 bits), shown as xxxx-xxxx-xxxx. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => recoveryAlphabet[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
