import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Complimentary, Member, Plan, SubscriptionStatus } from '../domain/members/member.js';
import type {
  AuditLog,
  MemberDirectory,
  MemberQuery,
  MemberSessionStore,
  MemberStore,
  NewsletterDirectory,
  SignInLinkStore,
} from '../domain/members/member-service.js';
import { isUniqueViolation } from './article-repository.js';
import { type Database, toDate, toDateOrNull } from './schema.js';

const memberColumns = [
  'members.id',
  'members.email',
  'members.language',
  'members.created_at',
  'members.last_seen_at',
  'members.stripe_customer_id',
  'members.complimentary',
  'members.complimentary_until',
  'member_subscriptions.stripe_subscription_id',
  'member_subscriptions.status',
  'member_subscriptions.plan',
  'member_subscriptions.current_period_end',
  'member_subscriptions.cancel_at_period_end',
  'member_subscriptions.last_event_at',
] as const;

interface MemberRow {
  id: string;
  email: string;
  language: string;
  created_at: string | Date;
  last_seen_at: string | Date | null;
  stripe_customer_id: string | null;
  complimentary: number;
  complimentary_until: string | Date | null;
  stripe_subscription_id: string | null;
  status: string | null;
  plan: string | null;
  current_period_end: string | Date | null;
  cancel_at_period_end: number | null;
  last_event_at: string | Date | null;
}

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    email: row.email,
    language: row.language,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDateOrNull(row.last_seen_at),
    stripeCustomerId: row.stripe_customer_id,
    complimentary: Number(row.complimentary) === 1 ? { until: toDateOrNull(row.complimentary_until) } : null,
    subscription:
      row.stripe_subscription_id && row.status && row.last_event_at
        ? {
            stripeSubscriptionId: row.stripe_subscription_id,
            status: row.status as SubscriptionStatus,
            plan: row.plan as Plan,
            currentPeriodEnd: toDateOrNull(row.current_period_end),
            cancelAtPeriodEnd: Number(row.cancel_at_period_end) === 1,
            lastEventAt: toDate(row.last_event_at),
          }
        : null,
  };
}

/** Readers' accounts, sign-in links and sessions, the staff directory and the audit trail, on SQL. */
export function createMemberRepository(db: Kysely<Database>): MemberStore & MemberDirectory {
  const selectMembers = () =>
    db
      .selectFrom('members')
      .leftJoin('member_subscriptions', 'member_subscriptions.member_id', 'members.id')
      .select(memberColumns);

  async function findById(id: string): Promise<Member | null> {
    const row = await selectMembers().where('members.id', '=', id).executeTakeFirst();
    return row ? toMember(row as MemberRow) : null;
  }

  return {
    findById,

    async findByEmail(email) {
      const row = await selectMembers().where('members.email', '=', email).executeTakeFirst();
      return row ? toMember(row as MemberRow) : null;
    },

    async ensure(member) {
      try {
        const result = await db
          .insertInto('members')
          .values({
            id: member.id,
            email: member.email,
            language: member.language,
            created_at: member.createdAt.toISOString(),
            last_seen_at: null,
            stripe_customer_id: null,
            complimentary: 0,
            complimentary_until: null,
          })
          .onConflict((oc) => oc.column('email').doNothing())
          .executeTakeFirst();
        const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
        const row = await selectMembers().where('members.email', '=', member.email).executeTakeFirstOrThrow();
        return { member: toMember(row as MemberRow), created };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const row = await selectMembers().where('members.email', '=', member.email).executeTakeFirstOrThrow();
        return { member: toMember(row as MemberRow), created: false };
      }
    },

    async erase(id, pseudonym) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('payment_records')
          .set({ member_id: null, holder: pseudonym })
          .where('member_id', '=', id)
          .execute();
        // The trail stays, under the pseudonym, without details that could name the person.
        await trx
          .updateTable('member_audit_log')
          .set({ member_id: pseudonym, details: '{}' })
          .where('member_id', '=', id)
          .execute();
        await trx.deleteFrom('member_sessions').where('member_id', '=', id).execute();
        await trx.deleteFrom('member_meter_reads').where('member_id', '=', id).execute();
        await trx.deleteFrom('member_subscriptions').where('member_id', '=', id).execute();
        const member = await trx.selectFrom('members').select('email').where('id', '=', id).executeTakeFirst();
        if (member) await trx.deleteFrom('member_signin_links').where('email', '=', member.email).execute();
        await trx.deleteFrom('members').where('id', '=', id).execute();
      });
    },

    async list(query: MemberQuery, now: Date) {
      const nowIso = now.toISOString();
      const graceIso = new Date(now.getTime() - 3 * 86_400_000).toISOString();
      // Addresses that receive a newsletter (confirmed, or waiting for their confirmation).
      const receiving = (email: Expression<string>) =>
        db
          .selectFrom('newsletter_subscriptions')
          .innerJoin('newsletter_signups', 'newsletter_signups.id', 'newsletter_subscriptions.subscriber_id')
          .select('newsletter_subscriptions.list_id')
          .where('newsletter_signups.email', '=', email)
          .where('newsletter_subscriptions.status', 'in', ['pending', 'confirmed']);

      let base = db
        .selectFrom('members')
        .leftJoin('member_subscriptions', 'member_subscriptions.member_id', 'members.id');

      const paying = sql<SqlBool>`(member_subscriptions.status in ('active', 'trialing', 'past_due') and (member_subscriptions.current_period_end is null or member_subscriptions.current_period_end > ${graceIso}))`;
      const comp = sql<SqlBool>`(members.complimentary = 1 and (members.complimentary_until is null or members.complimentary_until > ${nowIso}))`;
      if (query.tier === 'paid') base = base.where(sql<SqlBool>`(${paying} or ${comp})`);
      if (query.tier === 'free') base = base.where(sql<SqlBool>`not (${paying} or ${comp})`);
      switch (query.status) {
        case 'active':
          base = base.where(
            sql<SqlBool>`(${paying} and member_subscriptions.status <> 'past_due' and member_subscriptions.cancel_at_period_end = 0)`,
          );
          break;
        case 'canceling':
          base = base.where(
            sql<SqlBool>`(${paying} and member_subscriptions.status <> 'past_due' and member_subscriptions.cancel_at_period_end = 1)`,
          );
          break;
        case 'past_due':
          base = base.where(sql<SqlBool>`(${paying} and member_subscriptions.status = 'past_due')`);
          break;
        case 'complimentary':
          base = base.where(sql<SqlBool>`(not ${paying} and ${comp})`);
          break;
        case 'lapsed':
          base = base.where(
            sql<SqlBool>`(not ${paying} and not ${comp} and (member_subscriptions.member_id is not null or members.complimentary = 1))`,
          );
          break;
        case 'free':
          base = base.where(sql<SqlBool>`(member_subscriptions.member_id is null and members.complimentary = 0)`);
          break;
      }
      if (query.language) base = base.where('members.language', '=', query.language);
      if (query.search) {
        const pattern = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where(sql<SqlBool>`members.email like ${pattern} escape '\\'`);
      }
      if (query.newsletter === 'yes') base = base.where((eb) => eb.exists(receiving(eb.ref('members.email'))));
      if (query.newsletter === 'no') base = base.where((eb) => eb.not(eb.exists(receiving(eb.ref('members.email')))));

      const [rows, count] = await Promise.all([
        base
          .select(memberColumns)
          .orderBy('members.created_at', 'desc')
          .orderBy('members.id')
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const emails = rows.map((row) => row.email);
      const signups =
        emails.length === 0
          ? []
          : await db
              .selectFrom('newsletter_subscriptions')
              .innerJoin('newsletter_signups', 'newsletter_signups.id', 'newsletter_subscriptions.subscriber_id')
              .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_subscriptions.list_id')
              .select(['newsletter_signups.email', 'newsletter_lists.name'])
              .where('newsletter_signups.email', 'in', emails)
              .where('newsletter_subscriptions.status', 'in', ['pending', 'confirmed'])
              .execute();
      return {
        items: rows.map((row) => ({
          ...toMember(row as MemberRow),
          newsletters: signups.filter((s) => s.email === row.email).map((s) => s.name),
        })),
        total: Number(count.n),
      };
    },

    async setComplimentary(id: string, grant: Complimentary | null) {
      await db
        .updateTable('members')
        .set({ complimentary: grant ? 1 : 0, complimentary_until: grant?.until?.toISOString() ?? null })
        .where('id', '=', id)
        .execute();
    },
  };
}

/** One-time sign-in links, stored as hashes. */
export function createSignInLinkRepository(db: Kysely<Database>): SignInLinkStore {
  return {
    async create(link) {
      await db
        .insertInto('member_signin_links')
        .values({
          token_hash: link.tokenHash,
          email: link.email,
          language: link.language,
          created_at: link.createdAt.toISOString(),
          expires_at: link.expiresAt.toISOString(),
          used_at: null,
        })
        .execute();
    },

    async consume(tokenHash, now) {
      const nowIso = now.toISOString();
      // One conditional update: two clicks racing on the same link cannot both win.
      const result = await db
        .updateTable('member_signin_links')
        .set({ used_at: nowIso })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', nowIso)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      const row = await db
        .selectFrom('member_signin_links')
        .select(['email', 'language'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ?? null;
    },

    async peek(tokenHash, now) {
      const row = await db
        .selectFrom('member_signin_links')
        .select(['email', 'language'])
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      return row ?? null;
    },

    async countSince(email, since) {
      const row = await db
        .selectFrom('member_signin_links')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('email', '=', email)
        .where('created_at', '>=', since.toISOString())
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** Reader sessions, keyed by a hash of the cookie value. */
export function createMemberSessionRepository(db: Kysely<Database>): MemberSessionStore {
  return {
    async create(idHash, session) {
      await db
        .insertInto('member_sessions')
        .values({
          id_hash: idHash,
          member_id: session.memberId,
          csrf_token: session.csrfToken,
          created_at: session.createdAt.toISOString(),
          expires_at: session.expiresAt.toISOString(),
        })
        .execute();
    },

    async find(idHash) {
      const row = await db.selectFrom('member_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row ? { memberId: row.member_id, csrfToken: row.csrf_token, expiresAt: toDate(row.expires_at) } : null;
    },

    async remove(idHash) {
      await db.deleteFrom('member_sessions').where('id_hash', '=', idHash).execute();
    },
  };
}

/** The trail of changes to members. */
export function createMemberAuditLog(db: Kysely<Database>, ids: (prefix: string) => string): AuditLog {
  return {
    async record(entry) {
      await db
        .insertInto('member_audit_log')
        .values({
          id: ids('aud'),
          at: entry.at.toISOString(),
          member_id: entry.memberId,
          actor: entry.actor,
          action: entry.action,
          details: JSON.stringify(entry.details),
        })
        .execute();
    },

    async listFor(memberId) {
      const rows = await db
        .selectFrom('member_audit_log')
        .selectAll()
        .where('member_id', '=', memberId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((row) => ({
        at: toDate(row.at),
        memberId: row.member_id,
        actor: row.actor,
        action: row.action,
        details: JSON.parse(row.details) as Record<string, string | number | boolean | null>,
      }));
    },
  };
}

/**
 * The newsletters an address receives, read from the newsletter tables. Forgetting an address
 * deletes its signup row; the newsletter tables hanging on it go with it (foreign keys cascade).
 */
export function createMemberNewsletterDirectory(db: Kysely<Database>): NewsletterDirectory {
  return {
    async subscriptionsOf(email) {
      const rows = await db
        .selectFrom('newsletter_subscriptions')
        .innerJoin('newsletter_signups', 'newsletter_signups.id', 'newsletter_subscriptions.subscriber_id')
        .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_subscriptions.list_id')
        .select([
          'newsletter_lists.name',
          'newsletter_lists.language',
          'newsletter_subscriptions.status',
          'newsletter_subscriptions.requested_at',
          'newsletter_subscriptions.confirmed_at',
        ])
        .where('newsletter_signups.email', '=', email)
        .orderBy('newsletter_lists.language')
        .orderBy('newsletter_lists.name')
        .execute();
      return rows.map((row) => ({
        list: row.name,
        language: row.language,
        status: row.status,
        since: toDate(row.confirmed_at ?? row.requested_at),
      }));
    },

    async forget(email) {
      await db.deleteFrom('newsletter_signups').where('email', '=', email).execute();
    },
  };
}
