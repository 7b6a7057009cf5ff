/**
 * The article in an HTML page, as the wire desk stores it: headline, bylines, date, language,
 * lead image and the body as blocks in reading order. Readability finds the body; the page's
 * JSON-LD and meta tags give the metadata. Scripts are never run: linkedom builds the DOM only.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { type Block, blocksToText, type ParsedWireItem } from '../domain/wire/wire-item.js';
import { blockText, collapse, toPieces } from './html-extractor-blocks.js';
import { removeBoilerplate } from './html-extractor-cleanup.js';
import { decodePage } from './html-extractor-decode.js';
import { agreeWithArticleBody } from './html-extractor-evidence.js';
import { keepStory } from './html-extractor-filters.js';
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

const wordCount = (text: string) => text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
const MIN_MARKED_WORDS = 80;

/**
 * A page that marks its body with schema.org microdata (`itemprop="articleBody"`) has said where
 * the story is: when it marks one element with enough text, the search is kept inside it.
 */
function narrowToMarkedBody(document: Document): void {
  const marked = document.body.querySelectorAll('[itemprop~="articleBody" i]');
  if (marked.length !== 1) return;
  const element = marked[0]!;
  if (wordCount(element.textContent ?? '') < MIN_MARKED_WORDS) return;
  document.body.replaceChildren(element);
}

/** Readability's pick of the story's element, or null when it finds none (or trips on the page). */
function readableContent(document: Document): Element | null {
  // Readability works on a copy: on failure the page is still whole for the fallback.
  const copy = document.cloneNode(true) as Document;
  try {
    return new Readability<Element>(copy, { serializer: (node) => node as Element }).parse()?.content ?? null;
  } catch {
    return null;
  }
}

function body(document: Document, base: string | undefined, bylines: string[]): Block[] {
  removeBoilerplate(document);
  narrowToMarkedBody(document);
  const content = readableContent(document) ?? document.body;
  return keepStory(toPieces(content, base), bylines);
}

const comparable = (text: string) =>
  collapse(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const BEFORE_HEADLINE_WORDS = 30;

/**
 * The headline is the item's, not the body's: a heading that repeats it (or the standfirst) near
 * the top goes, and with it the scraps above it ("Sign in", a section name), not the story either.
 */
function withoutHeadline(blocks: Block[], titles: string[]): Block[] {
  const known = new Set(titles.map(comparable).filter(Boolean));
  let before = 0;
  for (const [index, block] of blocks.entries()) {
    if (block.kind === 'heading' && known.has(comparable(block.text))) {
      return withoutHeadline(blocks.slice(index + 1), titles);
    }
    if (block.kind !== 'figure') before += wordCount(blockText(block));
    if (before > BEFORE_HEADLINE_WORDS) break;
  }
  return blocks;
}

/** The article of one HTML page. */
export function extractArticle(page: string | Uint8Array, options: ExtractOptions = {}): ParsedWireItem {
  const document = parseDocument(decodePage(page, options.contentType));
  const metadata = readMetadata(document, options.url);
  const base = metadata.canonicalUrl ?? options.url;
  const titles = [
    metadata.headline,
    document.querySelector('h1')?.textContent ?? '',
    document.title,
    metadata.standfirst,
  ];
  const blocks = agreeWithArticleBody(
    withoutHeadline(body(document, base, metadata.bylines), titles),
    metadata.articleBody,
  );
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
    // A web page names no genre in a vocabulary the desk knows.
    genres: [],
    leadImage: metadata.leadImage,
    body: blocks,
    bodyIsTeaser: false,
  };
}

/**
 * The body as plain text, blocks separated by a blank line and list items on their own lines;
 * figures are left out (their captions are not part of the story's text).
 */
export function articleText(blocks: Block[]): string {
  return blocksToText(blocks.filter((block) => block.kind !== 'figure'));
}
