import { describe, expect, it } from 'vitest';
import type { ArticleFacts } from '../domain/events.js';
import { dependenciesChangedBy } from './cache-invalidation.js';

const facts = (overrides: Partial<ArticleFacts> = {}): ArticleFacts => ({
  language: 'fr',
  translationGroup: 'g1',
  slug: 'un-titre',
  sectionId: 's1',
  tagIds: ['t1', 't2'],
  authorIds: ['a1'],
  visible: true,
  publishedAt: '2026-11-27T08:00:00.000Z',
  revision: 2,
  textRevision: 1,
  deleted: false,
  killed: false,
  ...overrides,
});

const changed = (before: ArticleFacts | null, after: ArticleFacts | null) =>
  [...dependenciesChangedBy({ type: 'article.changed', articleId: 'x', before, after })].sort();

describe('dependenciesChangedBy', () => {
  it('drops exactly the curated pages a front-page change touches (decision 0060)', () => {
    const keys = (event: { home: boolean; banner: boolean; sectionIds: string[] }) =>
      [...dependenciesChangedBy({ type: 'frontpage.changed', language: 'fr', ...event })].sort();
    expect(keys({ home: true, banner: false, sectionIds: [] })).toEqual(['frontpage:fr']);
    expect(keys({ home: false, banner: true, sectionIds: [] })).toEqual(['banner:fr']);
    expect(keys({ home: false, banner: false, sectionIds: ['s1'] })).toEqual(['section-lead:s1']);
  });

  it('touches only the pages showing a public article when its text is edited', () => {
    expect(changed(facts(), facts())).toEqual(['article:x', 'every-article:fr']);
  });

  it('touches every list of the article when it is published or unpublished', () => {
    const lists = [
      'article:x',
      'author:a1',
      'every-article:fr',
      'group:g1',
      'latest:fr',
      'menu:fr',
      'section:s1',
      'tag:t1',
      'tag:t2',
    ];
    expect(changed(facts({ visible: false }), facts())).toEqual(lists);
    expect(changed(facts(), facts({ visible: false }))).toEqual(lists);
    expect(changed(null, facts())).toEqual(lists);
  });

  it('touches the lists it left and joined when a public article moves', () => {
    expect(changed(facts(), facts({ sectionId: 's2', tagIds: ['t2', 't3'] }))).toEqual([
      'article:x',
      'every-article:fr',
      'menu:fr',
      'section:s1',
      'section:s2',
      'tag:t1',
      'tag:t3',
    ]);
  });

  it('touches nothing but the article itself while it stays a draft', () => {
    expect(changed(facts({ visible: false }), facts({ visible: false, sectionId: 's9' }))).toEqual(['article:x']);
  });

  it('touches its translations’ pages and sitemaps when a public story is renamed (issue 11)', () => {
    expect(changed(facts(), facts({ slug: 'nouveau-titre' }))).toEqual(['article:x', 'every-article:fr', 'group:g1']);
    // A draft's slug names no public page.
    expect(changed(facts({ visible: false }), facts({ visible: false, slug: 'autre' }))).toEqual(['article:x']);
  });

  it('touches the menu when a story without a section comes or goes only if it had one (issue 11)', () => {
    expect(changed(facts({ visible: false, sectionId: null }), facts({ sectionId: null }))).not.toContain('menu:fr');
    expect(changed(facts({ sectionId: null }), facts({ sectionId: 's1' }))).toContain('menu:fr');
  });

  it('touches every page, feed and sitemap naming a renamed section, tag or author (issue 11)', () => {
    const renamed = (kind: 'section' | 'tag' | 'author', language: string | null) =>
      [...dependenciesChangedBy({ type: 'taxonomy.renamed', kind, id: 'i', language })].sort();
    expect(renamed('section', 'fr')).toEqual(['menu:fr', 'named:section:i', 'section:i']);
    expect(renamed('tag', 'fr')).toEqual(['named:tag:i', 'tag:i']);
    expect(renamed('author', null)).toEqual(['author:i', 'named:author:i']);
  });

  it('touches the pages of both and every page naming the one merged away (issue 14)', () => {
    const merged = (kind: 'section' | 'tag') =>
      [...dependenciesChangedBy({ type: 'taxonomy.merged', kind, fromId: 'a', intoId: 'b', language: 'fr' })].sort();
    expect(merged('tag')).toEqual(['named:tag:a', 'named:tag:b', 'tag:a', 'tag:b']);
    expect(merged('section')).toEqual(['menu:fr', 'named:section:a', 'named:section:b', 'section:a', 'section:b']);
  });

  it('touches the section menu of a language when sections change', () => {
    expect([...dependenciesChangedBy({ type: 'sections.changed', language: 'en' })]).toEqual(['menu:en']);
  });

  it('touches the pages showing the related lists that were recomputed', () => {
    expect([...dependenciesChangedBy({ type: 'related.changed', articleIds: ['x', 'y'] })]).toEqual([
      'related:x',
      'related:y',
    ]);
  });

  it('touches the language’s sitemap whenever a public article changes at all', () => {
    expect(changed(facts({ language: 'en' }), facts({ language: 'en' }))).toContain('every-article:en');
    expect(changed(facts({ visible: false }), facts({ visible: false }))).not.toContain('every-article:fr');
  });
});
