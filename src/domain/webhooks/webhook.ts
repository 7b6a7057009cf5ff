import type { ArticleChanged, ArticleFacts } from '../events.js';

/** What a webhook may be told of (issue 13). */
export const webhookEvents = [
  'story.published',
  'story.updated',
  'story.unpublished',
  'story.deleted',
  /** A correction or clarification was published on a public story (decision 0056). */
  'story.corrected',
  'story.killed',
  'translation.outdated',
  'member.created',
  'member.changed',
  'newsletter.sent',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export function isWebhookEvent(name: string): name is WebhookEvent {
  return (webhookEvents as readonly string[]).includes(name);
}

/** Events that carry a reader's personal data: only an integration allowed to read members gets them. */
export const memberEvents: readonly WebhookEvent[] = ['member.created', 'member.changed'];

/** One subscription: an integration asks for `event` to be POSTed to `targetUrl`. */
export interface Webhook {
  id: string;
  integrationId: string;
  event: WebhookEvent;
  targetUrl: string;
  createdBy: string | null;
  createdAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A failure as the log shows it: an error code of the catalog and its values. */
export interface DeliveryError {
  code: string;
  values: Record<string, string | number>;
}

/** One event sent (or being sent) to one webhook: what the delivery log lists. */
export interface Delivery {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  /** What happened, once (a story's save, a member's change, a send): a second announcement of it adds nothing. */
  eventKey: string;
  /** The exact JSON POSTed. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of the last answer; null when none came. */
  lastStatus: number | null;
  lastError: DeliveryError | null;
  /** The first 2 KB of the last answer. */
  answer: string | null;
  createdAt: Date;
  /** Retries stop 24 hours after this (the first attempt, or the last "Send again"). */
  windowFrom: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
}

/** Something webhooks may announce: once per `key`, whoever hears it again. */
export interface Happening {
  event: WebhookEvent;
  key: string;
  at: Date;
  /** The payload's `data`: JSON-ready, snake_case like the rest of the body. */
  data: Record<string, unknown>;
}

/** How long a delivery is tried before it is marked failed: a receiver down for an hour loses nothing. */
export const retryWindowMs = 24 * 3_600_000;
/** Bytes of an answer kept in the log. */
export const answerBytesKept = 2048;
/** Finished log entries older than this are pruned. */
export const logKeptMs = 30 * 24 * 3_600_000;

/** The wait after failed attempt number `attempts` (1-based): 30 s doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * The story events one save means, from what readers could see before and after it: appearing is
 * `story.published`, new words while it stays public `story.updated`, disappearing
 * `story.unpublished` or, into the trash, `story.deleted`; killed, `story.killed`. Changes readers never saw (a draft
 * edited, created or deleted) announce nothing: receivers hold only public stories.
 */
export function storyEventsOf(change: ArticleChanged): WebhookEvent[] {
  const { before, after } = change;
  const was = before?.visible ?? false;
  const is = after?.visible ?? false;
  // A kill is told to receivers that ever held the story (decision 0057): they must take down
  // their copy for good, even when it had been unpublished before.
  if (after?.killed && !before?.killed) return after.publishedAt !== null ? ['story.killed'] : [];
  if (!was && is) return ['story.published'];
  if (was && !is) return [after?.deleted ? 'story.deleted' : 'story.unpublished'];
  if (was && is && before && after && after.textRevision !== before.textRevision) {
    // A published correction changes what the story says: an update, and a correction of its own.
    return change.corrected ? ['story.updated', 'story.corrected'] : ['story.updated'];
  }
  return [];
}

/** Whether this save changed the words, which puts the story's translations out of date. */
export function wordsChanged(change: ArticleChanged): change is ArticleChanged & { after: ArticleFacts } {
  return change.before !== null && change.after !== null && change.after.textRevision > change.before.textRevision;
}
