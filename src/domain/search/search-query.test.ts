import { describe, expect, it } from 'vitest';
import { maxQueryLength, parseSearchQuery } from './search-query.js';
import { markMatches, snippetOf } from './snippet.js';
import { analyzerFor, foldAccents } from './text-analysis.js';

describe('analyzerFor', () => {
  it('gives a French verb, its nouns and their accent-less spellings the same term', () => {
    const fr = analyzerFor('fr');
    expect(new Set(['sanctionner', 'sanctions', 'Sanction'].map(fr.term))).toEqual(new Set(['sanction']));
    expect(fr.term('économiques')).toBe(fr.term('économie'));
    expect(fr.term('sécurité')).toBe(fr.term('securite'));
    expect(fr.terms('États-Unis')).toEqual(fr.terms('etats unis'));
  });

  it('stems English and regional tags of a language alike', () => {
    expect(analyzerFor('en').term('sanctioning')).toBe(analyzerFor('en-GB').term('sanctions'));
    expect(analyzerFor('en').term('economies')).toBe(analyzerFor('en').term('economy'));
  });

  it('folds accents and ligatures, and keeps other scripts as words', () => {
    expect(foldAccents('Œuvre déjà ÉTÉ Straße')).toBe('oeuvre deja ete strasse');
    expect(analyzerFor('fr').terms('Москва 東京 😀')).toEqual(['москва', '東京']);
  });
});

describe('parseSearchQuery', () => {
  it('makes quoted text a phrase and keeps its stopwords', () => {
    expect(parseSearchQuery('"trains de nuit" Vienne', 'fr').groups).toEqual([['train', 'de', 'nuit'], ['vien']]);
    expect(parseSearchQuery('« la guerre »', 'fr').groups).toEqual([['la', 'guerr']]);
  });

  it('drops stopwords and elisions outside quotes, unless nothing else is left', () => {
    expect(parseSearchQuery("la guerre de l'économie", 'fr').groups).toEqual([['guerr'], ['econom']]);
    expect(parseSearchQuery('the who', 'en').groups).toEqual([['the'], ['who']]);
  });

  it('reads operators and punctuation as words or separators, never as syntax', () => {
    expect(parseSearchQuery('NEAR(a b) * OR NOT "', 'en').groups).toEqual([['near'], ['b']]);
    expect(parseSearchQuery("'; drop table --", 'en').groups).toEqual([['drop'], ['tabl']]);
    expect(parseSearchQuery('', 'fr').groups).toEqual([]);
  });

  it('bounds what it keeps of a huge query', () => {
    const query = parseSearchQuery(`${'mot '.repeat(5000)}fin`, 'fr');
    expect([...query.text].length).toBeLessThanOrEqual(maxQueryLength);
    expect(query.groups.length).toBeLessThanOrEqual(12);
  });
});

describe('snippets', () => {
  const text =
    'Le conseil municipal a voté le budget. Les travaux du tramway commenceront en mai. ' +
    'Les commerçants craignent des mois de travaux ; la mairie promet des indemnités aux commerçants touchés.';

  it('cuts the passage holding the most query terms and marks them', () => {
    const terms = parseSearchQuery('commerçant indemnité', 'fr').terms;
    const snippet = snippetOf(text, terms, 'fr', 16);
    expect(snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['commerçants', 'indemnités', 'commerçants']);
    expect(snippet[0]).toEqual({ text: '… ', match: false });
  });

  it('marks matches in a headline whatever their accents or case', () => {
    const terms = parseSearchQuery('etats-unis', 'fr').terms;
    expect(markMatches('Les États-Unis répondent', terms, 'fr')).toEqual([
      { text: 'Les ', match: false },
      { text: 'États', match: true },
      { text: '-', match: false },
      { text: 'Unis', match: true },
      { text: ' répondent', match: false },
    ]);
  });
});
