import { describe, expect, it } from 'vitest';
import { blocksToText } from '../domain/wire/wire-item.js';
import { extractArticle } from './html-extractor.js';

const sentence = (n: number) =>
  `Sentence ${n} of the story tells the reader what the council decided about the river bridge and why it matters to the town.`;
const paragraph = (n: number) => `<p>${sentence(n)} ${sentence(n + 100)}</p>`;

/** A plausible news page: navigation, the article among boilerplate, a footer. */
function page(article: string, head = '', htmlAttributes = 'lang="en"'): string {
  return `<!doctype html><html ${htmlAttributes}><head><meta charset="utf-8"><title>Bridge vote | The Courier</title>${head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>Council votes to rebuild the river bridge</h1>
${article}
</article></main>
<footer><p>© The Courier. All rights reserved. <a href="/terms">Terms</a> <a href="/privacy">Privacy</a></p></footer>
</body></html>`;
}

const texts = (html: string) => extractArticle(html).body;

describe('extractArticle: the body as blocks', () => {
  it('gives each block kind as that kind, with its text, in reading order', () => {
    const body = texts(
      page(`${paragraph(1)}
<h2>What happens next</h2>
${paragraph(2)}
<blockquote><p>We will not wait another winter.</p><cite>Mayor Ana Ruiz</cite></blockquote>
<ul><li>Work starts in March</li><li>The ferry runs meanwhile</li></ul>
<ol><li>Demolition</li><li>Foundations</li></ol>
<h3>Costs</h3>
${paragraph(3)}`),
    );
    expect(body).toEqual([
      { kind: 'paragraph', text: `${sentence(1)} ${sentence(101)}` },
      { kind: 'heading', level: 2, text: 'What happens next' },
      { kind: 'paragraph', text: `${sentence(2)} ${sentence(102)}` },
      { kind: 'quote', text: 'We will not wait another winter.', cite: 'Mayor Ana Ruiz' },
      { kind: 'list', ordered: false, items: ['Work starts in March', 'The ferry runs meanwhile'] },
      { kind: 'list', ordered: true, items: ['Demolition', 'Foundations'] },
      { kind: 'heading', level: 3, text: 'Costs' },
      { kind: 'paragraph', text: `${sentence(3)} ${sentence(103)}` },
    ]);
  });

  it('keeps a figure with its image, alt text, caption and credit', () => {
    const body = texts(
      page(
        `${paragraph(1)}<figure><img src="/images/bridge.jpg" alt="The old bridge at dusk"><figcaption>The bridge was built in 1902. <span class="credit">Photo: J. Smith/Courier</span></figcaption></figure>${paragraph(2)}`,
      ),
    );
    const figure = extractArticle(
      page(
        `${paragraph(1)}<figure><img src="/images/bridge.jpg" alt="The old bridge at dusk"><figcaption>The bridge was built in 1902. <span class="credit">Photo: J. Smith/Courier</span></figcaption></figure>${paragraph(2)}`,
      ),
      { url: 'https://courier.example/news/bridge' },
    ).body.find((block) => block.kind === 'figure');
    expect(figure).toEqual({
      kind: 'figure',
      src: 'https://courier.example/images/bridge.jpg',
      alt: 'The old bridge at dusk',
      caption: 'The bridge was built in 1902.',
      credit: 'Photo: J. Smith/Courier',
    });
    expect(body.map((block) => block.kind)).toEqual(['paragraph', 'figure', 'paragraph']);
  });

  it('keeps each paragraph of a page that writes them as <div>s, including those that start with a link', () => {
    const body = texts(
      page(`<div class="story-body">
<div>${sentence(1)} ${sentence(11)}</div>
<div><a href="/people/ruiz">Mayor Ana Ruiz</a> said the vote was the most important of her term, and that the town had waited too long for it.</div>
<div>${sentence(2)} ${sentence(12)}</div>
<div><a href="/topics/bridges">Bridges</a> across the river have been closed twice this year after floods damaged their piers.</div>
<div>${sentence(3)} ${sentence(13)}</div>
</div>`),
    );
    expect(body).toEqual([
      { kind: 'paragraph', text: `${sentence(1)} ${sentence(11)}` },
      {
        kind: 'paragraph',
        text: 'Mayor Ana Ruiz said the vote was the most important of her term, and that the town had waited too long for it.',
      },
      { kind: 'paragraph', text: `${sentence(2)} ${sentence(12)}` },
      {
        kind: 'paragraph',
        text: 'Bridges across the river have been closed twice this year after floods damaged their piers.',
      },
      { kind: 'paragraph', text: `${sentence(3)} ${sentence(13)}` },
    ]);
  });

  it('splits a paragraph at a double <br>', () => {
    const body = texts(
      page(`<div>${sentence(1)} ${sentence(11)}<br><br>${sentence(2)} ${sentence(12)}<br>${sentence(3)}</div>`),
    );
    expect(body).toEqual([
      { kind: 'paragraph', text: `${sentence(1)} ${sentence(11)}` },
      { kind: 'paragraph', text: `${sentence(2)} ${sentence(12)} ${sentence(3)}` },
    ]);
  });

  it('drops share rows, newsletter boxes, related lists and cookie banners inside the article', () => {
    const body = texts(
      page(`<div class="share-bar"><a href="https://facebook.com/share">Share on Facebook</a> <a href="https://twitter.com/intent">Tweet</a> <a href="mailto:">Email</a></div>
${paragraph(1)}
<div class="newsletter-signup"><h3>Get the morning briefing</h3><p>Sign up for our newsletter and get the news in your inbox every morning.</p><form><input type="email"><button>Subscribe</button></form></div>
${paragraph(2)}
<div class="related-articles"><h3>Related</h3><ul><li><a href="/a">Ferry prices rise again this summer</a></li><li><a href="/b">Floods close the old bridge for a week</a></li><li><a href="/c">Council elects a new mayor after long count</a></li></ul></div>
${paragraph(3)}
<div id="cookie-banner"><p>We use cookies to improve your experience on our site. By continuing you accept our use of cookies.</p><button>Accept</button></div>
${paragraph(4)}`),
    );
    const text = blocksToText(body);
    expect(body.map((block) => block.kind)).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph']);
    for (const boilerplate of ['Share on Facebook', 'newsletter', 'Ferry prices', 'cookies']) {
      expect(text).not.toContain(boilerplate);
    }
  });

  it('never runs the page’s scripts (linkedom builds the DOM only)', () => {
    const marker = '__kiosqueExtractorRanAScript';
    const item = extractArticle(
      page(
        `${paragraph(1)}<script>globalThis.${marker} = true; document.write('<p>Injected by a script</p>');</script><img src="x" onerror="globalThis.${marker} = true">${paragraph(2)}`,
      ),
    );
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(blocksToText(item.body)).not.toContain('Injected by a script');
    expect(blocksToText(item.body)).not.toContain(marker);
  });

  it('drops date, byline, gallery-counter, credit and sign-off lines around the story', () => {
    const body = texts(
      page(`<p>By Jane Doe</p><p>Published 10:48, Tue, Nov 19, 2019 | Updated 11:05</p>
<p>Image 2 of 5</p><p>Photo: Hau Dinh, AP</p>
${paragraph(1)}${paragraph(2)}${paragraph(3)}${paragraph(4)}
<p>Reporting by Jane Doe; Editing by Ali Ben</p><p>Follow us on Twitter @courier and on Facebook.</p>`),
    );
    expect(body).toEqual([1, 2, 3, 4].map((n) => ({ kind: 'paragraph', text: `${sentence(n)} ${sentence(n + 100)}` })));
  });

  it('keeps the end of a story that quotes what someone said on Twitter', () => {
    const ending = 'The mayor said on Twitter that the vote was a relief.';
    const body = texts(page(`${paragraph(1)}${paragraph(2)}${paragraph(3)}<p>${ending}</p>${paragraph(4)}`));
    expect(blocksToText(body)).toContain(`${ending}\n\n${sentence(4)}`);
  });

  it('keeps the tweets a story quotes, even in a container named "social"', () => {
    const body = texts(
      page(
        `${paragraph(1)}<div class="social-media-embed"><blockquote class="twitter-tweet"><p>The bridge is closed again, third time this year.</p>— A commuter (@commuter) <a href="https://twitter.com/commuter/status/1">November 18, 2019</a></blockquote></div>${paragraph(2)}`,
      ),
    );
    expect(body.map((block) => block.kind)).toEqual(['paragraph', 'quote', 'paragraph']);
    expect(body[1]).toEqual({
      kind: 'quote',
      text: 'The bridge is closed again, third time this year.\n\n— A commuter (@commuter) November 18, 2019',
    });
  });

  it('keeps a sentence whole when a pop-up card of links sits inside it', () => {
    const body = texts(
      page(
        `<p>The motion was tabled by councillor <span class="card"><a href="/p/ruiz">Ana Ruiz</a><span><a href="/a">Her latest: ferry prices</a> <a href="/b">Her latest: floods</a> <a href="/c">More</a></span></span> (Greens), who chairs the transport committee and has pushed for a new bridge since 2019.</p>${paragraph(1)}${paragraph(2)}`,
      ),
    );
    expect(body[0]).toEqual({
      kind: 'paragraph',
      text: 'The motion was tabled by councillor Ana Ruiz (Greens), who chairs the transport committee and has pushed for a new bridge since 2019.',
    });
  });

  it('searches only inside the element microdata marks as the article body', () => {
    const html = page('').replace(
      '</article>',
      `<div class="teasers">${paragraph(7)}${paragraph(8)}${paragraph(9)}${paragraph(10)}</div>
<div itemprop="articleBody">${paragraph(1)}${paragraph(2)}</div>`,
    );
    expect(blocksToText(texts(html))).toBe(`${sentence(1)} ${sentence(101)}\n\n${sentence(2)} ${sentence(102)}`);
  });

  it('drops a block the JSON-LD articleBody does not contain when the two otherwise agree', () => {
    const jsonLd = {
      '@type': 'NewsArticle',
      headline: 'Council votes to rebuild the river bridge',
      articleBody: [1, 2, 3].map((n) => `${sentence(n)} ${sentence(n + 100)}`).join(' '),
    };
    const body = texts(
      page(
        `${paragraph(1)}${paragraph(2)}<p>Our reporters cover every council meeting in the valley so that you never miss a decision that matters.</p>${paragraph(3)}`,
        `<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>`,
      ),
    );
    expect(body).toHaveLength(3);
    expect(blocksToText(body)).not.toContain('Our reporters');
  });

  it('gives an empty body, not an error, for an empty file, plain text or a fragment', () => {
    expect(extractArticle('').body).toEqual([]);
    expect(extractArticle(new Uint8Array()).headline).toBe('');
    expect(extractArticle('just a line of text').body).toEqual([{ kind: 'paragraph', text: 'just a line of text' }]);
    expect(extractArticle('<title>T</title><p>Only one paragraph of text.</p>')).toMatchObject({
      headline: 'T',
      body: [{ kind: 'paragraph', text: 'Only one paragraph of text.' }],
    });
  });
});

describe('extractArticle: metadata', () => {
  it('takes headline, bylines, date, language, image and body evidence from JSON-LD', () => {
    const jsonLd = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'The Courier' },
        {
          '@type': 'NewsArticle',
          headline: 'Council votes to rebuild the river bridge',
          author: [
            { '@type': 'Person', name: 'Jane Doe' },
            { '@type': 'Person', name: 'Ali Ben' },
          ],
          datePublished: '2026-12-03T09:30:00+01:00',
          inLanguage: 'en-GB',
          image: { '@type': 'ImageObject', url: 'https://courier.example/lead.jpg', caption: 'The bridge' },
          description: 'A new bridge by 2028.',
        },
      ],
    };
    const item = extractArticle(
      page(
        `${paragraph(1)}${paragraph(2)}`,
        `<script type="application/ld+json">${JSON.stringify(jsonLd)}</script><meta property="og:title" content="Other title">`,
        'lang="fr"',
      ),
    );
    expect(item).toMatchObject({
      format: 'html',
      headline: 'Council votes to rebuild the river bridge',
      bylines: ['Jane Doe', 'Ali Ben'],
      publishedAt: new Date('2026-12-03T08:30:00Z'),
      language: 'en-gb',
      standfirst: 'A new bridge by 2028.',
      leadImage: { src: 'https://courier.example/lead.jpg', alt: '', caption: 'The bridge', credit: '' },
    });
  });

  it('falls back to OpenGraph and meta tags, then to the markup', () => {
    const item = extractArticle(
      page(
        `${paragraph(1)}${paragraph(2)}`,
        `<meta property="og:title" content="Bridge: the vote"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-12-01T10:00:00Z"><meta property="og:locale" content="pt_BR">
<meta property="og:image" content="/og.jpg"><meta name="description" content="The council voted.">
<link rel="canonical" href="https://courier.example/news/bridge">`,
        '',
      ),
    );
    expect(item).toMatchObject({
      headline: 'Bridge: the vote',
      bylines: ['Jane Doe'],
      publishedAt: new Date('2026-12-01T10:00:00Z'),
      language: 'pt-br',
      standfirst: 'The council voted.',
      originalUrl: 'https://courier.example/news/bridge',
      leadImage: { src: 'https://courier.example/og.jpg', alt: '', caption: '', credit: '' },
    });
    expect(extractArticle(page(paragraph(1) + paragraph(2))).headline).toBe(
      'Council votes to rebuild the river bridge',
    );
  });
});

describe('extractArticle: decoding bytes', () => {
  const encode = (text: string, table: Record<string, number>) =>
    Uint8Array.from([...text].map((char) => table[char] ?? char.charCodeAt(0)));
  const story = `<p>Le conseil a voté la reconstruction du pont. ${'Les élèves traversent la rivière chaque matin. '.repeat(12)}</p>`;
  const latin1 = { é: 0xe9, è: 0xe8, '’': 0x92 };

  it('reads a <meta charset> declaration', () => {
    const bytes = encode(page(story, '', 'lang="fr"').replace('charset="utf-8"', 'charset="windows-1252"'), latin1);
    expect(blocksToText(extractArticle(bytes).body)).toContain('Les élèves traversent la rivière');
  });

  it('reads an http-equiv Content-Type declaration', () => {
    const html = page(story, '', 'lang="fr"').replace(
      '<meta charset="utf-8">',
      '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    );
    expect(blocksToText(extractArticle(encode(html, latin1)).body)).toContain('Les élèves traversent la rivière');
  });

  it('lets the Content-Type header decide over the page, and reads Shift_JIS', () => {
    const japanese = '橋の再建が決まりました。'.repeat(30);
    const html = page(`<p>${japanese}</p>`, '', 'lang="ja"').replace('<meta charset="utf-8">', '');
    // Shift_JIS bytes of the page, built by round-tripping through a known encoder table.
    const sjis = encodeShiftJis(html);
    const item = extractArticle(sjis, { contentType: 'text/html; charset=Shift_JIS' });
    expect(blocksToText(item.body)).toContain('橋の再建が決まりました。');
    expect(item.language).toBe('ja');
  });

  it('decodes UTF-8 with a byte-order mark, and undeclared non-UTF-8 bytes as windows-1252', () => {
    const html = page(story, '', 'lang="fr"').replace('<meta charset="utf-8">', '');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(html)]);
    expect(blocksToText(extractArticle(withBom).body)).toContain('Les élèves traversent la rivière');
    expect(blocksToText(extractArticle(encode(html, latin1)).body)).toContain('Les élèves traversent la rivière');
  });
});

/** Shift_JIS for the few kanji and kana above, from their code points (no encoder in Node). */
function encodeShiftJis(text: string): Uint8Array {
  const decoder = new TextDecoder('shift_jis');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xef; lead++) {
    if (lead >= 0xa0 && lead <= 0xdf) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else bytes.push(...(table.get(char) ?? [0x3f]));
  }
  return Uint8Array.from(bytes);
}
