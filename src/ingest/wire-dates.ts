/**
 * Strict date reading for wire documents: a value that is not a real instant in one of the
 * formats wires use gives null, never an Invalid Date and never a guess (JavaScript's
 * `new Date(text)` accepts "2026-02-31" and local-time strings; these parsers do not).
 */

function instant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (Math.abs(offsetMinutes) > 18 * 60) return null;
  return new Date(utc - offsetMinutes * 60_000);
}

function offsetOf(zone: string | undefined): number | null {
  if (zone === undefined || zone === '' || zone === 'Z' || zone === 'z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[3]) > 59) return null;
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * ISO 8601 / RFC 3339 (`2026-12-03T10:15:00+01:00`, `…Z`, a date alone) and the basic form
 * NITF uses (`20261203T101500+0100`). A time without a zone is taken as UTC.
 */
export function parseIsoDate(value: string | null | undefined): Date | null {
  const text = value?.trim();
  if (!text) return null;
  const extended =
    /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/.exec(
      text,
    );
  const basic = extended
    ? null
    : /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?)?$/.exec(text);
  const match = extended ?? basic;
  if (!match) return null;
  const offset = offsetOf(match[8]);
  if (offset === null) return null;
  const millis = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000) : 0;
  return instant(
    Number(match[1]),
    Number(match[2]),
    Number(match[3]),
    Number(match[4] ?? 0),
    Number(match[5] ?? 0),
    Number(match[6] ?? 0),
    millis,
    offset,
  );
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const namedZones: Record<string, number> = {
  GMT: 0,
  UT: 0,
  UTC: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** RFC 822 / 1123 as RSS uses it: `Thu, 03 Dec 2026 10:15:00 +0100` (weekday and seconds optional). */
export function parseRfc822Date(value: string | null | undefined): Date | null {
  const text = value?.trim().replace(/\s+/g, ' ');
  if (!text) return null;
  const match =
    /^(?:[A-Za-z]{3,9},? )?(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{2}|\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([+-]\d{4}|[A-Za-z]{1,3})?$/.exec(
      text,
    );
  if (!match) return null;
  const month = months.indexOf(match[2]!.toLowerCase()) + 1;
  if (month === 0) return null;
  const shortYear = Number(match[3]);
  const year = match[3]!.length === 2 ? (shortYear < 50 ? 2000 + shortYear : 1900 + shortYear) : shortYear;
  const zone = match[7];
  const offset = zone === undefined ? 0 : /^[+-]/.test(zone) ? offsetOf(zone) : namedZones[zone.toUpperCase()];
  if (offset === null || offset === undefined) return null;
  return instant(year, month, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0), 0, offset);
}

/** Either form: feeds mix them (RSS with dc:date, Atom written by hand). */
export function parseWireDate(value: string | null | undefined): Date | null {
  return parseIsoDate(value) ?? parseRfc822Date(value);
}
