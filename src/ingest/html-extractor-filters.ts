/**
 * Blocks that Readability keeps but a reader does not count as the story: date and byline lines,
 * gallery counters ("Image 2 of 5"), lists and paragraphs made of links ("Related: …",
 * "SEE MORE: …"), and the sign-off furniture at the end ("Follow us on Twitter", "Subscribe to our
 * newsletter"). Shape and wording rules, no site names.
 */
import type { Block } from '../domain/wire/wire-item.js';
import type { Piece } from './html-extractor-blocks.js';

const TAIL_START = 0.7;
const CAPTION_WORDS = 40;
const words = (text: string) => text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;

const MONTH =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\b\d{1,2}:\d{2}\b/i;
const DATE_WORDS = /\b(published|updated|posted|last modified|modified|mis à jour|publié|actualizado|aggiornato)\b/i;
const GALLERY_COUNTER = /^\s*(image|photo|picture|slide|foto)?\s*\d+\s*(of|\/|de|di|sur)\s*\/?\s*\d+\s*$/i;
const LEADS_TO_LINKS =
  /^\s*(related|read more|see more|see also|more|also read|read also|watch|don'?t miss|recommended|lire aussi|à lire aussi|voir aussi|leia também|leggi anche)\b\s*[:|-]?/i;
const AD_LABEL = /^\s*(advert|advertisement|advertising|ad|sponsored|publicité|anzeige|publicidad|pubblicità)\s*$/i;
/** A caption written as a paragraph: "Protesters gather (Image: GETTY)". */
const CAPTION_PARAGRAPH = /\((image|images|photo|photos|picture|pic|credit|source|foto)\s*:[^)]*\)\s*$/i;
/** A photo credit line, or a caption that ends with its agency credit. */
const CREDIT_LINE =
  /^\s*(photo|photos|image|picture|credit|foto|file photo)\s*:|\bgetty images\b|\b(ap|afp|reuters|epa|aap)\s*(photo)?\s*\/\s*\p{Lu}|\bphoto\s*(by|:)|\bimage\s*(by|credit)/iu;
const SIGN_OFF =
  /\b(follow (us|him|her|me|them)|on twitter|on facebook|on instagram|newsletter|subscribe|sign up|signup|get the latest|may be reached at|can be reached at|email (him|her|us|me)|contact (him|her|us)|have a tip|news tip|click here|tell us what you think|want more stories|reporting by|editing by|writing by)\b/i;

function textOf(block: Block): string {
  if (block.kind === 'list') return block.items.join(' ');
  if (block.kind === 'figure') return block.caption;
  return block.text;
}

function isCaption(text: string): boolean {
  return CAPTION_PARAGRAPH.test(text) || (words(text) <= CAPTION_WORDS && CREDIT_LINE.test(text));
}

/** "Published 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05" — a line that is only a date. */
function isDateLine(text: string): boolean {
  if (words(text) > 14 || !MONTH.test(text)) return false;
  const rest = text
    .replace(new RegExp(MONTH.source, 'gi'), ' ')
    .replace(/\b\d+\b/g, ' ')
    .replace(DATE_WORDS, ' ')
    .replace(/\b(am|pm|a\.m|p\.m|on|at|by|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/gi, ' ');
  return DATE_WORDS.test(text) || words(rest) <= 3;
}

/** "By Jane Doe - 11/18/19 11:04 PM EST", or a line that only names the author. */
function isBylineLine(text: string, bylines: string[]): boolean {
  if (words(text) > 14) return false;
  // "By", "Par", "Por" and a capitalised name ("di", "von" begin surnames too: not taken).
  if (/^\s*(?:[Bb][Yy]|[Pp]ar|[Pp]or)\s+\p{Lu}/u.test(text)) return true;
  return bylines.some((name) => name && text.trim() === name.trim());
}

function isLinkFurniture(piece: Piece): boolean {
  const { block } = piece;
  if (block.kind === 'list') return piece.linkDensity > 0.8;
  if (block.kind !== 'paragraph') return false;
  const text = block.text;
  if (LEADS_TO_LINKS.test(text) && (piece.linkDensity > 0.3 || words(text) < 12)) return true;
  return piece.linkDensity > 0.8 && words(text) > 3;
}

/** The pieces that belong to the story. */
export function keepStory(pieces: Piece[], bylines: string[]): Block[] {
  const kept = pieces.filter((piece, index) => {
    const text = textOf(piece.block);
    if (piece.block.kind === 'figure') return true;
    if (GALLERY_COUNTER.test(text) || AD_LABEL.test(text)) return false;
    if (piece.block.kind === 'paragraph' && isCaption(text)) return false;
    if (index < 6 && (isDateLine(text) || isBylineLine(text, bylines))) return false;
    return !isLinkFurniture(piece);
  });
  return withoutSignOff(kept).map((piece) => piece.block);
}

const isSignOff = (block: Block) => {
  const text = textOf(block);
  return block.kind !== 'figure' && words(text) < 40 && SIGN_OFF.test(text);
};

/** Lines after which a page has only furniture left: a newsletter or "more stories" prompt. */
const END_OF_STORY =
  /\b(newsletter|subscribe|sign up|signup|get the latest|want more stories|more stories like this|follow us|reporting by|editing by|may be reached at|can be reached at|have a tip|tell us what you think)\b/i;
/** "Follow Newsbeat on Instagram, Facebook and YouTube": a list of networks, not "she said on Twitter". */
const NETWORKS =
  /\b(facebook|twitter|instagram|youtube|tiktok|linkedin)\s*(,|and|&)\s*(facebook|twitter|instagram|youtube|tiktok|linkedin)\b/i;
const isEndOfStory = (block: Block) => {
  const text = textOf(block);
  return block.kind !== 'figure' && words(text) < 40 && (END_OF_STORY.test(text) || NETWORKS.test(text));
};

/**
 * Sign-off furniture sits at the end: past the first sign-off line in the last part of the story
 * ("Want more stories like this?", a newsletter box), what follows is teasers, not the story; then
 * headings with nothing after them, figures and scraps of a word or three go from the tail.
 */
function withoutSignOff(pieces: Piece[]): Piece[] {
  const total = pieces.reduce((sum, piece) => sum + words(textOf(piece.block)), 0);
  let seen = 0;
  let end = pieces.length;
  for (const [index, piece] of pieces.entries()) {
    if (seen > total * TAIL_START && isEndOfStory(piece.block)) {
      end = index;
      break;
    }
    seen += words(textOf(piece.block));
  }
  while (end > 0) {
    const { block } = pieces[end - 1]!;
    if (block.kind === 'figure' || block.kind === 'heading' || words(textOf(block)) <= 3 || isSignOff(block)) end--;
    else break;
  }
  return pieces.slice(0, end);
}
