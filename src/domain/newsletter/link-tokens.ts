/**
 * The signed links in newsletter emails. A link carries what it acts on (purpose, person, list,
 * request, expiry) in the clear and a signature over all of it, so the server keeps no token
 * table and a forged or altered link is refused.
 */

/** Signs and checks strings; the secret stays in the adapter. */
export interface TokenSigner {
  sign(payload: string): string;
  /** The payload when the signature is right, else null. */
  verify(token: string): string | null;
}

export type LinkPurpose = 'confirm' | 'unsubscribe' | 'data';

export interface LinkClaims {
  purpose: LinkPurpose;
  subscriberId: string;
  listId: string;
  /** The signup request a confirmation answers ('-' for other purposes). */
  requestId: string;
  /** Null: the link does not expire (unsubscribe links must keep working, RFC 8058). */
  expiresAt: Date | null;
}

const purposes: Record<LinkPurpose, string> = { confirm: 'c', unsubscribe: 'u', data: 'd' };
const idPattern = /^[A-Za-z0-9_-]{1,80}$/;

/** Confirmation links are valid a week; "your data" links two months. */
export const linkLifetimeMs: Record<LinkPurpose, number | null> = {
  confirm: 7 * 24 * 3600 * 1000,
  unsubscribe: null,
  data: 60 * 24 * 3600 * 1000,
};

export function encodeLink(signer: TokenSigner, claims: LinkClaims): string {
  const expiry = claims.expiresAt ? Math.floor(claims.expiresAt.getTime() / 1000).toString(36) : '0';
  return signer.sign(
    [purposes[claims.purpose], claims.subscriberId, claims.listId, claims.requestId, expiry].join('.'),
  );
}

/** The link's claims when it is authentic, of the expected purpose and not expired; else null. */
export function decodeLink(signer: TokenSigner, token: string, purpose: LinkPurpose, now: Date): LinkClaims | null {
  if (token.length > 400) return null;
  const payload = signer.verify(token);
  if (payload === null) return null;
  const [kind, subscriberId, listId, requestId, expiry, ...rest] = payload.split('.');
  if (rest.length > 0 || kind !== purposes[purpose] || !subscriberId || !listId || !requestId || !expiry) return null;
  if (![subscriberId, listId, requestId].every((id) => idPattern.test(id))) return null;
  const seconds = Number.parseInt(expiry, 36);
  if (!Number.isFinite(seconds)) return null;
  const expiresAt = seconds === 0 ? null : new Date(seconds * 1000);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) return null;
  if (!expiresAt && linkLifetimeMs[purpose] !== null) return null;
  return { purpose, subscriberId, listId, requestId, expiresAt };
}
