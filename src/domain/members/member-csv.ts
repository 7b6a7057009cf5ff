import { type MemberStatus, statusOf, tierOf } from './member.js';
import type { MemberListItem } from './member-service.js';

/**
 * One CSV cell. Quoted when needed (RFC 4180); a cell a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return) is prefixed with an apostrophe, so an address
 * like `=HYPERLINK(…)@example.org` stays text (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const memberCsvColumns = [
  'email',
  'language',
  'joined',
  'tier',
  'status',
  'plan',
  'period_end',
  'cancel_at_period_end',
  'complimentary_until',
  'newsletters',
] as const;

/** The staff export of members, one line per member, CRLF line ends as spreadsheets expect. */
export function membersToCsv(items: MemberListItem[], now: Date): string {
  const lines = [memberCsvColumns.join(',')];
  for (const member of items) {
    const status: MemberStatus = statusOf(member, now);
    const subscription = member.subscription;
    lines.push(
      [
        member.email,
        member.language,
        member.createdAt.toISOString(),
        tierOf(member, now),
        status,
        subscription?.plan ?? '',
        subscription?.currentPeriodEnd?.toISOString() ?? '',
        subscription ? String(subscription.cancelAtPeriodEnd) : '',
        member.complimentary ? (member.complimentary.until?.toISOString() ?? 'no end') : '',
        member.newsletters.join(' | '),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
