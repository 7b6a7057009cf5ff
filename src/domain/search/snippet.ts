import { analyzerFor, wordsOf } from './text-analysis.js';

/** A piece of text, marked when it matched the query. Views escape the text and wrap marked pieces. */
export interface Segment {
  text: string;
  match: boolean;
}

/** The whole text, with the words that match `terms` marked (for headlines). */
export function markMatches(text: string, terms: ReadonlySet<string>, language: string): Segment[] {
  const source = text.normalize('NFC');
  return segmentsOf(source, 0, source.length, terms, language);
}

/**
 * The passage of `text` that holds the most different query terms, about `length` words long,
 * cut at word boundaries, with ellipses where it was cut and the matching words marked.
 */
export function snippetOf(text: string, terms: ReadonlySet<string>, language: string, length = 32): Segment[] {
  const source = text.normalize('NFC');
  const analyzer = analyzerFor(language);
  const words = wordsOf(source);
  if (words.length === 0) return [];
  const hits = words.map((word) => (terms.has(analyzer.term(word.text)) ? analyzer.term(word.text) : null));

  // Slide a window of `length` words; keep the one with the most distinct terms, then the most hits.
  let best = 0;
  let bestScore = -1;
  const inWindow = new Map<string, number>();
  let hitCount = 0;
  for (let end = 0; end < words.length; end++) {
    const entering = hits[end];
    if (entering) {
      inWindow.set(entering, (inWindow.get(entering) ?? 0) + 1);
      hitCount++;
    }
    const leaving = end >= length ? hits[end - length] : null;
    if (leaving) {
      const count = (inWindow.get(leaving) ?? 1) - 1;
      if (count === 0) inWindow.delete(leaving);
      else inWindow.set(leaving, count);
      hitCount--;
    }
    const score = inWindow.size * 1000 + hitCount;
    if ((end >= length - 1 || end === words.length - 1) && score > bestScore) {
      bestScore = score;
      best = Math.max(0, end - length + 1);
    }
  }
  // Then give the first hit a few words of context, keeping the window's last hit in view.
  let first = -1;
  let lastHit = -1;
  for (let i = best; i < Math.min(words.length, best + length); i++) {
    if (hits[i] === null) continue;
    if (first < 0) first = i;
    lastHit = i;
  }
  let start = first < 0 ? 0 : Math.max(0, first - 4);
  if (lastHit >= 0 && lastHit > start + length - 1) start = lastHit - length + 1;
  const last = Math.min(words.length - 1, start + length - 1);
  const from = start === 0 ? 0 : words[start]!.start;
  const to = last === words.length - 1 ? source.length : words[last]!.end;
  const segments = segmentsOf(source, from, to, terms, language);
  if (from > 0) segments.unshift({ text: '… ', match: false });
  if (to < source.length) segments.push({ text: ' …', match: false });
  return segments;
}

function segmentsOf(source: string, from: number, to: number, terms: ReadonlySet<string>, language: string) {
  const analyzer = analyzerFor(language);
  const segments: Segment[] = [];
  let cursor = from;
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const previous = segments.at(-1);
    if (previous && previous.match === match && !match) previous.text += text;
    else segments.push({ text, match });
  };
  for (const word of wordsOf(source.slice(from, to))) {
    const start = from + word.start;
    const end = from + word.end;
    if (!terms.has(analyzer.term(word.text))) continue;
    push(source.slice(cursor, start).replace(/\s+/g, ' '), false);
    push(source.slice(start, end), true);
    cursor = end;
  }
  push(source.slice(cursor, to).replace(/\s+/g, ' '), false);
  return segments;
}
