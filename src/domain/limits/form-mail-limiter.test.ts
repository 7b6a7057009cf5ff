import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../errors.js';
import { createFormMailLimiter, type MailGrantStore, windowWaitMs } from './form-mail-limiter.js';

// Issue 11: one client made the site mail 120 addresses in 10 s.
describe('the form mail limiter', () => {
  let now = new Date('2026-07-01T09:00:00.000Z');
  const clock = { now: () => now };
  const minutes = (n: number) => n * 60_000;

  /** An in-memory store: the real one (SQL) runs in test/integration/form-mail-caps.test.ts. */
  function memoryStore(): MailGrantStore & { rows: [string, Date][] } {
    const rows: [string, Date][] = [];
    return {
      rows,
      async recent(key, since, limit) {
        return rows
          .filter(([k, at]) => k === key && at > since)
          .map(([, at]) => at)
          .sort((a, b) => b.getTime() - a.getTime())
          .slice(0, limit);
      },
      async add(keys, at) {
        for (const key of keys) rows.push([key, at]);
      },
    };
  }

  it('has room until the window holds its limit, then until the oldest counted grant leaves it', () => {
    const window = { limit: 3, windowMs: minutes(10) };
    const at = (m: number) => new Date(now.getTime() - minutes(m));
    expect(windowWaitMs([at(1), at(2)], window, now)).toBe(0);
    expect(windowWaitMs([at(1), at(2), at(4)], window, now)).toBe(minutes(6));
    expect(windowWaitMs([at(0), at(0), at(0)], window, now)).toBe(minutes(10));
  });

  it('refuses with the wait, records nothing when it refuses, and counts each client, address and the site', async () => {
    const store = memoryStore();
    const limiter = createFormMailLimiter({
      store,
      clock,
      caps: {
        perClient: { limit: 2, windowMs: minutes(10) },
        perRecipient: { limit: 5, windowMs: minutes(60) },
        global: { limit: 100, windowMs: minutes(10) },
      },
    });
    await limiter.take({ ip: '203.0.113.1', recipient: 'a@example.org' });
    await limiter.take({ ip: '203.0.113.1', recipient: 'b@example.org' });
    const rows = store.rows.length;
    const refusal = await limiter.take({ ip: '203.0.113.1', recipient: 'c@example.org' }).catch((e) => e);
    expect(refusal).toBeInstanceOf(KiosqueError);
    expect(refusal.code).toBe('MAIL_RATE_LIMITED');
    expect(refusal.details).toEqual({ minutes: 10, seconds: 600 });
    expect(store.rows.length).toBe(rows);
    // The addresses are kept hashed.
    expect(store.rows.some(([key]) => key.includes('example.org'))).toBe(false);
    await limiter.take({ ip: '203.0.113.2', recipient: 'c@example.org' });
    now = new Date(now.getTime() + minutes(10));
    await limiter.take({ ip: '203.0.113.1', recipient: 'c@example.org' });
  });
});
