import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../errors.js';
import { assertValidSlug, isValidSlug, slugify } from './slug.js';

describe('slugify', () => {
  it('folds accents and typographic apostrophes into a readable ASCII slug', () => {
    expect(slugify('Poutine et Xi serrent les rangs face à l’Occident sur l’Ukraine et Taïwan')).toBe(
      'poutine-et-xi-serrent-les-rangs-face-a-l-occident-sur-l-ukraine-et-taiwan',
    );
    expect(slugify('Œuvres d’été : 10 % de réduction !')).toBe('oeuvres-d-ete-10-de-reduction');
  });

  it('cuts long headlines at a word boundary', () => {
    const slug = slugify('mot '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.endsWith('mot')).toBe(true);
  });

  it('never returns an empty slug', () => {
    expect(slugify('!!! ???')).toBe('article');
    expect(slugify('北京')).toBe('article');
  });
});

describe('isValidSlug', () => {
  it('refuses reserved words, uppercase, spaces and double hyphens', () => {
    for (const bad of ['section', 'search', 'Abc', 'a b', 'a--b', '-a', 'a-', '', 'a/b'])
      expect(isValidSlug(bad)).toBe(false);
    expect(isValidSlug('poutine-xi-2022')).toBe(true);
  });

  it('throws the catalog error for an invalid slug', () => {
    expect(() => assertValidSlug('admin')).toThrowError(KiosqueError);
    try {
      assertValidSlug('admin');
    } catch (error) {
      expect((error as KiosqueError).code).toBe('ARTICLE_SLUG_INVALID');
    }
  });
});
