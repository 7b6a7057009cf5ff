import type { FastifyRequest } from 'fastify';

/** The staff member's session cookie (see admin-guard.ts). */
export const staffCookie = 'kiosque_staff';
/** The reader's session cookie (see member-session.ts). */
export const memberCookie = 'kiosque_member';

/** Cookies that mark a signed-in reader or staff member: their pages are personal, never cached. */
export const sessionCookieNames = [staffCookie, memberCookie] as const;
export type SessionCookieName = (typeof sessionCookieNames)[number];

/**
 * The value of a session cookie as the one cookie parser (@fastify/cookie, run on every request
 * before any handler) read it. Every path that asks "who is this?" goes through here, so the page
 * cache and the session code can never read two different answers out of one Cookie header
 * (issue 11: `kiosque_member =abc` was a member to one and anonymous to the other).
 */
export function sessionCookie(request: FastifyRequest, name: SessionCookieName): string | undefined {
  const cookies = request.cookies as Record<string, string | undefined> | undefined;
  if (!cookies || !Object.hasOwn(cookies, name)) return undefined;
  return cookies[name];
}

/**
 * Whether a request may be answered from, and fill, the shared anonymous page cache: only when
 * the parser found no session cookie at all. A session cookie that is present but empty, expired
 * or forged still makes the request private: it is rendered fresh and never stored, because its
 * render asked the session code, and only "no cookie" is an answer everyone shares.
 */
export function isAnonymous(request: FastifyRequest): boolean {
  return sessionCookieNames.every((name) => sessionCookie(request, name) === undefined);
}
