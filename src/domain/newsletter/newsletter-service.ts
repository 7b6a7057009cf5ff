import { isPublic } from '../articles/article.js';
import type { ArticleRecord } from '../articles/article-input.js';
import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { FormMailLimiter } from '../limits/form-mail-limiter.js';
import { hasPermission, type Role, storyRights } from '../staff/roles.js';
import { nextDigestTime } from './digest-schedule.js';
import { decodeLink, type LinkClaims, type LinkPurpose, type TokenSigner } from './link-tokens.js';
import type {
  ConsentEvent,
  ConsentWording,
  NewsletterList,
  NewsletterSend,
  SendReport,
  Subscriber,
  Subscription,
} from './newsletter.js';

/** Where subscribers (one per address) are kept; inserting an address that is already there changes nothing. */
export interface SubscriberStore {
  findByEmail(email: string): Promise<Subscriber | null>;
  findById(id: string): Promise<Subscriber | null>;
  insertIfAbsent(subscriber: Subscriber): Promise<boolean>;
  suppress(id: string, reason: string, at: Date): Promise<void>;
}

/** Each person's state on each list. */
export interface SubscriptionStore {
  find(subscriberId: string, listId: string): Promise<Subscription | null>;
  save(subscription: Subscription, at: Date): Promise<void>;
  ofSubscriber(subscriberId: string): Promise<Subscription[]>;
}

/** The append-only record of what each person agreed to, and the wordings they agreed on. */
export interface ConsentLog {
  record(event: ConsentEvent, wording: ConsentWording | null): Promise<void>;
  history(subscriberId: string): Promise<{ events: ConsentEvent[]; wordings: ConsentWording[] }>;
}

export type ListSummary = NewsletterList & { confirmed: number; pending: number };

/** The newsletters of the site. */
export interface ListStore {
  all(): Promise<ListSummary[]>;
  find(id: string): Promise<NewsletterList | null>;
  insertIfAbsent(list: NewsletterList, createdBy: string | null): Promise<boolean>;
}

/** Sends asked for by the newsroom, and stories waiting for a list's next digest. */
export interface SendStore {
  create(send: NewsletterSend): Promise<void>;
  /** Whether this story already went (or is going) to this list, alone or in a digest. */
  storyAlreadySent(listId: string, articleId: string): Promise<boolean>;
  /** Queues the story for the list's next digest; false when it is already waiting. */
  addDigestItem(listId: string, articleId: string, at: Date, by: string | null): Promise<boolean>;
  recent(limit: number): Promise<SendReport[]>;
}

/** The newsroom's stories, as stored (any status). */
export interface StoryRecords {
  findRecord(id: string): Promise<ArticleRecord | null>;
}

/** What the person did something from: the page (for signups), their network address and browser. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

/** A staff member acting on newsletters. */
export interface NewsletterActor {
  id: string;
  role: Role;
  authorId: string | null;
}

/** A confirmation email is queued at most this often per person and list, whatever the form receives. */
export const confirmationResendIntervalMs = 5 * 60 * 1000;

export const sendJobKind = 'newsletter.send';
export const confirmationJobKind = 'newsletter.confirmation';
export const digestJobKind = 'newsletter.digest';

// Deliberately permissive on the local part (RFC 5322 allows much), strict on shape: one @, a
// dotted domain, no spaces or control characters, within the 254-character limit of SMTP paths.
// (`\s` alone lets NUL and other controls through: PostgreSQL then refuses the row, SQLite keeps it.)
const emailPattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  /^[^\s\u0000-\u001f\u007f@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Trims and lower-cases an address; returns null when it is not a plausible email address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !emailPattern.test(email)) return null;
  return email;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stored request facts carry no control characters
const controls = /[\u0000-\u001f\u007f]/g;
const clean = (text: string, max: number) => text.replace(controls, '').slice(0, max);

export interface NewsletterServiceDeps {
  subscribers: SubscriberStore;
  subscriptions: SubscriptionStore;
  consents: ConsentLog;
  lists: ListStore;
  sends: SendStore;
  stories: StoryRecords;
  queue: JobQueue;
  /** Caps the confirmations the signup form can make the site send (per client, per address, site-wide). */
  formMail: FormMailLimiter;
  signer: TokenSigner;
  /** The signup text of each language, with its version string. */
  wordings: ReadonlyMap<string, ConsentWording>;
  /** The site's time zone: digests go out at a list's local time. */
  timeZone: string;
  /** Tells the job worker there is work now (optional: it also polls). */
  onQueued?: () => void;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Newsletter subscriptions with double opt-in, their consent record and export, the lists, and
 * the newsroom's "send to newsletter". Emails are not sent here: jobs are queued, and the
 * newsletter sender handles them.
 */
export function createNewsletterService(deps: NewsletterServiceDeps) {
  const { subscribers, subscriptions, consents, lists, sends, queue, clock, ids } = deps;

  async function defaultList(language: string): Promise<NewsletterList> {
    const all = await lists.all();
    const list = all.find((l) => l.language === language && l.isDefault) ?? all.find((l) => l.language === language);
    if (!list) throw new KiosqueError('NEWSLETTER_LIST_NOT_FOUND', { language });
    return list;
  }

  function readLink(token: string, purpose: LinkPurpose): LinkClaims {
    const claims = decodeLink(deps.signer, token, purpose, clock.now());
    if (!claims) throw new KiosqueError('NEWSLETTER_LINK_INVALID');
    return claims;
  }

  async function linkTarget(claims: LinkClaims) {
    const [subscriber, list, subscription] = await Promise.all([
      subscribers.findById(claims.subscriberId),
      lists.find(claims.listId),
      subscriptions.find(claims.subscriberId, claims.listId),
    ]);
    if (!subscriber || !list || !subscription) throw new KiosqueError('NEWSLETTER_LINK_INVALID');
    return { subscriber, list, subscription };
  }

  function consent(
    subscription: Pick<Subscription, 'subscriberId' | 'listId'>,
    event: ConsentEvent['event'],
    language: string,
    origin: RequestOrigin,
    extra: { sourcePath?: string; wordingVersion?: string } = {},
  ): ConsentEvent {
    return {
      id: ids('cns'),
      subscriberId: subscription.subscriberId,
      listId: subscription.listId,
      event,
      at: clock.now(),
      sourcePath: extra.sourcePath ?? '',
      wordingVersion: extra.wordingVersion ?? '',
      language,
      ip: clean(origin.ip, 100),
      userAgent: clean(origin.userAgent, 500),
    };
  }

  async function exportSubscriber(subscriber: Subscriber) {
    const [mine, history, allLists] = await Promise.all([
      subscriptions.ofSubscriber(subscriber.id),
      consents.history(subscriber.id),
      lists.all(),
    ]);
    const listName = (id: string) => allLists.find((l) => l.id === id)?.name ?? id;
    return {
      exportedAt: clock.now().toISOString(),
      email: subscriber.email,
      language: subscriber.language,
      firstSignupPage: subscriber.sourcePath,
      createdAt: subscriber.createdAt.toISOString(),
      suppressed: subscriber.suppressedAt
        ? { at: subscriber.suppressedAt.toISOString(), reason: subscriber.suppressionReason }
        : null,
      subscriptions: mine.map((s) => ({
        list: listName(s.listId),
        status: s.status,
        requestedAt: s.requestedAt.toISOString(),
        confirmedAt: s.confirmedAt?.toISOString() ?? null,
        unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
      })),
      consents: history.events.map((e) => ({
        event: e.event,
        list: listName(e.listId),
        at: e.at.toISOString(),
        page: e.sourcePath || null,
        wordingVersion: e.wordingVersion || null,
        language: e.language,
        ip: e.ip,
        userAgent: e.userAgent,
      })),
      wordings: Object.fromEntries(history.wordings.map((w) => [w.version, { language: w.language, text: w.text }])),
    };
  }

  /**
   * The story a staff member may send, through the one per-story rule (roles.ts#storyRights,
   * issue 11): sending needs `newsletter.manage` and the right to publish this very story.
   */
  async function storyToSend(articleId: string, actor: NewsletterActor): Promise<ArticleRecord> {
    const record = await deps.stories.findRecord(articleId);
    if (!record) throw new KiosqueError('ARTICLE_NOT_FOUND', { id: articleId });
    const isOwn = actor.authorId !== null && record.authorIds.includes(actor.authorId);
    const rights = storyRights(actor.role, { isOwn, everPublished: record.publishedAt !== null });
    if (!rights.newsletter) throw new KiosqueError('ACCESS_DENIED', { id: articleId });
    return record;
  }

  return {
    /**
     * A signup from the form. New, pending and unsubscribed addresses get a confirmation email
     * (queued, at most one per five minutes); a confirmed address is left as it is; a suppressed
     * one gets nothing. The caller answers the same whatever happened here, so the form never
     * tells whether an address is known, and every path does the same few queries.
     */
    async signup(input: { email: string; language: string; sourcePath: string } & RequestOrigin): Promise<void> {
      const email = normalizeEmail(input.email);
      if (email === null) throw new KiosqueError('NEWSLETTER_EMAIL_INVALID');
      // Counted whatever happens next (known, confirmed, suppressed), so the answer reveals nothing;
      // a refusal (MAIL_RATE_LIMITED, issue 11) comes before anything is written.
      await deps.formMail.take({ ip: input.ip, recipient: email });
      const now = clock.now();
      const list = await defaultList(input.language);
      const sourcePath = clean(input.sourcePath, 500);
      let subscriber = await subscribers.findByEmail(email);
      if (!subscriber) {
        const fresh: Subscriber = {
          id: ids('sub'),
          email,
          language: input.language,
          sourcePath,
          createdAt: now,
          suppressedAt: null,
          suppressionReason: null,
        };
        // Two signups of one new address at once: the second finds the first's row.
        subscriber = (await subscribers.insertIfAbsent(fresh)) ? fresh : await subscribers.findByEmail(email);
        if (!subscriber) return;
      }
      if (subscriber.suppressedAt) return;
      const current = await subscriptions.find(subscriber.id, list.id);
      if (current?.status === 'confirmed') return;
      const stillPending = current?.status === 'pending';
      if (
        stillPending &&
        current.confirmationQueuedAt &&
        now.getTime() - current.confirmationQueuedAt.getTime() < confirmationResendIntervalMs
      ) {
        return;
      }
      const subscription: Subscription = {
        subscriberId: subscriber.id,
        listId: list.id,
        status: 'pending',
        // A pending request keeps its id, so the first email's link still works; after an
        // unsubscribe a new request voids every earlier confirmation link.
        requestId: stillPending ? current.requestId : ids('req'),
        requestedAt: stillPending ? current.requestedAt : now,
        confirmationQueuedAt: now,
        confirmedAt: null,
        unsubscribedAt: current?.unsubscribedAt ?? null,
      };
      await subscriptions.save(subscription, now);
      const wording = deps.wordings.get(input.language) ?? null;
      await consents.record(
        consent(subscription, 'requested', input.language, input, {
          sourcePath,
          wordingVersion: wording?.version ?? '',
        }),
        wording,
      );
      await queue.enqueue(
        {
          kind: confirmationJobKind,
          payload: { subscriberId: subscriber.id, listId: list.id, requestId: subscription.requestId },
        },
        now,
      );
      deps.onQueued?.();
    },

    /** What a confirmation link is about, for the page that asks to confirm (it confirms nothing). */
    async confirmation(token: string) {
      const { subscriber, list, subscription } = await linkTarget(readLink(token, 'confirm'));
      if (subscription.status === 'unsubscribed') throw new KiosqueError('NEWSLETTER_LINK_INVALID');
      return { email: subscriber.email, list, status: subscription.status };
    },

    /**
     * Confirms a subscription from the emailed link. Confirming twice is fine; a link from a
     * request that was since unsubscribed (or replaced) is refused: that takes a new signup.
     */
    async confirm(token: string, origin: RequestOrigin) {
      const claims = readLink(token, 'confirm');
      const { subscriber, list, subscription } = await linkTarget(claims);
      if (subscription.requestId !== claims.requestId || subscription.status === 'unsubscribed') {
        throw new KiosqueError('NEWSLETTER_LINK_INVALID');
      }
      if (subscription.status === 'confirmed' || subscriber.suppressedAt) return { email: subscriber.email, list };
      const now = clock.now();
      await subscriptions.save({ ...subscription, status: 'confirmed', confirmedAt: now }, now);
      await consents.record(consent(subscription, 'confirmed', list.language, origin), null);
      return { email: subscriber.email, list };
    },

    /** What an unsubscribe link is about, for the page with the button (GET never unsubscribes). */
    async unsubscription(token: string) {
      const { subscriber, list, subscription } = await linkTarget(readLink(token, 'unsubscribe'));
      return { email: subscriber.email, list, status: subscription.status };
    },

    /** Unsubscribes at once, without sign-in: the signed link is the proof. Idempotent. */
    async unsubscribe(token: string, origin: RequestOrigin) {
      const { subscriber, list, subscription } = await linkTarget(readLink(token, 'unsubscribe'));
      if (subscription.status !== 'unsubscribed') {
        const now = clock.now();
        await subscriptions.save({ ...subscription, status: 'unsubscribed', unsubscribedAt: now }, now);
        await consents.record(consent(subscription, 'unsubscribed', list.language, origin), null);
      }
      return { email: subscriber.email, list };
    },

    /** Everything kept about the person a "your data" link was sent to. */
    async exportByLink(token: string) {
      const claims = readLink(token, 'data');
      const subscriber = await subscribers.findById(claims.subscriberId);
      if (!subscriber) throw new KiosqueError('NEWSLETTER_LINK_INVALID');
      return exportSubscriber(subscriber);
    },

    /** Everything kept about an address, for staff answering a person's request. */
    async exportByEmail(rawEmail: string) {
      const email = normalizeEmail(rawEmail);
      const subscriber = email ? await subscribers.findByEmail(email) : null;
      if (!subscriber) throw new KiosqueError('NEWSLETTER_SUBSCRIBER_NOT_FOUND');
      return exportSubscriber(subscriber);
    },

    /**
     * A bounce or complaint reported by the mail provider: nothing more goes to the address.
     * Unknown addresses are ignored (there is nothing to stop). Returns whether one was suppressed.
     */
    async suppress(rawEmail: string, reason: 'bounce' | 'complaint', detail = ''): Promise<boolean> {
      const email = normalizeEmail(rawEmail);
      const subscriber = email ? await subscribers.findByEmail(email) : null;
      if (!subscriber || subscriber.suppressedAt) return false;
      const now = clock.now();
      await subscribers.suppress(subscriber.id, clean(`${reason}${detail ? `: ${detail}` : ''}`, 500), now);
      for (const subscription of await subscriptions.ofSubscriber(subscriber.id)) {
        await consents.record(
          consent(subscription, 'suppressed', subscriber.language, { ip: '', userAgent: '' }),
          null,
        );
      }
      return true;
    },

    lists: () => lists.all(),

    /** Makes sure each language has a default list (the one its signup form subscribes to). */
    async ensureDefaultLists(names: ReadonlyMap<string, string>): Promise<void> {
      const all = await lists.all();
      for (const [language, name] of names) {
        if (all.some((l) => l.language === language && l.isDefault)) continue;
        await lists.insertIfAbsent(
          {
            id: `nll_${language}_default`,
            language,
            name,
            isDefault: true,
            digestTime: '07:00',
            createdAt: clock.now(),
          },
          null,
        );
      }
    },

    /** A new list, for an editor: a name (1–80 characters) and one of the site's languages. */
    async createList(
      input: { name: string; language: string; digestTime?: string },
      languages: readonly string[],
      actor: NewsletterActor,
    ) {
      const name = clean(input.name, 200).trim();
      const digestTime = input.digestTime?.trim() || '07:00';
      if (!hasPermission(actor.role, 'newsletter.manage')) throw new KiosqueError('ACCESS_DENIED');
      if (
        name.length === 0 ||
        name.length > 80 ||
        !languages.includes(input.language) ||
        !/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime)
      ) {
        throw new KiosqueError('NEWSLETTER_LIST_INVALID');
      }
      const list: NewsletterList = {
        id: ids('nll'),
        language: input.language,
        name,
        isDefault: false,
        digestTime,
        createdAt: clock.now(),
      };
      if (!(await lists.insertIfAbsent(list, actor.id))) throw new KiosqueError('NEWSLETTER_LIST_INVALID');
      return list;
    },

    /**
     * "Send to newsletter" for a story: now (a send of its own) or in the list's next digest.
     * The story must be published and visible, in the list's language, and the staff member
     * must both manage newsletters and have the right to publish this story.
     */
    async sendStory(input: { articleId: string; listId: string; mode: 'now' | 'digest' }, actor: NewsletterActor) {
      const record = await storyToSend(input.articleId, actor);
      const now = clock.now();
      if (!isPublic(record, now)) throw new KiosqueError('NEWSLETTER_STORY_NOT_PUBLISHED', { id: record.id });
      const list = await lists.find(input.listId);
      if (!list) throw new KiosqueError('NEWSLETTER_LIST_NOT_FOUND', { id: input.listId });
      if (list.language !== record.language) throw new KiosqueError('NEWSLETTER_LANGUAGE_MISMATCH');
      if (await sends.storyAlreadySent(list.id, record.id)) throw new KiosqueError('NEWSLETTER_ALREADY_SENT');

      if (input.mode === 'digest') {
        if (!(await sends.addDigestItem(list.id, record.id, now, actor.id))) {
          throw new KiosqueError('NEWSLETTER_ALREADY_SENT');
        }
        const due = nextDigestTime(now, list.digestTime, deps.timeZone);
        await queue.enqueue(
          {
            kind: digestJobKind,
            payload: { listId: list.id },
            runAt: due,
            key: `digest:${list.id}:${due.toISOString()}`,
          },
          now,
        );
        return { mode: 'digest' as const, list, at: due };
      }
      const send: NewsletterSend = {
        id: ids('snd'),
        listId: list.id,
        kind: 'story',
        articleIds: [record.id],
        status: 'queued',
        createdBy: actor.id,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
      };
      await sends.create(send);
      await queue.enqueue({ kind: sendJobKind, payload: { sendId: send.id }, key: `send:${send.id}` }, now);
      deps.onQueued?.();
      return { mode: 'now' as const, list, at: now, sendId: send.id };
    },

    /** The story and the lists it may go to (those of its language), for the "send" form. */
    /** The "Send to newsletter" page: behind the same per-story check as the send itself. */
    async sendOptions(articleId: string, actor: NewsletterActor) {
      const record = await storyToSend(articleId, actor);
      const all = await lists.all();
      return {
        story: { id: record.id, headline: record.headline, language: record.language },
        lists: all.filter((list) => list.language === record.language),
      };
    },

    recentSends: (limit = 20) => sends.recent(limit),
  };
}

export type NewsletterService = ReturnType<typeof createNewsletterService>;
