import { describe, expect, it } from 'vitest';
import { nextDigestTime } from './digest-schedule.js';

describe('nextDigestTime', () => {
  it('is today at the local time when that is still ahead, else tomorrow (Paris in winter, UTC+1)', () => {
    expect(nextDigestTime(new Date('2026-11-27T05:00:00Z'), '07:00', 'Europe/Paris').toISOString()).toBe(
      '2026-11-27T06:00:00.000Z',
    );
    expect(nextDigestTime(new Date('2026-11-27T06:00:00Z'), '07:00', 'Europe/Paris').toISOString()).toBe(
      '2026-11-28T06:00:00.000Z',
    );
  });

  it('follows daylight saving time (Paris in summer, UTC+2)', () => {
    expect(nextDigestTime(new Date('2026-07-01T12:00:00Z'), '07:30', 'Europe/Paris').toISOString()).toBe(
      '2026-07-02T05:30:00.000Z',
    );
  });

  it('counts the local date, not the UTC one, near midnight', () => {
    // 23:30 UTC on the 27th is already 00:30 on the 28th in Paris: 07:00 on the 28th is next.
    expect(nextDigestTime(new Date('2026-11-27T23:30:00Z'), '07:00', 'Europe/Paris').toISOString()).toBe(
      '2026-11-28T06:00:00.000Z',
    );
    // 03:00 UTC on the 28th is still 22:00 on the 27th in New York: 20:00 there on the 28th is next.
    expect(nextDigestTime(new Date('2026-11-28T03:00:00Z'), '20:00', 'America/New_York').toISOString()).toBe(
      '2026-11-29T01:00:00.000Z',
    );
  });
});
