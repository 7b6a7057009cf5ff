/**
 * The article-extraction score defined in the data's README (the Zyte article-extraction
 * benchmark's): 4-word shingles of Unicode `\w+` runs, per-page true/false positives and false
 * negatives, mean precision and mean recall over pages, F1 of those two means. Used by
 * `npm run bench:extraction` and by the extractor's quality regression test, so both count alike.
 */

/** Python's `\w` on str: letters, numbers (any kind) and the underscore. */
const WORD = /[\p{L}\p{N}_]+/gu;
const SHINGLE = 4;

function shingles(text: string): Map<string, number> {
  const words = text.match(WORD) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const key = words.slice(i, i + SHINGLE).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  /** null when the page has no shingle in the extracted text (left out of the mean). */
  precision: number | null;
  /** null when the page has no shingle in the expected text (left out of the mean). */
  recall: number | null;
}

/** One page's counts, normalised so that every page weighs the same. */
export function scorePage(expected: string, extracted: string): PageScore {
  const truth = shingles(expected);
  const found = shingles(extracted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, count] of found) {
    const common = Math.min(count, truth.get(key) ?? 0);
    tp += common;
    fp += count - common;
  }
  for (const [key, count] of truth) fn += count - Math.min(count, found.get(key) ?? 0);
  if (fp === 0 && fn === 0) return { tp, fp, fn, precision: 1, recall: 1 };
  const sum = tp + fp + fn;
  const [ntp, nfp, nfn] = [tp / sum, fp / sum, fn / sum];
  return {
    tp: ntp,
    fp: nfp,
    fn: nfn,
    precision: ntp + nfp > 0 ? ntp / (ntp + nfp) : null,
    recall: ntp + nfn > 0 ? ntp / (ntp + nfn) : null,
  };
}

export interface Score {
  pages: number;
  precision: number;
  recall: number;
  f1: number;
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** Mean precision and recall over the pages, and the F1 of those two means. */
export function summarize(scores: PageScore[]): Score {
  const precision = mean(scores.flatMap((s) => (s.precision === null ? [] : [s.precision])));
  const recall = mean(scores.flatMap((s) => (s.recall === null ? [] : [s.recall])));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { pages: scores.length, precision, recall, f1 };
}

/** F1 of one page (what the regression test holds each fixture to). */
export function pageF1(score: PageScore): number {
  const p = score.precision ?? 0;
  const r = score.recall ?? 0;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}
