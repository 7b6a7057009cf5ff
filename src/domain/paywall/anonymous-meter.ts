/**
 * The anonymous reader's meter, kept in their own browser: the month and the stories already
 * opened with it. It is a soft limit and the site says so: clearing cookies resets it. Nothing in
 * it identifies the reader, and it is never sent to shared caches (only the uncached route reads it).
 */
export interface AnonymousMeter {
  period: string;
  articleIds: string[];
}

export const anonymousMeterCookie = 'kiosque_meter';
const cookiePattern = /^(\d{4}-\d{2})((?:\.[A-Za-z0-9_-]{1,64}){0,20})$/;

/** Reads the cookie; anything malformed, or from another month, counts as an empty meter. */
export function parseAnonymousMeter(value: string | undefined, period: string): AnonymousMeter {
  const match = value ? cookiePattern.exec(value) : null;
  if (!match || match[1] !== period) return { period, articleIds: [] };
  return { period, articleIds: (match[2] ?? '').split('.').filter(Boolean) };
}

export function serializeAnonymousMeter(meter: AnonymousMeter): string {
  return [meter.period, ...meter.articleIds.slice(-20)].join('.');
}
