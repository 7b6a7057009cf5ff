/**
 * An integration: a program (a static-site generator, a CMS bridge, a syndication partner) that
 * reads the site through the Content API and may write through the Admin API. Issue 13,
 * decision 0045.
 */

/**
 * What an Admin API token may do, one name a right. The Content API needs no scope: its key reads
 * what readers can read, and no more.
 */
export const scopes = ['stories:read', 'stories:write', 'stories:publish', 'media:write', 'members:read'] as const;
export type Scope = (typeof scopes)[number];

/**
 * Given when no scope is named: write drafts and upload images. Publishing and readers' personal
 * data are asked for by name, so a leaked token of a default integration cannot put words live
 * or list members.
 */
export const defaultScopes: readonly Scope[] = ['stories:read', 'stories:write', 'media:write'];

export function isScope(value: string): value is Scope {
  return (scopes as readonly string[]).includes(value);
}

export interface Integration {
  id: string;
  name: string;
  /** The Content API key: 26 hex digits, the shape Ghost's clients check before sending it. */
  contentKey: string;
  scopes: Scope[];
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** What is shown once, when an integration is added or its Admin API token is replaced. */
export interface IntegrationKeys {
  integration: Integration;
  contentKey: string;
  /** `kqa_<id>.<secret>`: the id finds the integration, the secret proves the caller holds it. */
  adminToken: string;
}

const adminTokenPrefix = 'kqa_';

export function formatAdminToken(integrationId: string, secret: string): string {
  return `${adminTokenPrefix}${integrationId}.${secret}`;
}

/** Splits an Admin API token into the integration's id and the secret; null when malformed. */
export function parseAdminToken(token: string): { integrationId: string; secret: string } | null {
  if (!token.startsWith(adminTokenPrefix) || token.length > 300) return null;
  const rest = token.slice(adminTokenPrefix.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  const integrationId = rest.slice(0, dot);
  const secret = rest.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(integrationId) || !/^[0-9a-f]+$/.test(secret)) return null;
  return { integrationId, secret };
}

export const contentKeyPattern = /^[0-9a-f]{26}$/;

/** An integration's name: what staff see in the list and in the delivery log. */
export function normaliseIntegrationName(name: string): string | null {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  return trimmed.length >= 1 && trimmed.length <= 100 ? trimmed : null;
}
