import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../crypto/constant-time.js';
import { KiosqueError } from '../domain/errors.js';
import type { Member } from '../domain/members/member.js';
import type { MemberService, MemberSession } from '../domain/members/member-service.js';
import { memberSessionLifetimeMs } from '../domain/members/member-service.js';
import { memberCookie, sessionCookie } from './request-identity.js';

/** The reader's session cookie; its presence alone makes pages private and uncached (request-identity.ts). */
export { memberCookie };
/** Double-submit token of the sign-in confirmation form, used before a session exists. */
export const memberFormCookie = 'kiosque_member_form';

export interface SignedInMember {
  member: Member;
  session: MemberSession;
  token: string;
}

const resolved = new WeakMap<FastifyRequest, Promise<SignedInMember | null>>();

/** The signed-in reader of a request, looked up once per request; null for everyone else. */
export function currentMember(request: FastifyRequest, members: MemberService): Promise<SignedInMember | null> {
  let found = resolved.get(request);
  if (!found) {
    const token = sessionCookie(request, memberCookie);
    found = token
      ? members.authenticate(token).then((result) => (result ? { ...result, token } : null))
      : Promise.resolve(null);
    resolved.set(request, found);
  }
  return found;
}

/** Every state change a signed-in reader makes carries their session's CSRF token. */
export function assertMemberCsrf(request: FastifyRequest, signedIn: SignedInMember): void {
  const body = request.body as { _csrf?: unknown } | undefined;
  const submitted = typeof body?._csrf === 'string' ? body._csrf : undefined;
  if (!sameSecret(submitted, signedIn.session.csrfToken)) throw new KiosqueError('CSRF_INVALID');
}

export function setMemberCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(memberCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(memberSessionLifetimeMs / 1000),
  });
}
