import { newStemmer, type Stemmer } from 'snowball-stemmers';

/**
 * How text becomes search terms, the same way for what is indexed and what is asked, so that both
 * databases match exactly the same documents: words are lower-cased, their accents folded, then
 * stemmed with the language's Snowball stemmer ("Sanctions" → "sanction", "économiques" → "econom").
 *
 * Folding comes before stemming on purpose: readers type "securite" as often as "sécurité", and the
 * stemmer treats accented and bare suffixes differently, so stemming first would split them.
 */

/** Snowball algorithm per base language; other languages are folded but not stemmed. */
const algorithms: Record<string, string> = {
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  en: 'english',
  es: 'spanish',
  fi: 'finnish',
  fr: 'french',
  hu: 'hungarian',
  it: 'italian',
  nl: 'dutch',
  no: 'norwegian',
  nb: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
};

/** Words that say nothing about a story's subject; dropped from single-word queries and from similarity. */
const stopwordLists: Record<string, string> = {
  fr: `a afin ai aie aient ainsi alors au aucun aupres auquel aussi autre autres aux avaient avais avait avant avec avoir
    avons ayant c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chacun chaque chez ci comme comment
    d dans de des deja depuis dont du duquel elle elles en encore entre est et etaient etais etait etant ete etre eu eux
    fait faire fois font hors il ils j je jusqu jusque l la laquelle le lequel les lesquelles lesquels leur leurs lui m
    ma mais me meme memes mes moi mon n ne ni nos notre nous on ont or ou par parce pas peu peut plus pour pourquoi
    qu quand que quel quelle quelles quels qui quoi s sa sans se sera seront ses si sien soi soit son sont sous sur
    t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers voici voila vos votre vous y`,
  en: `a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own s same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves`,
};

const maxTermLength = 64;
const wordPattern = /[\p{L}\p{N}\p{M}]+/gu;

/** A word of a text, with where it sits (for highlighting). */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Lower case, accents and ligatures folded: "États-Unis" → "etats-unis", "Œuvre" → "oeuvre". */
export function foldAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

/** The words of a text in order (letters, digits and their combining marks; everything else separates). */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(wordPattern)) {
    words.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/** The analyzer of one language: turns words into terms, with a bounded memo (stemming dominates indexing). */
export interface Analyzer {
  language: string;
  /** The term a word stands for, or '' when nothing of it is searchable. */
  term(word: string): string;
  /** The terms of a text in order, one per word. */
  terms(text: string): string[];
  isStopword(term: string): boolean;
}

const analyzers = new Map<string, Analyzer>();

/** The analyzer for a BCP 47 language tag ("fr", "en-GB"); unknown languages are folded, not stemmed. */
export function analyzerFor(language: string): Analyzer {
  const base = language.toLowerCase().split('-')[0] ?? '';
  let analyzer = analyzers.get(base);
  if (!analyzer) {
    analyzer = createAnalyzer(base);
    analyzers.set(base, analyzer);
  }
  return analyzer;
}

function createAnalyzer(base: string): Analyzer {
  const algorithm = algorithms[base];
  const stemmer: Stemmer | null = algorithm ? newStemmer(algorithm) : null;
  // Stopwords are compared after analysis, so "été" and "etre" are caught in any spelling.
  const stopwords = new Set<string>();
  const memo = new Map<string, string>();

  function term(word: string): string {
    let result = memo.get(word);
    if (result !== undefined) return result;
    const folded = foldAccents(word).replace(/[^\p{L}\p{N}]/gu, '');
    const stemmed = stemmer && folded.length > 2 && !/\p{N}/u.test(folded) ? stemmer.stem(folded) : folded;
    result = stemmed.slice(0, maxTermLength);
    if (memo.size > 200_000) memo.clear();
    memo.set(word, result);
    return result;
  }

  for (const word of (stopwordLists[base] ?? '').split(/\s+/)) {
    if (word) {
      stopwords.add(foldAccents(word));
      stopwords.add(term(word));
    }
  }

  return {
    language: base,
    term,
    terms(text) {
      const terms: string[] = [];
      for (const word of wordsOf(text.normalize('NFC'))) {
        const value = term(word.text);
        if (value) terms.push(value);
      }
      return terms;
    },
    isStopword: (value) => stopwords.has(value),
  };
}
