import { describe, expect, it } from 'vitest';
import { ghostBodyHtml } from './ghost-content.js';
import { parseGhostExport } from './ghost-export.js';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

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

  it('flags an editor document that is not JSON rather than importing an empty story silently', () => {
    expect(ghostBodyHtml({ lexical: 'not json' })).toEqual({ html: '', unknown: ['lexical'] });
  });
});

describe('parseGhostExport', () => {
  const minimal = { posts: [{ id: 'p1', title: 'T', slug: 't', status: 'published', page: true }] };

  it('reads the 1.x+ db wrapper and the older bare export, with the site locale', () => {
    const wrapped = parseGhostExport(
      bytes({
        db: [{ meta: { version: '5.80.0' }, data: { ...minimal, settings: [{ key: 'locale', value: 'fr' }] } }],
      }),
    );
    expect(wrapped).toMatchObject({ version: '5.80.0', locale: 'fr' });
    const bare = parseGhostExport(bytes({ meta: { version: '0.11.14', exported_on: 1400000000000 }, data: minimal }));
    expect(bare.exportedOn?.toISOString()).toBe('2014-05-13T16:53:20.000Z');
    expect(bare.data.posts[0]?.page).toBe(true);
    expect(bare.data.tags).toEqual([]);
  });

  it('refuses a file that is not an export, naming where it is wrong', () => {
    expect(() => parseGhostExport(bytes({ db: [{ data: { posts: [{ id: 'p1' }] } }] }))).toThrow(
      expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }),
    );
    expect(() => parseGhostExport(bytes('{'))).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }));
    expect(() =>
      parseGhostExport(bytes({ db: [{ data: { posts: [{ ...minimal.posts[0], published_at: 'soon' }] } }] })),
    ).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }));
  });

  it('refuses a file over the size limit before reading it', () => {
    const huge = { byteLength: 101 * 1024 * 1024 } as Uint8Array;
    expect(() => parseGhostExport(huge)).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_TOO_LARGE' }));
  });
});
