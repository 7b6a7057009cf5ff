import { describe, expect, it } from 'vitest';
import { contentHash } from './wire-identity.js';
import type { Block } from './wire-item.js';

const body: Block[] = [
  { kind: 'paragraph', text: 'The bank kept its rate at 2.5%.' },
  { kind: 'list', ordered: false, items: ['Deposit: 2.25%', 'Lending: 2.75%'] },
];

describe('contentHash', () => {
  it('is the same for the same words whatever the whitespace', () => {
    const spaced: Block[] = [
      { kind: 'paragraph', text: '  The bank kept\n its rate at 2.5%. ' },
      { kind: 'list', ordered: true, items: ['Deposit:   2.25%', 'Lending: 2.75%'] },
    ];
    expect(contentHash({ headline: 'Rates  held', body: spaced })).toBe(contentHash({ headline: 'Rates held', body }));
    expect(contentHash({ headline: 'Rates held', body })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a word, a figure or the case changes', () => {
    const hash = contentHash({ headline: 'Rates held', body });
    expect(contentHash({ headline: 'Rates Held', body })).not.toBe(hash);
    expect(
      contentHash({
        headline: 'Rates held',
        body: [{ kind: 'paragraph', text: 'The bank kept its rate at 2.6%.' }, body[1]!],
      }),
    ).not.toBe(hash);
    expect(contentHash({ headline: 'Rates held', body: body.slice(0, 1) })).not.toBe(hash);
  });

  it('does not let the headline and the body trade words', () => {
    expect(contentHash({ headline: 'A B', body: [{ kind: 'paragraph', text: 'C' }] })).not.toBe(
      contentHash({ headline: 'A', body: [{ kind: 'paragraph', text: 'B C' }] }),
    );
  });
});
