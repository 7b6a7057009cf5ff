import { z } from 'zod';
import type { Article } from '../articles/article.js';
import type { Clock, IdGenerator } from '../clock.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { RetryLater } from '../jobs/job-queue.js';
import type { JobContext, JobHandler } from '../jobs/job-worker.js';
import { articleFor, storyPartFor } from '../paywall/story-text.js';
import { encodeLink, type LinkPurpose, linkLifetimeMs, type TokenSigner } from './link-tokens.js';
import type { DeliveryStatus, NewsletterList, NewsletterSend, SendStatus, Subscriber } from './newsletter.js';
import {
  confirmationJobKind,
  digestJobKind,
  type SubscriberStore,
  type SubscriptionStore,
  sendJobKind,
} from './newsletter-service.js';

/** A message ready for the mail system; the transport adds the sender address. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** List-Unsubscribe, List-Unsubscribe-Post, List-Id, Content-Language… */
  headers: Record<string, string>;
  /** Stable per message and person, so a receiving system can tell a repeat. */
  messageId: string;
}

/**
 * What became of a message. Only `accepted` means it was handed over. `deferred` (refused for
 * now) and `unavailable` (no server to talk to) mean it certainly was not, so it may be tried
 * again; `unknown` means the exchange broke when the server may already have taken it.
 */
export type MailOutcome =
  | { kind: 'accepted'; response: string }
  | { kind: 'bounced'; response: string }
  | { kind: 'rejected'; response: string }
  | { kind: 'deferred'; response: string }
  | { kind: 'unavailable'; response: string }
  | { kind: 'unknown'; response: string };

/** Hands messages to the mail system (SMTP, or the outbox folder). */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<MailOutcome>;
}

export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A story as an email shows it: whole, or only its beginning when readers must pay or sign in. */
export interface EmailStory {
  article: Article;
  full: boolean;
}

/** Renders emails in a list's language (through the catalogs). */
export interface EmailComposer {
  confirmation(input: {
    list: NewsletterList;
    email: string;
    confirmUrl: string;
    unsubscribeUrl: string;
  }): ComposedEmail;
  newsletter(input: {
    list: NewsletterList;
    email: string;
    kind: NewsletterSend['kind'];
    stories: EmailStory[];
    unsubscribeUrl: string;
    dataUrl: string;
  }): ComposedEmail;
}

/** Absolute URLs of the pages the signed links open. */
export interface NewsletterLinks {
  url(purpose: LinkPurpose, language: string, token: string): string;
}

/**
 * The per-person record of every message: the row is claimed (`sending`) before the SMTP
 * exchange and finished after it, so no crash or second worker can send one twice.
 */
export interface DeliveryStore {
  /** Confirmed, unsuppressed members of the list with no row for this send, by id after `after`. */
  pendingRecipients(sendId: string, listId: string, after: string, limit: number): Promise<Subscriber[]>;
  /**
   * Writes the `sending` row, only if none exists and (with `listId`) the person is still a
   * confirmed member: an unsubscribe a second ago is honoured. False when not written.
   */
  claim(sendId: string, subscriberId: string, listId: string | null, at: Date): Promise<boolean>;
  finish(
    sendId: string,
    subscriberId: string,
    status: Exclude<DeliveryStatus, 'sending'>,
    response: string,
    at: Date,
  ): Promise<void>;
  /** Removes rows of messages that were never handed over: one person's, or every `deferred` one. */
  release(sendId: string, subscriberId?: string): Promise<number>;
}

/** Sends as the sender runs them. */
export interface SendRuns {
  find(id: string): Promise<NewsletterSend | null>;
  setStatus(id: string, status: SendStatus, at: Date): Promise<void>;
  /** Turns the stories waiting for the list's digest into one send; null when none wait. */
  createDigest(listId: string, sendId: string, at: Date): Promise<NewsletterSend | null>;
  /** Sends not finished (queued or sending): resumed at start in case their job was lost. */
  unfinished(): Promise<NewsletterSend[]>;
}

/** Stories readers can see now, in full, for the email. */
export interface PublishedStories {
  published(id: string, now: Date): Promise<Article | null>;
}

export interface NewsletterSenderDeps {
  subscribers: SubscriberStore & { findById(id: string): Promise<Subscriber | null> };
  subscriptions: SubscriptionStore;
  lists: { find(id: string): Promise<NewsletterList | null> };
  sends: SendRuns;
  deliveries: DeliveryStore;
  stories: PublishedStories;
  composer: EmailComposer;
  transport: MailTransport;
  links: NewsletterLinks;
  signer: TokenSigner;
  queue: JobQueue;
  /** Told when a send has gone to everyone it will reach (webhooks' `newsletter.sent`). */
  onSent?: (send: NewsletterSend, list: NewsletterList) => Promise<void>;
  /** Host name for Message-IDs and List-Ids. */
  mailDomain: string;
  /** At most this many messages a minute, across every send. */
  ratePerMinute: number;
  clock: Clock;
  ids: IdGenerator;
  /** Waits (the rate); resolves early when the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  logger: { info(object: object, message: string): void; warn(object: object, message: string): void };
}

const sendPayload = z.object({ sendId: z.string().min(1) });
const confirmationPayload = z.object({ subscriberId: z.string(), listId: z.string(), requestId: z.string() });
const digestPayload = z.object({ listId: z.string() });

/** How long to wait before trying again when the mail server is unavailable or refused for now. */
const retryDelayMs = 5 * 60 * 1000;
/** Rounds of retries for people the server refused for now, before they are marked failed. */
const deferredRounds = 3;

/**
 * The jobs that send email. Every message goes through the same steps: claim the delivery row
 * (`sending`), talk to the server, finish the row. A row left `sending` by a crash means the
 * server may have taken the message: it is never sent again. At most once is the rule; the
 * price is that a person whose message was in flight at the crash may miss that one email,
 * and the send's report counts them as "in doubt".
 */
export function createNewsletterSender(deps: NewsletterSenderDeps) {
  const { deliveries, transport, clock, logger } = deps;
  const interval = 60_000 / deps.ratePerMinute;
  let lastSentAt = Number.NEGATIVE_INFINITY;

  async function pace(signal: AbortSignal): Promise<void> {
    const wait = lastSentAt + interval - clock.now().getTime();
    if (wait > 0) await deps.sleep(wait, signal);
    lastSentAt = Math.max(clock.now().getTime(), lastSentAt + interval);
  }

  function link(purpose: LinkPurpose, subscriberId: string, list: NewsletterList, requestId = '-'): string {
    const lifetime = linkLifetimeMs[purpose];
    const token = encodeLink(deps.signer, {
      purpose,
      subscriberId,
      listId: list.id,
      requestId,
      expiresAt: lifetime === null ? null : new Date(clock.now().getTime() + lifetime),
    });
    return deps.links.url(purpose, list.language, token);
  }

  function listHeaders(list: NewsletterList, unsubscribeUrl: string): Record<string, string> {
    return {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${list.name.replace(/[<>"\r\n]/g, '')} <${list.id.replace(/_/g, '-')}.${deps.mailDomain}>`,
      'Content-Language': list.language,
    };
  }

  /** Sends one message to one person whose row is claimed; returns what to do next. */
  async function deliver(
    sendId: string,
    subscriber: Subscriber,
    mail: OutgoingMail,
  ): Promise<'next' | 'deferred' | 'stop'> {
    const outcome = await transport.send(mail);
    const now = clock.now();
    switch (outcome.kind) {
      case 'accepted':
        await deliveries.finish(sendId, subscriber.id, 'sent', outcome.response, now);
        return 'next';
      case 'bounced':
        await deliveries.finish(sendId, subscriber.id, 'bounced', outcome.response, now);
        await deps.subscribers.suppress(subscriber.id, `bounce: ${outcome.response}`.slice(0, 500), now);
        logger.info({ send: sendId, subscriber: subscriber.id }, 'address refused for good: suppressed');
        return 'next';
      case 'rejected':
      case 'unknown':
        await deliveries.finish(sendId, subscriber.id, 'failed', outcome.response, now);
        logger.warn({ send: sendId, subscriber: subscriber.id, outcome }, 'message not delivered, not retried');
        return 'next';
      case 'deferred':
        await deliveries.finish(sendId, subscriber.id, 'deferred', outcome.response, now);
        return 'deferred';
      case 'unavailable':
        // Nothing was handed over: free the row, so that this person is tried when the job resumes.
        await deliveries.release(sendId, subscriber.id);
        logger.warn(
          { send: sendId, response: outcome.response },
          'mail server unavailable: the send will resume later',
        );
        return 'stop';
    }
  }

  async function runSend(payload: unknown, context: JobContext): Promise<void> {
    const { sendId } = sendPayload.parse(payload);
    const send = await deps.sends.find(sendId);
    if (!send || send.status === 'done' || send.status === 'cancelled') return;
    const list = await deps.lists.find(send.listId);
    const now = clock.now();
    const articles = (await Promise.all(send.articleIds.map((id) => deps.stories.published(id, now)))).filter(
      (a): a is Article => a !== null,
    );
    if (!list || articles.length === 0) {
      // The story was unpublished (or the list removed) before the send began.
      await deps.sends.setStatus(send.id, 'cancelled', now);
      return;
    }
    if (send.status === 'queued') await deps.sends.setStatus(send.id, 'sending', now);
    // An email goes to every subscriber alike: the whole of a public story, no body of a gated one.
    const stories = articles.map((article) => ({
      article: articleFor(article, { kind: 'newsletter' }),
      full: storyPartFor(article.access, { kind: 'newsletter' }) === 'whole',
    }));

    let after = '';
    for (;;) {
      const batch = await deliveries.pendingRecipients(send.id, list.id, after, 100);
      if (batch.length === 0) break;
      for (const subscriber of batch) {
        after = subscriber.id;
        if (context.signal.aborted) throw new RetryLater(clock.now(), 'worker stopping');
        await pace(context.signal);
        if (context.signal.aborted) throw new RetryLater(clock.now(), 'worker stopping');
        if (!(await deliveries.claim(send.id, subscriber.id, list.id, clock.now()))) continue;
        const unsubscribeUrl = link('unsubscribe', subscriber.id, list);
        const email = deps.composer.newsletter({
          list,
          email: subscriber.email,
          kind: send.kind,
          stories,
          unsubscribeUrl,
          dataUrl: link('data', subscriber.id, list),
        });
        const next = await deliver(send.id, subscriber, {
          to: subscriber.email,
          ...email,
          headers: listHeaders(list, unsubscribeUrl),
          messageId: `<${send.id}.${subscriber.id}@${deps.mailDomain}>`,
        });
        if (next === 'stop')
          throw new RetryLater(new Date(clock.now().getTime() + retryDelayMs), 'mail server unavailable');
      }
    }
    // People refused "for now" get a few more rounds, later; their rows are freed to be claimed again.
    if (context.attempts < deferredRounds && (await deliveries.release(send.id)) > 0) {
      throw new RetryLater(new Date(clock.now().getTime() + retryDelayMs), 'some recipients deferred');
    }
    // Told before the send is marked done: if telling fails, the job runs again and tells again (once, by key).
    await deps.onSent?.(send, list);
    await deps.sends.setStatus(send.id, 'done', clock.now());
    logger.info({ send: send.id }, 'newsletter send finished');
  }

  async function runConfirmation(payload: unknown, context: JobContext): Promise<void> {
    const { subscriberId, listId, requestId } = confirmationPayload.parse(payload);
    const [subscriber, list, subscription] = await Promise.all([
      deps.subscribers.findById(subscriberId),
      deps.lists.find(listId),
      deps.subscriptions.find(subscriberId, listId),
    ]);
    // Confirmed, unsubscribed or suppressed meanwhile: the email has no purpose any more.
    if (!subscriber || !list || subscriber.suppressedAt) return;
    if (subscription?.status !== 'pending' || subscription.requestId !== requestId) return;
    // Each confirmation job sends at most once, like a newsletter send.
    const deliveryKey = `confirm_${context.jobId}`;
    await pace(context.signal);
    if (!(await deliveries.claim(deliveryKey, subscriber.id, null, clock.now()))) return;
    const unsubscribeUrl = link('unsubscribe', subscriber.id, list);
    const email = deps.composer.confirmation({
      list,
      email: subscriber.email,
      confirmUrl: link('confirm', subscriber.id, list, requestId),
      unsubscribeUrl,
    });
    const next = await deliver(deliveryKey, subscriber, {
      to: subscriber.email,
      ...email,
      headers: listHeaders(list, unsubscribeUrl),
      messageId: `<${deliveryKey}.${subscriber.id}@${deps.mailDomain}>`,
    });
    if (next !== 'next') {
      await deliveries.release(deliveryKey, subscriber.id);
      throw new RetryLater(new Date(clock.now().getTime() + 60_000), 'confirmation not handed over yet');
    }
  }

  async function runDigest(payload: unknown): Promise<void> {
    const { listId } = digestPayload.parse(payload);
    const now = clock.now();
    const send = await deps.sends.createDigest(listId, deps.ids('snd'), now);
    if (send)
      await deps.queue.enqueue({ kind: sendJobKind, payload: { sendId: send.id }, key: `send:${send.id}` }, now);
  }

  const handlers: Record<string, JobHandler> = {
    [sendJobKind]: runSend,
    [confirmationJobKind]: runConfirmation,
    [digestJobKind]: (payload) => runDigest(payload),
  };

  return {
    handlers,
    /**
     * Queues a job for every unfinished send that has none (a crash between creating a send and
     * queueing its job); the job key makes this a no-op for sends whose job exists.
     */
    async resumeUnfinished(): Promise<number> {
      let queued = 0;
      for (const send of await deps.sends.unfinished()) {
        const added = await deps.queue.enqueue(
          { kind: sendJobKind, payload: { sendId: send.id }, key: `send:${send.id}` },
          clock.now(),
        );
        if (added) queued++;
      }
      return queued;
    },
  };
}

export type NewsletterSender = ReturnType<typeof createNewsletterSender>;
