/**
 * Content similarity between two stories of one language. Each story's TF-IDF vector of stemmed
 * terms (search-document.ts) is first blended with the vectors of its five nearest neighbours —
 * short news stories share few words, and the words of a story's neighbourhood say what its topic
 * is (pseudo-relevance feedback). Two stories are then compared by the cosine of their blended
 * vectors, with a small bonus for being published close in time. The measure is symmetric, which
 * is what lets a publication update the other stories' lists without recomputing them.
 */

/** What similarity needs of one article. */
export interface SimilarityProfile {
  id: string;
  language: string;
  translationGroup: string;
  publishedAt: Date;
  /** Weighted term counts, as the search index stores them. */
  termCounts: Record<string, number>;
  /** The blended vector stored when the story's list was last computed; null before. */
  blended: Record<string, number> | null;
}

/** How common each term is across the language's stories. */
export interface CorpusStatistics {
  documents: number;
  frequencies: ReadonlyMap<string, number>;
}

export type Vector = ReadonlyMap<string, number>;

/** Stories further apart than this get almost no time bonus. */
const timeScaleDays = 14;
/** At most +10 % for stories published the same day: enough to order near-equals, never to beat content. */
const timeBonus = 0.1;
/** Below this, two stories share words, not a subject. */
export const minimumSimilarity = 0.05;
/** How many neighbours a vector is blended with, and how much they weigh together against the story (measured on test/fixtures/related). */
export const neighbourCount = 4;
const neighbourWeight = 2;
/** Terms kept in a stored blended vector: the rest weigh almost nothing. */
const blendedTerms = 150;

export function inverseDocumentFrequency(term: string, statistics: CorpusStatistics): number {
  const documents = Math.max(statistics.documents, 1);
  const frequency = Math.min(Math.max(statistics.frequencies.get(term) ?? 1, 1), documents);
  return Math.log(1 + documents / frequency);
}

function normalized(vector: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

/** The unit-length TF-IDF vector of a profile's own terms. */
export function vectorOf(profile: Pick<SimilarityProfile, 'termCounts'>, statistics: CorpusStatistics): Vector {
  const vector = new Map<string, number>();
  for (const [term, count] of Object.entries(profile.termCounts)) {
    if (count > 0) vector.set(term, (1 + Math.log(count)) * inverseDocumentFrequency(term, statistics));
  }
  return normalized(vector);
}

/** The story's vector blended with its nearest neighbours' (unit length, strongest terms kept). */
export function blend(own: Vector, neighbours: Vector[]): Record<string, number> {
  const mixed = new Map(own);
  for (const neighbour of neighbours) {
    for (const [term, weight] of neighbour) {
      mixed.set(term, (mixed.get(term) ?? 0) + (neighbourWeight * weight) / neighbours.length);
    }
  }
  const strongest = [...normalized(mixed).entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, blendedTerms);
  return Object.fromEntries(strongest.map(([term, weight]) => [term, Math.round(weight * 1e5) / 1e5]));
}

export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, weight] of small) sum += weight * (large.get(term) ?? 0);
  return sum;
}

/** The bonus factor for two publication times: 1.1 the same day, towards 1 months apart. */
export function closeness(a: Date, b: Date): number {
  const days = Math.abs(a.getTime() - b.getTime()) / 86_400_000;
  return 1 + timeBonus / (1 + days / timeScaleDays);
}

/** A vector's strongest terms, among those `keep` accepts: the query that finds a story's candidates. */
export function strongestTerms(vector: Vector, count: number, keep: (term: string) => boolean = () => true): string[] {
  return [...vector.entries()]
    .filter(([term]) => keep(term))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([term]) => term);
}

/** Terms held by more stories than this say little about a subject, and are the costliest to look up. */
export function commonTermLimit(documents: number): number {
  return Math.max(50, Math.ceil(documents * 0.005));
}

/**
 * The terms that look a story's candidates up: its strongest terms held by at least
 * `minimumDocuments` stories and by no more than `commonTermLimit`. A query of common terms would
 * match most of a large site and rank every match; where every strong term is common (a tiny or very
 * uniform corpus), the rarest few are used.
 */
export function queryTerms(
  vector: Vector,
  count: number,
  statistics: CorpusStatistics,
  minimumDocuments = 1,
): string[] {
  const limit = commonTermLimit(statistics.documents);
  const held = (term: string) => statistics.frequencies.get(term) ?? 0;
  const telling = strongestTerms(vector, count, (term) => held(term) >= minimumDocuments && held(term) <= limit);
  if (telling.length > 0) return telling;
  return [...vector.keys()]
    .filter((term) => held(term) >= minimumDocuments)
    .sort((a, b) => held(a) - held(b) || (a < b ? -1 : 1))
    .slice(0, 4);
}
