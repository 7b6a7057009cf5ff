import { describe, expect, it } from 'vitest';
import { clientKey } from '../limits/form-mail-limiter.js';
import { accountThrottle, clientThrottle, throttleWaitMs } from './sign-in-throttle.js';

// Issue 11: backoff instead of a lock.
describe('sign-in backoff', () => {
  const now = new Date('2026-06-01T09:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const burst = (count: number, msAgo = 0) => Array.from({ length: count }, () => ago(msAgo));

  it('lets the free failures through, then doubles the delay up to the cap', () => {
    expect(throttleWaitMs(burst(4), now, accountThrottle)).toBe(0);
    expect(throttleWaitMs(burst(5), now, accountThrottle)).toBe(1_000);
    expect(throttleWaitMs(burst(7), now, accountThrottle)).toBe(4_000);
    expect(throttleWaitMs(burst(40), now, accountThrottle)).toBe(accountThrottle.capMs);
    expect(throttleWaitMs(burst(40), now, clientThrottle)).toBe(clientThrottle.capMs);
  });

  it('counts the wait from the latest failure, and lets old failures decay', () => {
    expect(throttleWaitMs(burst(7, 3_000), now, accountThrottle)).toBe(1_000);
    expect(throttleWaitMs(burst(7, 3_600_000), now, accountThrottle)).toBe(0);
    expect(throttleWaitMs(burst(12, 6 * 3_600_000), now, clientThrottle)).toBe(0);
    expect(throttleWaitMs(burst(64, 48 * 3_600_000), now, clientThrottle)).toBe(0);
  });

  it('keys IPv4 as is and IPv6 by its /64', () => {
    expect(clientKey('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:0db8:0001:0002:ffff:0:0:9'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('::1')).toBe('ip6:0:0:0:0::/64');
  });
});
