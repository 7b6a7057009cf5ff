import type { DemoArticle } from '../../src/demo/demo-loader.js';
import type { Catalog } from '../../src/domain/i18n/translator.js';
import { attributesOf, byClass, textOf } from './html.js';

/**
 * Finding interface text ("chrome") of one language on a page of another: the pieces a reader
 * sees of each catalog message, and what a page shows once the newsroom's own words are removed.
 * (The same approach as test/integration/languages.test.ts.)
 */

/**
 * The literal text of an ICU message, in pieces: what a reader sees whatever the values.
 * Placeholders (`{name}`, `#`) split the text; plural and select branches are read as messages.
 */
export function literalParts(message: string): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (let i = 0; i < message.length; i++) {
    const char = message[i]!;
    if (char === '#') {
      flush();
    } else if (char === '{') {
      flush();
      let depth = 1;
      let j = i + 1;
      for (; j < message.length && depth > 0; j++) depth += message[j] === '{' ? 1 : message[j] === '}' ? -1 : 0;
      for (const branch of topLevelGroups(message.slice(i + 1, j - 1))) parts.push(...literalParts(branch));
      i = j - 1;
    } else {
      current += char;
    }
  }
  flush();
  return parts;
}

function topLevelGroups(text: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{' && depth++ === 0) start = i + 1;
    else if (text[i] === '}' && --depth === 0) groups.push(text.slice(start, i));
  }
  return groups;
}

const letters = /\p{L}/u;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `needle` as a whole word or phrase (not inside a longer word). */
export const containsWords = (haystack: string, needle: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u').test(haystack);

// Attributes that hold addresses or machine values, not words a reader sees or hears.
const technicalAttributes = new Set([
  'href',
  'src',
  'srcset',
  'data-full-srcset',
  'data-share-url',
  'action',
  'class',
  'id',
  'datetime',
  'sizes',
  'rel',
  // OpenGraph's property names (og:title, article:author), machine vocabulary like a meta name.
  'property',
  'type',
  'name',
  'for',
  'lang',
  'hreflang',
  'dir',
  'charset',
  'method',
  'autocomplete',
  'inputmode',
  'loading',
  'decoding',
  'fetchpriority',
  'target',
  'data-network',
  'aria-labelledby',
]);

/** Words written by the newsroom: they are in the article's language by definition, not chrome. */
export function contentStrings(demo: DemoArticle[], extra: string[] = []): string[] {
  const strings = new Set<string>(extra);
  for (const article of demo) {
    strings.add(article.headline);
    strings.add(article.standfirst);
    strings.add(article.section.name);
    for (const tag of article.tags) strings.add(tag.name);
    for (const author of article.authors) {
      strings.add(author.name);
      for (const bio of Object.values(author.bio)) strings.add(bio);
    }
    if (article.source) strings.add(article.source.name);
    for (const image of [...(article.hero ? [article.hero] : []), ...article.gallery]) {
      strings.add(image.alt);
      strings.add(image.caption);
      strings.add(image.credit);
    }
  }
  return [...strings].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
}

const machineMeta =
  /<meta\b[^>]*\b(?:name|property)="(?:robots|twitter:card|og:type|og:locale|og:locale:alternate|og:image:width|og:image:height|article:published_time|article:modified_time)"[^>]*>/gi;

/** What a reader of the page sees or hears, with the newsroom's own words taken out. */
export function chromeOf(html: string, content: string[]): string {
  const withoutBody = byClass(html, 'div', 'story__body')
    .reduce((page, body) => page.replace(body, ''), html)
    // A hidden field's value ("/ar/newsletter") is for the server, never shown or read out.
    .replace(/<input\b[^>]*\btype="hidden"[^>]*>/gi, '')
    // Meta tags whose content is a keyword or a number for machines ("article", "summary_large_image",
    // "max-image-preview:large", "fr_FR", "1200"), not words a reader sees or hears.
    .replace(machineMeta, '');
  const attributes = [...withoutBody.matchAll(/<[a-z][a-z0-9]*\b[^>]*>/gi)].flatMap((tag) =>
    Object.entries(attributesOf(tag[0]))
      // An absolute URL in any attribute (og:url, og:image, article:author) is an address, not words.
      .filter(([name, value]) => value !== '' && !technicalAttributes.has(name) && !/^https?:\/\/\S+$/.test(value))
      .map(([, value]) => value),
  );
  let text = [textOf(withoutBody), ...attributes].join(' | ');
  for (const piece of content) text = text.split(piece).join(' ¦ ');
  return text;
}

/**
 * Pieces of other catalogs' messages found in `chrome`, as "piece (language key)". A piece that the
 * page's own catalog also uses ("Photo", "RSS") proves nothing either way and is skipped.
 */
export function foreignChrome(chrome: string, language: string, catalogs: Map<string, Catalog>): string[] {
  return foreignPieces(language, catalogs)
    .filter(({ part }) => chrome.includes(part) && containsWords(chrome, part))
    .map(({ part, label }) => `"${part}" (${label})`);
}

const piecesByLanguage = new WeakMap<Map<string, Catalog>, Map<string, { part: string; label: string }[]>>();

/** What would betray another catalog on a page of `language`: worked out once per language. */
function foreignPieces(language: string, catalogs: Map<string, Catalog>): { part: string; label: string }[] {
  const known = piecesByLanguage.get(catalogs) ?? new Map<string, { part: string; label: string }[]>();
  piecesByLanguage.set(catalogs, known);
  const cached = known.get(language);
  if (cached) return cached;
  const own = catalogs.get(language)!;
  // One string to search, rather than a regular expression per pair of pieces: pieces hold no line break.
  const ownText = Object.values(own).flatMap(literalParts).join('\n');
  const pieces: { part: string; label: string }[] = [];
  for (const [other, catalog] of catalogs) {
    if (other === language) continue;
    for (const [key, message] of Object.entries(catalog)) {
      if (message === own[key as keyof Catalog]) continue;
      for (const part of literalParts(message)) {
        if (!letters.test(part) || (ownText.includes(part) && containsWords(ownText, part))) continue;
        pieces.push({ part, label: `${other} ${key}` });
      }
    }
  }
  known.set(language, pieces);
  return pieces;
}
