import { describe, expect, it } from 'vitest';
import { csvCell, membersToCsv } from './member-csv.js';
import type { MemberListItem } from './member-service.js';

describe('members CSV export', () => {
  it('turns cells a spreadsheet would run as formulas into text', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(cell).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('reader@example.org')).toBe('reader@example.org');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
  });

  it('writes one line per member with tier and status', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const member: MemberListItem = {
      id: 'mem_1',
      email: '=cmd@example.org',
      language: 'fr',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      lastSeenAt: null,
      stripeCustomerId: null,
      complimentary: { until: null },
      subscription: null,
      newsletters: ['La lettre'],
    };
    const lines = membersToCsv([member], now).split('\r\n');
    expect(lines[0]).toBe(
      'email,language,joined,tier,status,plan,period_end,cancel_at_period_end,complimentary_until,newsletters',
    );
    expect(lines[1]).toBe("'=cmd@example.org,fr,2026-01-01T00:00:00.000Z,paid,complimentary,,,,no end,La lettre");
  });
});
