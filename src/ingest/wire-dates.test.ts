import { describe, expect, it } from 'vitest';
import { parseIsoDate, parseRfc822Date, parseWireDate } from './wire-dates.js';

const iso = (value: string) => parseIsoDate(value)?.toISOString() ?? null;
const rfc = (value: string) => parseRfc822Date(value)?.toISOString() ?? null;

describe('wire dates', () => {
  it('reads ISO 8601 as ninjs, NewsML-G2 and Atom write it, with its offset', () => {
    expect(iso('2026-12-03T10:15:00+01:00')).toBe('2026-12-03T09:15:00.000Z');
    expect(iso('2026-12-03T10:15:00.250Z')).toBe('2026-12-03T10:15:00.250Z');
    expect(iso('2026-12-03T10:15:00-0500')).toBe('2026-12-03T15:15:00.000Z');
    expect(iso('2026-12-03')).toBe('2026-12-03T00:00:00.000Z');
    expect(iso('2026-12-03T10:15:00')).toBe('2026-12-03T10:15:00.000Z');
  });

  it('reads the basic form NITF uses', () => {
    expect(iso('20260903T071500+0200')).toBe('2026-09-03T05:15:00.000Z');
    expect(iso('20260903T0715Z')).toBe('2026-09-03T07:15:00.000Z');
    expect(iso('20260903')).toBe('2026-09-03T00:00:00.000Z');
  });

  it('reads RFC 822 as RSS writes it, named zones and two-digit years included', () => {
    expect(rfc('Thu, 03 Dec 2026 07:30:00 +0000')).toBe('2026-12-03T07:30:00.000Z');
    expect(rfc('Wed, 2 Dec 2026 18:05 GMT')).toBe('2026-12-02T18:05:00.000Z');
    expect(rfc('03 Dec 26 07:30:00 EST')).toBe('2026-12-03T12:30:00.000Z');
    expect(parseWireDate('2026-12-03T07:30:00Z')?.toISOString()).toBe('2026-12-03T07:30:00.000Z');
  });

  it('gives null for impossible or vague dates instead of guessing', () => {
    for (const value of [
      '2026-02-31T10:00:00Z',
      '2026-13-01',
      '2026-12-03T25:00:00Z',
      '2026-12-03T10:00:00+25:00',
      'next Tuesday',
      '12/03/2026',
      '',
      '2026-12-03T10:00:00 Europe/Paris',
    ]) {
      expect(parseWireDate(value), value).toBeNull();
    }
    expect(rfc('Thu, 31 Feb 2026 10:00:00 GMT')).toBeNull();
    expect(rfc('Thu, 03 Foo 2026 10:00:00 GMT')).toBeNull();
    expect(rfc('Thu, 03 Dec 2026 10:00:00 XYZ')).toBeNull();
  });
});
