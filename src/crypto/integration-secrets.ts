import { createHash, randomBytes } from 'node:crypto';
import type { IntegrationSecrets } from '../domain/integrations/integration-service.js';
import { sameSecret } from './constant-time.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Integration keys from the system's randomness. The Admin API secret has 256 bits, so one
 * SHA-256 digest is enough to keep it (no slow hash: there is nothing to guess).
 */
export const integrationSecrets: IntegrationSecrets = {
  newContentKey: () => randomBytes(13).toString('hex'),
  newAdminSecret: () => randomBytes(32).toString('hex'),
  digest: sha256,
  matches: (secret, digest) => sameSecret(sha256(secret), digest),
};
