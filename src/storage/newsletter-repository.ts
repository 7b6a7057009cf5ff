import type { Kysely, Selectable } from 'kysely';
import type {
  ConsentEvent,
  DeliveryStatus,
  NewsletterList,
  NewsletterSend,
  SendReport,
  Subscriber,
  Subscription,
  SubscriptionStatus,
} from '../domain/newsletter/newsletter.js';
import type { DeliveryStore, SendRuns } from '../domain/newsletter/newsletter-sender.js';
import type {
  ConsentLog,
  ListStore,
  ListSummary,
  SendStore,
  SubscriberStore,
  SubscriptionStore,
} from '../domain/newsletter/newsletter-service.js';
import {
  type Database,
  type NewsletterListsTable,
  type NewsletterSendsTable,
  type NewsletterSignupsTable,
  toDate,
  toDateOrNull,
} from './schema.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toSubscriber(row: Selectable<NewsletterSignupsTable>): Subscriber {
  return {
    id: row.id,
    email: row.email,
    language: row.language,
    sourcePath: row.source_path,
    createdAt: toDate(row.created_at),
    suppressedAt: toDateOrNull(row.suppressed_at),
    suppressionReason: row.suppression_reason,
  };
}

function toList(row: Selectable<NewsletterListsTable>): NewsletterList {
  return {
    id: row.id,
    language: row.language,
    name: row.name,
    isDefault: Number(row.is_default) === 1,
    digestTime: row.digest_time,
    createdAt: toDate(row.created_at),
  };
}

function toSend(row: Selectable<NewsletterSendsTable>): NewsletterSend {
  return {
    id: row.id,
    listId: row.list_id,
    kind: row.kind as NewsletterSend['kind'],
    articleIds: JSON.parse(row.article_ids) as string[],
    status: row.status as NewsletterSend['status'],
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    startedAt: toDateOrNull(row.started_at),
    finishedAt: toDateOrNull(row.finished_at),
  };
}

const deliveryStatuses: DeliveryStatus[] = ['sending', 'sent', 'deferred', 'bounced', 'failed'];

/** Newsletter subscribers, lists, consents, sends and deliveries on SQL (both databases). */
export function createNewsletterRepository(db: Kysely<Database>) {
  const subscribers: SubscriberStore = {
    async findByEmail(email) {
      const row = await db.selectFrom('newsletter_signups').selectAll().where('email', '=', email).executeTakeFirst();
      return row ? toSubscriber(row) : null;
    },
    async findById(id) {
      const row = await db.selectFrom('newsletter_signups').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSubscriber(row) : null;
    },
    async insertIfAbsent(subscriber) {
      const result = await db
        .insertInto('newsletter_signups')
        .values({
          id: subscriber.id,
          email: subscriber.email,
          language: subscriber.language,
          source_path: subscriber.sourcePath,
          created_at: subscriber.createdAt.toISOString(),
          updated_at: subscriber.createdAt.toISOString(),
          suppressed_at: iso(subscriber.suppressedAt),
          suppression_reason: subscriber.suppressionReason,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async suppress(id, reason, at) {
      await db
        .updateTable('newsletter_signups')
        .set({ suppressed_at: at.toISOString(), suppression_reason: reason, updated_at: at.toISOString() })
        .where('id', '=', id)
        .where('suppressed_at', 'is', null)
        .execute();
    },
  };

  const subscriptions: SubscriptionStore = {
    async find(subscriberId, listId) {
      const row = await db
        .selectFrom('newsletter_subscriptions')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .where('list_id', '=', listId)
        .executeTakeFirst();
      return row ? toSubscription(row) : null;
    },
    async save(s, at) {
      const values = {
        status: s.status,
        request_id: s.requestId,
        requested_at: s.requestedAt.toISOString(),
        confirmation_queued_at: iso(s.confirmationQueuedAt),
        confirmed_at: iso(s.confirmedAt),
        unsubscribed_at: iso(s.unsubscribedAt),
        updated_at: at.toISOString(),
      };
      await db
        .insertInto('newsletter_subscriptions')
        .values({ subscriber_id: s.subscriberId, list_id: s.listId, ...values })
        .onConflict((oc) => oc.columns(['subscriber_id', 'list_id']).doUpdateSet(values))
        .execute();
    },
    async ofSubscriber(subscriberId) {
      const rows = await db
        .selectFrom('newsletter_subscriptions')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .orderBy('requested_at')
        .execute();
      return rows.map(toSubscription);
    },
  };

  function toSubscription(row: {
    subscriber_id: string;
    list_id: string;
    status: string;
    request_id: string;
    requested_at: string | Date;
    confirmation_queued_at: string | Date | null;
    confirmed_at: string | Date | null;
    unsubscribed_at: string | Date | null;
  }): Subscription {
    return {
      subscriberId: row.subscriber_id,
      listId: row.list_id,
      status: row.status as SubscriptionStatus,
      requestId: row.request_id,
      requestedAt: toDate(row.requested_at),
      confirmationQueuedAt: toDateOrNull(row.confirmation_queued_at),
      confirmedAt: toDateOrNull(row.confirmed_at),
      unsubscribedAt: toDateOrNull(row.unsubscribed_at),
    };
  }

  const consents: ConsentLog = {
    async record(event, wording) {
      if (wording) {
        await db
          .insertInto('newsletter_wordings')
          .values({
            version: wording.version,
            language: wording.language,
            text: wording.text,
            created_at: event.at.toISOString(),
          })
          .onConflict((oc) => oc.column('version').doNothing())
          .execute();
      }
      await db
        .insertInto('newsletter_consents')
        .values({
          id: event.id,
          subscriber_id: event.subscriberId,
          list_id: event.listId,
          event: event.event,
          at: event.at.toISOString(),
          source_path: event.sourcePath,
          wording_version: event.wordingVersion,
          language: event.language,
          ip: event.ip,
          user_agent: event.userAgent,
        })
        .execute();
    },
    async history(subscriberId) {
      const rows = await db
        .selectFrom('newsletter_consents')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      const events: ConsentEvent[] = rows.map((row) => ({
        id: row.id,
        subscriberId: row.subscriber_id,
        listId: row.list_id,
        event: row.event as ConsentEvent['event'],
        at: toDate(row.at),
        sourcePath: row.source_path,
        wordingVersion: row.wording_version,
        language: row.language,
        ip: row.ip,
        userAgent: row.user_agent,
      }));
      const versions = [...new Set(events.map((e) => e.wordingVersion).filter(Boolean))];
      const wordings =
        versions.length === 0
          ? []
          : await db.selectFrom('newsletter_wordings').selectAll().where('version', 'in', versions).execute();
      return { events, wordings: wordings.map((w) => ({ version: w.version, language: w.language, text: w.text })) };
    },
  };

  const lists: ListStore = {
    async all() {
      const rows = await db
        .selectFrom('newsletter_lists')
        .selectAll()
        .orderBy('language')
        .orderBy('created_at')
        .execute();
      const counts = await db
        .selectFrom('newsletter_subscriptions')
        .innerJoin('newsletter_signups', 'newsletter_signups.id', 'newsletter_subscriptions.subscriber_id')
        .select((eb) => ['list_id', 'status', eb.fn.countAll<string | number>().as('n')])
        .where('newsletter_signups.suppressed_at', 'is', null)
        .groupBy(['list_id', 'status'])
        .execute();
      const count = (listId: string, status: string) =>
        Number(counts.find((c) => c.list_id === listId && c.status === status)?.n ?? 0);
      return rows.map(
        (row): ListSummary => ({
          ...toList(row),
          confirmed: count(row.id, 'confirmed'),
          pending: count(row.id, 'pending'),
        }),
      );
    },
    async find(id) {
      const row = await db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toList(row) : null;
    },
    async insertIfAbsent(list, createdBy) {
      const result = await db
        .insertInto('newsletter_lists')
        .values({
          id: list.id,
          language: list.language,
          name: list.name,
          is_default: list.isDefault ? 1 : 0,
          digest_time: list.digestTime,
          created_at: list.createdAt.toISOString(),
          created_by: createdBy,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };

  const sendValues = (send: NewsletterSend) => ({
    id: send.id,
    list_id: send.listId,
    kind: send.kind,
    article_id: send.kind === 'story' ? (send.articleIds[0] ?? null) : null,
    article_ids: JSON.stringify(send.articleIds),
    status: send.status,
    created_by: send.createdBy,
    created_at: send.createdAt.toISOString(),
    started_at: iso(send.startedAt),
    finished_at: iso(send.finishedAt),
  });

  const sends: SendStore = {
    async create(send) {
      await db.insertInto('newsletter_sends').values(sendValues(send)).execute();
    },
    async storyAlreadySent(listId, articleId) {
      const alone = await db
        .selectFrom('newsletter_sends')
        .select('id')
        .where('list_id', '=', listId)
        .where('article_id', '=', articleId)
        .where('status', '!=', 'cancelled')
        .executeTakeFirst();
      if (alone) return true;
      const inDigest = await db
        .selectFrom('newsletter_digest_items')
        .leftJoin('newsletter_sends', 'newsletter_sends.id', 'newsletter_digest_items.send_id')
        .select('newsletter_digest_items.article_id')
        .where('newsletter_digest_items.list_id', '=', listId)
        .where('newsletter_digest_items.article_id', '=', articleId)
        .where((eb) =>
          eb.or([eb('newsletter_digest_items.send_id', 'is', null), eb('newsletter_sends.status', '!=', 'cancelled')]),
        )
        .executeTakeFirst();
      return inDigest !== undefined;
    },
    async addDigestItem(listId, articleId, at, by) {
      const result = await db
        .insertInto('newsletter_digest_items')
        .values({ list_id: listId, article_id: articleId, added_at: at.toISOString(), added_by: by, send_id: null })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async recent(limit) {
      const rows = await db
        .selectFrom('newsletter_sends')
        .innerJoin('newsletter_lists', 'newsletter_lists.id', 'newsletter_sends.list_id')
        .selectAll('newsletter_sends')
        .select('newsletter_lists.name as list_name')
        .orderBy('newsletter_sends.created_at', 'desc')
        .orderBy('newsletter_sends.id', 'desc')
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const counts = await db
        .selectFrom('newsletter_deliveries')
        .select((eb) => ['send_id', 'status', eb.fn.countAll<string | number>().as('n')])
        .where('send_id', 'in', ids)
        .groupBy(['send_id', 'status'])
        .execute();
      const articleIds = [...new Set(rows.flatMap((r) => JSON.parse(r.article_ids) as string[]))];
      const headlines = await db
        .selectFrom('articles')
        .select(['id', 'headline'])
        .where('id', 'in', articleIds.length > 0 ? articleIds : [''])
        .execute();
      return rows.map((row): SendReport => {
        const send = toSend(row);
        return {
          send,
          listName: row.list_name,
          headlines: send.articleIds.map((id) => headlines.find((h) => h.id === id)?.headline ?? id),
          counts: Object.fromEntries(
            deliveryStatuses.map((status) => [
              status,
              Number(counts.find((c) => c.send_id === row.id && c.status === status)?.n ?? 0),
            ]),
          ) as Record<DeliveryStatus, number>,
        };
      });
    },
  };

  const runs: SendRuns = {
    async find(id) {
      const row = await db.selectFrom('newsletter_sends').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSend(row) : null;
    },
    async setStatus(id, status, at) {
      await db
        .updateTable('newsletter_sends')
        .set({
          status,
          ...(status === 'sending' ? { started_at: at.toISOString() } : {}),
          ...(status === 'done' || status === 'cancelled' ? { finished_at: at.toISOString() } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    async createDigest(listId, sendId, at) {
      return db.transaction().execute(async (trx) => {
        const items = await trx
          .selectFrom('newsletter_digest_items')
          .select('article_id')
          .where('list_id', '=', listId)
          .where('send_id', 'is', null)
          .orderBy('added_at')
          .execute();
        if (items.length === 0) return null;
        const send: NewsletterSend = {
          id: sendId,
          listId,
          kind: 'digest',
          articleIds: items.map((i) => i.article_id),
          status: 'queued',
          createdBy: null,
          createdAt: at,
          startedAt: null,
          finishedAt: null,
        };
        await trx.insertInto('newsletter_sends').values(sendValues(send)).execute();
        await trx
          .updateTable('newsletter_digest_items')
          .set({ send_id: sendId })
          .where('list_id', '=', listId)
          .where('send_id', 'is', null)
          .execute();
        return send;
      });
    },
    async unfinished() {
      const rows = await db
        .selectFrom('newsletter_sends')
        .selectAll()
        .where('status', 'in', ['queued', 'sending'])
        .execute();
      return rows.map(toSend);
    },
  };

  const deliveries: DeliveryStore = {
    async pendingRecipients(sendId, listId, after, limit) {
      const rows = await db
        .selectFrom('newsletter_subscriptions')
        .innerJoin('newsletter_signups', 'newsletter_signups.id', 'newsletter_subscriptions.subscriber_id')
        .selectAll('newsletter_signups')
        .where('newsletter_subscriptions.list_id', '=', listId)
        .where('newsletter_subscriptions.status', '=', 'confirmed')
        .where('newsletter_signups.suppressed_at', 'is', null)
        .where('newsletter_signups.id', '>', after)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('newsletter_deliveries')
                .select('newsletter_deliveries.subscriber_id')
                .whereRef('newsletter_deliveries.subscriber_id', '=', 'newsletter_signups.id')
                .where('newsletter_deliveries.send_id', '=', sendId),
            ),
          ),
        )
        .orderBy('newsletter_signups.id')
        .limit(limit)
        .execute();
      return rows.map(toSubscriber);
    },

    async claim(sendId, subscriberId, listId, at) {
      // One statement: the row is written only while the person is still a confirmed, unsuppressed
      // member, and the primary key refuses a second row for the same send and person.
      const result = await db
        .insertInto('newsletter_deliveries')
        .columns(['send_id', 'subscriber_id', 'status', 'attempted_at', 'response'])
        .expression((eb) =>
          eb
            .selectFrom('newsletter_signups')
            .select((s) => [
              s.val(sendId).as('send_id'),
              'newsletter_signups.id as subscriber_id',
              s.val('sending').as('status'),
              s.val(at.toISOString()).as('attempted_at'),
              s.val('').as('response'),
            ])
            .where('newsletter_signups.id', '=', subscriberId)
            .where('newsletter_signups.suppressed_at', 'is', null)
            .$if(listId !== null, (q) =>
              q.where(({ exists, selectFrom }) =>
                exists(
                  selectFrom('newsletter_subscriptions')
                    .select('newsletter_subscriptions.subscriber_id')
                    .whereRef('newsletter_subscriptions.subscriber_id', '=', 'newsletter_signups.id')
                    .where('newsletter_subscriptions.list_id', '=', listId as string)
                    .where('newsletter_subscriptions.status', '=', 'confirmed'),
                ),
              ),
            ),
        )
        .onConflict((oc) => oc.columns(['send_id', 'subscriber_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async finish(sendId, subscriberId, status, response, at) {
      await db
        .updateTable('newsletter_deliveries')
        .set({ status, response: response.slice(0, 1000), finished_at: at.toISOString() })
        .where('send_id', '=', sendId)
        .where('subscriber_id', '=', subscriberId)
        .execute();
    },

    async release(sendId, subscriberId) {
      const result = await db
        .deleteFrom('newsletter_deliveries')
        .where('send_id', '=', sendId)
        .$if(subscriberId !== undefined, (q) => q.where('subscriber_id', '=', subscriberId as string))
        .$if(subscriberId === undefined, (q) => q.where('status', '=', 'deferred'))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  return {
    subscribers,
    subscriptions,
    consents,
    lists,
    sends,
    runs,
    deliveries,

    /** An address with the state of its first list (tests and support look-ups). */
    async findByEmail(email: string) {
      const subscriber = await subscribers.findByEmail(email);
      if (!subscriber) return null;
      const [first] = await subscriptions.ofSubscriber(subscriber.id);
      return { ...subscriber, status: first?.status ?? null };
    },

    /** Deliveries of one send by status, and per person (tests and the send report). */
    async deliveriesOf(sendId: string) {
      return db
        .selectFrom('newsletter_deliveries')
        .select(['subscriber_id', 'status', 'response'])
        .where('send_id', '=', sendId)
        .execute();
    },

    async count() {
      const row = await db
        .selectFrom('newsletter_signups')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type NewsletterRepository = ReturnType<typeof createNewsletterRepository>;
