/**
 * The article in an HTML page, as the wire desk stores it: headline, bylines, date, language,
 * lead image and the body as blocks in reading order. Readability finds the body; the page's
 * JSON-LD and meta tags give the metadata. Scripts are never run: linkedom builds the DOM only.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Block, ParsedWireItem } from '../domain/wire/wire-item.js';
import { collapse, toBlocks } from './html-extractor-blocks.js';
import { removeBoilerplate } from './html-extractor-cleanup.js';
import { decodePage } from './html-extractor-decode.js';
import { readMetadata } from './html-extractor-metadata.js';

export interface ExtractOptions {
  /** Where the page was fetched from: relative links and images resolve against it. */
  url?: string;
  /** The Content-Type the server sent (its charset decides how bytes are read). */
  contentType?: string;
}

const HEAD_TAGS = new Set(['TITLE', 'META', 'LINK', 'BASE']);

/**
 * Parses `html` into a DOM document (no script runs, no resource loads). linkedom builds no
 * implied `<html>`, `<head>` or `<body>`: a fragment or an empty file gets them here, as a
 * browser would give them.
 */
export function parseDocument(html: string): Document {
  const document = parseHTML(html).document as unknown as Document;
  const root = document.documentElement as Element | null;
  if (root?.tagName === 'HTML' && [...root.children].some((child) => child.tagName === 'BODY')) return document;
  const fixed = parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  const [head, body] = [fixed.querySelector('head')!, fixed.querySelector('body')!];
  if (root?.tagName === 'HTML') {
    for (const attribute of [...root.attributes]) fixed.documentElement.setAttribute(attribute.name, attribute.value);
  }
  const nodes = root?.tagName === 'HTML' ? [...root.childNodes] : [...document.childNodes];
  for (const node of nodes) {
    const tag = (node as Element).tagName;
    if (tag === 'HEAD' || tag === 'BODY') {
      for (const child of [...node.childNodes]) (tag === 'HEAD' ? head : body).appendChild(child);
    } else if (node.nodeType === 1 && HEAD_TAGS.has(tag)) head.appendChild(node);
    else if (node.nodeType === 1 || node.nodeType === 3) body.appendChild(node);
  }
  return fixed;
}

function body(document: Document, base: string | undefined): Block[] {
  removeBoilerplate(document);
  const article = new Readability<Element>(document, { serializer: (node) => node as Element }).parse();
  if (!article?.content) return [];
  return toBlocks(article.content, base);
}

const comparable = (text: string) =>
  collapse(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The headline is the item's, not the body's: a heading that repeats it before the text goes. */
function withoutHeadline(blocks: Block[], titles: string[]): Block[] {
  const known = new Set(titles.map(comparable).filter(Boolean));
  const first = blocks.findIndex((block) => block.kind !== 'heading');
  return blocks.filter(
    (block, index) =>
      !(block.kind === 'heading' && (first === -1 || index < first) && known.has(comparable(block.text))),
  );
}

/** The article of one HTML page. */
export function extractArticle(page: string | Uint8Array, options: ExtractOptions = {}): ParsedWireItem {
  const document = parseDocument(decodePage(page, options.contentType));
  const metadata = readMetadata(document, options.url);
  const base = metadata.canonicalUrl ?? options.url;
  const titles = [metadata.headline, document.querySelector('h1')?.textContent ?? '', document.title];
  const blocks = withoutHeadline(body(document, base), titles);
  return {
    format: 'html',
    wireId: null,
    version: 1,
    originalUrl: metadata.canonicalUrl,
    language: metadata.language,
    headline: metadata.headline,
    standfirst: metadata.standfirst,
    bylines: metadata.bylines,
    dateline: '',
    publishedAt: metadata.publishedAt,
    embargoUntil: null,
    rights: metadata.rights,
    topics: metadata.topics,
    leadImage: metadata.leadImage,
    body: blocks,
    bodyIsTeaser: false,
  };
}
