import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KiosqueError } from '../domain/errors.js';
import type { Member } from '../domain/members/member.js';
import type { MemberService, MemberSession } from '../domain/members/member-service.js';
import { memberSessionLifetimeMs } from '../domain/members/member-service.js';

/** The reader's session cookie; its presence alone makes pages private and uncached (see server.ts). */
export const memberCookie = 'kiosque_member';
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
    const token = request.cookies[memberCookie];
    found = token
      ? members.authenticate(token).then((result) => (result ? { ...result, token } : null))
      : Promise.resolve(null);
    resolved.set(request, found);
  }
  return found;
}

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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
