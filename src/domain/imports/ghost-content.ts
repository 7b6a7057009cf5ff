import { renderMarkdown } from '../articles/markdown.js';

/**
 * A Ghost post's body as HTML, for the shared HTML → blocks reader: Ghost's own `html` when the
 * export has it, else its Lexical (5.x) or Mobiledoc (1.x–4.x) document rendered card by card, else
 * 0.x's Markdown.
 * Cards it cannot render are named in `unknown` (the importer flags them), never dropped silently.
 */
export function ghostBodyHtml(post: {
  html?: string | null;
  lexical?: string | null;
  mobiledoc?: string | null;
  /** Ghost 0.x kept the Markdown source. */
  markdown?: string | null;
}): {
  html: string;
  unknown: string[];
} {
  if (post.html) return { html: post.html, unknown: [] };
  const unknown: string[] = [];
  if (post.lexical) {
    const doc = parse(post.lexical) as { root?: LexicalNode } | null;
    if (!doc?.root) return { html: '', unknown: ['lexical'] };
    return { html: lexicalChildren(doc.root, unknown), unknown };
  }
  if (post.mobiledoc) {
    const doc = parse(post.mobiledoc) as Mobiledoc | null;
    if (!doc || !Array.isArray(doc.sections)) return { html: '', unknown: ['mobiledoc'] };
    return { html: mobiledocHtml(doc, unknown), unknown };
  }
  if (post.markdown) return { html: renderMarkdown(post.markdown), unknown };
  return { html: '', unknown };
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

type Card = Record<string, unknown>;

/** The cards both editors share, as HTML; null for a card Kiosque does not know. */
function cardHtml(name: string, card: Card): string | null {
  const caption = (value: unknown) => (value ? `<figcaption>${String(value)}</figcaption>` : '');
  const image = (img: Card) =>
    `<figure><img src="${escapeHtml(img.src)}" alt="${escapeHtml(img.alt)}">${caption(img.caption)}</figure>`;
  switch (name) {
    case 'image':
      return card.src ? image(card) : '';
    case 'gallery':
      return Array.isArray(card.images) ? (card.images as Card[]).map(image).join('') : '';
    case 'html':
      return String(card.html ?? '');
    case 'markdown':
      return renderMarkdown(String(card.markdown ?? ''));
    case 'embed':
      // Ghost keeps the provider's iframe HTML; the reader keeps the link to it.
      return card.url
        ? `<p><a href="${escapeHtml(card.url)}">${escapeHtml(card.url)}</a></p>${caption(card.caption)}`
        : '';
    case 'bookmark': {
      const meta = (card.metadata ?? {}) as Card;
      const title = meta.title || card.url;
      return card.url ? `<p><a href="${escapeHtml(card.url)}">${escapeHtml(title)}</a></p>` : '';
    }
    case 'hr':
    case 'horizontalrule':
      return '<hr>';
    default:
      return null;
  }
}

interface LexicalNode {
  type?: string;
  text?: string;
  format?: number | string;
  tag?: string;
  listType?: string;
  url?: string;
  children?: LexicalNode[];
  [key: string]: unknown;
}

function lexicalChildren(node: LexicalNode, unknown: string[]): string {
  return (node.children ?? []).map((child) => lexicalNode(child, unknown)).join('');
}

function lexicalNode(node: LexicalNode, unknown: string[]): string {
  const inner = () => lexicalChildren(node, unknown);
  switch (node.type) {
    case 'text':
    case 'extended-text': {
      let out = escapeHtml(node.text);
      const format = typeof node.format === 'number' ? node.format : 0;
      if (format & 1) out = `<strong>${out}</strong>`;
      if (format & 2) out = `<em>${out}</em>`;
      return out;
    }
    case 'linebreak':
      return '<br>';
    case 'link':
      return `<a href="${escapeHtml(node.url)}">${inner()}</a>`;
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading':
    case 'extended-heading': {
      const tag = /^h[1-6]$/.test(String(node.tag)) ? node.tag : 'h2';
      return `<${tag}>${inner()}</${tag}>`;
    }
    case 'quote':
    case 'aside':
      return `<blockquote>${inner()}</blockquote>`;
    case 'list': {
      const tag = node.listType === 'number' ? 'ol' : 'ul';
      return `<${tag}>${inner()}</${tag}>`;
    }
    case 'listitem':
      return `<li>${inner()}</li>`;
    default: {
      const html = cardHtml(String(node.type), node);
      if (html !== null) return html;
      unknown.push(String(node.type));
      return node.children ? inner() : '';
    }
  }
}

/** Mobiledoc 0.3: markups, atoms and cards by index; sections of markers. */
interface Mobiledoc {
  markups?: [string, string[]?][];
  atoms?: [string, string, Card][];
  cards?: [string, Card][];
  sections: unknown[][];
}

function mobiledocHtml(doc: Mobiledoc, unknown: string[]): string {
  const markups = doc.markups ?? [];
  const markers = (list: unknown): string => {
    if (!Array.isArray(list)) return '';
    const open: string[] = [];
    let out = '';
    for (const marker of list as [number, number[], number, unknown][]) {
      const [type, opens, closes, value] = marker;
      for (const index of opens ?? []) {
        const [tag = 'span', attrs = []] = markups[index] ?? [];
        const href = tag === 'a' ? attrs[attrs.indexOf('href') + 1] : undefined;
        out += tag === 'a' ? `<a href="${escapeHtml(href)}">` : `<${escapeHtml(tag)}>`;
        open.push(tag);
      }
      out += type === 1 ? escapeHtml(doc.atoms?.[value as number]?.[1]) : escapeHtml(value);
      for (let i = 0; i < closes; i += 1) out += `</${escapeHtml(open.pop())}>`;
    }
    return out;
  };
  return doc.sections
    .map((section) => {
      const [kind, a, b] = section as [number, unknown, unknown];
      if (kind === 1) {
        const tag = /^(p|h[1-6]|blockquote|aside)$/i.test(String(a)) ? String(a).toLowerCase() : 'p';
        const name = tag === 'aside' ? 'blockquote' : tag;
        return `<${name}>${markers(b)}</${name}>`;
      }
      if (kind === 3) {
        const tag = a === 'ol' ? 'ol' : 'ul';
        return `<${tag}>${(Array.isArray(b) ? b : []).map((item) => `<li>${markers(item)}</li>`).join('')}</${tag}>`;
      }
      if (kind === 10) {
        const [name = '', payload = {}] = doc.cards?.[a as number] ?? [];
        const html = cardHtml(name, payload);
        if (html !== null) return html;
        unknown.push(name);
        return '';
      }
      return '';
    })
    .join('');
}
