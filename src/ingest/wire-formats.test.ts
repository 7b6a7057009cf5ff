import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../domain/errors.js';
import en from '../domain/i18n/catalogs/en.json' with { type: 'json' };
import type { Block, ParsedWireItem } from '../domain/wire/wire-item.js';
import {
  invalidDocumentMessageKeys,
  maxWireDocumentBytes,
  parseWireDocument,
  wireInvalidReasons,
} from './wire-formats.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/wire/${name}`, import.meta.url));
const parseFixture = (name: string, hint?: { filename?: string; contentType?: string }) =>
  parseWireDocument(fixture(name), hint);
const one = (name: string): ParsedWireItem => {
  const items = parseFixture(name);
  expect(items).toHaveLength(1);
  return items[0]!;
};
const kinds = (blocks: Block[]) => blocks.map((block) => block.kind);
const texts = (blocks: Block[]) => blocks.map((block) => ('text' in block ? block.text : ''));
const bytes = (text: string) => new TextEncoder().encode(text);

/** The error a call throws, so its code and details can be asserted. */
function errorOf(run: () => unknown): KiosqueError {
  try {
    run();
  } catch (error) {
    if (error instanceof KiosqueError) return error;
    throw new Error(`expected a KiosqueError, got ${String(error)}`);
  }
  throw new Error('expected an error, got none');
}

describe('ninjs 1.x', () => {
  it('reads headline_*, body_richtext and located (the 1.6 documentation example)', () => {
    const item = one('ninjs/documentation_includes_examples_1.6_005_complex_text_article.json');
    expect(item.format).toBe('ninjs');
    expect(item.wireId).toBe('http://ninjs.example.com/newsitems/20130709med123');
    expect(item.headline).toBe('Captain of wrecked cruise ship on trial in Italy');
    expect(item.bylines).toEqual(["Paulo Santalucia and Frances d'Emilio"]);
    expect(item.dateline).toBe('Grossetto, Italy');
    expect(item.language).toBe('en');
    expect(item.rights).toBe('Copyright 2013 The News Agency, www.tna.org - all rights reserved.');
    expect(item.publishedAt?.toISOString()).toBe('2013-07-09T10:37:00.000Z');
    expect(item.version).toBe(1);
    expect(kinds(item.body)).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph']);
    expect(texts(item.body)[0]).toMatch(/^GROSSETO, Italy \(AP\) -- The trial of the captain/);
    expect(texts(item.body)[3]).toMatch(/Schettino has denied wrongdoing\.$/);
  });

  it('reads body_xhtml, version and subject from a 1.4 agency item, and its associated picture', () => {
    const item = one('ninjs/examples_1.4_businesswire-newsml-20130515006361.json');
    expect(item.headline).toMatch(/^Dell Redefines Workstation Computing/);
    expect(item.topics.slice(0, 2)).toEqual(['United States', 'Technology']);
    expect(item.leadImage?.src).toMatch(/^http:\/\/mms\.businesswire\.com\//);
    expect(item.body.length).toBeGreaterThan(0);
  });

  it('reads body_html into blocks, the embargo, usage terms and a lower-cased language', () => {
    const item = one('ninjs-1x-body-html-embargo.json');
    expect(item.version).toBe(4);
    expect(item.language).toBe('en');
    expect(item.embargoUntil?.toISOString()).toBe('2026-12-03T17:00:00.000Z');
    expect(item.rights).toBe('© 2026 Example Wire\nEmbargoed until 18:00 CET. Subscribers only.');
    expect(item.standfirst).toBe('Rates stay at 2.5% for a fourth month.');
    expect(item.topics).toEqual(['monetary policy', 'economy']);
    expect(item.body).toEqual([
      { kind: 'paragraph', text: 'The bank kept its main rate at 2.5% on Thursday.' },
      { kind: 'heading', level: 3, text: 'Markets' },
      { kind: 'paragraph', text: 'Bond yields fell after the announcement.' },
      { kind: 'list', ordered: true, items: ['Deposit rate: 2.25%', 'Lending rate: 2.75%'] },
      { kind: 'quote', text: 'We are not in a hurry.', cite: "the bank's president" },
    ]);
  });

  it('reads the embargo of the IPTC extension example', () => {
    const item = one('ninjs/documentation_includes_examples_not-valid_008_extension.json');
    expect(item.embargoUntil?.toISOString()).toBe('2013-07-09T14:00:00.000Z');
  });
});

describe('ninjs 2.x', () => {
  it('reads headlines[], bodies[] (html), by, version and copyright from a dpa item', () => {
    const item = one('ninjs/examples_2.1_dpa_text.json');
    expect(item.wireId).toBe('urn:newsml:dpa.com:20090101:190510-99-167362');
    expect(item.version).toBe(2);
    expect(item.language).toBe('de');
    expect(item.headline).toBe('Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?');
    expect(item.bylines).toEqual(['Von Christian Hollmann, dpa']);
    expect(item.rights).toBe('Copyright 2019, dpa (www.dpa.de). Alle Rechte vorbehalten');
    expect(item.body).toHaveLength(9);
    expect(new Set(kinds(item.body))).toEqual(new Set(['paragraph']));
    expect(texts(item.body)[0]).toMatch(/^Für Lucien Favre war es «der größte Skandal/);
  });

  it('prefers the HTML body of a TT item: quotes and the figure with its credit, no repeated headline', () => {
    const item = one('ninjs/examples_2.1_tt_text_image_2.json');
    expect(item.language).toBe('sv');
    expect(item.headline).toBe('Militärövning i jätteformat hålls 2023');
    expect(kinds(item.body)).toEqual(['paragraph', 'paragraph', 'quote', 'paragraph', 'quote', 'figure']);
    expect(texts(item.body)).not.toContain('Militärövning i jätteformat hålls 2023');
    const figure = item.body.at(-1);
    expect(figure).toMatchObject({ kind: 'figure', credit: 'Karl Melander/TT' });
    expect(item.leadImage?.credit).toBe('Karl Melander/TT');
    expect(item.topics).toEqual(['Krig, konflikter och oroligheter']);
    expect(item.rights).toBe('© TT');
  });

  it('reads usage terms, firstcreated and subjects of an NTB item with no body', () => {
    const item = one('ninjs/examples_2.1_ntb_text.json');
    expect(item.version).toBe(6);
    expect(item.language).toBe('nb-no');
    expect(item.publishedAt?.toISOString()).toBe('2019-08-09T09:30:04.000Z');
    expect(item.standfirst).toMatch(/^IT-giganten Google har kjøpt/);
    expect(item.topics).toEqual(['Innenriks', 'Teknologi', 'Industri', 'Olje og energi']);
    expect(item.body).toEqual([]);
  });
});

describe('ninjs 3.x', () => {
  it('reads camelCase fields (versionCreated, copyrightNotice) as 2.x reads the lowercase ones', () => {
    const v2 = one('ninjs/examples_2.1_tt_text_image_2.json');
    const v3 = one('ninjs/examples_3.0_tt_text_image_3.json');
    expect(v3.publishedAt?.toISOString()).toBe('2021-05-26T11:40:18.000Z');
    expect({ ...v3 }).toEqual({ ...v2 });
  });

  it('reads the 3.1 complex example: by, located, copyrightNotice and the XHTML body', () => {
    const item = one('ninjs/documentation_includes_examples_3.1_005_complex_text_article.json');
    expect(item.bylines).toEqual(["Paulo Santalucia and Frances d'Emilio"]);
    expect(item.dateline).toBe('Grossetto, Italy');
    expect(item.rights).toMatch(/^Copyright 2013 The News Agency/);
    expect(item.publishedAt?.toISOString()).toBe('2013-07-09T10:37:00.000Z');
    expect(kinds(item.body)).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph']);
  });

  it('reads usageTerms and pubStatus-era fields of an NTB 3.0 item', () => {
    const item = one('ninjs/examples_3.0_ntb_text.json');
    expect(item.wireId).toBe('urn:8d19cf88-b3ab-4972-8fec-1207599f2872');
    expect(item.version).toBe(6);
    expect(item.headline).toBe('Google har kjøpt giganttomt i Skien');
    expect(item.bylines).toEqual(['NTB']);
  });

  it('keeps linked rights as the rights note of a picture', () => {
    const item = one('ninjs/examples_3.0_imageLinkedRights.json');
    expect(item.rights).toBe('http://example.agency.com/rights/editorialUseOnly');
    expect(item.bylines).toEqual(['John Smith']);
  });

  it('reads a list of ninjs items as several items', () => {
    const list = `[${fixture('ninjs/examples_3.0_ntb_text.json')},${fixture('ninjs/examples_2.1_dpa_text.json')}]`;
    const items = parseWireDocument(bytes(list));
    expect(items.map((item) => item.wireId)).toEqual([
      'urn:8d19cf88-b3ab-4972-8fec-1207599f2872',
      'urn:newsml:dpa.com:20090101:190510-99-167362',
    ]);
  });
});

describe('NewsML-G2', () => {
  it('reads a news item: guid, version, rights, embargo, creators, dateline, subjects and the XHTML body', () => {
    const item = one('newsml-g2-news-item.xml');
    expect(item.format).toBe('newsml-g2');
    expect(item.wireId).toBe('urn:newsml:wire.example.org:20261203:KIOSQUE-0042');
    expect(item.version).toBe(3);
    expect(item.language).toBe('en-gb');
    expect(item.originalUrl).toBe('https://wire.example.org/stories/kiosque-0042');
    expect(item.headline).toBe('Mediterranean fishing fleet ties up over new quotas');
    expect(item.standfirst).toMatch(/^Boats stayed in port/);
    expect(item.bylines).toEqual(['Jane Doe', 'Ali Ben Salah']);
    expect(item.dateline).toBe('MARSEILLE, Dec 3');
    expect(item.publishedAt?.toISOString()).toBe('2026-12-03T07:55:00.000Z');
    expect(item.embargoUntil?.toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(item.rights).toBe(
      'Copyright 2026 Example Wire. All rights reserved.\nEditorial use only; no archiving after 30 days.',
    );
    expect(item.topics).toEqual(['fishing industry', 'port and harbour', 'quotas']);
    expect(item.leadImage).toEqual({
      src: 'https://img.wire.example.org/0042/harbour.jpg',
      alt: 'The harbour at dawn',
      caption: 'Fishing boats in the harbour of Marseille at dawn.',
      credit: 'Example Wire / Jane Doe',
    });
    expect(kinds(item.body)).toEqual(['paragraph', 'paragraph', 'heading', 'list', 'quote', 'figure', 'paragraph']);
    expect(item.body[4]).toEqual({
      kind: 'quote',
      text: 'The stocks are recovering, and we will not throw that away.',
      cite: 'A European Commission spokesperson',
    });
    expect(item.body[5]).toEqual({
      kind: 'figure',
      src: 'https://img.wire.example.org/0042/quay.jpg',
      alt: 'Trawlers moored along the quay',
      caption: 'Trawlers moored in the Vieux-Port.',
      credit: 'Jane Doe / Example Wire',
    });
    expect(texts(item.body).at(-1)).toBe('The protest is due to last until Sunday.');
    expect(JSON.stringify(item.body)).not.toContain('alert');
  });

  it('reads every news item of a news message (plain text and embedded NITF), skipping packages', () => {
    const items = parseFixture('newsml-g2-news-message.xml');
    expect(items.map((item) => [item.wireId, item.version, item.language])).toEqual([
      ['urn:newsml:wire.example.org:20261203:KIOSQUE-0050', 1, 'fr'],
      ['urn:newsml:wire.example.org:20261203:KIOSQUE-0051', 2, 'ar'],
    ]);
    const [french, arabic] = items as [ParsedWireItem, ParsedWireItem];
    expect(french.dateline).toBe('PARIS, 3 déc.');
    expect(texts(french.body)).toEqual([
      'Un vol sur trois est annulé jeudi à Orly.',
      'La direction générale de l’aviation civile a demandé aux compagnies de réduire leurs programmes.',
    ]);
    expect(arabic.headline).toBe('ارتفاع أسعار الوقود في تونس');
    expect(arabic.bylines).toEqual(['سامي الطرابلسي']);
    expect(arabic.dateline).toBe('تونس، 3 ديسمبر');
    expect(texts(arabic.body)).toEqual(['رفعت الحكومة أسعار الوقود بنسبة 3 في المئة.']);
  });
});

describe('genres (decision 0051)', () => {
  it('keeps a ninjs 3.x item’s genres and a 1.x/2.x item’s genre, URIs and names alike', () => {
    const v3 = parseWireDocument(
      bytes(
        JSON.stringify({
          uri: 'urn:example:genre-3',
          headlines: [{ value: 'A column' }],
          genres: [{ name: 'Opinion', uri: 'http://cv.iptc.org/newscodes/genre/Opinion' }],
        }),
      ),
      { contentType: 'application/json' },
    );
    expect(v3[0]?.genres).toEqual(['http://cv.iptc.org/newscodes/genre/Opinion', 'Opinion']);
    const v2 = parseWireDocument(
      bytes(JSON.stringify({ uri: 'urn:example:genre-2', headline: 'A check', genre: [{ code: 'FactCheck' }] })),
      { contentType: 'application/json' },
    );
    expect(v2[0]?.genres).toEqual(['FactCheck']);
    expect(one('ninjs/examples_3.0_tt_text_image_3.json').genres).toEqual([
      'http://tt.se/spec/sector/1.0/INR',
      'INR',
      'Inrikes',
    ]);
  });

  it('keeps a NewsML-G2 item’s genre qcodes', () => {
    const [item] = parseWireDocument(
      bytes(`<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:g2-genre" version="1" xml:lang="en">
  <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
  <contentMeta>
    <genre qcode="genre:Analysis"><name>Analysis</name></genre>
    <headline>Why the quotas changed</headline>
  </contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Text.</p></body></html></inlineXML></contentSet>
</newsItem>`),
      { contentType: 'application/xml' },
    );
    expect(item?.genres).toEqual(['genre:Analysis', 'Analysis']);
    expect(one('newsml-g2-news-item.xml').genres).toEqual([]);
  });
});

describe('NITF', () => {
  it('reads an ISO-8859-1 NITF story: doc-id, du-key version, byline, dateline, abstract, release as embargo', () => {
    const item = one('nitf-story.xml');
    expect(item.format).toBe('nitf');
    expect(item.wireId).toBe('EXW-FR-20260903-0007');
    expect(item.version).toBe(2);
    expect(item.language).toBe('fr');
    expect(item.headline).toBe('Les vendanges commencent tôt en Bourgogne');
    expect(item.standfirst).toBe("Les premiers raisins ont été cueillis mardi, un record pour l'appellation.");
    expect(item.bylines).toEqual(['Élise Moreau']);
    expect(item.dateline).toBe('BEAUNE, 3 sept.');
    expect(item.publishedAt?.toISOString()).toBe('2026-09-03T05:15:00.000Z');
    expect(item.embargoUntil?.toISOString()).toBe('2026-09-03T07:00:00.000Z');
    expect(item.rights).toBe('© 2026 Example Wire\nExample Wire — Kiosque — Pas de reprise hors de France');
    expect(item.topics).toEqual(['agriculture', 'vin', 'climat']);
    expect(kinds(item.body)).toEqual(['paragraph', 'paragraph', 'heading', 'quote', 'list', 'figure']);
    // &#160; and the HTML entity &nbsp; both read as a space; the text is not cut around them.
    expect(texts(item.body)[1]).toBe(
      "« Nous n'avons jamais cueilli aussi tôt », confie Paul Girard, vigneron à Pommard.",
    );
    expect(item.body[3]).toEqual({
      kind: 'quote',
      text: 'La qualité sera là, la quantité moins.',
      cite: 'Le syndicat des vins de Bourgogne',
    });
    expect(item.body[5]).toEqual({
      kind: 'figure',
      src: 'https://img.wire.example.org/beaune.jpg',
      alt: 'Vendangeurs dans une vigne',
      caption: 'Des vendangeurs à Pommard, le 2 septembre.',
      credit: 'Élise Moreau / Example Wire',
    });
  });

  it('sees no embargo when the release time is the issue time', () => {
    const nitf = `<nitf><head><docdata><doc-id id-string="X-1"/><date.issue norm="20260903T0900Z"/><date.release norm="20260903T0900Z"/></docdata></head>
      <body><body.head><hedline><hl1>Now</hl1></hedline></body.head><body.content><p>Text.</p></body.content></body></nitf>`;
    const [item] = parseWireDocument(bytes(nitf));
    expect(item?.embargoUntil).toBeNull();
    expect(item?.publishedAt?.toISOString()).toBe('2026-09-03T09:00:00.000Z');
  });

  it('ignores the external DTD a NITF file names, and never fetches it', () => {
    const text = fixture('nitf-story.xml').toString('latin1');
    expect(text).toContain('<!DOCTYPE nitf SYSTEM "http://www.iptc.org/');
    // Parsing is synchronous and offline: it returns without any network round trip.
    expect(one('nitf-story.xml').headline).toBe('Les vendanges commencent tôt en Bourgogne');
  });
});

describe('RSS 2.0', () => {
  const [full, teaser] = parseFixture('rss-feed.xml') as [ParsedWireItem, ParsedWireItem];

  it('takes content:encoded as the body, with relative images resolved and scripts and frames dropped', () => {
    expect(full.format).toBe('rss');
    expect(full.wireId).toBe('partner-sahel-2026-1203');
    expect(full.originalUrl).toBe('https://partner.example.org/world/2026/12/03/sahel-rains');
    expect(full.language).toBe('en-us');
    expect(full.headline).toBe('Rains return to the Sahel after a dry decade');
    expect(full.standfirst).toBe('Farmers in Niger and Mali report the best harvest in ten years.');
    expect(full.bylines).toEqual(['Amina Diallo']);
    expect(full.publishedAt?.toISOString()).toBe('2026-12-03T07:30:00.000Z');
    expect(full.rights).toBe('© 2026 Example Partner. Republication by licence only.');
    expect(full.topics).toEqual(['Climate', 'Africa']);
    expect(full.bodyIsTeaser).toBe(false);
    expect(kinds(full.body)).toEqual(['paragraph', 'heading', 'paragraph', 'figure']);
    expect(full.body[3]).toMatchObject({ src: 'https://partner.example.org/images/sahel.jpg', credit: 'Amina Diallo' });
    expect(JSON.stringify(full.body)).not.toMatch(/cookie|ads\.example/);
    expect(full.leadImage).toEqual({
      src: 'https://partner.example.org/images/sahel-lead.jpg',
      alt: 'Millet harvest near Niamey, November 2026.',
      caption: 'Millet harvest near Niamey, November 2026.',
      credit: 'Amina Diallo / Example Partner',
    });
  });

  it('marks an item with only a short description as a teaser, with its link to fetch', () => {
    expect(teaser.bodyIsTeaser).toBe(true);
    expect(teaser.originalUrl).toBe('https://partner.example.org/world/2026/12/02/lisbon-tram');
    expect(teaser.wireId).toBe('https://partner.example.org/world/2026/12/02/lisbon-tram');
    expect(teaser.bylines).toEqual(['Rui Costa']);
    expect(teaser.publishedAt?.toISOString()).toBe('2026-12-02T18:05:00.000Z');
    expect(teaser.leadImage?.src).toBe('https://partner.example.org/images/tram.jpg');
    expect(texts(teaser.body)[0]).toMatch(/^The line links Belém to Cais do Sodré/);
  });
});

describe('bodies given as HTML', () => {
  const body = (html: string) => {
    const json = JSON.stringify({ uri: 'urn:x', headline: 'Title', body_html: html });
    return parseWireDocument(bytes(json))[0]?.body;
  };

  it('takes two line breaks in a row as a paragraph break, one as a space', () => {
    expect(body('First line<br>same paragraph.<br><br>Second paragraph.<br/>\n<br/>Third.')).toEqual([
      { kind: 'paragraph', text: 'First line same paragraph.' },
      { kind: 'paragraph', text: 'Second paragraph.' },
      { kind: 'paragraph', text: 'Third.' },
    ]);
  });

  it('reads divs as paragraphs, tables as rows, and drops a leading heading that repeats the headline', () => {
    expect(
      body('<h1>Title</h1><div>One</div><div><span>Two</span></div><table><tr><th>City</th><td>Rain</td></tr></table>'),
    ).toEqual([
      { kind: 'paragraph', text: 'One' },
      { kind: 'paragraph', text: 'Two' },
      { kind: 'paragraph', text: 'City | Rain' },
    ]);
  });

  it('keeps the caption of a figure whose image has no usable address', () => {
    expect(body('<figure><img src="javascript:x"><figcaption>The caption</figcaption></figure>')).toEqual([
      { kind: 'paragraph', text: 'The caption' },
    ]);
    const media =
      '<media media-type="image"><media-reference source="ftp://x/y.jpg"/><media-caption>Cap</media-caption></media>';
    expect(body(media)).toEqual([{ kind: 'paragraph', text: 'Cap' }]);
  });

  it('drops scripts, styles, forms and frames with their content', () => {
    expect(
      body(
        '<p>Kept</p><script>evil()</script><style>p{}</style><form><input value="x">Sign up</form><iframe>f</iframe>',
      ),
    ).toEqual([{ kind: 'paragraph', text: 'Kept' }]);
  });
});

describe('RSS 1.0', () => {
  it('reads the items of an RDF feed', () => {
    const feed = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example.org/"><title>Old</title><dc:language>it</dc:language></channel>
  <item rdf:about="https://old.example.org/1"><title>Primo</title><link>https://old.example.org/1</link>
    <description>Breve.</description><dc:creator>Luca Rossi</dc:creator><dc:date>2026-12-01T08:00:00+01:00</dc:date></item>
</rdf:RDF>`;
    const [item] = parseWireDocument(bytes(feed));
    expect(item).toMatchObject({
      format: 'rss',
      wireId: 'https://old.example.org/1',
      headline: 'Primo',
      bylines: ['Luca Rossi'],
      language: 'it',
      bodyIsTeaser: true,
    });
    expect(item?.publishedAt?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });
});

describe('Atom', () => {
  const [full, teaser] = parseFixture('atom-feed.xml') as [ParsedWireItem, ParsedWireItem];

  it('takes XHTML content as the body and the feed’s language, author and rights', () => {
    expect(full.format).toBe('atom');
    expect(full.wireId).toBe('tag:partenaire.example.org,2026:sciences/comete');
    expect(full.headline).toBe('La comète C/2026 A1 visible à l’œil nu');
    expect(full.language).toBe('fr');
    expect(full.bylines).toEqual(['Louise Bernard']);
    expect(full.publishedAt?.toISOString()).toBe('2026-12-03T05:00:00.000Z');
    expect(full.rights).toBe('© 2026 Partenaire Exemple, reprise sous licence CC BY-ND 4.0');
    expect(full.topics).toEqual(['Astronomie']);
    expect(full.bodyIsTeaser).toBe(false);
    expect(kinds(full.body)).toEqual(['paragraph', 'quote', 'paragraph']);
    expect(full.leadImage?.src).toBe('https://partenaire.example.org/img/comete.jpg');
  });

  it('marks an entry with only a summary as a teaser', () => {
    expect(teaser.bodyIsTeaser).toBe(true);
    expect(teaser.originalUrl).toBe('https://partenaire.example.org/sciences/2026/12/froid');
    expect(teaser.bylines).toEqual(['Rédaction sciences']);
    expect(teaser.standfirst).toBe('Les satellites ont mesuré -94 °C sur le plateau.');
    expect(teaser.publishedAt?.toISOString()).toBe('2026-12-02T17:00:00.000Z');
  });
});

describe('recognition by content', () => {
  it('recognises a feed whatever the file name says', () => {
    const items = parseWireDocument(fixture('rss-feed.xml'), {
      filename: 'story.json',
      contentType: 'application/json',
    });
    expect(items[0]?.format).toBe('rss');
  });

  it('sends an HTML page back as an unknown format, saying it looks like HTML', () => {
    const error = errorOf(() => parseWireDocument(bytes('<!DOCTYPE html><html><body><p>Hi</p></body></html>')));
    expect(error.code).toBe('WIRE_FORMAT_UNKNOWN');
    expect(error.details.looksLike).toBe('html');
  });

  it('refuses JSON that is not ninjs, and XML of another vocabulary', () => {
    expect(errorOf(() => parseFixture('hostile/not-ninjs.json')).code).toBe('WIRE_FORMAT_UNKNOWN');
    expect(errorOf(() => parseFixture('hostile/not-a-wire-format.xml')).code).toBe('WIRE_FORMAT_UNKNOWN');
    expect(errorOf(() => parseWireDocument(bytes('just some text'))).code).toBe('WIRE_FORMAT_UNKNOWN');
  });
});

describe('hostile and broken documents', () => {
  const invalid = (name: string) => {
    const error = errorOf(() => parseFixture(`hostile/${name}`));
    expect(error.code).toBe('WIRE_DOCUMENT_INVALID');
    return error.details;
  };

  it('refuses a billion-laughs document at its entity declarations, quickly', { timeout: 2000 }, () => {
    expect(invalid('billion-laughs.xml')).toMatchObject({ reason: 'entity-declaration', line: 13 });
  });

  it('refuses external entities and never reads the file they name', () => {
    expect(invalid('xxe-file.xml').reason).toBe('entity-declaration');
    expect(invalid('xxe-parameter.xml').reason).toBe('entity-declaration');
    const details = JSON.stringify(errorOf(() => parseFixture('hostile/xxe-file.xml')).details);
    expect(details).not.toContain('root:');
  });

  it('refuses an entity no DTD declares, with its line', () => {
    expect(invalid('undeclared-entity.xml')).toMatchObject({ reason: 'undefined-entity', line: 2 });
  });

  it('does not resolve an entity named after an object property', () => {
    const error = errorOf(() =>
      parseWireDocument(bytes('<rss version="2.0"><channel><item><title>&constructor;</title></item></channel></rss>')),
    );
    expect(error.details.reason).toBe('undefined-entity');
  });

  it('refuses a huge internal entity as a declaration, without expanding it', { timeout: 2000 }, () => {
    const huge = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "${'x'.repeat(5_000_000)}">]><rss version="2.0"><channel><title>&big;&big;&big;</title></channel></rss>`;
    expect(errorOf(() => parseWireDocument(bytes(huge))).details.reason).toBe('entity-declaration');
  });

  it('refuses 10,000-deep nesting without overflowing the stack', { timeout: 3000 }, () => {
    const deep = `<rss version="2.0"><channel><item><description>${'<div>'.repeat(10_000)}${'</div>'.repeat(10_000)}</description></item></channel></rss>`;
    expect(errorOf(() => parseWireDocument(bytes(deep))).details.reason).toBe('too-deep');
    const deepHtml = `<rss version="2.0"><channel><item><link>https://a.example/</link><description>${'&lt;div&gt;'.repeat(10_000)}x</description></item></channel></rss>`;
    expect(errorOf(() => parseWireDocument(bytes(deepHtml))).details.reason).toBe('too-deep');
    const deepJson = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(errorOf(() => parseWireDocument(bytes(deepJson))).code).toBe('WIRE_FORMAT_UNKNOWN');
  });

  it('stays linear on quotes nested 90 deep around 200,000 elements', { timeout: 15_000 }, () => {
    const nested = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${'<blockquote><figure>'.repeat(45)}${'<b>w</b>'.repeat(200_000)}${'</figure></blockquote>'.repeat(45)}</div></content></entry></feed>`;
    const [item] = parseWireDocument(bytes(nested));
    expect(item?.body[0]?.kind).toBe('quote');
  });

  it('refuses a document of more than a million elements', { timeout: 15_000 }, () => {
    const many = `<rss version="2.0"><channel>${'<x/>'.repeat(1_000_001)}</channel></rss>`;
    expect(errorOf(() => parseWireDocument(bytes(many))).details.reason).toBe('too-many-elements');
  });

  it('refuses mismatched tags and truncated files, with the line', () => {
    expect(invalid('mismatched-tags.xml')).toMatchObject({ reason: 'not-well-formed', line: 2 });
    expect(invalid('truncated.xml')).toMatchObject({ reason: 'truncated' });
    expect(invalid('truncated.json')).toMatchObject({ reason: 'truncated' });
  });

  it('refuses bytes that lie about their encoding, and an encoding nobody knows', () => {
    expect(invalid('lying-encoding.xml').reason).toBe('encoding-invalid');
    expect(invalid('unknown-encoding.xml')).toMatchObject({ reason: 'encoding-unsupported', detail: 'x-klingon' });
    const latin1Json = Buffer.from('{"uri":"urn:x","headline":"Caf\xe9"}', 'latin1');
    expect(errorOf(() => parseWireDocument(latin1Json)).details.reason).toBe('encoding-invalid');
  });

  it('reads a UTF-16 feed with its byte-order mark, and refuses a BOM that contradicts the declaration', () => {
    const feed =
      '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><item><title>Ça marche</title></item></channel></rss>';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(feed, 'utf16le')]);
    expect(parseWireDocument(utf16)[0]?.headline).toBe('Ça marche');
    const lying = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(feed.replace('UTF-16', 'UTF-8'), 'utf16le')]);
    expect(errorOf(() => parseWireDocument(lying)).details.reason).toBe('encoding-conflict');
  });

  it('refuses a declaration of UTF-16 on single-byte text', () => {
    const lie = bytes('<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel/></rss>');
    expect(errorOf(() => parseWireDocument(lie)).details.reason).toBe('encoding-conflict');
  });

  it('reads a ninjs "__proto__" key as plain data, changing no object', () => {
    const json = '{"uri":"urn:x","headline":"Safe","__proto__":{"language":"xx","embargoed":"2030-01-01T00:00:00Z"}}';
    const [item] = parseWireDocument(bytes(json));
    expect(item?.headline).toBe('Safe');
    expect(item?.language).toBeNull();
    expect(item?.embargoUntil).toBeNull();
    expect(({} as Record<string, unknown>).language).toBeUndefined();
  });

  it('uses the transport charset when the document declares none', () => {
    const feed = Buffer.from('<rss version="2.0"><channel><item><title>Café</title></item></channel></rss>', 'latin1');
    expect(parseWireDocument(feed, { contentType: 'text/xml; charset=ISO-8859-1' })[0]?.headline).toBe('Café');
    expect(errorOf(() => parseWireDocument(feed)).details.reason).toBe('encoding-invalid');
  });

  it('refuses a document over the size cap before reading it, and an empty one', () => {
    const error = errorOf(() => parseWireDocument(new Uint8Array(maxWireDocumentBytes + 1)));
    expect(error.code).toBe('WIRE_DOCUMENT_TOO_LARGE');
    expect(error.details).toEqual({ limitMb: 20, maxItems: 5000 });
    expect(errorOf(() => parseWireDocument(new Uint8Array(0))).details.reason).toBe('empty');
  });

  it('refuses a feed of more items than the cap', { timeout: 5000 }, () => {
    const feed = `<rss version="2.0"><channel>${'<item><title>t</title></item>'.repeat(5001)}</channel></rss>`;
    expect(errorOf(() => parseWireDocument(bytes(feed))).code).toBe('WIRE_DOCUMENT_TOO_LARGE');
  });

  it('keeps only http(s) addresses from documents (no javascript: or data: images or links)', () => {
    const feed = `<rss version="2.0"><channel><item><title>x</title><link>javascript:alert(1)</link>
      <description>&lt;p&gt;Text&lt;/p&gt;&lt;img src="javascript:alert(1)"&gt;&lt;img src="data:image/png;base64,AAAA"&gt;</description>
      <enclosure url="javascript:alert(2)" type="image/png"/></item></channel></rss>`;
    const [item] = parseWireDocument(bytes(feed));
    expect(item?.originalUrl).toBeNull();
    expect(item?.leadImage).toBeNull();
    expect(item?.body).toEqual([{ kind: 'paragraph', text: 'Text' }]);
  });

  it('gives a null date for an impossible or sloppy one, never an Invalid Date', () => {
    const json = JSON.stringify({
      uri: 'urn:x',
      headlines: [{ value: 'x' }],
      versioncreated: '2026-02-31T10:00:00Z',
      embargoed: 'next Tuesday',
    });
    const [item] = parseWireDocument(bytes(json));
    expect(item?.publishedAt).toBeNull();
    expect(item?.embargoUntil).toBeNull();
    expect(item?.version).toBe(1);
  });
});

describe("reasons in the reader's language", () => {
  it('has a catalog message for every reason a document is refused, and for its line', () => {
    const catalog = en as Record<string, string>;
    for (const reason of wireInvalidReasons) expect(catalog[`wire.invalidReason.${reason}`], reason).toBeTruthy();
    const details = errorOf(() => parseFixture('hostile/mismatched-tags.xml')).details;
    expect(invalidDocumentMessageKeys(details)).toEqual(['wire.invalidReason.not-well-formed', 'wire.invalidLine']);
    expect(invalidDocumentMessageKeys({ reason: 'something else' })).toEqual([]);
  });
});
