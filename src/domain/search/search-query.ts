import { analyzerFor } from './text-analysis.js';

/**
 * A reader's query, reduced to what the index understands: groups of terms that must all match,
 * each group a phrase (its terms adjacent and in order; a lone term is a phrase of one). Nothing
 * the reader typed reaches the database as syntax: operators, quotes and punctuation are words or
 * separators here, and each database receives only quoted terms (see storage/).
 */
export interface SearchQuery {
  /** What the reader typed, trimmed and bounded, to show back in the search box. */
  text: string;
  /** All groups must match; each group is a phrase of one or more terms. */
  groups: string[][];
  /** Every term of the query, for highlighting. */
  terms: Set<string>;
}

/** Longer input is cut: no reader types more, and the work stays bounded whatever is sent. */
export const maxQueryLength = 200;
const maxGroups = 12;
const maxPhraseLength = 12;
const quoted = /["“”«»„]([^"“”«»„]*)["“”«»„]?/g;

/** Parses what a reader typed, in the language of the page it was typed on. */
export function parseSearchQuery(input: string, language: string): SearchQuery {
  const text = [...input.normalize('NFC').replace(/\s+/g, ' ').trim()].slice(0, maxQueryLength).join('').trim();
  const analyzer = analyzerFor(language);
  const groups: string[][] = [];
  const stopwordsOnly: string[][] = [];

  // Quoted phrases keep every word, stopwords included: "la guerre de Cent Ans" means exactly that.
  for (const match of text.matchAll(quoted)) {
    const phrase = analyzer.terms(match[1] ?? '').slice(0, maxPhraseLength);
    if (phrase.length > 0) groups.push(phrase);
  }
  const rest = text.replace(quoted, ' ');
  for (const chunk of rest.split(/\s+/)) {
    // One typed word may hold several ("États-Unis", "l'économie"): a phrase, minus elisions at its edges.
    let phrase = analyzer.terms(chunk);
    if (phrase.length === 0) continue;
    const meaningful = phrase.filter((term) => !analyzer.isStopword(term));
    if (meaningful.length === 0) {
      stopwordsOnly.push(phrase);
      continue;
    }
    while (phrase.length > 1 && analyzer.isStopword(phrase[0]!)) phrase = phrase.slice(1);
    while (phrase.length > 1 && analyzer.isStopword(phrase.at(-1)!)) phrase = phrase.slice(0, -1);
    groups.push(phrase.slice(0, maxPhraseLength));
  }
  // A query of stopwords alone ("the who") still means something: keep them rather than nothing.
  if (groups.length === 0) groups.push(...stopwordsOnly);

  const unique = new Map<string, string[]>();
  for (const group of groups) unique.set(group.join(' '), group);
  const kept = [...unique.values()].slice(0, maxGroups);
  return { text, groups: kept, terms: new Set(kept.flat()) };
}

/** Whether there is anything to look for. */
export function isEmptyQuery(query: SearchQuery): boolean {
  return query.groups.length === 0;
}
