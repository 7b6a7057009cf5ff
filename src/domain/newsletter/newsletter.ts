/** The newsletter model: people, lists, what each person agreed to, and what was sent to them. */

/** An address that signed up at least once (the person, whatever lists they receive). */
export interface Subscriber {
  id: string;
  email: string;
  /** Language of the page they first signed up from. */
  language: string;
  sourcePath: string;
  createdAt: Date;
  /** Set when a bounce or complaint says mail must no longer go to this address. */
  suppressedAt: Date | null;
  suppressionReason: string | null;
}

/** A newsletter readers can receive; its emails are in its language. */
export interface NewsletterList {
  id: string;
  language: string;
  name: string;
  /** The list the signup form of its language subscribes to. */
  isDefault: boolean;
  /** Local time ("07:00", site time zone) at which the list's digest goes out. */
  digestTime: string;
  createdAt: Date;
}

/**
 * `pending` until the person follows the confirmation link (double opt-in): nothing but the
 * confirmation is sent before. `unsubscribed` may only become `pending` again by a new signup.
 */
export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';

export interface Subscription {
  subscriberId: string;
  listId: string;
  status: SubscriptionStatus;
  /** The signup request that confirmation links answer; a new one after unsubscribing voids old links. */
  requestId: string;
  requestedAt: Date;
  /** When the last confirmation email was queued (re-sends are throttled). */
  confirmationQueuedAt: Date | null;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
}

/** `imported`: brought in from another system's list (an import), at the date that system gave. */
export type ConsentEventKind = 'requested' | 'confirmed' | 'unsubscribed' | 'suppressed' | 'imported';

/** One entry of the consent log: what happened, when, from where, on which wording. */
export interface ConsentEvent {
  id: string;
  subscriberId: string;
  listId: string;
  event: ConsentEventKind;
  at: Date;
  /** The site page the signup form was on (empty for events that come from an email link). */
  sourcePath: string;
  /** Version of the signup text the person saw (empty when no form was involved). */
  wordingVersion: string;
  language: string;
  ip: string;
  userAgent: string;
}

/** The signup text of one language and the version string that stands for it. */
export interface ConsentWording {
  version: string;
  language: string;
  text: string;
}

export type SendKind = 'story' | 'digest';
export type SendStatus = 'queued' | 'sending' | 'done' | 'cancelled';

/** One newsletter email to every confirmed member of a list. */
export interface NewsletterSend {
  id: string;
  listId: string;
  kind: SendKind;
  articleIds: string[];
  status: SendStatus;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * `sending` is written before the SMTP exchange and `sent` after it: a `sending` row left by a
 * crash means "possibly sent" and is never retried (at most once). `deferred` means the server
 * refused for now before taking the message, so it may be retried; `bounced` is a permanent
 * refusal of the address; `failed` a refusal or error that is not retried.
 */
export type DeliveryStatus = 'sending' | 'sent' | 'deferred' | 'bounced' | 'failed';

export interface SendReport {
  send: NewsletterSend;
  listName: string;
  headlines: string[];
  counts: Record<DeliveryStatus, number>;
}
