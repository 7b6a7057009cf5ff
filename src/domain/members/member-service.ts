import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { Translator } from '../i18n/translator.js';
import type { FormMailLimiter } from '../limits/form-mail-limiter.js';
import { normalizeEmail } from '../newsletter/newsletter-service.js';
import { hashToken, liveSession } from '../staff/staff-service.js';
import { type Complimentary, type Member, type MemberStatus, statusOf, type Tier, tierOf } from './member.js';

export interface MemberSession {
  memberId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Accounts. The account is made when a sign-in link is used, so an address typed by someone else creates nothing. */
export interface MemberStore {
  findById(id: string): Promise<Member | null>;
  findByEmail(email: string): Promise<Member | null>;
  /** Inserts the member unless the address has an account already; returns the account either way. */
  ensure(member: { id: string; email: string; language: string; createdAt: Date }): Promise<{
    member: Member;
    created: boolean;
  }>;
  /**
   * Deletes the account and everything personal that hangs on it, in one transaction. Payment
   * records and the audit trail stay, under `pseudonym` instead of the member's id.
   */
  erase(id: string, pseudonym: string): Promise<void>;
}

/** One-time sign-in links, stored as hashes. */
export interface SignInLinkStore {
  create(link: { tokenHash: string; email: string; language: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Marks the link used and returns whom it was for; null if unknown, used or expired. Atomic. */
  consume(tokenHash: string, now: Date): Promise<{ email: string; language: string } | null>;
  peek(tokenHash: string, now: Date): Promise<{ email: string; language: string } | null>;
  countSince(email: string, since: Date): Promise<number>;
}

/** Reader sessions live in the database (several instances share them), apart from staff sessions. */
export interface MemberSessionStore {
  create(idHash: string, session: MemberSession & { createdAt: Date }): Promise<void>;
  find(idHash: string): Promise<MemberSession | null>;
  remove(idHash: string): Promise<void>;
}

export interface AuditEntry {
  at: Date;
  memberId: string;
  /** `member`, `stripe`, `system` or `staff:<id>`. */
  actor: string;
  action: string;
  details: Record<string, string | number | boolean | null>;
}

/** Every change to a member is written down: who, when, what. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  listFor(memberId: string): Promise<AuditEntry[]>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one transactional email (sign-in links); the transport (SMTP or outbox folder) is the adapter's. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The newsletters an address receives, so the account page can show them and deleting the account forgets them. */
export interface NewsletterDirectory {
  subscriptionsOf(email: string): Promise<{ list: string; language: string; status: string; since: Date }[]>;
  forget(email: string): Promise<void>;
}

/** What else the export gathers about a member, from the paywall's stores. */
export interface MemberActivity {
  paymentsOf(memberId: string): Promise<{ invoice: string; amountMinor: number; currency: string; paidAt: Date }[]>;
  readsOf(memberId: string): Promise<{ period: string; articleId: string; readAt: Date }[]>;
}

export interface MemberQuery {
  status?: MemberStatus;
  tier?: Tier;
  /** `yes`: receives at least one newsletter (confirmed or pending); `no`: none. */
  newsletter?: 'yes' | 'no';
  language?: string;
  /** Part of the email address. */
  search?: string;
  limit: number;
  offset: number;
}

export interface MemberListItem extends Member {
  /** Names of the newsletters the address receives. */
  newsletters: string[];
}

/** What the staff list and export need, and the one change staff make by hand. */
export interface MemberDirectory {
  list(query: MemberQuery, now: Date): Promise<{ items: MemberListItem[]; total: number }>;
  setComplimentary(id: string, grant: Complimentary | null): Promise<void>;
}

export const signInLinkLifetimeMs = 15 * 60_000;
export const memberSessionLifetimeMs = 30 * 24 * 3_600_000;
/** More links than this for one address in an hour are not sent (the answer stays the same). */
const maxLinksPerHour = 5;

/** Only a path of this site may be where a sign-in leads (no open redirect). */
export function safeNextPath(next: string | undefined, languages: readonly string[]): string | null {
  if (!next || next.length > 300 || next.startsWith('//') || next.includes('\\')) return null;
  const match = /^\/([a-zA-Z-]+)\/[\w\-/.]*(\?[\w=&%.-]*)?$/.exec(next);
  return match && languages.includes(match[1] as string) ? next : null;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * Readers' accounts: sign-in by a one-time link sent by email (no password), sessions, the data
 * export and the deletion of an account.
 */
export function createMemberService(deps: {
  members: MemberStore;
  links: SignInLinkStore;
  sessions: MemberSessionStore;
  audit: AuditLog;
  mailer: Mailer;
  /** Caps the sign-in links the form can make the site send (per client, per address, site-wide). */
  formMail: FormMailLimiter;
  newsletters: NewsletterDirectory;
  activity: MemberActivity;
  directory: MemberDirectory;
  translator: (language: string) => Translator;
  site: { name: string; publicUrl: string; languages: readonly string[] };
  clock: Clock;
  ids: IdGenerator;
  /** 32 bytes of randomness, URL-safe. */
  secret: () => string;
}) {
  const { members, links, sessions, audit, clock, ids, secret, site } = deps;

  function signInUrl(language: string, token: string, next: string | null): string {
    const url = new URL(`/${language}/account/verify`, `${site.publicUrl}/`);
    url.searchParams.set('token', token);
    if (next) url.searchParams.set('next', next);
    return url.href;
  }

  return {
    /**
     * Sends a sign-in link to `email` (which also creates the account when the link is used).
     * The answer is the same whether the address has an account or not, and whether the hourly
     * limit stopped the email, so the form reveals nothing about who reads here.
     */
    async requestSignIn(input: { email: string; language: string; next?: string; ip: string }): Promise<void> {
      const email = normalizeEmail(input.email);
      if (email === null) throw new KiosqueError('MEMBER_EMAIL_INVALID');
      // Before anything is written: a refusal (MAIL_RATE_LIMITED, issue 11) stores nothing.
      await deps.formMail.take({ ip: input.ip, recipient: email });
      const language = site.languages.includes(input.language) ? input.language : (site.languages[0] ?? 'en');
      const now = clock.now();
      if ((await links.countSince(email, new Date(now.getTime() - 3_600_000))) >= maxLinksPerHour) return;
      const token = secret();
      await links.create({
        tokenHash: hashToken(token),
        email,
        language,
        createdAt: now,
        expiresAt: new Date(now.getTime() + signInLinkLifetimeMs),
      });
      const t = deps.translator(language);
      const url = signInUrl(language, token, safeNextPath(input.next, site.languages));
      const minutes = signInLinkLifetimeMs / 60_000;
      const intro = t.t('member.email.intro', { site: site.name });
      const expiry = t.t('member.email.expiry', { minutes });
      const ignore = t.t('member.email.ignore');
      await deps.mailer.send({
        to: email,
        subject: t.t('member.email.subject', { site: site.name }),
        text: `${intro}\n\n${url}\n\n${expiry}\n${ignore}\n`,
        html: `<!DOCTYPE html><html lang="${escapeHtml(language)}"><body><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t.t('member.email.button'))}</a></p><p>${escapeHtml(expiry)}<br>${escapeHtml(ignore)}</p></body></html>`,
      });
    },

    /** Whether a sign-in link can still be used (the page that asks to confirm it does not use it). */
    async isLinkValid(token: string): Promise<boolean> {
      if (!token || token.length > 200) return false;
      return (await links.peek(hashToken(token), clock.now())) !== null;
    },

    /** Uses a sign-in link once: makes the account on first use and opens a session. */
    async signInWithLink(token: string) {
      if (!token || token.length > 200) throw new KiosqueError('MEMBER_LINK_INVALID');
      const now = clock.now();
      const used = await links.consume(hashToken(token), now);
      if (!used) throw new KiosqueError('MEMBER_LINK_INVALID');
      const { member, created } = await members.ensure({
        id: ids('mem'),
        email: used.email,
        language: used.language,
        createdAt: now,
      });
      if (created) {
        await audit.record({ at: now, memberId: member.id, actor: 'member', action: 'member.created', details: {} });
      }
      const sessionToken = secret();
      const session: MemberSession = {
        memberId: member.id,
        csrfToken: secret(),
        expiresAt: new Date(now.getTime() + memberSessionLifetimeMs),
      };
      await sessions.create(hashToken(sessionToken), { ...session, createdAt: now });
      return { member, created, session: { token: sessionToken, ...session } };
    },

    /** The member behind a session cookie, or null (unknown, expired, deleted). */
    async authenticate(token: string | undefined): Promise<{ member: Member; session: MemberSession } | null> {
      const session = await liveSession(sessions, token, clock.now());
      if (!session) return null;
      const member = await members.findById(session.memberId);
      return member ? { member, session } : null;
    },

    signOut: (token: string) => sessions.remove(hashToken(token)),

    /** Everything stored about a member, as they may take it away (GDPR art. 15 and 20). */
    async exportData(memberId: string) {
      const member = await members.findById(memberId);
      if (!member) throw new KiosqueError('MEMBER_NOT_FOUND');
      const now = clock.now();
      const [newsletters, payments, reads, trail] = await Promise.all([
        deps.newsletters.subscriptionsOf(member.email),
        deps.activity.paymentsOf(memberId),
        deps.activity.readsOf(memberId),
        audit.listFor(memberId),
      ]);
      return {
        exportedAt: now.toISOString(),
        site: site.publicUrl,
        account: {
          email: member.email,
          language: member.language,
          createdAt: member.createdAt.toISOString(),
          tier: tierOf(member, now),
          status: statusOf(member, now),
          stripeCustomerId: member.stripeCustomerId,
          complimentary: member.complimentary ? { until: member.complimentary.until?.toISOString() ?? null } : null,
          subscription: member.subscription
            ? {
                plan: member.subscription.plan,
                status: member.subscription.status,
                currentPeriodEnd: member.subscription.currentPeriodEnd?.toISOString() ?? null,
                cancelAtPeriodEnd: member.subscription.cancelAtPeriodEnd,
              }
            : null,
        },
        newsletters: newsletters.map((n) => ({ ...n, since: n.since.toISOString() })),
        payments: payments.map((p) => ({ ...p, paidAt: p.paidAt.toISOString() })),
        meteredReads: reads.map((r) => ({ ...r, readAt: r.readAt.toISOString() })),
        history: trail.map((entry) => ({
          at: entry.at.toISOString(),
          actor: entry.actor.startsWith('staff:') ? 'staff' : entry.actor,
          action: entry.action,
          details: entry.details,
        })),
      };
    },

    /**
     * Deletes an account: the address, sessions, meter, subscription state and newsletter signups
     * go; payment records stay (accounting law) under a random pseudonym, as does the audit trail.
     * A running Stripe subscription must be ended first (the caller cancels it).
     */
    async deleteAccount(memberId: string): Promise<{ pseudonym: string }> {
      const member = await members.findById(memberId);
      if (!member) throw new KiosqueError('MEMBER_NOT_FOUND');
      const pseudonym = ids('del');
      await deps.newsletters.forget(member.email);
      await members.erase(memberId, pseudonym);
      await audit.record({
        at: clock.now(),
        memberId: pseudonym,
        actor: 'member',
        action: 'member.deleted',
        details: {},
      });
      return { pseudonym };
    },

    findById: (id: string) => members.findById(id),

    /** Staff hand out paid access without Stripe; `until` null means until revoked. Logged. */
    async setComplimentary(actor: { id: string }, memberId: string, grant: Complimentary | null): Promise<void> {
      const member = await members.findById(memberId);
      if (!member) throw new KiosqueError('MEMBER_NOT_FOUND');
      const now = clock.now();
      if (grant?.until && grant.until <= now) throw new KiosqueError('MEMBER_INPUT_INVALID');
      await deps.directory.setComplimentary(memberId, grant);
      await audit.record({
        at: now,
        memberId,
        actor: `staff:${actor.id}`,
        action: grant ? 'complimentary.granted' : 'complimentary.revoked',
        details: grant ? { until: grant.until?.toISOString() ?? null } : {},
      });
    },

    history: (memberId: string) => audit.listFor(memberId),

    /** The staff list: filtered, searched by address, paged. */
    list: (query: MemberQuery) => deps.directory.list(query, clock.now()),
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
