import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '../articles/markdown.js';
import { changesBetween, siteLanguageOf, type WireItem } from './wire-desk.js';
import type { Block } from './wire-item.js';
import { blocksToMarkdown, escapeMarkdown, markdownLink } from './wire-markdown.js';
import { backoffMs, maxBackoffMs } from './wire-source.js';

describe('wire copy as Markdown', () => {
  it.each([
    'Prices rose *sharply* in_the_north',
    '# not a heading',
    '1. not a list',
    '- not a list either',
    '> not a quote',
    'See [the report](javascript:alert(1)) & <b>bold</b>',
    'Back\\slash and `code` and ~~strike~~',
  ])('keeps %j as the same text, never markup', (text) => {
    const html = renderMarkdown(escapeMarkdown(text));
    expect(html).toMatch(/^<p>/);
    expect(html).not.toMatch(/<(em|strong|a|h\d|ol|ul|blockquote|code|s|b)\b/);
    expect(markdownToText(escapeMarkdown(text))).toBe(text);
  });

  it('turns each kind of block into its Markdown, one block per paragraph', () => {
    const blocks: Block[] = [
      { kind: 'paragraph', text: 'PARIS — The first paragraph.' },
      { kind: 'heading', level: 2, text: 'A heading' },
      { kind: 'quote', text: 'We will not wait.', cite: 'The minister' },
      { kind: 'list', ordered: true, items: ['one', 'two'] },
      {
        kind: 'figure',
        src: 'https://example.org/a.jpg',
        alt: 'A bridge',
        caption: 'The bridge at dawn',
        credit: 'AFP',
      },
    ];
    const html = renderMarkdown(blocksToMarkdown(blocks));
    expect(html).toContain('<p>PARIS — The first paragraph.</p>');
    expect(html).toContain('<h2>A heading</h2>');
    expect(html).toMatch(/<blockquote>\s*<p>We will not wait.<\/p>\s*<p>— The minister<\/p>\s*<\/blockquote>/);
    expect(html).toMatch(/<ol>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ol>/);
    expect(html).toContain('<em>The bridge at dawn — AFP</em>');
    expect(html).not.toContain('<img');
  });

  it('keeps an imported paragraph’s links, their words escaped and their address whole', () => {
    const markdown = `Read ${markdownLink('the *full* report', 'https://example.org/a (b)')} & more.`;
    const html = renderMarkdown(
      blocksToMarkdown([{ kind: 'paragraph', text: 'Read the *full* report & more.', markdown }]),
    );
    expect(html).toBe(
      '<p>Read <a href="https://example.org/a%20%28b%29" rel="noopener">the *full* report</a> &amp; more.</p>\n',
    );
  });
});

describe('the desk’s pure rules', () => {
  const item = (body: string[], headline = 'Storm hits the coast'): WireItem =>
    ({ headline, standfirst: '', body: body.map((text) => ({ kind: 'paragraph', text })) }) as unknown as WireItem;

  it('shows what a new version changed, paragraph by paragraph', () => {
    const changes = changesBetween(
      item(['One.', 'Two.', 'Three.']),
      item(['One.', 'Two, revised.', 'Three.', 'Four.'], 'Storm hits the coast, 3 dead'),
    );
    expect(changes.headline).toEqual({ before: 'Storm hits the coast', after: 'Storm hits the coast, 3 dead' });
    expect(changes.blocks).toEqual([
      { op: 'same', text: 'One.' },
      { op: 'removed', text: 'Two.' },
      { op: 'added', text: 'Two, revised.' },
      { op: 'same', text: 'Three.' },
      { op: 'added', text: 'Four.' },
    ]);
  });

  it('maps a regional tag onto the site language', () => {
    expect(siteLanguageOf('en-GB', ['fr', 'en'])).toBe('en');
    expect(siteLanguageOf('FR', ['fr', 'en'])).toBe('fr');
    expect(siteLanguageOf('de', ['fr', 'en'])).toBeNull();
    expect(siteLanguageOf(null, ['fr'])).toBeNull();
  });

  it('backs off from a minute, doubling, capped at an hour, never sooner than the interval', () => {
    expect([1, 2, 3, 4, 7, 8, 30].map((n) => backoffMs(n, 1) / 60_000)).toEqual([1, 2, 4, 8, 60, 60, 60]);
    expect(backoffMs(1, 15)).toBe(15 * 60_000);
    expect(backoffMs(1, 600)).toBe(maxBackoffMs);
  });
});
