import { createHash } from 'node:crypto';
import { z } from 'zod';
import { slugify } from '../articles/slug.js';
import { type AuditActor, type AuditTrail, noAuditTrail } from '../audit/audit-trail.js';
import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import { clientKey } from '../limits/form-mail-limiter.js';
import { normalizeEmail } from '../newsletter/newsletter-service.js';
import { assignableRoles, hasPermission, type Role } from './roles.js';
import {
  accountThrottle,
  clientThrottle,
  throttleMaxRemembered,
  throttleMemoryMs,
  throttleWaitMs,
} from './sign-in-throttle.js';

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The admin's language for this person. */
  language: string;
  /** The byline this person signs with. */
  authorId: string | null;
  createdAt: Date;
  /** False for an invited member who has not chosen a password yet. */
  hasPassword: boolean;
  /** Signs in with a second factor (decision 0054). */
  twoFactor: boolean;
}

export interface StaffSession {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Staff accounts. */
export interface StaffStore {
  findByEmail(email: string): Promise<(StaffUser & { passwordHash: string }) | null>;
  findById(id: string): Promise<StaffUser | null>;
  /** Inserts the member and a byline author for them; STAFF_EMAIL_TAKEN when the address is used. */
  insert(user: StaffUser, passwordHash: string, author: { slug: string; name: string }): Promise<StaffUser>;
  update(
    id: string,
    changes: { role?: Role; passwordHash?: string; removedAt?: Date; language?: string },
  ): Promise<void>;
}

/** Staff queries the admin lists need. */
export interface StaffDirectory {
  list(): Promise<StaffUser[]>;
  countActive(): Promise<number>;
}

/** Sessions live in the database, keyed by a hash of the cookie value. */
export interface SessionStore {
  create(idHash: string, session: StaffSession & { createdAt: Date; ip: string; userAgent: string }): Promise<void>;
  find(idHash: string): Promise<(StaffSession & { lastUsedAt: Date | null }) | null>;
  remove(idHash: string): Promise<void>;
  removeAllOf(userId: string): Promise<number>;
}

/** One session as its member sees it in the list: `handle` names it without being its secret. */
export interface SessionInfo {
  handle: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  ip: string;
  userAgent: string;
  current: boolean;
}

/** The sessions list of Admin → Account: see, touch, and end one or all but one. */
export interface SessionDirectory {
  /** The member's unexpired sessions, newest first, `current` left false. */
  listOf(userId: string, now: Date): Promise<(Omit<SessionInfo, 'current'> & { idHash: string })[]>;
  /** Ends the member's session whose handle this is; false when there is none. */
  removeByHandle(userId: string, handle: string): Promise<boolean>;
  /** Ends every session of the member but the one kept; how many ended. */
  removeAllOfExcept(userId: string, keepIdHash: string): Promise<number>;
  touch(idHash: string, at: Date): Promise<void>;
}

/**
 * The step between a right password and the second factor: a short-lived token, not a session, so
 * nothing of the admin opens before the code (decision 0054).
 */
export interface SigninStepStore {
  create(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** Whom the step is for, unless it is unknown or expired. */
  find(tokenHash: string, now: Date): Promise<{ userId: string } | null>;
  /** Ends the step; false when another request ended it first. */
  remove(tokenHash: string): Promise<boolean>;
}

/** The emails about a member's own account (a changed password). */
export interface AccountNotices {
  passwordChanged(user: StaffUser): Promise<void>;
}

/** One-time links: the owner's setup link, and invitations to choose a password. */
export interface SetupTokenStore {
  /** Stores a link; one for a member voids every earlier one of theirs still unused (a resent invitation). */
  create(tokenHash: string, userId: string | null, createdAt: Date, expiresAt: Date): Promise<void>;
  /** Marks the token used and returns whom it was for; null if unknown, used or expired. Atomic. */
  consume(tokenHash: string, now: Date): Promise<{ userId: string | null } | null>;
  peek(tokenHash: string, now: Date): Promise<{ userId: string | null } | null>;
}

/** Recent failed sign-ins, per account and per client, shared by every instance. */
export interface LoginFailureStore {
  /** Records a failure under each key, and forgets those keys' failures from before `forgetBefore`. */
  record(keys: string[], at: Date, forgetBefore: Date): Promise<void>;
  /** The key's failures since `since`, newest first, at most `limit`. */
  recent(key: string, since: Date, limit: number): Promise<Date[]>;
  clear(key: string): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const sessionLifetimeMs = 14 * 24 * 3_600_000;
export const setupLinkLifetimeMs = 24 * 3_600_000;
/** How long the half-signed-in step (password right, code not yet typed) lasts. */
export const secondStepLifetimeMs = 5 * 60_000;
/** A session's last use is written at most this often (not on every request). */
const touchEveryMs = 5 * 60_000;

const passwordSchema = z.string().min(10).max(256);
const nameSchema = z.string().trim().min(1).max(120);

/** A password as setup, invitations and resets accept it, or STAFF_PASSWORD_WEAK. */
export function validPassword(password: string): string {
  const result = passwordSchema.safeParse(password);
  if (!result.success) throw new KiosqueError('STAFF_PASSWORD_WEAK');
  return result.data;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The live session behind a cookie's token, or null: unknown, or expired (an expired one is
 * removed on the way). Staff and member sessions are looked up alike.
 */
export async function liveSession<S extends { expiresAt: Date }>(
  sessions: { find(idHash: string): Promise<S | null>; remove(idHash: string): Promise<void> },
  token: string | undefined,
  now: Date,
): Promise<S | null> {
  if (!token || token.length > 200) return null;
  const idHash = hashToken(token);
  const session = await sessions.find(idHash);
  if (!session) return null;
  if (session.expiresAt <= now) {
    await sessions.remove(idHash);
    return null;
  }
  return session;
}

export interface NewMember {
  email: string;
  name: string;
  role: Role;
  language: string;
}

/**
 * Staff accounts, sign-in and sessions. No default password exists: the first member (the owner)
 * is created through a one-time link printed at start, and every later member through an
 * invitation link on which they choose their own password.
 */
export function createStaffService(deps: {
  staff: StaffStore & StaffDirectory;
  sessions: SessionStore;
  setupTokens: SetupTokenStore;
  failures: LoginFailureStore;
  /** Password reset links: a sign-in or a new password voids them. */
  resetTokens: { voidAll(userId: string, now: Date): Promise<void> };
  hasher: PasswordHasher;
  clock: Clock;
  ids: IdGenerator;
  /** 32 bytes of randomness, URL-safe. */
  secret: () => string;
  languages: readonly string[];
  /** The sessions list (Admin → Account). */
  sessionDirectory: SessionDirectory;
  /** The half-signed-in step of two-factor sign-in. */
  signinSteps: SigninStepStore;
  /** Checks a second factor (two-factor.ts); without it, no member is asked for one. */
  secondFactor?: { check(userId: string, code: string): Promise<'code' | 'recovery' | null> };
  audit?: AuditTrail;
  notices?: AccountNotices;
}) {
  const { staff, sessions, setupTokens, failures, hasher, clock, ids, secret } = deps;
  const audit = deps.audit ?? noAuditTrail;
  const actorOf = (user: StaffUser | null): AuditActor =>
    user ? { id: user.id, name: user.name, kind: 'staff' } : { id: null, name: '', kind: 'system' };
  // Verifying against this when the address is unknown keeps sign-in time the same either way.
  const dummyHash = hasher.hash(secret());

  function validMember(input: NewMember): NewMember {
    const email = normalizeEmail(input.email);
    const name = nameSchema.safeParse(input.name);
    if (email === null || !name.success) throw new KiosqueError('STAFF_INPUT_INVALID');
    const language = deps.languages.includes(input.language) ? input.language : (deps.languages[0] ?? 'en');
    return { ...input, email, name: name.data, language };
  }

  async function insertMember(input: NewMember, passwordHash: string): Promise<StaffUser> {
    const member = validMember(input);
    const user: StaffUser = {
      id: ids('stf'),
      email: member.email,
      name: member.name,
      role: member.role,
      language: member.language,
      authorId: null,
      createdAt: clock.now(),
      hasPassword: passwordHash !== '',
      twoFactor: false,
    };
    return staff.insert(user, passwordHash, { slug: slugify(member.name), name: member.name });
  }

  async function issueLink(userId: string | null): Promise<string> {
    const token = secret();
    const now = clock.now();
    await setupTokens.create(hashToken(token), userId, now, new Date(now.getTime() + setupLinkLifetimeMs));
    return token;
  }

  async function openSession(user: StaffUser, context: { ip: string; userAgent: string }) {
    const token = secret();
    const now = clock.now();
    const session = { userId: user.id, csrfToken: secret(), expiresAt: new Date(now.getTime() + sessionLifetimeMs) };
    await sessions.create(hashToken(token), {
      ...session,
      createdAt: now,
      ip: context.ip.slice(0, 100),
      userAgent: context.userAgent.slice(0, 300),
    });
    await audit.record({ action: 'staff.signedIn', actor: actorOf(user) });
    return { token, ...session };
  }

  /** How long the throttle asks to wait before checking anything under these keys; 0 for now. */
  async function throttled(accountKey: string, addressKey: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - throttleMemoryMs);
    const [accountFailures, clientFailures] = await Promise.all([
      failures.recent(accountKey, since, throttleMaxRemembered),
      failures.recent(addressKey, since, throttleMaxRemembered),
    ]);
    const wait = Math.max(
      throttleWaitMs(accountFailures, now, accountThrottle),
      throttleWaitMs(clientFailures, now, clientThrottle),
    );
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      // Minutes once it is two or more: "wait 15 minutes" rather than "wait 900 seconds".
      throw new KiosqueError('LOGIN_THROTTLED', { seconds, minutes: seconds >= 120 ? Math.ceil(seconds / 60) : 0 });
    }
  }

  const recordFailure = (keys: string[], now: Date) =>
    failures.record(keys, now, new Date(now.getTime() - throttleMemoryMs));

  /**
   * STAFF_PASSWORD_WRONG unless `password` is the member's current one. Throttled and counted with
   * the sign-ins of the account, so an open session cannot be used to guess the password.
   */
  async function confirmPassword(user: StaffUser, password: string, ip: string): Promise<void> {
    const now = clock.now();
    const accountKey = `account:${user.email}`;
    await throttled(accountKey, clientKey(ip), now);
    const stored = await staff.findByEmail(user.email);
    const ok =
      stored !== null &&
      stored.passwordHash !== '' &&
      (await hasher.verify(stored.passwordHash, password.slice(0, 256)));
    if (!ok) {
      await recordFailure([accountKey, clientKey(ip)], now);
      throw new KiosqueError('STAFF_PASSWORD_WRONG');
    }
  }

  return {
    /** True until the owner exists: start-up then prints a setup link. */
    async needsSetup(): Promise<boolean> {
      return (await staff.countActive()) === 0;
    },

    /** A new one-time link to create the owner (valid a day). */
    createOwnerSetupLink: () => issueLink(null),

    async isSetupLinkValid(token: string): Promise<boolean> {
      return (await setupTokens.peek(hashToken(token), clock.now())) !== null;
    },

    /** Uses the owner setup link: creates the owner and signs them in. */
    async setupOwner(
      token: string,
      input: Omit<NewMember, 'role'> & { password: string },
      context: { ip: string; userAgent: string },
    ) {
      const password = validPassword(input.password);
      validMember({ ...input, role: 'owner' });
      if (!(await this.needsSetup())) throw new KiosqueError('SETUP_ALREADY_DONE');
      const used = await setupTokens.consume(hashToken(token), clock.now());
      if (!used || used.userId !== null) throw new KiosqueError('SETUP_LINK_INVALID');
      const owner = await insertMember({ ...input, role: 'owner' }, await hasher.hash(password));
      return { user: owner, session: await openSession(owner, context) };
    },

    /**
     * Adds a member who will choose their own password through the returned one-time link.
     * `actor` null means the command line (the operator), who may add any role.
     */
    async invite(actor: StaffUser | null, input: NewMember): Promise<{ user: StaffUser; token: string }> {
      if (actor !== null) {
        if (!hasPermission(actor.role, 'staff.manage') || !assignableRoles(actor.role).includes(input.role)) {
          throw new KiosqueError('ACCESS_DENIED');
        }
      } else if (input.role === 'owner' && !(await this.needsSetup())) {
        throw new KiosqueError('SETUP_ALREADY_DONE');
      }
      const user = await insertMember(input, '');
      const token = await issueLink(user.id);
      await audit.record({
        action: 'staff.invited',
        actor: actorOf(actor),
        subject: { id: user.id, name: user.name },
        details: { role: user.role },
      });
      return { user, token };
    },

    /**
     * A new invitation link for a member who has not accepted yet; the earlier link stops working.
     * Whoever may manage the member's role may do it.
     */
    async reissueInvitation(actor: StaffUser, userId: string): Promise<{ user: StaffUser; token: string }> {
      const user = await staff.findById(userId);
      if (!user) throw new KiosqueError('STAFF_NOT_FOUND');
      if (!hasPermission(actor.role, 'staff.manage') || !assignableRoles(actor.role).includes(user.role)) {
        throw new KiosqueError('ACCESS_DENIED');
      }
      if (user.hasPassword) throw new KiosqueError('STAFF_INVITATION_ACCEPTED');
      const token = await issueLink(user.id);
      await audit.record({
        action: 'staff.invitationResent',
        actor: actorOf(actor),
        subject: { id: user.id, name: user.name },
      });
      return { user, token };
    },

    /** Uses an invitation link: sets the member's password and signs them in. */
    async acceptInvitation(token: string, password: string, context: { ip: string; userAgent: string }) {
      const valid = validPassword(password);
      const used = await setupTokens.consume(hashToken(token), clock.now());
      if (!used?.userId) throw new KiosqueError('SETUP_LINK_INVALID');
      const user = await staff.findById(used.userId);
      if (!user) throw new KiosqueError('SETUP_LINK_INVALID');
      await staff.update(user.id, { passwordHash: await hasher.hash(valid) });
      await deps.resetTokens.voidAll(user.id, clock.now());
      await audit.record({ action: 'staff.invitationAccepted', actor: actorOf(user) });
      return { user: { ...user, hasPassword: true }, session: await openSession(user, context) };
    },

    /**
     * Signs in. Failures slow down, per account and per client, with a backoff that doubles and
     * decays (`sign-in-throttle.ts`, decision 0023): during a delay the answer is LOGIN_THROTTLED
     * with the seconds to wait, the password unchecked; after it, the right password works. The
     * account is the address typed, known or not, so the answers say nothing of who has an account.
     */
    async signIn(
      emailInput: string,
      password: string,
      context: { ip: string; userAgent: string },
    ): Promise<
      | { kind: 'session'; user: StaffUser; session: StaffSession & { token: string } }
      | { kind: 'second-factor'; user: StaffUser; step: string }
    > {
      const email = normalizeEmail(emailInput) ?? emailInput.trim().toLowerCase().slice(0, 254);
      const now = clock.now();
      const since = new Date(now.getTime() - throttleMemoryMs);
      const accountKey = `account:${email}`;
      const addressKey = clientKey(context.ip);
      await throttled(accountKey, addressKey, now);
      const user = await staff.findByEmail(email);
      let ok = false;
      if (user !== null && user.passwordHash !== '') {
        ok = await hasher.verify(user.passwordHash, password.slice(0, 256));
      } else {
        await hasher.verify(await dummyHash, password.slice(0, 256));
      }
      if (!user || !ok) {
        await failures.record([accountKey, addressKey], now, since);
        throw new KiosqueError('LOGIN_FAILED');
      }
      await Promise.all([failures.clear(accountKey), deps.resetTokens.voidAll(user.id, now)]);
      const { passwordHash: _hash, ...member } = user;
      if (member.twoFactor && deps.secondFactor) {
        const step = secret();
        await deps.signinSteps.create(hashToken(step), member.id, now, new Date(now.getTime() + secondStepLifetimeMs));
        return { kind: 'second-factor', user: member, step };
      }
      return { kind: 'session', user: member, session: await openSession(member, context) };
    },

    /** The member a half-signed-in step is for, or null when it is unknown or expired. */
    async secondStepOf(step: string): Promise<StaffUser | null> {
      if (!step || step.length > 200) return null;
      const found = await deps.signinSteps.find(hashToken(step), clock.now());
      return found ? staff.findById(found.userId) : null;
    },

    /**
     * The second step of a two-factor sign-in: a code from the app (once, ±30 s) or a recovery code.
     * Throttled as passwords are, per account and per client, with failures of its own (a right
     * password does not clear them); TWO_FACTOR_STEP_EXPIRED when the step is gone (five minutes).
     */
    async completeSignIn(step: string, code: string, context: { ip: string; userAgent: string }) {
      const now = clock.now();
      const found = step && step.length <= 200 ? await deps.signinSteps.find(hashToken(step), now) : null;
      const user = found ? await staff.findById(found.userId) : null;
      if (!found || !user || !deps.secondFactor) throw new KiosqueError('TWO_FACTOR_STEP_EXPIRED');
      const accountKey = `second-factor:${user.id}`;
      const addressKey = clientKey(context.ip);
      await throttled(accountKey, addressKey, now);
      const method = await deps.secondFactor.check(user.id, code);
      if (method === null) {
        await recordFailure([accountKey, addressKey], now);
        await audit.record({ action: 'staff.twoFactorFailed', actor: actorOf(user) });
        throw new KiosqueError('TWO_FACTOR_CODE_INVALID');
      }
      if (!(await deps.signinSteps.remove(hashToken(step)))) throw new KiosqueError('TWO_FACTOR_STEP_EXPIRED');
      await failures.clear(accountKey);
      return { user, method, session: await openSession(user, context) };
    },

    confirmPassword,

    /**
     * Changes the member's password: the current one is asked (STAFF_PASSWORD_WRONG), the new one
     * follows the setup's rules (STAFF_PASSWORD_WEAK); every other session ends, reset links are
     * voided, and the account is told by email.
     */
    async changePassword(
      user: StaffUser,
      currentToken: string,
      input: { current: string; next: string; ip: string },
    ): Promise<{ othersEnded: number }> {
      const valid = validPassword(input.next);
      await confirmPassword(user, input.current, input.ip);
      await staff.update(user.id, { passwordHash: await hasher.hash(valid) });
      const othersEnded = await deps.sessionDirectory.removeAllOfExcept(user.id, hashToken(currentToken));
      await deps.resetTokens.voidAll(user.id, clock.now());
      await audit.record({ action: 'staff.passwordChanged', actor: actorOf(user) });
      await deps.notices?.passwordChanged(user);
      return { othersEnded };
    },

    /** The member's sessions, the one of `currentToken` marked. */
    async sessionsOf(userId: string, currentToken: string): Promise<SessionInfo[]> {
      const current = hashToken(currentToken);
      const rows = await deps.sessionDirectory.listOf(userId, clock.now());
      return rows.map(({ idHash, ...row }) => ({ ...row, current: idHash === current }));
    },

    /** Ends one of the member's own sessions; STAFF_SESSION_NOT_FOUND when it is not one of theirs. */
    async endSession(userId: string, handle: string): Promise<void> {
      if (!/^[0-9a-f]{1,64}$/.test(handle) || !(await deps.sessionDirectory.removeByHandle(userId, handle))) {
        throw new KiosqueError('STAFF_SESSION_NOT_FOUND');
      }
    },

    /** Ends every session of the member but this one. */
    endOtherSessions: (userId: string, currentToken: string) =>
      deps.sessionDirectory.removeAllOfExcept(userId, hashToken(currentToken)),

    /** The signed-in member behind a session cookie, or null (unknown, expired, removed). */
    async authenticate(token: string | undefined): Promise<{ user: StaffUser; session: StaffSession } | null> {
      const now = clock.now();
      const session = await liveSession(sessions, token, now);
      if (!session || !token) return null;
      const user = await staff.findById(session.userId);
      if (!user) return null;
      if (session.lastUsedAt === null || now.getTime() - session.lastUsedAt.getTime() >= touchEveryMs) {
        await deps.sessionDirectory.touch(hashToken(token), now);
      }
      const { lastUsedAt: _last, ...rest } = session;
      return { user, session: rest };
    },

    signOut: (token: string) => sessions.remove(hashToken(token)),

    /** Ends every session of a member, on every device. */
    signOutEverywhere: (userId: string) => sessions.removeAllOf(userId),

    list: () => staff.list(),

    async changeRole(actor: StaffUser, userId: string, role: Role): Promise<void> {
      const target = await staff.findById(userId);
      if (!target) throw new KiosqueError('STAFF_NOT_FOUND');
      if (target.role === 'owner') throw new KiosqueError('STAFF_OWNER_PROTECTED');
      const allowed = assignableRoles(actor.role);
      if (!allowed.includes(role) || !allowed.includes(target.role)) throw new KiosqueError('ACCESS_DENIED');
      await staff.update(userId, { role });
      if (role !== target.role) {
        await audit.record({
          action: 'staff.roleChanged',
          actor: actorOf(actor),
          subject: { id: target.id, name: target.name },
          details: { role },
        });
      }
    },

    /** Removes a member and ends their sessions; their stories and bylines stay. */
    async remove(actor: StaffUser, userId: string): Promise<void> {
      const target = await staff.findById(userId);
      if (!target) throw new KiosqueError('STAFF_NOT_FOUND');
      if (target.role === 'owner') throw new KiosqueError('STAFF_OWNER_PROTECTED');
      if (!assignableRoles(actor.role).includes(target.role)) throw new KiosqueError('ACCESS_DENIED');
      await staff.update(userId, { removedAt: clock.now() });
      await sessions.removeAllOf(userId);
      await audit.record({
        action: 'staff.removed',
        actor: actorOf(actor),
        subject: { id: target.id, name: target.name },
      });
    },

    async setLanguage(userId: string, language: string): Promise<void> {
      if (!deps.languages.includes(language)) throw new KiosqueError('STAFF_INPUT_INVALID');
      await staff.update(userId, { language });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
