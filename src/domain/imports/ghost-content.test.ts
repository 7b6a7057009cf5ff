import { describe, expect, it } from 'vitest';
import { ghostBodyHtml } from './ghost-content.js';

describe('ghostBodyHtml', () => {
  it('prefers the html Ghost rendered over its editor document', () => {
    expect(ghostBodyHtml({ html: '<p>Rendered</p>', lexical: '{"root":{"children":[]}}' })).toEqual({
      html: '<p>Rendered</p>',
      unknown: [],
    });
  });

  it('renders Lexical text with its formatting escaped, and names a card it cannot read', () => {
    const lexical = JSON.stringify({
      root: {
        children: [
          { type: 'paragraph', children: [{ type: 'text', text: 'a < b', format: 1 }] },
          { type: 'image', src: 'https://x.test/a.png', alt: 'Alt "quoted"', caption: 'Cap' },
          { type: 'signup', children: [] },
        ],
      },
    });
    const body = ghostBodyHtml({ lexical });
    expect(body.html).toBe(
      '<p><strong>a &lt; b</strong></p><figure><img src="https://x.test/a.png" alt="Alt &quot;quoted&quot;"><figcaption>Cap</figcaption></figure>',
    );
    expect(body.unknown).toEqual(['signup']);
  });

  it('renders Mobiledoc sections, markups, lists and cards', () => {
    const mobiledoc = JSON.stringify({
      markups: [['a', ['href', 'https://x.test/']]],
      cards: [
        ['markdown', { markdown: '**Strong** words' }],
        ['paywall', {}],
      ],
      sections: [
        [1, 'h2', [[0, [], 0, 'Title']]],
        [1, 'p', [[0, [0], 1, 'link']]],
        [10, 0],
        [3, 'ul', [[[0, [], 0, 'item']]]],
        [10, 1],
      ],
    });
    const body = ghostBodyHtml({ mobiledoc });
    expect(body.html).toContain('<h2>Title</h2><p><a href="https://x.test/">link</a></p>');
    expect(body.html).toContain('<strong>Strong</strong> words');
    expect(body.html).toContain('<ul><li>item</li></ul>');
    expect(body.unknown).toEqual(['paywall']);
  });

  it('reads Ghost 0.x Markdown when there is nothing else', () => {
    expect(ghostBodyHtml({ markdown: 'Old *words*' }).html).toContain('Old <em>words</em>');
  });

  it('flags an editor document that is not JSON rather than importing an empty story silently', () => {
    expect(ghostBodyHtml({ lexical: 'not json' })).toEqual({ html: '', unknown: ['lexical'] });
  });
});
