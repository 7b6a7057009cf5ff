import { parseHTML } from 'linkedom';
import type { Block, RichBlock } from '../domain/wire/wire-item.js';
import { escapeInline, escapeLineStart, markdownLink } from '../domain/wire/wire-markdown.js';
import {
  collapse,
  invalidDocument,
  isElement,
  maxXmlDepth,
  textOf,
  type XmlElement,
  type XmlNode,
} from './xml-tree.js';

/**
 * One way from a body's markup to `Block[]`, for every format: ninjs `body_html`, NITF
 * `body.content`, NewsML-G2 XHTML, feed content. HTML strings are parsed by linkedom (never run)
 * into the same small tree the XML parser builds; the walk below turns either into plain-text
 * blocks. Nothing of the markup survives except its structure.
 */

export interface BlockOptions {
  /** A leading heading equal to the headline repeats it; it is dropped. */
  headline?: string;
  /** Relative image addresses are resolved against it; without it they are dropped. */
  baseUrl?: string | null;
  /** An element already read elsewhere (a quote's citation). */
  skip?: XmlElement;
  /**
   * Imports (`htmlToRichBlocks`): tables stay tables, embedded media (iframes, WordPress embed
   * figures) become `embed` blocks, and every image of a gallery is a figure of its own.
   */
  rich?: boolean;
}

/** Elements whose content is never copy. */
const dropped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'svg',
  'math',
  'canvas',
  'head',
  'title',
  'meta',
  'link',
  'nav',
  'audio',
  'video',
  'source',
  'track',
  'map',
]);

/** Elements that start a new block (the others are inline and feed the current paragraph). */
const containers = new Set([
  'html',
  'body',
  'main',
  'article',
  'section',
  'div',
  'header',
  'footer',
  'aside',
  'address',
  'center',
  'dl',
  'dt',
  'dd',
  'li',
  'block',
  'body.content',
  'body.end',
  'tagline',
  'inlinexml',
  'tbody',
  'thead',
  'tfoot',
  'caption',
  'fn',
  'nitf-table',
  'nitf-table-metadata',
  'abstract',
  'pre',
]);

const headingLevels: Record<string, 2 | 3 | 4> = {
  h1: 2,
  h2: 2,
  hl1: 2,
  hl2: 2,
  h3: 3,
  h4: 4,
  h5: 4,
  h6: 4,
};

/** An http(s) address, resolved against the base when relative; null for any other scheme. */
export function safeUrl(value: string | undefined | null, baseUrl?: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const url = baseUrl ? new URL(trimmed, baseUrl) : new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const lower = (element: XmlElement) => element.name.toLowerCase();

function hasClass(element: XmlElement, pattern: RegExp): boolean {
  return pattern.test(element.attrs.class ?? '');
}

/**
 * Descendants matching a test, breadth first, looking at no more than `budget` elements: figures
 * and quotes are small, and a bounded search keeps a hostile nesting of them linear.
 */
function findAll(element: XmlElement, test: (element: XmlElement) => boolean, budget = 400): XmlElement[] {
  const found: XmlElement[] = [];
  const queue: XmlElement[] = [element];
  for (let index = 0; index < queue.length && index < budget; index++) {
    const current = queue[index]!;
    if (current !== element && test(current)) found.push(current);
    for (const node of current.children) if (isElement(node) && queue.length < budget) queue.push(node);
  }
  return found;
}

const creditPattern = /\b(byline|credit|copyright|photographer|source)\b/i;

function figureOf(element: XmlElement, options: BlockOptions): Block | null {
  const tag = lower(element);
  if (tag === 'media') {
    const reference = findAll(element, (node) => lower(node) === 'media-reference')[0];
    const caption = textOf(findAll(element, (node) => lower(node) === 'media-caption')[0]);
    const credit = textOf(findAll(element, (node) => lower(node) === 'media-producer')[0]);
    const src = safeUrl(reference?.attrs.source, options.baseUrl);
    const alt = reference?.attrs['alternate-text'] ?? reference?.attrs.alt ?? '';
    return src ? { kind: 'figure', src, alt: collapse(alt) || caption, caption, credit } : null;
  }
  const image = tag === 'img' ? element : findAll(element, (node) => lower(node) === 'img')[0];
  const src = safeUrl(image?.attrs.src, options.baseUrl);
  if (!image || !src) return null;
  const captionElement = findAll(element, (node) => lower(node) === 'figcaption')[0];
  const creditElement = findAll(element, (node) => hasClass(node, creditPattern) || lower(node) === 'credit')[0];
  const credit = textOf(creditElement);
  let caption = textOf(captionElement);
  if (credit && caption.endsWith(credit)) caption = caption.slice(0, -credit.length).trim();
  return { kind: 'figure', src, alt: collapse(image.attrs.alt ?? '') || caption, caption, credit };
}

/** Names of the providers whose embeds an import keeps, by the host of their address. */
const embedProviders: [RegExp, string][] = [
  [/(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$/, 'YouTube'],
  [/(^|\.)vimeo\.com$/, 'Vimeo'],
  [/(^|\.)(twitter\.com|x\.com)$/, 'X'],
  [/(^|\.)instagram\.com$/, 'Instagram'],
  [/(^|\.)soundcloud\.com$/, 'SoundCloud'],
  [/(^|\.)spotify\.com$/, 'Spotify'],
  [/(^|\.)dailymotion\.com$/, 'Dailymotion'],
  [/(^|\.)tiktok\.com$/, 'TikTok'],
  [/(^|\.)facebook\.com$/, 'Facebook'],
];

/** The provider of an embedded address ("YouTube"), or null when it is not one Kiosque knows. */
export function embedProvider(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return embedProviders.find(([pattern]) => pattern.test(host))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** An embed figure (WordPress `wp-block-embed`) or an iframe, as an `embed` block; null otherwise. */
function embedOf(element: XmlElement, options: BlockOptions): RichBlock | null {
  const tag = lower(element);
  if (tag === 'iframe') {
    const url = safeUrl(element.attrs.src, options.baseUrl);
    return url ? { kind: 'embed', url, provider: embedProvider(url), caption: '' } : null;
  }
  if (tag !== 'figure' || !hasClass(element, /\bwp-block-embed\b/)) return null;
  const frame = findAll(element, (node) => lower(node) === 'iframe')[0];
  const captionElement = findAll(element, (node) => lower(node) === 'figcaption')[0];
  const wrapper = element.children.filter((node) => node !== captionElement);
  const written = /https?:\/\/\S+/.exec(textOf({ ...element, children: wrapper }))?.[0];
  const url = safeUrl(frame?.attrs.src ?? written, options.baseUrl);
  return url ? { kind: 'embed', url, provider: embedProvider(url), caption: textOf(captionElement) } : null;
}

/** Blocks of a parsed body (an element's children, or a list of nodes). */
export function treeToBlocks(nodes: XmlNode[], options: BlockOptions = {}): Block[] {
  // Without `rich` no table or embed block is made: the wire's own kinds only.
  return walk(nodes, { ...options, rich: false }) as Block[];
}

function walk(nodes: XmlNode[], options: BlockOptions): RichBlock[] {
  const blocks: RichBlock[] = [];
  let inline = '';
  // The same words as Markdown with their links (imports only: `rich`); used when one was kept.
  let inlineMarkdown = '';
  let linked = false;
  // Feeds often separate paragraphs with <br><br> instead of <p>: two breaks in a row end one.
  let breaks = 0;
  let pendingFigures: RichBlock[] = [];
  const flush = () => {
    const text = collapse(inline);
    if (text && linked) {
      blocks.push({ kind: 'paragraph', text, markdown: escapeLineStart(inlineMarkdown.replace(/\s+/g, ' ').trim()) });
    } else if (text) blocks.push({ kind: 'paragraph', text });
    inline = '';
    inlineMarkdown = '';
    linked = false;
    breaks = 0;
    blocks.push(...pendingFigures);
    pendingFigures = [];
  };

  const visit = (node: XmlNode): void => {
    if (typeof node === 'string') {
      inline += node;
      inlineMarkdown += escapeInline(node);
      if (/\S/.test(node)) breaks = 0;
      return;
    }
    const tag = lower(node);
    // A link in running text keeps its address (imports); one around an image is read for the image.
    if (options.rich && tag === 'a' && findAll(node, (n) => lower(n) === 'img').length === 0) {
      const href = safeUrl(node.attrs.href, options.baseUrl);
      const words = textOf(node);
      if (href && words) {
        inline += words;
        inlineMarkdown += markdownLink(words, href);
        linked = true;
        breaks = 0;
        return;
      }
    }
    if (options.rich && (tag === 'iframe' || tag === 'figure')) {
      const embed = embedOf(node, options);
      if (embed) {
        flush();
        blocks.push(embed);
        return;
      }
    }
    if (dropped.has(tag) || node === options.skip) return;
    if (tag === 'br') {
      breaks += 1;
      if (breaks >= 2) flush();
      else {
        inline += ' ';
        inlineMarkdown += ' ';
      }
      return;
    }
    if (tag === 'img' || tag === 'media') {
      const figure = figureOf(node, options);
      if (figure) pendingFigures.push(figure);
      else if (tag === 'media') {
        // A NITF media element without a usable image still has a caption worth keeping.
        const caption = textOf(findAll(node, (element) => lower(element) === 'media-caption')[0]);
        if (caption) pendingFigures.push({ kind: 'paragraph', text: caption });
      }
      return;
    }
    const level = headingLevels[tag];
    if (level) {
      flush();
      const text = textOf(node);
      const repeatsHeadline = blocks.length === 0 && options.headline && collapse(options.headline) === text;
      if (text && !repeatsHeadline) blocks.push({ kind: 'heading', level, text });
      return;
    }
    if (tag === 'p' || tag === 'hedline') {
      flush();
      for (const child of node.children) visit(child);
      flush();
      return;
    }
    // A gallery (a figure or list holding several images) gives each image its own figure; a figure
    // without an image (a table's) is read for what it holds.
    const images =
      options.rich && (tag === 'figure' || tag === 'ul') ? findAll(node, (n) => lower(n) === 'img').length : 1;
    if (images > 1 || (tag === 'figure' && images === 0)) {
      flush();
      for (const child of node.children) visit(child);
      flush();
      return;
    }
    if (tag === 'figure') {
      flush();
      const figure = figureOf(node, options);
      if (figure) blocks.push(figure);
      else {
        const text = textOf(node);
        if (text) blocks.push({ kind: 'paragraph', text });
      }
      return;
    }
    if (tag === 'blockquote' || tag === 'bq') {
      flush();
      const isCite = (element: XmlElement) => ['cite', 'credit', 'footer'].includes(lower(element));
      const citeElement = findAll(node, isCite, 40)[0];
      const inner = walk(node.children, { baseUrl: options.baseUrl, skip: citeElement, rich: options.rich });
      const text = inner
        .map((block) => (block.kind === 'list' ? block.items.join('\n') : 'text' in block ? block.text : ''))
        .filter((part) => part !== '')
        .join('\n');
      const cite = textOf(citeElement).replace(/^[—–-]\s*/, '');
      if (text) blocks.push(cite ? { kind: 'quote', text, cite } : { kind: 'quote', text });
      blocks.push(...inner.filter((block) => block.kind === 'figure'));
      return;
    }
    if (tag === 'ul' || tag === 'ol') {
      flush();
      const items = node.children
        .filter((child): child is XmlElement => isElement(child) && lower(child) === 'li')
        .map((item) => textOf(item))
        .filter((text) => text !== '');
      if (items.length > 0) blocks.push({ kind: 'list', ordered: tag === 'ol', items });
      else for (const child of node.children) visit(child);
      return;
    }
    if (tag === 'table') {
      flush();
      const sections = node.children.filter(
        (child): child is XmlElement => isElement(child) && ['thead', 'tbody', 'tfoot'].includes(lower(child)),
      );
      const rows = [node, ...sections].flatMap((parent) =>
        parent.children.filter((child): child is XmlElement => isElement(child) && lower(child) === 'tr'),
      );
      if (options.rich) {
        const cells = rows
          .map((row) =>
            row.children
              .filter((cell): cell is XmlElement => isElement(cell) && ['td', 'th'].includes(lower(cell)))
              .map((cell) => textOf(cell)),
          )
          .filter((row) => row.some((cell) => cell !== ''));
        if (cells.length > 0) blocks.push({ kind: 'table', rows: cells });
        return;
      }
      for (const row of rows) {
        const cells = row.children
          .filter((cell): cell is XmlElement => isElement(cell) && ['td', 'th'].includes(lower(cell)))
          .map((cell) => textOf(cell))
          .filter((text) => text !== '');
        if (cells.length > 0) blocks.push({ kind: 'paragraph', text: cells.join(' | ') });
      }
      return;
    }
    if (tag === 'hr') {
      flush();
      return;
    }
    if (containers.has(tag)) {
      flush();
      for (const child of node.children) visit(child);
      flush();
      return;
    }
    for (const child of node.children) visit(child);
  };

  for (const node of nodes) visit(node);
  flush();
  return blocks;
}

/** Turns an HTML fragment (or page) into the same tree the XML parser builds, depth-capped. */
export function htmlToTree(html: string): XmlElement {
  const { document } = parseHTML(`<!doctype html><html><body><div id="kiosque-body">${html}</div></body></html>`);
  const top = document.getElementById('kiosque-body') ?? document.body;
  const root: XmlElement = { name: 'div', uri: '', attrs: {}, children: [], line: 0 };
  const stack: { from: Node; to: XmlElement; depth: number }[] = [{ from: top, to: root, depth: 0 }];
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop()!;
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === 3) to.children.push(node.textContent ?? '');
      else if (node.nodeType === 1) {
        if (depth + 1 > maxXmlDepth) throw invalidDocument('too-deep');
        const source = node as Element;
        const attrs: Record<string, string> = {};
        for (const attribute of Array.from(source.attributes)) attrs[attribute.name] = attribute.value;
        const element: XmlElement = { name: source.localName, uri: '', attrs, children: [], line: 0 };
        to.children.push(element);
        stack.push({ from: source, to: element, depth: depth + 1 });
      }
    }
  }
  return root;
}

/** Blocks of an HTML fragment. */
export function htmlToBlocks(html: string, options: BlockOptions = {}): Block[] {
  if (!/[<&]/.test(html)) return textToBlocks(html);
  return treeToBlocks([htmlToTree(html)], options);
}

/** Blocks of an HTML fragment as imports keep them: tables, embeds and each gallery image too. */
export function htmlToRichBlocks(html: string, options: BlockOptions = {}): RichBlock[] {
  if (!/[<&]/.test(html)) return textToBlocks(html);
  return walk([htmlToTree(html)], { ...options, rich: true });
}

/** Plain text of an HTML fragment (a summary, an escaped title). */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapse(html);
  return textOf(htmlToTree(html));
}

/** Blocks of plain text: paragraphs at blank lines, or at line breaks when there are none. */
export function textToBlocks(text: string): Block[] {
  const normalised = text.replace(/\r\n?/g, '\n').trim();
  if (normalised === '') return [];
  const parts = /\n\s*\n/.test(normalised) ? normalised.split(/\n\s*\n/) : normalised.split('\n');
  return parts
    .map((part) => collapse(part))
    .filter((part) => part !== '')
    .map((part) => ({ kind: 'paragraph', text: part }));
}
