import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretBox } from '../domain/staff/two-factor.js';

/**
 * Secrets sealed at rest with AES-256-GCM under a key derived (HKDF-SHA256) from the site's secret
 * for one `purpose`, so a copy of the database alone does not give them, and a key for one purpose
 * opens nothing of another. Sealed text: `v1.` + base64url(nonce ‖ tag ‖ ciphertext).
 */
export function createSecretBox(siteSecret: string, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', siteSecret, 'kiosque', purpose, 32));
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url')}`;
    },
    open(text) {
      if (!text.startsWith('v1.')) return null;
      const bytes = Buffer.from(text.slice(3), 'base64url');
      if (bytes.length < 29) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
