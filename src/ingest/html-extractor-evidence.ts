/**
 * The page's own statement of its text — JSON-LD `articleBody` — as evidence against the DOM
 * reading: when the two agree on most of the story, a block that `articleBody` does not contain at
 * all is furniture (a promo line, a caption, a teaser), and goes. When they disagree (a teaser
 * `articleBody`, a different story) nothing is dropped: the DOM reading stands.
 */
import type { Block } from '../domain/wire/wire-item.js';

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

function textOf(block: Block): string {
  if (block.kind === 'list') return block.items.join(' ');
  if (block.kind === 'figure') return '';
  return block.text;
}

/** `blocks` less those the page's `articleBody` disowns, when it speaks for the story. */
export function agreeWithArticleBody(blocks: Block[], articleBody: string): Block[] {
  const evidenceWords = wordsOf(articleBody);
  if (evidenceWords.length < MIN_EVIDENCE_WORDS) return blocks;
  const evidence = new Set(shingles(evidenceWords));
  const shares = blocks.map((block) => {
    const own = shingles(wordsOf(textOf(block)));
    return { total: own.length, found: own.filter((s) => evidence.has(s)).length };
  });
  const total = shares.reduce((sum, s) => sum + s.total, 0);
  const found = shares.reduce((sum, s) => sum + s.found, 0);
  if (total === 0 || found / total < AGREEMENT) return blocks;
  return blocks.filter((block, index) => {
    const share = shares[index]!;
    if (block.kind === 'figure' || block.kind === 'heading' || share.total < 3) return true;
    return share.found / share.total >= FOREIGN;
  });
}
