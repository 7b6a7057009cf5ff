import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../crypto/constant-time.js';
import { KiosqueError } from '../domain/errors.js';
import { hasPermission, type Permission } from '../domain/staff/roles.js';
import type { StaffService, StaffSession, StaffUser } from '../domain/staff/staff-service.js';
import { sessionCookie, staffCookie } from './request-identity.js';

export { staffCookie };
/** Double-submit token for the forms used before a session exists (sign-in, setup, invitation). */
export const preSessionCsrfCookie = 'kiosque_csrf';

/** What an admin route requires: a permission, or `public` for the sign-in and setup pages. */
export type AdminAccess = Permission | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    staff: { user: StaffUser; session: StaffSession; token: string } | null;
  }
  interface FastifyContextConfig {
    /** Every route under /admin declares it; a test checks each route against each role. */
    access?: AdminAccess;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function submittedCsrf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as { _csrf?: unknown } | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

/**
 * The admin's door: who is signed in, whether the request carries their CSRF token, and whether
 * their role allows the route (the same-origin check runs before it on every post: same-origin.ts). Runs before every /admin handler.
 */
export function createAdminGuard(staff: StaffService) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const access = request.routeOptions.config.access;
    if (access === undefined) throw new Error(`Admin route ${request.routeOptions.url} declares no access rule.`);
    const token = sessionCookie(request, staffCookie);
    const found = await staff.authenticate(token);
    request.staff = found && token ? { ...found, token } : null;

    if (access === 'public') {
      if (unsafe.has(request.method) && !sameSecret(submittedCsrf(request), request.cookies[preSessionCsrfCookie])) {
        throw new KiosqueError('CSRF_INVALID');
      }
      return;
    }
    if (!request.staff) {
      if (request.method === 'GET' && !request.url.startsWith('/admin/api/')) {
        await reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}`, 302);
        return;
      }
      throw new KiosqueError('SIGNIN_REQUIRED');
    }
    if (unsafe.has(request.method) && !sameSecret(submittedCsrf(request), request.staff.session.csrfToken)) {
      throw new KiosqueError('CSRF_INVALID');
    }
    if (!hasPermission(request.staff.user.role, access)) throw new KiosqueError('ACCESS_DENIED');
  };
}
