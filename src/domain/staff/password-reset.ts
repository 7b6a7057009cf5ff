import type { AuditTrail } from '../audit/audit-trail.js';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { Translator } from '../i18n/translator.js';
import type { FormMailLimiter } from '../limits/form-mail-limiter.js';
import type { Mailer } from '../members/member-service.js';
import { normalizeEmail } from '../newsletter/newsletter-service.js';
import {
  hashToken,
  type LoginFailureStore,
  type PasswordHasher,
  type SessionStore,
  type StaffStore,
  validPassword,
} from './staff-service.js';

/** How long a password reset link works. */
export const resetLinkLifetimeMs = 30 * 60_000;

/**
 * Password reset links, stored as hashes. Why a port of its own: a reset link must never open an
 * invitation or the owner's setup, and the other way round.
 */
export interface ResetTokenStore {
  /** Stores a new link for the member and voids every earlier one still unused. */
  create(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** Marks the link used and returns whom it was for; null if unknown, used, voided or expired. Atomic. */
  consume(tokenHash: string, now: Date): Promise<{ userId: string } | null>;
  peek(tokenHash: string, now: Date): Promise<{ userId: string } | null>;
  /** Voids every unused link of the member (a sign-in or a new password makes them pointless). */
  voidAll(userId: string, now: Date): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * "Forgot your password?" for staff (decision 0023): an emailed one-time link, then a new password
 * that ends every session. The request answers the same whether the address has an account or not.
 */
export function createPasswordReset(deps: {
  staff: Pick<StaffStore, 'findByEmail' | 'findById' | 'update'>;
  tokens: ResetTokenStore;
  sessions: Pick<SessionStore, 'removeAllOf'>;
  failures: Pick<LoginFailureStore, 'clear'>;
  hasher: PasswordHasher;
  formMail: FormMailLimiter;
  mailer: Mailer;
  translator: (language: string) => Translator;
  site: { name: string; publicUrl: string };
  clock: Clock;
  /** 32 bytes of randomness, URL-safe. */
  secret: () => string;
  /** Told when a link could not be handed to the mail server (the person is answered the same). */
  onMailFailure: (error: unknown) => void;
  audit?: AuditTrail;
}) {
  const { staff, tokens, clock } = deps;

  return {
    /**
     * Emails a reset link to the staff member with this address, if there is one with a password or
     * an invitation pending. MEMBER_EMAIL_INVALID for a malformed address, MAIL_RATE_LIMITED past
     * the form mail caps (both before anything is stored); otherwise the same silence for all.
     */
    async request(input: { email: string; ip: string }): Promise<void> {
      const email = normalizeEmail(input.email);
      if (email === null) throw new KiosqueError('MEMBER_EMAIL_INVALID');
      await deps.formMail.take({ ip: input.ip, recipient: email });
      const user = await staff.findByEmail(email);
      if (!user) return;
      const token = deps.secret();
      const now = clock.now();
      await tokens.create(hashToken(token), user.id, now, new Date(now.getTime() + resetLinkLifetimeMs));
      const t = deps.translator(user.language);
      const url = new URL('/admin/password/reset', `${deps.site.publicUrl}/`);
      url.searchParams.set('token', token);
      const intro = t.t('admin.reset.email.intro', { site: deps.site.name });
      const expiry = t.t('admin.reset.email.expiry', { minutes: resetLinkLifetimeMs / 60_000 });
      const ignore = t.t('admin.reset.email.ignore');
      try {
        await deps.mailer.send({
          to: user.email,
          subject: t.t('admin.reset.email.subject', { site: deps.site.name }),
          text: `${intro}\n\n${url.href}\n\n${expiry}\n${ignore}\n`,
          html: `<!DOCTYPE html><html lang="${escapeHtml(t.language)}"><body><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(url.href)}">${escapeHtml(t.t('admin.reset.email.button'))}</a></p><p>${escapeHtml(expiry)}<br>${escapeHtml(ignore)}</p></body></html>`,
        });
      } catch (error) {
        // Answering differently would tell who has an account; the failure is logged instead.
        deps.onMailFailure(error);
      }
    },

    async isLinkValid(token: string): Promise<boolean> {
      if (!token || token.length > 200) return false;
      return (await tokens.peek(hashToken(token), clock.now())) !== null;
    },

    /**
     * Sets a new password through a link (the setup's rules: STAFF_PASSWORD_WEAK), uses the link up,
     * voids the member's other links, ends every session of theirs and clears the account's failed
     * sign-ins. STAFF_RESET_LINK_INVALID when the link cannot be used.
     */
    async reset(token: string, password: string): Promise<{ email: string }> {
      const valid = validPassword(password);
      if (!token || token.length > 200) throw new KiosqueError('STAFF_RESET_LINK_INVALID');
      const now = clock.now();
      const used = await tokens.consume(hashToken(token), now);
      if (!used) throw new KiosqueError('STAFF_RESET_LINK_INVALID');
      const user = await staff.findById(used.userId);
      if (!user) throw new KiosqueError('STAFF_RESET_LINK_INVALID');
      await staff.update(user.id, { passwordHash: await deps.hasher.hash(valid) });
      await Promise.all([
        tokens.voidAll(user.id, now),
        deps.sessions.removeAllOf(user.id),
        deps.failures.clear(`account:${user.email}`),
      ]);
      await deps.audit?.record({
        action: 'staff.passwordReset',
        actor: { id: user.id, name: user.name, kind: 'staff' },
      });
      return { email: user.email };
    },
  };
}

export type PasswordReset = ReturnType<typeof createPasswordReset>;
