import { describe, expect, it } from 'vitest';
import type { ArticleFacts } from '../domain/events.js';
import { dependenciesChangedBy } from './cache-invalidation.js';

const facts = (overrides: Partial<ArticleFacts> = {}): ArticleFacts => ({
  language: 'fr',
  translationGroup: 'g1',
  sectionId: 's1',
  tagIds: ['t1', 't2'],
  authorIds: ['a1'],
  visible: true,
  publishedAt: '2026-11-27T08:00:00.000Z',
  ...overrides,
});

const changed = (before: ArticleFacts | null, after: ArticleFacts | null) =>
  [...dependenciesChangedBy({ type: 'article.changed', articleId: 'x', before, after })].sort();

describe('dependenciesChangedBy', () => {
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
      'section:s1',
      'section:s2',
      'tag:t1',
      'tag:t3',
    ]);
  });

  it('touches nothing but the article itself while it stays a draft', () => {
    expect(changed(facts({ visible: false }), facts({ visible: false, sectionId: 's9' }))).toEqual(['article:x']);
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
