import { analyzerFor } from './text-analysis.js';

/** What of an article is searched, as plain text. */
export interface SearchableArticle {
  language: string;
  headline: string;
  standfirst: string;
  /** The body as plain text (Markdown removed). */
  bodyText: string;
  tags: string[];
  authors: string[];
}

export const searchFields = ['headline', 'standfirst', 'tags', 'authors', 'body'] as const;
export type SearchField = (typeof searchFields)[number];

/** An article as the index stores it: each field's terms in order, and its weighted term counts. */
export interface SearchDocument {
  language: string;
  fields: Record<SearchField, string[]>;
  /**
   * How much each meaningful term says about the story (stopwords and numbers left out; the
   * headline and tags count more than the body). Related articles compare these.
   */
  termCounts: Record<string, number>;
  /** Plain text that snippets are cut from. */
  excerptSource: string;
}

/**
 * Field weights for similarity. Bylines say nothing about a subject. Weighting headlines and tags
 * higher was measured (test/fixtures/related) and made suggestions worse: a headline's few words
 * are often its most figurative.
 */
const similarityWeights: Record<SearchField, number> = { headline: 1, standfirst: 1, tags: 1, authors: 0, body: 1 };

/**
 * Words frequent in news of every kind ("said", "year", "selon", "dernier"): kept for search, left
 * out of similarity, where they make unrelated stories look alike.
 */
const newsWords: Record<string, string> = {
  en: `according after already also among announced around back before billion can could country countries day
    days early even expected first five four get got government hundred just last late less like made make makes
    many may might million month months more most much new next one over part people per percent put report
    reported said say says set since six still ten thousand three time times told two under us way week weeks
    well while will would year years yet monday tuesday wednesday thursday friday saturday sunday`,
  fr: `ainsi alors an annee annees annonce apres autre autres avaient avait avant cent ces cette chaque cinq
    contre declare depuis dernier derniere dernieres derniers desormais deux dit dix deja encore entre fait faire
    fin gouvernement jour jours leur leurs mille milliard milliards million millions mois moins nouveau nouveaux
    nouvelle nouvelles pays pendant plus plusieurs premier premiere premiers quatre rend sans selon semaine
    semaines sera seront sous tous tout toute toutes tres trois ete etre lundi mardi mercredi jeudi vendredi
    samedi dimanche`,
};
const newsTerms = new Map<string, Set<string>>();

function isNewsWord(language: string, term: string): boolean {
  const analyzer = analyzerFor(language);
  let terms = newsTerms.get(analyzer.language);
  if (!terms) {
    terms = new Set((newsWords[analyzer.language] ?? '').split(/\s+/).filter(Boolean).map(analyzer.term));
    newsTerms.set(analyzer.language, terms);
  }
  return terms.has(term);
}
/** Long bodies are indexed whole, but similarity reads their start: the lede says what a story is about. */
const similarityBodyTerms = 600;
const maxExcerptSource = 20_000;
const maxTermsPerDocument = 200;

/** Analyzes an article once for the index: search terms per field and the term counts for similarity. */
export function buildSearchDocument(article: SearchableArticle): SearchDocument {
  const analyzer = analyzerFor(article.language);
  const fields: Record<SearchField, string[]> = {
    headline: analyzer.terms(article.headline),
    standfirst: analyzer.terms(article.standfirst),
    tags: article.tags.flatMap((tag) => analyzer.terms(tag)),
    authors: article.authors.flatMap((author) => analyzer.terms(author)),
    body: analyzer.terms(article.bodyText),
  };
  const counts = new Map<string, number>();
  for (const field of searchFields) {
    const weight = similarityWeights[field];
    if (weight === 0) continue;
    const terms = field === 'body' ? fields.body.slice(0, similarityBodyTerms) : fields[field];
    for (const term of terms) {
      if (term.length < 2 || analyzer.isStopword(term) || /^\p{N}+$/u.test(term)) continue;
      if (isNewsWord(article.language, term)) continue;
      counts.set(term, (counts.get(term) ?? 0) + weight);
    }
  }
  // The most frequent terms carry the meaning; a cap keeps rows and the document-frequency table small.
  const termCounts = Object.fromEntries(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxTermsPerDocument)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
  const excerptSource = [article.standfirst, article.bodyText]
    .filter((part) => part.trim() !== '')
    .join('\n\n')
    .slice(0, maxExcerptSource);
  return { language: article.language, fields, termCounts, excerptSource };
}
