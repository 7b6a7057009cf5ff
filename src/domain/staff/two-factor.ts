import type { AuditTrail } from '../audit/audit-trail.js';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import { assignableRoles, hasPermission } from './roles.js';
import { hashToken, type StaffUser } from './staff-service.js';

/** How many one-time recovery codes an enrolment hands out. */
export const recoveryCodeCount = 10;

/**
 * TOTP arithmetic (RFC 6238: SHA-1, 6 digits, 30-second steps), from a library (`otpauth`), so the
 * domain holds the rules (one use per code, the drift allowed) and not the algorithm.
 */
export interface TotpCodes {
  /** A new random secret, in base32 (what authenticator apps take when typed by hand). */
  newSecret(): string;
  /** The time step at which `code` is right for `secret`, within one step either side of `now`; null if none. */
  matchingStep(secret: string, code: string, now: Date): number | null;
  /** The otpauth:// address a QR code carries to an authenticator app. */
  provisioningUri(secret: string, account: string, issuer: string): string;
}

/** Seals a secret at rest with the site's key, so a copy of the database alone does not give it. */
export interface SecretBox {
  seal(plain: string): string;
  /** The plain text, or null when it was sealed with another key or altered. */
  open(sealed: string): string | null;
}

export interface TwoFactorState {
  /** Sealed secrets: the one in use ('' when off) and the one being enrolled (''). */
  secret: string;
  pendingSecret: string;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

/** A member's second factor as stored. */
export interface TwoFactorStore {
  state(userId: string): Promise<TwoFactorState>;
  setPending(userId: string, sealedSecret: string): Promise<void>;
  /** Turns it on with this secret, accepted at `step`, and these recovery code hashes (replacing any). */
  enable(userId: string, sealedSecret: string, step: number, at: Date, recoveryHashes: string[]): Promise<void>;
  /** Turns it off: secret, pending secret, last step and recovery codes forgotten. */
  disable(userId: string): Promise<void>;
}

/** The one-use rules, each atomic so that two requests racing with one code cannot both pass. */
export interface SecondFactorUses {
  /** Records `step` as used if it is later than the last one used; false when it is not (a replay). */
  acceptStep(userId: string, step: number): Promise<boolean>;
  /** Marks an unused recovery code used; false when it is unknown or already used. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
}

/** A code as typed: spaces and dashes do not count, letters in any case. */
export function normalizeCode(code: string): string {
  return code.slice(0, 100).replace(/[\s-]/g, '').toLowerCase();
}

/**
 * Two-factor sign-in for staff (issue 14, decision 0054): enrolment confirmed by a code, ten
 * one-time recovery codes shown once and kept as hashes, the secret sealed at rest and never shown
 * again, turning it off behind the password, and an admin's reset of a colleague's.
 */
export function createTwoFactor(deps: {
  store: TwoFactorStore;
  uses: SecondFactorUses;
  totp: TotpCodes;
  box: SecretBox;
  clock: Clock;
  /** A new recovery code: 12 random characters of a 32-letter alphabet (60 bits). */
  recoveryCode: () => string;
  /** Refuses with STAFF_PASSWORD_WRONG unless `password` is the member's (throttled as sign-ins are). */
  confirmPassword: (user: StaffUser, password: string, ip: string) => Promise<void>;
  audit: AuditTrail;
  issuer: string;
}) {
  const { store, uses, totp, box, clock, audit } = deps;
  const staffActor = (user: StaffUser) => ({ id: user.id, name: user.name, kind: 'staff' as const });

  return {
    async status(userId: string): Promise<{ enabled: boolean; recoveryCodesLeft: number; enrolling: boolean }> {
      const state = await store.state(userId);
      return {
        enabled: state.enabledAt !== null,
        recoveryCodesLeft: state.recoveryCodesLeft,
        enrolling: state.enabledAt === null && state.pendingSecret !== '',
      };
    },

    /**
     * A new secret to enrol (replacing one not yet confirmed), with the address its QR code
     * carries. Shown on the enrolment page only; once confirmed it is never shown again.
     */
    async startEnrolment(user: StaffUser): Promise<{ secret: string; uri: string }> {
      if ((await store.state(user.id)).enabledAt !== null) throw new KiosqueError('TWO_FACTOR_ALREADY_ON');
      const secret = totp.newSecret();
      await store.setPending(user.id, box.seal(secret));
      return { secret, uri: totp.provisioningUri(secret, user.email, deps.issuer) };
    },

    /** The enrolment under way, to show again (a wrong code keeps the same secret). Null when none. */
    async pendingEnrolment(user: StaffUser): Promise<{ secret: string; uri: string } | null> {
      const state = await store.state(user.id);
      const secret = state.enabledAt === null && state.pendingSecret ? box.open(state.pendingSecret) : null;
      return secret ? { secret, uri: totp.provisioningUri(secret, user.email, deps.issuer) } : null;
    },

    /** Turns two-factor sign-in on when `code` is right for the enrolled secret; returns the recovery codes, once. */
    async confirmEnrolment(user: StaffUser, code: string): Promise<string[]> {
      const state = await store.state(user.id);
      if (state.enabledAt !== null) throw new KiosqueError('TWO_FACTOR_ALREADY_ON');
      const secret = state.pendingSecret ? box.open(state.pendingSecret) : null;
      const step = secret ? totp.matchingStep(secret, normalizeCode(code), clock.now()) : null;
      if (secret === null || step === null) throw new KiosqueError('TWO_FACTOR_CODE_INVALID');
      const codes = Array.from({ length: recoveryCodeCount }, () => deps.recoveryCode());
      await store.enable(
        user.id,
        state.pendingSecret,
        step,
        clock.now(),
        codes.map((c) => hashToken(normalizeCode(c))),
      );
      await audit.record({ action: 'staff.twoFactorOn', actor: staffActor(user) });
      return codes;
    },

    /** Turns it off; the password is asked again, so a session left open cannot do it. */
    async turnOff(user: StaffUser, password: string, ip: string): Promise<void> {
      await deps.confirmPassword(user, password, ip);
      await store.disable(user.id);
      await audit.record({ action: 'staff.twoFactorOff', actor: staffActor(user) });
    },

    /**
     * An admin turns off a colleague's two-factor sign-in (a lost phone and lost recovery codes):
     * only for roles the admin may manage, never their own (they turn it off with their password).
     */
    async resetFor(actor: StaffUser, target: StaffUser): Promise<void> {
      if (
        actor.id === target.id ||
        !hasPermission(actor.role, 'staff.manage') ||
        !assignableRoles(actor.role).includes(target.role)
      ) {
        throw new KiosqueError('ACCESS_DENIED');
      }
      await store.disable(target.id);
      await audit.record({
        action: 'staff.twoFactorReset',
        actor: staffActor(actor),
        subject: { id: target.id, name: target.name },
      });
    },

    /**
     * Whether `code` proves the second factor: a current TOTP code not used before (±1 step), or
     * an unused recovery code (then used up). Says which, or null.
     */
    async check(userId: string, code: string): Promise<'code' | 'recovery' | null> {
      const typed = normalizeCode(code);
      const now = clock.now();
      if (/^\d{6}$/.test(typed)) {
        const state = await store.state(userId);
        const secret = state.enabledAt !== null && state.secret ? box.open(state.secret) : null;
        const step = secret ? totp.matchingStep(secret, typed, now) : null;
        return step !== null && (await uses.acceptStep(userId, step)) ? 'code' : null;
      }
      if (!/^[a-z0-9]{8,32}$/.test(typed)) return null;
      return (await uses.useRecoveryCode(userId, hashToken(typed), now)) ? 'recovery' : null;
    },
  };
}

export type TwoFactor = ReturnType<typeof createTwoFactor>;
