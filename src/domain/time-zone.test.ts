import { describe, expect, it } from 'vitest';
import { instantOfWallClock, wallClock, zoneOffsetMs } from './time-zone.js';

describe('time zones', () => {
  it('reads the wall clock of a zone, summer and winter', () => {
    expect(new Date(wallClock(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Paris')).toISOString()).toBe(
      '2026-01-15T13:00:00.000Z',
    );
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe(2 * 3_600_000);
  });

  it('finds the instant a wall-clock time names, on both sides of a clock change', () => {
    const paris = (wall: string) => instantOfWallClock(Date.parse(`${wall}Z`), 'Europe/Paris').toISOString();
    expect(paris('2030-07-01T09:30:00')).toBe('2030-07-01T07:30:00.000Z');
    // The night clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October 2026).
    expect(paris('2026-03-29T01:30:00')).toBe('2026-03-29T00:30:00.000Z');
    expect(paris('2026-03-29T03:30:00')).toBe('2026-03-29T01:30:00.000Z');
    expect(paris('2026-10-25T04:00:00')).toBe('2026-10-25T03:00:00.000Z');
    expect(instantOfWallClock(Date.parse('2026-05-01T09:30:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-05-01T13:30:00.000Z',
    );
  });
});
