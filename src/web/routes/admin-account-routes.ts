import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import QRCode from 'qrcode';
import { z } from 'zod';
import { type AuditLogStore, auditPageSize } from '../../domain/audit/audit-trail.js';
import { type ErrorCode, isKiosqueError, KiosqueError, messageValues } from '../../domain/errors.js';
import type { StaffService, StaffSession, StaffUser } from '../../domain/staff/staff-service.js';
import type { TwoFactor } from '../../domain/staff/two-factor.js';
import type { AdminAccess } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import { AccountPage, type PageNotice, RecoveryCodesPage, TwoFactorEnrolPage } from '../views/admin-account.js';
import { AuditLogPage } from '../views/admin-audit.js';
import type { AdminContext } from '../views/admin-views.js';

const passwordForm = z.object({ current: z.string().max(1000), password: z.string().max(1000) });
const codeForm = z.object({ code: z.string().max(100) });
const confirmPasswordForm = z.object({ password: z.string().max(1000) });
const sessionForm = z.object({ session: z.string().max(100) });
const auditQuery = z.object({
  actor: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

/** The QR code of an otpauth:// address, drawn here as SVG and given as a data URI (the CSP allows data: images, no inline style). */
async function qrDataUri(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * Admin → Account (issue 14): change password, two-factor sign-in, the sessions list; and
 * Admin → Audit log, for owners.
 */
export function registerAdminAccountRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  deps: { staff: StaffService; twoFactor: TwoFactor; auditLog: AuditLogStore },
) {
  const { staff, twoFactor } = deps;
  const route = <Body = unknown, Query = unknown>(
    method: 'GET' | 'POST',
    url: string,
    access: AdminAccess,
    handler: (request: FastifyRequest<{ Body: Body; Querystring: Query }>, reply: FastifyReply) => unknown,
  ) => scope.route({ method, url, config: { access }, bodyLimit: 16 * 1024, handler: handler as never });

  function signedIn(request: FastifyRequest): { user: StaffUser; session: StaffSession; token: string } {
    if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
    return request.staff;
  }

  async function accountPage(request: FastifyRequest, reply: FastifyReply, notice?: PageNotice, status = 200) {
    const { user, token } = signedIn(request);
    const [state, sessions] = await Promise.all([twoFactor.status(user.id), staff.sessionsOf(user.id, token)]);
    return views.send(
      reply,
      AccountPage({ admin: views.context(request, reply), twoFactor: state, sessions, notice }),
      status,
    );
  }

  /** A refusal the person can fix, shown on the account page in their language; anything else goes on. */
  function refused(request: FastifyRequest, reply: FastifyReply, error: unknown, codes: readonly ErrorCode[]) {
    if (!isKiosqueError(error) || !codes.includes(error.code)) throw error;
    const { status } = errorOf(error);
    const values = messageValues(error);
    if (status === 429 && typeof values.seconds === 'number') reply.header('retry-after', String(values.seconds));
    const text = views.context(request, reply).t.t(`error.${error.code}`, values);
    return accountPage(request, reply, { kind: 'error', text }, status);
  }

  const say = (request: FastifyRequest, reply: FastifyReply, key: Parameters<AdminContext['t']['t']>[0], values = {}) =>
    views.context(request, reply).t.t(key, values);

  route('GET', '/admin/account', 'admin.enter', (request, reply) => accountPage(request, reply));

  route('POST', '/admin/account/password', 'admin.enter', async (request, reply) => {
    const { user, token } = signedIn(request);
    const form = passwordForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await staff.changePassword(user, token, { current: form.data.current, next: form.data.password, ip: request.ip });
    } catch (error) {
      return refused(request, reply, error, ['STAFF_PASSWORD_WRONG', 'STAFF_PASSWORD_WEAK', 'LOGIN_THROTTLED']);
    }
    return accountPage(request, reply, { kind: 'success', text: say(request, reply, 'admin.account.passwordChanged') });
  });

  route('POST', '/admin/account/sessions/end', 'admin.enter', async (request, reply) => {
    const { user } = signedIn(request);
    const form = sessionForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await staff.endSession(user.id, form.data.session);
    } catch (error) {
      return refused(request, reply, error, ['STAFF_SESSION_NOT_FOUND']);
    }
    return accountPage(request, reply, { kind: 'success', text: say(request, reply, 'admin.account.sessionEnded') });
  });

  route('POST', '/admin/account/sessions/end-others', 'admin.enter', async (request, reply) => {
    const { user, token } = signedIn(request);
    const count = await staff.endOtherSessions(user.id, token);
    return accountPage(request, reply, {
      kind: 'success',
      text: say(request, reply, 'admin.account.othersEnded', { count }),
    });
  });

  route('POST', '/admin/account/two-factor/start', 'admin.enter', async (request, reply) => {
    const { user } = signedIn(request);
    try {
      await twoFactor.startEnrolment(user);
    } catch (error) {
      return refused(request, reply, error, ['TWO_FACTOR_ALREADY_ON']);
    }
    return reply.redirect('/admin/account/two-factor', 303);
  });

  async function enrolPage(request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
    const { user } = signedIn(request);
    const pending = await twoFactor.pendingEnrolment(user);
    if (!pending) return reply.redirect('/admin/account', 303);
    // The secret is on this page only: nothing may keep it.
    reply.header('referrer-policy', 'no-referrer');
    return views.send(
      reply,
      TwoFactorEnrolPage({
        admin: views.context(request, reply),
        secret: pending.secret,
        qrDataUri: await qrDataUri(pending.uri),
        error,
      }),
      status,
    );
  }

  route('GET', '/admin/account/two-factor', 'admin.enter', (request, reply) => enrolPage(request, reply));

  route('POST', '/admin/account/two-factor/confirm', 'admin.enter', async (request, reply) => {
    const { user } = signedIn(request);
    const form = codeForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      const codes = await twoFactor.confirmEnrolment(user, form.data.code);
      return views.send(reply, RecoveryCodesPage({ admin: views.context(request, reply), codes }));
    } catch (error) {
      if (!isKiosqueError(error) || error.code !== 'TWO_FACTOR_CODE_INVALID') {
        return refused(request, reply, error, ['TWO_FACTOR_ALREADY_ON']);
      }
      // A wrong code here proves nothing about the account: a 400, the same secret shown again.
      return enrolPage(request, reply, say(request, reply, 'error.TWO_FACTOR_CODE_INVALID'), 400);
    }
  });

  route('POST', '/admin/account/two-factor/off', 'admin.enter', async (request, reply) => {
    const { user } = signedIn(request);
    const form = confirmPasswordForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    try {
      await twoFactor.turnOff(user, form.data.password, request.ip);
    } catch (error) {
      return refused(request, reply, error, ['STAFF_PASSWORD_WRONG', 'LOGIN_THROTTLED']);
    }
    return accountPage(request, reply, { kind: 'success', text: say(request, reply, 'admin.twoFactor.turnedOff') });
  });

  route<unknown, Record<string, string>>('GET', '/admin/audit', 'audit.read', async (request, reply) => {
    const query = auditQuery.parse(request.query ?? {});
    const page = query.page ?? 1;
    const actors = await deps.auditLog.actors();
    const actorId = actors.some((a) => a.id === query.actor) ? query.actor : undefined;
    const { entries, total } = await deps.auditLog.page({
      actorId,
      limit: auditPageSize,
      offset: (page - 1) * auditPageSize,
    });
    return views.send(
      reply,
      AuditLogPage({
        admin: views.context(request, reply),
        entries,
        actors,
        actorId,
        page,
        total,
        pageCount: Math.max(1, Math.ceil(total / auditPageSize)),
      }),
    );
  });
}
