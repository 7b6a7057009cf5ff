import { describe, expect, it } from 'vitest';
import en from './catalogs/en.json' with { type: 'json' };
import fr from './catalogs/fr.json' with { type: 'json' };
import { createTranslator, languageAutonym, negotiateLanguage } from './translator.js';

describe('createTranslator', () => {
  const french = createTranslator('fr', fr, 'Europe/Paris');
  const english = createTranslator('en', en, 'Europe/Paris');

  it('applies each language’s plural rules', () => {
    expect(french.t('gallery.count', { count: 1 })).toBe('1 photo');
    expect(french.t('gallery.count', { count: 3 })).toBe('3 photos');
    expect(french.t('listing.count', { count: 0 })).toBe('Aucun article');
    expect(english.t('listing.count', { count: 1 })).toBe('1 article');
    expect(english.t('listing.count', { count: 2 })).toBe('2 articles');
  });

  it('formats dates in the page’s language and the site’s time zone', () => {
    const date = new Date('2022-02-04T18:00:00Z');
    expect(french.dateTime(date)).toBe('4 février 2022 à 19:00');
    expect(english.date(date)).toBe('February 4, 2022');
  });

  it('formats numbers with the language’s separators', () => {
    expect(french.number(130000)).toBe('130\u202f000');
    expect(english.number(130000)).toBe('130,000');
  });

  it('fills placeholders', () => {
    expect(french.t('article.byline', { authors: 'Rédaction' })).toBe('Par Rédaction');
  });
});

describe('negotiateLanguage', () => {
  const languages = ['fr', 'en'];
  it.each([
    ['en-GB,en;q=0.9,fr;q=0.8', 'en'],
    ['fr-CA', 'fr'],
    ['de-DE,de;q=0.9,en;q=0.5', 'en'],
    ['de', 'fr'],
    ['', 'fr'],
    ['en;q=0, fr;q=0.1', 'fr'],
    ['*', 'fr'],
    ['garbage;;;q=abc', 'fr'],
  ])('picks the best site language for %j', (header, expected) => {
    expect(negotiateLanguage(header, languages, 'fr')).toBe(expected);
  });
});

describe('languageAutonym', () => {
  it('names each language in itself', () => {
    expect(languageAutonym('fr')).toBe('Français');
    expect(languageAutonym('en')).toBe('English');
  });
});
