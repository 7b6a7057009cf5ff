import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import {
  contentKeyPattern,
  defaultScopes,
  formatAdminToken,
  type Integration,
  type IntegrationKeys,
  isScope,
  normaliseIntegrationName,
  parseAdminToken,
  type Scope,
} from './integration.js';

/** Where integrations are kept (storage/integration-repository.ts). */
export interface IntegrationStore {
  insert(integration: Integration, adminSecretDigest: string): Promise<void>;
  list(): Promise<Integration[]>;
  find(id: string): Promise<{ integration: Integration; adminSecretDigest: string } | null>;
  findByContentKey(contentKey: string): Promise<Integration | null>;
  update(
    id: string,
    change: { revokedAt?: Date; lastUsedAt?: Date; adminSecretDigest?: string; contentKey?: string },
  ): Promise<void>;
}

/** Making and checking secrets is the crypto adapter's (src/crypto/integration-secrets.ts). */
export interface IntegrationSecrets {
  /** 26 random hex digits. */
  newContentKey(): string;
  /** 64 random hex digits. */
  newAdminSecret(): string;
  digest(secret: string): string;
  /** Whether `secret` has this digest, in time that does not tell where they differ. */
  matches(secret: string, digest: string): boolean;
}

/** Last use is written at most this often per integration: an API read is not a database write. */
const lastUsedGranularityMs = 60_000;

export interface IntegrationService {
  add(input: { name: string; scopes?: readonly string[]; createdBy: string | null }): Promise<IntegrationKeys>;
  list(): Promise<Integration[]>;
  find(id: string): Promise<Integration>;
  revoke(id: string): Promise<void>;
  /** A new Content API key and Admin API token; the old ones stop working at once. */
  replaceKeys(id: string): Promise<IntegrationKeys>;
  /** The live integration whose Content API key this is; null for an unknown or revoked key. */
  byContentKey(key: string): Promise<Integration | null>;
  /** The live integration this Admin API token belongs to; null when it proves nothing. */
  byAdminToken(token: string): Promise<Integration | null>;
}

export function parseScopes(names: readonly string[] | undefined): Scope[] {
  if (names === undefined) return [...defaultScopes];
  const unknown = names.filter((name) => !isScope(name));
  if (unknown.length > 0) throw new KiosqueError('INTEGRATION_INVALID', { fields: unknown.join(', ') });
  return [...new Set(names as Scope[])];
}

export function createIntegrationService(deps: {
  store: IntegrationStore;
  secrets: IntegrationSecrets;
  clock: Clock;
  ids: IdGenerator;
}): IntegrationService {
  const { store, secrets, clock, ids } = deps;

  /** Remembers when each integration was last marked used, so reads do not write every time. */
  const lastMarked = new Map<string, number>();
  async function markUsed(integration: Integration): Promise<void> {
    const now = clock.now();
    const last = lastMarked.get(integration.id) ?? integration.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - last < lastUsedGranularityMs) return;
    lastMarked.set(integration.id, now.getTime());
    await store.update(integration.id, { lastUsedAt: now });
  }

  async function find(id: string) {
    const found = await store.find(id);
    if (!found) throw new KiosqueError('INTEGRATION_NOT_FOUND');
    return found;
  }

  return {
    async add(input) {
      const name = normaliseIntegrationName(input.name);
      if (name === null) throw new KiosqueError('INTEGRATION_INVALID', { fields: 'name' });
      const integration: Integration = {
        id: ids('int'),
        name,
        contentKey: secrets.newContentKey(),
        scopes: parseScopes(input.scopes),
        createdBy: input.createdBy,
        createdAt: clock.now(),
        revokedAt: null,
        lastUsedAt: null,
      };
      const secret = secrets.newAdminSecret();
      await store.insert(integration, secrets.digest(secret));
      return { integration, contentKey: integration.contentKey, adminToken: formatAdminToken(integration.id, secret) };
    },
    list: () => store.list(),
    async find(id) {
      return (await find(id)).integration;
    },
    async revoke(id) {
      const { integration } = await find(id);
      if (integration.revokedAt === null) await store.update(id, { revokedAt: clock.now() });
    },
    async replaceKeys(id) {
      const { integration } = await find(id);
      if (integration.revokedAt !== null) throw new KiosqueError('INTEGRATION_NOT_FOUND');
      const contentKey = secrets.newContentKey();
      const secret = secrets.newAdminSecret();
      await store.update(id, { contentKey, adminSecretDigest: secrets.digest(secret) });
      return {
        integration: { ...integration, contentKey },
        contentKey,
        adminToken: formatAdminToken(id, secret),
      };
    },
    async byContentKey(key) {
      if (!contentKeyPattern.test(key)) return null;
      const integration = await store.findByContentKey(key);
      if (!integration || integration.revokedAt !== null) return null;
      await markUsed(integration);
      return integration;
    },
    async byAdminToken(token) {
      const parsed = parseAdminToken(token);
      if (!parsed) return null;
      const found = await store.find(parsed.integrationId);
      if (!found || found.integration.revokedAt !== null) return null;
      if (!secrets.matches(parsed.secret, found.adminSecretDigest)) return null;
      await markUsed(found.integration);
      return found.integration;
    },
  };
}
