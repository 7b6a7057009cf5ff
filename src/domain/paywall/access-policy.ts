import type { AccessLevel } from '../articles/article.js';
import type { Tier } from '../members/member.js';

/** Who is reading: nobody we know, or a signed-in member of a tier. */
export type Reader = { kind: 'anonymous' } | { kind: 'member'; tier: Tier };

/** How many gated stories a reader has opened this month with their free allowance, and of how many. */
export interface MeterState {
  used: number;
  allowance: number;
  /** This story was already counted this month: opening it again costs nothing. */
  counted: boolean;
}

export interface AccessDecision {
  /** Whether the reader receives the whole story. */
  full: boolean;
  /** Why they do, or what they lack. */
  reason: 'public' | 'member' | 'subscriber' | 'metered' | 'needs-account' | 'needs-subscription';
  /** Set when the meter was consulted: what it said after this read. */
  meter: { used: number; allowance: number } | null;
}

/**
 * The paywall's one rule, server-side and pure. Public stories are for everyone; members-only
 * stories for anyone signed in; paid stories for paying (or complimentary) members. A meter, when
 * given, opens a story the reader could not otherwise read, while the month's allowance lasts.
 */
export function decideAccess(access: AccessLevel, reader: Reader, meter: MeterState | null): AccessDecision {
  if (access === 'public') return { full: true, reason: 'public', meter: null };
  if (reader.kind === 'member' && reader.tier === 'paid') return { full: true, reason: 'subscriber', meter: null };
  if (access === 'members' && reader.kind === 'member') return { full: true, reason: 'member', meter: null };
  const needs = access === 'members' ? 'needs-account' : 'needs-subscription';
  if (meter) {
    if (meter.counted)
      return { full: true, reason: 'metered', meter: { used: meter.used, allowance: meter.allowance } };
    if (meter.used < meter.allowance) {
      return { full: true, reason: 'metered', meter: { used: meter.used + 1, allowance: meter.allowance } };
    }
    return { full: false, reason: needs, meter: { used: meter.used, allowance: meter.allowance } };
  }
  return { full: false, reason: needs, meter: null };
}

/** The meter's month in the site's time zone, e.g. `2026-05`. */
export function meterPeriod(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}
