import { describe, expect, it } from 'vitest';
import { canonicalUrlKey, contentHash } from './wire-identity.js';
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

describe('canonicalUrlKey', () => {
  it('gives the same key to the addresses of one story', () => {
    const key = canonicalUrlKey('https://partner.example.org/world/sahel-rains');
    expect(key).toBe('https://partner.example.org/world/sahel-rains');
    for (const address of [
      'http://partner.example.org/world/sahel-rains',
      'https://WWW.Partner.Example.org:443/world/sahel-rains/',
      'https://partner.example.org/world/sahel-rains?utm_source=rss&utm_medium=feed#comments',
      'https://partner.example.org/world/sahel-rains?fbclid=abc',
    ]) {
      expect(canonicalUrlKey(address), address).toBe(key);
    }
  });

  it('keeps what tells stories apart: path, meaningful parameters (sorted), a non-default port', () => {
    expect(canonicalUrlKey('https://a.example/story?id=2&page=1')).toBe('https://a.example/story?id=2&page=1');
    expect(canonicalUrlKey('https://a.example/story?page=1&id=2')).toBe('https://a.example/story?id=2&page=1');
    expect(canonicalUrlKey('https://a.example/story?id=3')).not.toBe(canonicalUrlKey('https://a.example/story?id=2'));
    expect(canonicalUrlKey('https://a.example:8443/story')).toBe('https://a.example:8443/story');
  });

  it('has no key for what is not an http(s) address', () => {
    for (const address of [null, '', 'not a url', 'javascript:alert(1)', 'urn:newsml:x', 'ftp://a.example/x']) {
      expect(canonicalUrlKey(address)).toBeNull();
    }
  });
});
