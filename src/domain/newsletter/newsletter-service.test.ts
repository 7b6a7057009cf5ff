import { describe, expect, it } from 'vitest';
import { createHmacSigner } from '../../crypto/hmac-signer.js';
import { KiosqueError } from '../errors.js';
import type { JobQueue, NewJob } from '../jobs/job-queue.js';
import { decodeLink, encodeLink } from './link-tokens.js';
import type { ConsentEvent, NewsletterList, Subscriber, Subscription } from './newsletter.js';
import { createNewsletterService, normalizeEmail } from './newsletter-service.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases plausible addresses', () => {
    expect(normalizeEmail('  Claire.Morel+news@Example.ORG ')).toBe('claire.morel+news@example.org');
  });

  it.each([
    '',
    'claire',
    'claire@',
    '@example.org',
    'a b@example.org',
    'claire@example',
    'a@b@example.org',
    `${'a'.repeat(250)}@example.org`,
    'x@-example.org',
    '<script>@example.org',
    'claire\u0000@example.org',
    'claire\u0007@example.org',
  ])('refuses %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

/** In-memory stores: the service's rules, without a database (the integration suite has one). */
function memory() {
  const subscribers = new Map<string, Subscriber>();
  const subscriptions = new Map<string, Subscription>();
  const consents: ConsentEvent[] = [];
  const jobs: NewJob[] = [];
  const list: NewsletterList = {
    id: 'nll_fr_default',
    language: 'fr',
    name: 'La lettre',
    isDefault: true,
    digestTime: '07:00',
    createdAt: new Date(0),
  };
  const queue: JobQueue = {
    enqueue: async (job) => {
      jobs.push(job);
      return true;
    },
    claim: async () => null,
    extend: async () => true,
    finish: async () => {},
  };
  return {
    subscribers,
    subscriptions,
    consents,
    jobs,
    list,
    deps: {
      subscribers: {
        findByEmail: async (email: string) => [...subscribers.values()].find((s) => s.email === email) ?? null,
        findById: async (id: string) => subscribers.get(id) ?? null,
        insertIfAbsent: async (s: Subscriber) => {
          subscribers.set(s.id, s);
          return true;
        },
        suppress: async (id: string, reason: string, at: Date) => {
          const s = subscribers.get(id);
          if (s) subscribers.set(id, { ...s, suppressedAt: at, suppressionReason: reason });
        },
      },
      subscriptions: {
        find: async (s: string, l: string) => subscriptions.get(`${s}/${l}`) ?? null,
        save: async (s: Subscription) => void subscriptions.set(`${s.subscriberId}/${s.listId}`, s),
        ofSubscriber: async (id: string) => [...subscriptions.values()].filter((s) => s.subscriberId === id),
      },
      consents: {
        record: async (event: ConsentEvent) => void consents.push(event),
        history: async (id: string) => ({ events: consents.filter((e) => e.subscriberId === id), wordings: [] }),
      },
      lists: {
        all: async () => [{ ...list, confirmed: 0, pending: 0 }],
        find: async (id: string) => (id === list.id ? list : null),
        insertIfAbsent: async () => true,
      },
      sends: {
        create: async () => {},
        storyAlreadySent: async () => false,
        addDigestItem: async () => true,
        recent: async () => [],
      },
      stories: { findRecord: async () => null },
      queue,
    },
  };
}

describe('newsletter signup (double opt-in)', () => {
  let now = new Date('2026-11-27T10:00:00Z');
  const clock = { now: () => now };
  let n = 0;
  const ids = (prefix: string) => `${prefix}_${++n}`;
  const signer = createHmacSigner('a test secret of at least thirty-two characters');
  const origin = { ip: '192.0.2.1', userAgent: 'UA' };

  function service(store: ReturnType<typeof memory>) {
    return createNewsletterService({
      ...store.deps,
      signer,
      wordings: new Map([['fr', { version: 'fr-abc', language: 'fr', text: 'Restez connectés' }]]),
      timeZone: 'Europe/Paris',
      // The caps are tested on their own (form-mail-limiter.test.ts) and on the real forms.
      formMail: { take: async () => {} },
      clock,
      ids,
    });
  }

  it('stores a pending subscription, the consent with page, wording, IP and browser, and queues one confirmation', async () => {
    const store = memory();
    await service(store).signup({ email: ' Ana@Example.org', language: 'fr', sourcePath: '/fr/x', ...origin });
    const [subscriber] = store.subscribers.values();
    expect(subscriber).toMatchObject({ email: 'ana@example.org', language: 'fr', sourcePath: '/fr/x' });
    expect([...store.subscriptions.values()]).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(store.consents).toEqual([
      expect.objectContaining({
        event: 'requested',
        sourcePath: '/fr/x',
        wordingVersion: 'fr-abc',
        ip: '192.0.2.1',
        userAgent: 'UA',
        at: now,
      }),
    ]);
    expect(store.jobs.map((j) => j.kind)).toEqual(['newsletter.confirmation']);
  });

  it('re-sends the confirmation of a pending address at most every five minutes, and never to a confirmed one', async () => {
    const store = memory();
    const newsletter = service(store);
    const signup = () => newsletter.signup({ email: 'b@example.org', language: 'fr', sourcePath: '/', ...origin });
    await signup();
    await signup();
    expect(store.jobs).toHaveLength(1);
    now = new Date(now.getTime() + 5 * 60_000);
    await signup();
    expect(store.jobs).toHaveLength(2);
    const [subscription] = store.subscriptions.values();
    const token = encodeLink(signer, {
      purpose: 'confirm',
      subscriberId: subscription!.subscriberId,
      listId: subscription!.listId,
      requestId: subscription!.requestId,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    await newsletter.confirm(token, origin);
    now = new Date(now.getTime() + 60 * 60_000);
    await signup();
    expect(store.jobs).toHaveLength(2);
    expect([...store.subscriptions.values()][0]?.status).toBe('confirmed');
  });

  it('refuses an invalid address with the catalog code and stores nothing', async () => {
    const store = memory();
    await expect(
      service(store).signup({ email: 'nope', language: 'fr', sourcePath: '/', ...origin }),
    ).rejects.toBeInstanceOf(KiosqueError);
    expect(store.subscribers.size).toBe(0);
    expect(store.jobs).toEqual([]);
  });

  it('refuses a forged, altered, expired or other-purpose link', async () => {
    const claims = {
      purpose: 'confirm' as const,
      subscriberId: 'sub_1',
      listId: 'nll_fr_default',
      requestId: 'req_1',
      expiresAt: new Date(now.getTime() + 1000),
    };
    const token = encodeLink(signer, claims);
    expect(decodeLink(signer, token, 'confirm', now)).toEqual(claims);
    expect(decodeLink(signer, token.replace('sub_1', 'sub_2'), 'confirm', now)).toBeNull();
    expect(
      decodeLink(createHmacSigner('another secret of at least thirty-two chars'), token, 'confirm', now),
    ).toBeNull();
    expect(decodeLink(signer, token, 'unsubscribe', now)).toBeNull();
    expect(decodeLink(signer, token, 'confirm', new Date(now.getTime() + 1000))).toBeNull();
  });
});
