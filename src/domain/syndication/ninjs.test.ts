import { describe, expect, it } from 'vitest';
import { ninjsErrors, validateNinjs } from '../../../test/support/ninjs-schema.js';
import type { Article } from '../articles/article.js';
import { type NinjsInput, ninjsOf } from './ninjs.js';

function expectValid(document: unknown) {
  expect(ninjsErrors(document)).toEqual([]);
}

const secret = 'Withheld marker sentence.';

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: 'a1',
    translationGroup: 'g1',
    language: 'en',
    slug: 'harbour-reopens',
    headline: 'Harbour reopens',
    standfirst: 'Ships are back after the storm.',
    bodyMarkdown: `Opening paragraph.\n\nSecond paragraph.\n\n${secret}`,
    bodyHtml: `<p>Opening paragraph.</p>\n<p>Second paragraph.</p>\n<p>${secret}</p>\n`,
    status: 'published',
    access: 'public',
    section: { id: 's1', language: 'en', slug: 'world', name: 'World' },
    tags: [{ id: 't1', language: 'en', slug: 'ports', name: 'Ports' }],
    authors: [{ id: 'p1', slug: 'ada', name: 'Ada Lovelace', bio: '' }],
    hero: null,
    gallery: [],
    source: null,
    dateline: '',
    genre: 'news',
    sponsor: '',
    seoTitle: null,
    seoDescription: null,
    revision: 4,
    createdAt: new Date('2026-12-01T08:00:00Z'),
    updatedAt: new Date('2026-12-02T09:30:00Z'),
    publishedAt: new Date('2026-12-01T10:00:00Z'),
    scheduledAt: null,
    ...overrides,
  };
}

const links = (id: string, lang: string, slug: string) => ({
  uri: `urn:uuid:00000000-0000-5000-8000-${id.padStart(12, '0')}`,
  pageUrl: `https://news.example/${lang}/${slug}`,
  ninjsUrl: `https://news.example/api/ninjs/${lang}/${slug}`,
});

function input(story: Article, extra: Partial<NinjsInput> = {}): NinjsInput {
  return {
    article: story,
    links: links('a1', story.language, story.slug),
    authorUrls: { p1: 'https://news.example/en/author/ada' },
    translations: [],
    machineTranslation: null,
    siteName: 'Kiosque Daily',
    genreName: 'News',
    ...extra,
  };
}

describe('a story as an IPTC ninjs 3.1 news item', () => {
  it('gives a public story whole, valid against the published schema', () => {
    const document = ninjsOf(input(article()));
    expectValid(document);
    expect(document).toMatchObject({
      uri: 'urn:uuid:00000000-0000-5000-8000-0000000000a1',
      version: '4',
      language: 'en',
      representationType: 'full',
      headlines: [{ value: 'Harbour reopens' }],
      descriptions: [{ value: 'Ships are back after the storm.' }],
      by: 'Ada Lovelace',
      people: [{ name: 'Ada Lovelace', rel: 'author', uri: 'https://news.example/en/author/ada' }],
      firstCreated: '2026-12-01T08:00:00.000Z',
      contentCreated: '2026-12-01T10:00:00.000Z',
      versionCreated: '2026-12-02T09:30:00.000Z',
      copyrightHolder: 'Kiosque Daily',
    });
    expect(document.bodies?.[0]?.value).toContain(secret);
    expect(document.subjects?.map((subject) => [subject.rel, subject.name])).toEqual([
      ['section', 'World'],
      ['tag', 'Ports'],
    ]);
    expect(document.renditions.map((r) => r.href)).toContain('https://news.example/en/harbour-reopens');
  });

  it('gives a members-only or paid story without its body', () => {
    for (const access of ['members', 'paid'] as const) {
      const document = ninjsOf(input(article({ access })));
      expectValid(document);
      expect(document.bodies).toBeUndefined();
      expect(document.representationType).toBe('partial');
      expect(JSON.stringify(document)).not.toContain(secret);
      expect(document.descriptions?.[0]?.value).toBe('Ships are back after the storm.');
    }
  });

  it('credits wire copy to its source, with its original address and place line', () => {
    const document = ninjsOf(
      input(
        article({
          source: { name: 'Agence Example', url: 'https://wire.example/item/42' },
          dateline: 'PARIS, Dec. 3',
        }),
      ),
    );
    expectValid(document);
    expect(document.infoSources).toEqual([
      { name: 'Agence Example', role: 'source', uri: 'https://wire.example/item/42' },
    ]);
    expect(document.copyrightHolder).toBe('Agence Example');
    expect(document.located).toBe('PARIS, Dec. 3');
  });

  it('says a reviewed machine translation was made from which story, by which provider, reviewed by whom', () => {
    const document = ninjsOf(
      input(article({ language: 'fr', slug: 'le-port-rouvre', headline: 'Le port rouvre' }), {
        machineTranslation: {
          sourceLanguage: 'en',
          provider: 'DeepL',
          reviewer: 'Marie Curie',
          source: { ...links('b2', 'en', 'harbour-reopens'), headline: 'Harbour reopens' },
        },
        translations: [{ ...links('b2', 'en', 'harbour-reopens'), language: 'en', headline: 'Harbour reopens' }],
      }),
    );
    expectValid(document);
    expect(document.infoSources).toEqual([
      { name: 'DeepL', role: 'machine-translator', literal: 'translated-from:en' },
    ]);
    expect(document.people).toContainEqual({ name: 'Marie Curie', rel: 'translation-reviewer' });
    expect(document.associations?.map((a) => [a.rel, a.language, a.uri])).toEqual([
      ['translated-from', 'en', 'urn:uuid:00000000-0000-5000-8000-0000000000b2'],
      ['translation', 'en', 'urn:uuid:00000000-0000-5000-8000-0000000000b2'],
    ]);
  });

  it('is refused by the schema when it carries a field ninjs does not define (the validator is real)', () => {
    expect(validateNinjs({ ...ninjsOf(input(article())), machineTranslated: true })).toBe(false);
  });
});
