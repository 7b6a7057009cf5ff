import { createHash } from 'node:crypto';
import { z } from 'zod';
import { slugify } from '../articles/slug.js';
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
  find(idHash: string): Promise<StaffSession | null>;
  remove(idHash: string): Promise<void>;
  removeAllOf(userId: string): Promise<number>;
}

/** One-time links: the owner's setup link, and invitations to choose a password. */
export interface SetupTokenStore {
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
}) {
  const { staff, sessions, setupTokens, failures, hasher, clock, ids, secret } = deps;
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
    return { token, ...session };
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
      return { user, token: await issueLink(user.id) };
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
      return { user: { ...user, hasPassword: true }, session: await openSession(user, context) };
    },

    /**
     * Signs in. Failures slow down, per account and per client, with a backoff that doubles and
     * decays (`sign-in-throttle.ts`, decision 0023): during a delay the answer is LOGIN_THROTTLED
     * with the seconds to wait, the password unchecked; after it, the right password works. The
     * account is the address typed, known or not, so the answers say nothing of who has an account.
     */
    async signIn(emailInput: string, password: string, context: { ip: string; userAgent: string }) {
      const email = normalizeEmail(emailInput) ?? emailInput.trim().toLowerCase().slice(0, 254);
      const now = clock.now();
      const since = new Date(now.getTime() - throttleMemoryMs);
      const accountKey = `account:${email}`;
      const addressKey = clientKey(context.ip);
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
      return { user: member, session: await openSession(member, context) };
    },

    /** The signed-in member behind a session cookie, or null (unknown, expired, removed). */
    async authenticate(token: string | undefined): Promise<{ user: StaffUser; session: StaffSession } | null> {
      const session = await liveSession(sessions, token, clock.now());
      if (!session) return null;
      const user = await staff.findById(session.userId);
      return user ? { user, session } : null;
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
    },

    /** Removes a member and ends their sessions; their stories and bylines stay. */
    async remove(actor: StaffUser, userId: string): Promise<void> {
      const target = await staff.findById(userId);
      if (!target) throw new KiosqueError('STAFF_NOT_FOUND');
      if (target.role === 'owner') throw new KiosqueError('STAFF_OWNER_PROTECTED');
      if (!assignableRoles(actor.role).includes(target.role)) throw new KiosqueError('ACCESS_DENIED');
      await staff.update(userId, { removedAt: clock.now() });
      await sessions.removeAllOf(userId);
    },

    async setLanguage(userId: string, language: string): Promise<void> {
      if (!deps.languages.includes(language)) throw new KiosqueError('STAFF_INPUT_INVALID');
      await staff.update(userId, { language });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
