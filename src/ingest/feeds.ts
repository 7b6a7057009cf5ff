import type { Block, ParsedWireItem } from '../domain/wire/wire-item.js';
import { htmlToBlocks, htmlToText, safeUrl, textToBlocks, treeToBlocks } from './html-blocks.js';
import { parseWireDate } from './wire-dates.js';
import { blankItem, distinctTexts, languageTag, nonEmpty, rightsText, withinItemCap } from './wire-fields.js';
import { child, childElements, collapse, rawText, textOf, type XmlElement } from './xml-tree.js';

/**
 * RSS 2.0 (and RSS 1.0 / RDF) and Atom feeds: each item or entry is one ParsedWireItem.
 * The full text is `content:encoded` / `atom:content`; an item that has only a description or
 * summary is a teaser (`bodyIsTeaser`), to be completed from its link by the extractor.
 */

export const atomNs = 'http://www.w3.org/2005/Atom';
const contentNs = 'http://purl.org/rss/1.0/modules/content/';
const dcNs = 'http://purl.org/dc/elements/1.1/';
const mediaNs = 'http://search.yahoo.com/mrss/';
export const rdfNs = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const rss1Ns = 'http://purl.org/rss/1.0/';

/** An RSS description this long or longer is taken as the story itself, not a teaser. */
export const teaserMaxCharacters = 1000;

const dc = (element: XmlElement, name: string) => childElements(element, name, dcNs).map((node) => textOf(node));

function imageFromMedia(element: XmlElement, baseUrl: string | null): ParsedWireItem['leadImage'] {
  const groups = [element, ...childElements(element, 'group', mediaNs)];
  for (const group of groups) {
    for (const media of [...childElements(group, 'content', mediaNs), ...childElements(group, 'thumbnail', mediaNs)]) {
      const type = media.attrs.type ?? '';
      const medium = media.attrs.medium ?? '';
      if (media.name === 'content' && !type.startsWith('image/') && medium !== 'image') continue;
      const src = safeUrl(media.attrs.url, baseUrl);
      if (!src) continue;
      const caption = textOf(child(media, 'description', mediaNs) ?? child(group, 'description', mediaNs));
      const title = textOf(child(media, 'title', mediaNs) ?? child(group, 'title', mediaNs));
      const credit = textOf(child(media, 'credit', mediaNs) ?? child(group, 'credit', mediaNs));
      return { src, alt: title || caption, caption: caption ? htmlToText(caption) : '', credit };
    }
  }
  return null;
}

/** Body and teaser flag from the full content (if any) and the summary. */
function feedBody(
  full: Block[] | null,
  summary: Block[],
  link: string | null,
  summaryIsTeaser: boolean,
): { body: Block[]; bodyIsTeaser: boolean } {
  if (full && full.length > 0) return { body: full, bodyIsTeaser: false };
  return { body: summary, bodyIsTeaser: link !== null && (summary.length === 0 || summaryIsTeaser) };
}

function rssItem(item: XmlElement, channel: XmlElement | null): ParsedWireItem {
  const parsed = blankItem('rss');
  const guid = child(item, 'guid');
  const link = safeUrl(textOf(child(item, 'link')) || item.attrs['rdf:about']);
  const guidText = textOf(guid);
  const guidIsLink = guid?.attrs.isPermaLink !== 'false' ? safeUrl(guidText) : null;
  parsed.wireId = nonEmpty(guidText) ?? link;
  parsed.originalUrl = link ?? guidIsLink;
  parsed.language = languageTag(
    dc(item, 'language')[0] ?? textOf(child(channel, 'language')) ?? dc(channel ?? item, 'language')[0],
  );
  parsed.headline = htmlToText(rawText(child(item, 'title')));
  const encoded = child(item, 'encoded', contentNs);
  const description = rawText(child(item, 'description'));
  const full = encoded
    ? htmlToBlocks(rawText(encoded), { headline: parsed.headline, baseUrl: parsed.originalUrl })
    : null;
  const summary = htmlToBlocks(description, { headline: parsed.headline, baseUrl: parsed.originalUrl });
  const isShort = htmlToText(description).length < teaserMaxCharacters;
  const { body, bodyIsTeaser } = feedBody(full, summary, parsed.originalUrl, isShort);
  parsed.body = body;
  parsed.bodyIsTeaser = bodyIsTeaser;
  parsed.standfirst = full || bodyIsTeaser ? htmlToText(description) : '';
  const author = textOf(child(item, 'author'));
  // "jane@example.org (Jane Doe)": the name; an address alone is kept as given.
  const authorName = /\(([^)]+)\)\s*$/.exec(author)?.[1] ?? author;
  parsed.bylines = distinctTexts([...dc(item, 'creator'), authorName]);
  parsed.publishedAt = parseWireDate(textOf(child(item, 'pubDate')) || dc(item, 'date')[0]);
  parsed.rights = rightsText([
    ...dc(item, 'rights'),
    textOf(child(channel, 'copyright')),
    ...(channel ? dc(channel, 'rights') : []),
  ]);
  parsed.topics = distinctTexts([
    ...childElements(item, 'category').map((node) => textOf(node)),
    ...dc(item, 'subject'),
  ]);
  const enclosure = childElements(item, 'enclosure').find((node) => (node.attrs.type ?? '').startsWith('image/'));
  const enclosureSrc = safeUrl(enclosure?.attrs.url, parsed.originalUrl);
  parsed.leadImage =
    imageFromMedia(item, parsed.originalUrl) ??
    (enclosureSrc ? { src: enclosureSrc, alt: '', caption: '', credit: '' } : null);
  return parsed;
}

/** Items of an RSS 2.0 (`rss/channel/item`) or RSS 1.0 (`rdf:RDF/item`) document. */
export function rssItems(root: XmlElement): ParsedWireItem[] {
  if (root.name === 'RDF') {
    const channel = child(root, 'channel', rss1Ns);
    return withinItemCap(childElements(root, 'item', rss1Ns)).map((item) => rssItem(item, channel));
  }
  const channel = child(root, 'channel');
  return withinItemCap(childElements(channel, 'item')).map((item) => rssItem(item, channel));
}

/** Text of an Atom text construct (type text, html or xhtml). */
function atomText(element: XmlElement | null): string {
  if (!element) return '';
  const type = element.attrs.type ?? 'text';
  if (type === 'html') return htmlToText(rawText(element));
  return textOf(element);
}

function atomBlocks(element: XmlElement | null, headline: string, baseUrl: string | null): Block[] | null {
  if (!element || element.attrs.src) return null;
  const type = element.attrs.type ?? 'text';
  if (type === 'xhtml') return treeToBlocks(element.children, { headline, baseUrl });
  if (type === 'html' || /html/.test(type)) return htmlToBlocks(rawText(element), { headline, baseUrl });
  if (type === 'text' || type.startsWith('text/')) return textToBlocks(rawText(element));
  return null;
}

function atomLink(element: XmlElement, rel: string): XmlElement | undefined {
  return childElements(element, 'link', atomNs).find((link) => (link.attrs.rel ?? 'alternate') === rel);
}

function atomEntry(entry: XmlElement, feed: XmlElement): ParsedWireItem {
  const parsed = blankItem('atom');
  parsed.wireId = nonEmpty(textOf(child(entry, 'id', atomNs)));
  parsed.originalUrl = safeUrl(
    atomLink(entry, 'alternate')?.attrs.href,
    safeUrl(atomLink(feed, 'alternate')?.attrs.href),
  );
  parsed.language = languageTag(
    entry.attrs['xml:lang'] ?? child(entry, 'content', atomNs)?.attrs['xml:lang'] ?? feed.attrs['xml:lang'],
  );
  parsed.headline = atomText(child(entry, 'title', atomNs));
  const summary = child(entry, 'summary', atomNs);
  const content = child(entry, 'content', atomNs);
  const full = atomBlocks(content, parsed.headline, parsed.originalUrl);
  const summaryBlocks = atomBlocks(summary, parsed.headline, parsed.originalUrl) ?? [];
  const { body, bodyIsTeaser } = feedBody(full, summaryBlocks, parsed.originalUrl, true);
  parsed.body = body;
  parsed.bodyIsTeaser = bodyIsTeaser || Boolean(content?.attrs.src && parsed.originalUrl);
  parsed.standfirst = atomText(summary);
  const authors = childElements(entry, 'author', atomNs);
  const names = (authors.length > 0 ? authors : childElements(feed, 'author', atomNs)).map((author) =>
    textOf(child(author, 'name', atomNs)),
  );
  parsed.bylines = distinctTexts(names);
  parsed.publishedAt =
    parseWireDate(textOf(child(entry, 'published', atomNs))) ?? parseWireDate(textOf(child(entry, 'updated', atomNs)));
  parsed.rights = rightsText([atomText(child(entry, 'rights', atomNs)) || atomText(child(feed, 'rights', atomNs))]);
  parsed.topics = distinctTexts(
    childElements(entry, 'category', atomNs).map((node) => node.attrs.label ?? node.attrs.term),
  );
  const enclosure = childElements(entry, 'link', atomNs).find(
    (link) => link.attrs.rel === 'enclosure' && (link.attrs.type ?? '').startsWith('image/'),
  );
  const enclosureSrc = safeUrl(enclosure?.attrs.href, parsed.originalUrl);
  parsed.leadImage =
    imageFromMedia(entry, parsed.originalUrl) ??
    (enclosureSrc ? { src: enclosureSrc, alt: collapse(enclosure?.attrs.title ?? ''), caption: '', credit: '' } : null);
  return parsed;
}

export function atomEntries(feed: XmlElement): ParsedWireItem[] {
  return withinItemCap(childElements(feed, 'entry', atomNs)).map((entry) => atomEntry(entry, feed));
}
