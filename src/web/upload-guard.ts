import type { FastifyError, FastifyInstance } from 'fastify';
import { isKiosqueError, KiosqueError } from '../domain/errors.js';
import { hasPermission, type Permission } from '../domain/staff/roles.js';
import type { StaffService } from '../domain/staff/staff-service.js';
import { staffCookie } from './admin-guard.js';
import { sessionCookie } from './request-identity.js';

/**
 * For a scope of multipart upload routes: the session and `permission` are checked before a byte of
 * the body is read (a stranger's or an unentitled member's files are refused unread), and
 * multipart's own errors become catalog codes (`tooLarge()` for a file or body over its limit).
 */
export function guardUploads(
  uploads: FastifyInstance,
  deps: { staff: StaffService; permission: Permission; tooLarge: () => KiosqueError },
): void {
  uploads.addHook('onRequest', async (request) => {
    if (request.method !== 'POST') return;
    const token = sessionCookie(request, staffCookie);
    const found = await deps.staff.authenticate(token);
    if (!found || !token) throw new KiosqueError('SIGNIN_REQUIRED');
    request.staff = { ...found, token };
    if (!hasPermission(found.user.role, deps.permission)) throw new KiosqueError('ACCESS_DENIED');
  });
  uploads.setErrorHandler(async (error) => {
    const code = (error as FastifyError).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw deps.tooLarge();
    if (typeof code === 'string' && code.startsWith('FST_') && !isKiosqueError(error))
      throw new KiosqueError('FORM_INVALID');
    throw error;
  });
}
