/**
 * The page's own statement of its text — JSON-LD `articleBody` — as evidence against the DOM
 * reading: when the two agree on most of the story, a block that `articleBody` does not contain at
 * all is furniture (a promo line, a caption, a teaser), and goes. When they disagree (a teaser
 * `articleBody`, a different story) nothing is dropped: the DOM reading stands — unless it found
 * next to nothing (a page whose text a script writes): then `articleBody` is the body.
 */
import type { Block } from '../domain/wire/wire-item.js';
import { blockText } from './html-extractor-blocks.js';

const SHINGLE = 3;
const MIN_EVIDENCE_WORDS = 50;
const AGREEMENT = 0.5;
const FOREIGN = 0.2;

const wordsOf = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) as string[];

function shingles(words: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + SHINGLE <= words.length; i++) found.push(words.slice(i, i + SHINGLE).join(' '));
  return found;
}

/** The DOM reading found less than this share of `articleBody`'s words: it missed the story. */
const MISSED = 0.3;

/** `articleBody` as paragraphs: its line breaks, when it has any, are the only boundaries it gives. */
function paragraphsOf(articleBody: string): Block[] {
  return articleBody
    .split(/\n\s*\n|\r?\n/)
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((text) => ({ kind: 'paragraph', text }));
}

/** `blocks` less those the page's `articleBody` disowns, when it speaks for the story. */
export function agreeWithArticleBody(blocks: Block[], articleBody: string): Block[] {
  const evidenceWords = wordsOf(articleBody);
  if (evidenceWords.length < MIN_EVIDENCE_WORDS) return blocks;
  const found = blocks.reduce(
    (sum, block) => sum + (block.kind === 'figure' ? 0 : wordsOf(blockText(block)).length),
    0,
  );
  if (found < evidenceWords.length * MISSED) return paragraphsOf(articleBody);
  const evidence = new Set(shingles(evidenceWords));
  const shares = blocks.map((block) => {
    const own = block.kind === 'figure' ? [] : shingles(wordsOf(blockText(block)));
    return { total: own.length, found: own.filter((s) => evidence.has(s)).length };
  });
  const total = shares.reduce((sum, s) => sum + s.total, 0);
  const agreed = shares.reduce((sum, s) => sum + s.found, 0);
  if (total === 0 || agreed / total < AGREEMENT) return blocks;
  return blocks.filter((block, index) => {
    const share = shares[index]!;
    if (block.kind === 'figure' || block.kind === 'heading' || share.total < 3) return true;
    return share.found / share.total >= FOREIGN;
  });
}
