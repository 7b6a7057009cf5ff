import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenSigner } from '../domain/newsletter/link-tokens.js';
import { sameSecret } from './constant-time.js';

/** The secret could not be read or kept. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/**
 * HMAC-SHA256 signatures (base64url, 43 characters) appended to the payload after a dot. The
 * payload must not contain characters a URL would need to escape; the domain's tokens do not.
 */
export function createHmacSigner(secret: string): TokenSigner {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    sign: (payload) => `${payload}.${mac(payload).toString('base64url')}`,
    verify(token) {
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return null;
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(payload);
      return sameSecret(given, expected) ? payload : null;
    },
  };
}

/**
 * The signing secret: `KIOSQUE_SECRET` when set, else the one kept in the data folder's `secret`
 * file, created at first start with owner-only permissions (0600). It lives with the data, never
 * in the repository; several instances must share one, so set KIOSQUE_SECRET for them.
 */
export function loadOrCreateSecret(dataDir: string, configured: string | null): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret');
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretFileError(
        `Cannot create the secret file ${file}: ${(error as Error).message}. Make the data folder writable or set KIOSQUE_SECRET.`,
      );
    }
  }
  try {
    // Someone may have loosened it (a copy, a backup restore): tighten it again.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error('it holds fewer than 32 characters');
    return secret;
  } catch (error) {
    throw new SecretFileError(
      `Cannot read the secret file ${file}: ${(error as Error).message}. Delete it to make a new one (links already sent stop working) or set KIOSQUE_SECRET.`,
    );
  }
}
