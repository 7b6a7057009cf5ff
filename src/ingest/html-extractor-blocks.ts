/**
 * An article's DOM to body blocks in reading order: `<p>` and text-bearing `<div>`s become
 * paragraphs (a double `<br>` splits one), `<h1>`–`<h6>` headings, `<blockquote>` quotes, `<ul>`/`<ol>`
 * lists, `<figure>` and lone images figures with their caption and credit. Text only, never HTML.
 */
import type { Block } from '../domain/wire/wire-item.js';
import { absolute } from './html-extractor-metadata.js';

const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'BUTTON',
  'FORM',
  'INPUT',
  'SELECT',
  'TEXTAREA',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'NAV',
  'ASIDE',
  'FOOTER',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);

export const BLOCK_TAGS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'DL',
  'DT',
  'DD',
  'FIGURE',
  'FIGCAPTION',
  'PRE',
  'TABLE',
  'TR',
  'TD',
  'TH',
  'TBODY',
  'THEAD',
  'HR',
  'ADDRESS',
  'CENTER',
]);

const CREDIT = /credit|copyright|source|photographer|courtesy|attribution/i;
const BREAK = '\u0000';

export const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function hasBlockChild(element: Element): boolean {
  for (const child of element.children) {
    if (BLOCK_TAGS.has(child.tagName) || child.tagName === 'IMG' || child.tagName === 'PICTURE') return true;
    if (!SKIPPED.has(child.tagName) && hasBlockChild(child)) return true;
  }
  return false;
}

/** Visible text of inline content; `<br>` kept as a break mark. */
function inlineText(node: Node): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1) return '';
  const element = node as Element;
  if (SKIPPED.has(element.tagName)) return '';
  if (element.tagName === 'BR') return BREAK;
  let text = '';
  for (const child of element.childNodes) text += inlineText(child);
  return text;
}

/** Text with `<br>`s as spaces, one paragraph's worth. */
export function plainText(node: Node): string {
  return collapse(inlineText(node).replaceAll(BREAK, ' '));
}

function imageSource(image: Element, base: string | undefined): string | null {
  const candidates = [
    image.getAttribute('src'),
    image.getAttribute('data-src'),
    image.getAttribute('data-original'),
    image.getAttribute('data-lazy-src'),
    (image.getAttribute('srcset') ?? image.getAttribute('data-srcset') ?? '').split(',')[0]?.trim().split(/\s+/)[0],
  ];
  for (const candidate of candidates) {
    if (candidate && !candidate.startsWith('data:')) {
      const resolved = absolute(candidate, base);
      if (resolved) return resolved;
    }
  }
  return null;
}

/** Caption and credit of a figure: a credit-classed element, else a trailing "Photo: …" / "©". */
function captionAndCredit(caption: Element | null): { caption: string; credit: string } {
  if (!caption) return { caption: '', credit: '' };
  const creditElements = [...caption.querySelectorAll('*')].filter(
    (element) => CREDIT.test(element.getAttribute('class') ?? '') || element.tagName === 'SMALL',
  );
  const credit = collapse(creditElements.map((element) => plainText(element)).join(' '));
  for (const element of creditElements) element.remove();
  let text = plainText(caption);
  if (credit) return { caption: text, credit };
  const trailing = /\s*[([]?\s*((?:photo|photograph|image|picture|credit|crédit|©)\s*:?.+?)[)\]]?$/i.exec(text);
  if (trailing && trailing.index > 0) {
    text = text.slice(0, trailing.index).trim();
    return { caption: text, credit: collapse(trailing[1]!) };
  }
  return { caption: text, credit: '' };
}

function figure(element: Element, base: string | undefined): Block | null {
  const image = element.tagName === 'IMG' ? element : element.querySelector('img');
  const caption = element.tagName === 'FIGURE' ? element.querySelector('figcaption') : null;
  const src = image ? imageSource(image, base) : null;
  const { caption: captionText, credit } = captionAndCredit(caption);
  if (!src && !captionText) return null;
  return {
    kind: 'figure',
    src: src ?? '',
    alt: collapse(image?.getAttribute('alt') ?? ''),
    caption: captionText,
    credit,
  };
}

function headingLevel(tag: string): 2 | 3 | 4 {
  if (tag === 'H1' || tag === 'H2') return 2;
  return tag === 'H3' ? 3 : 4;
}

function listItems(list: Element): string[] {
  return [...list.children]
    .filter((child) => child.tagName === 'LI')
    .map((item) => plainText(item))
    .filter(Boolean);
}

function quote(element: Element): Block | null {
  const citeElement = element.querySelector('cite, footer');
  const cite = citeElement ? plainText(citeElement) : '';
  citeElement?.remove();
  // Its paragraphs and the loose text between them (an embedded post's "— Name (@handle) date").
  const parts: string[] = [];
  let loose = '';
  const flushLoose = () => {
    if (collapse(loose)) parts.push(collapse(loose));
    loose = '';
  };
  for (const child of element.childNodes) {
    if (child.nodeType === 1 && BLOCK_TAGS.has((child as Element).tagName)) {
      flushLoose();
      parts.push(plainText(child));
    } else loose += plainText(child) ? ` ${plainText(child)}` : child.nodeType === 3 ? ' ' : '';
  }
  flushLoose();
  const text = parts.filter(Boolean).join('\n\n');
  if (!text) return null;
  return cite ? { kind: 'quote', text, cite } : { kind: 'quote', text };
}

/** A block and the share of its text that sits in links (page furniture is mostly links). */
export interface Piece {
  block: Block;
  linkDensity: number;
}

function linkedLength(element: Element): number {
  if (element.tagName === 'A') return plainText(element).length;
  return [...element.querySelectorAll('a')].reduce((sum, link) => sum + plainText(link).length, 0);
}

const TEXT_BLOCK_BREAKERS = new Set([...BLOCK_TAGS].filter((tag) => tag !== 'P'));

/** A `<p>` holding only inline content (images inside a sentence do not break it). */
function isInlineParagraph(element: Element): boolean {
  return (
    element.tagName === 'P' &&
    (plainText(element) !== '' || !element.querySelector('img')) &&
    !element.querySelector([...TEXT_BLOCK_BREAKERS].join(','))
  );
}

/** The blocks of `root` in document order, each with its link density. */
export function toPieces(root: Element, base: string | undefined): Piece[] {
  const pieces: Piece[] = [];
  let pending = '';
  let pendingLinked = 0;
  const flush = () => {
    const parts = pending.split(new RegExp(`\\s*${BREAK}\\s*${BREAK}[\\s${BREAK}]*`));
    const total = collapse(pending.replaceAll(BREAK, ' ')).length;
    for (const part of parts) {
      const text = collapse(part.replaceAll(BREAK, ' '));
      if (text) pieces.push({ block: { kind: 'paragraph', text }, linkDensity: total ? pendingLinked / total : 0 });
    }
    pending = '';
    pendingLinked = 0;
  };
  const push = (block: Block | null, element: Element) => {
    flush();
    if (!block) return;
    const length = collapse(element.textContent ?? '').length;
    pieces.push({ block, linkDensity: length ? Math.min(1, linkedLength(element) / length) : 0 });
  };
  const inline = (element: Element) => {
    pending += inlineText(element);
    pendingLinked += linkedLength(element);
  };

  const walk = (node: Node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === 3) {
        pending += child.nodeValue ?? '';
        continue;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const tag = element.tagName;
      if (SKIPPED.has(tag)) continue;
      if (/^H[1-6]$/.test(tag)) {
        const text = plainText(element);
        push(text ? { kind: 'heading', level: headingLevel(tag), text } : null, element);
      } else if (tag === 'BLOCKQUOTE') push(quote(element), element);
      else if (tag === 'UL' || tag === 'OL') {
        const items = listItems(element);
        push(items.length ? { kind: 'list', ordered: tag === 'OL', items } : null, element);
      } else if (tag === 'FIGURE' || tag === 'IMG' || tag === 'PICTURE') push(figure(element, base), element);
      else if (tag === 'PRE' || tag === 'TR') {
        const text = plainText(element);
        push(text ? { kind: 'paragraph', text } : null, element);
      } else if (tag === 'HR') flush();
      else if (isInlineParagraph(element)) {
        flush();
        inline(element);
        flush();
      } else if (BLOCK_TAGS.has(tag) || hasBlockChild(element)) {
        flush();
        walk(element);
        flush();
      } else inline(element);
    }
  };
  walk(root);
  flush();
  return pieces;
}

/** The blocks of `root`, in document order. */
export function toBlocks(root: Element, base: string | undefined): Block[] {
  return toPieces(root, base).map((piece) => piece.block);
}
