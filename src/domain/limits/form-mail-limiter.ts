import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';

/**
 * Caps on the email an anonymous form can make the site send (decision 0024): member sign-in
 * links, newsletter confirmations, staff password resets. Every such form takes one mail from three
 * sliding windows before it writes or sends anything — its client's, its recipient's and the
 * site's — and is refused with MAIL_RATE_LIMITED (429, the wait in the reader's language) when any
 * is spent. A refusal records nothing. Issue 11: one client made the site mail 120 addresses in 10 s.
 */
export interface MailWindow {
  /** Mails allowed within the window. */
  limit: number;
  windowMs: number;
}

export interface FormMailCaps {
  /** Per client: an IPv4 address, or an IPv6 /64. */
  perClient: MailWindow;
  /** Per recipient address, whoever asks. */
  perRecipient: MailWindow;
  /** The whole site, every form and client together. */
  global: MailWindow;
}

export const defaultFormMailCaps: FormMailCaps = {
  perClient: { limit: 10, windowMs: 15 * 60_000 },
  perRecipient: { limit: 3, windowMs: 60 * 60_000 },
  global: { limit: 200, windowMs: 10 * 60_000 },
};

/** Mails granted, per key, kept where every instance sees them (the database). */
export interface MailGrantStore {
  /** The key's grants after `since`, newest first, at most `limit`. */
  recent(key: string, since: Date, limit: number): Promise<Date[]>;
  /** Records one grant under each key, and forgets grants from before `forgetBefore`. */
  add(keys: string[], at: Date, forgetBefore: Date): Promise<void>;
}

/**
 * How long, in milliseconds, until a window with these grants (newest first) has room again;
 * 0 when it has room now.
 */
export function windowWaitMs(grants: readonly Date[], window: MailWindow, now: Date): number {
  if (grants.length < window.limit) return 0;
  const oldestCounted = grants[window.limit - 1] as Date;
  return Math.max(1, oldestCounted.getTime() + window.windowMs - now.getTime());
}

/**
 * The key of a client: an IPv4 address as is, an IPv6 address by its /64 (one subscriber's whole
 * allocation, which rotating addresses within would otherwise escape), an IPv4-mapped one as IPv4.
 */
export function clientKey(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return `ip:${mapped[1]}`;
  if (!address.includes(':')) return `ip:${address.slice(0, 64)}`;
  const [head = '', tail = ''] = address.split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `ip6:${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The one limiter every mail-sending form goes through. */
export function createFormMailLimiter(deps: { store: MailGrantStore; clock: Clock; caps: FormMailCaps }) {
  const { store, clock, caps } = deps;
  const longest = Math.max(caps.perClient.windowMs, caps.perRecipient.windowMs, caps.global.windowMs);
  return {
    /**
     * Takes one mail for `recipient` (a normalized address) asked by the client at `ip`, or throws
     * MAIL_RATE_LIMITED with `minutes` (and `seconds`) to wait, having recorded nothing.
     */
    async take(request: { ip: string; recipient: string }): Promise<void> {
      const now = clock.now();
      // The address is kept hashed: the table says how often, not to whom.
      const recipientKey = `to:${createHash('sha256').update(request.recipient).digest('hex')}`;
      const windows: [string, MailWindow][] = [
        [`client:${clientKey(request.ip)}`, caps.perClient],
        [recipientKey, caps.perRecipient],
        ['global', caps.global],
      ];
      const waits = await Promise.all(
        windows.map(async ([key, window]) =>
          windowWaitMs(await store.recent(key, new Date(now.getTime() - window.windowMs), window.limit), window, now),
        ),
      );
      const wait = Math.max(...waits);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new KiosqueError('MAIL_RATE_LIMITED', { minutes: Math.ceil(seconds / 60), seconds });
      }
      await store.add(
        windows.map(([key]) => key),
        now,
        new Date(now.getTime() - longest),
      );
    },
  };
}

export type FormMailLimiter = ReturnType<typeof createFormMailLimiter>;
