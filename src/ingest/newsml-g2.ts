import type { Block, ParsedWireItem } from '../domain/wire/wire-item.js';
import { safeUrl, textToBlocks, treeToBlocks } from './html-blocks.js';
import { embeddedNitf, nitfItem } from './nitf.js';
import { parseIsoDate } from './wire-dates.js';
import {
  blankItem,
  distinctTexts,
  languageTag,
  nonEmpty,
  rightsText,
  wireVersion,
  withinItemCap,
} from './wire-fields.js';
import { childElements, descendant, rawText, textOf, type XmlElement } from './xml-tree.js';

/**
 * IPTC NewsML-G2 news items: a `newsItem`, or a `newsMessage` whose `itemSet` holds several
 * (package and knowledge items are not copy and are skipped).
 */

export const g2Ns = 'http://iptc.org/std/nar/2006-10-01/';

const g2 = (element: XmlElement | null, name: string) => childElements(element, name, g2Ns);
const first = (element: XmlElement | null, name: string) => g2(element, name)[0] ?? null;

/** The element in the item's language when several are given, else the one without a role or the first. */
function preferred(elements: XmlElement[], language: string | null, roles: string[] = []): XmlElement | null {
  const inLanguage = elements.filter((element) => !language || languageTag(element.attrs['xml:lang']) === language);
  const pool = inLanguage.length > 0 ? inLanguage : elements;
  for (const role of roles) {
    const found = pool.find((element) => (element.attrs.role ?? '').endsWith(role));
    if (found) return found;
  }
  return pool.find((element) => !element.attrs.role) ?? pool[0] ?? null;
}

function contentBody(contentSet: XmlElement | null, headline: string): { body: Block[]; nitf: XmlElement | null } {
  for (const inline of g2(contentSet, 'inlineXML')) {
    const nitf = embeddedNitf(inline);
    if (nitf) return { body: [], nitf };
    const body = descendant(inline, 'body');
    return { body: treeToBlocks(body ? body.children : inline.children, { headline }), nitf: null };
  }
  const data = g2(contentSet, 'inlineData').find((element) =>
    /^text\//.test(element.attrs.contenttype ?? 'text/plain'),
  );
  return { body: data ? textToBlocks(rawText(data)) : [], nitf: null };
}

function imageOf(item: XmlElement, itemMeta: XmlElement | null, contentSet: XmlElement | null) {
  const isPicture = /picture|graphic/.test(first(itemMeta, 'itemClass')?.attrs.qcode ?? '');
  const remote = isPicture ? g2(contentSet, 'remoteContent') : [];
  const linked = g2(itemMeta, 'link').filter((link) => (link.attrs.contenttype ?? '').startsWith('image/'));
  for (const candidate of [...linked, ...remote]) {
    const src = safeUrl(candidate.attrs.href);
    if (!src) continue;
    const caption = textOf(
      first(candidate, 'description') ?? (isPicture ? first(first(item, 'contentMeta'), 'description') : null),
    );
    const title = textOf(first(candidate, 'title')) || candidate.attrs.title || '';
    const credit = textOf(first(first(item, 'contentMeta'), 'creditline'));
    return { src, alt: title || caption, caption, credit };
  }
  return null;
}

function newsItem(item: XmlElement): ParsedWireItem {
  const itemMeta = first(item, 'itemMeta');
  const contentMeta = first(item, 'contentMeta');
  const contentSet = first(item, 'contentSet');
  const language =
    languageTag(first(contentMeta, 'language')?.attrs.tag) ?? languageTag(item.attrs['xml:lang']) ?? null;
  const headline = textOf(preferred(g2(contentMeta, 'headline'), language, ['main']));
  const { body, nitf } = contentBody(contentSet, headline);
  const parsed = nitf ? { ...nitfItem(nitf), format: 'newsml-g2' as const } : blankItem('newsml-g2');

  parsed.wireId = nonEmpty(item.attrs.guid) ?? parsed.wireId;
  parsed.version = wireVersion(item.attrs.version);
  parsed.language = language ?? parsed.language;
  parsed.headline = headline || parsed.headline;
  if (!nitf) parsed.body = body;
  const summary = preferred(g2(contentMeta, 'description'), language, ['summary', 'abstract']);
  parsed.standfirst = textOf(summary) || parsed.standfirst;
  const by = g2(contentMeta, 'by').map((element) => textOf(element));
  const creators = g2(contentMeta, 'creator').map((creator) => textOf(first(creator, 'name')) || creator.attrs.literal);
  // Structured creators name each person; the free-text `by` line is the fallback.
  const bylines = distinctTexts(creators.length > 0 ? creators : by);
  if (bylines.length > 0) parsed.bylines = bylines;
  const located = g2(contentMeta, 'located').map((place) => textOf(first(place, 'name')));
  parsed.dateline = textOf(first(contentMeta, 'dateline')) || parsed.dateline || distinctTexts(located).join(', ');
  parsed.publishedAt =
    parseIsoDate(textOf(first(itemMeta, 'firstCreated'))) ??
    parseIsoDate(textOf(first(itemMeta, 'versionCreated'))) ??
    parsed.publishedAt;
  parsed.embargoUntil = parseIsoDate(textOf(first(itemMeta, 'embargoed'))) ?? parsed.embargoUntil;
  const rights = g2(item, 'rightsInfo').flatMap((info) => [
    textOf(first(info, 'copyrightNotice')) ||
      (first(info, 'copyrightHolder') ? `© ${textOf(first(first(info, 'copyrightHolder'), 'name'))}` : ''),
    textOf(first(info, 'usageTerms')),
  ]);
  parsed.rights = rightsText([...rights, parsed.rights]);
  const subjects = g2(contentMeta, 'subject').map((subject) => textOf(preferred(g2(subject, 'name'), language)));
  const keywords = g2(contentMeta, 'keyword').map((keyword) => textOf(keyword));
  parsed.topics = distinctTexts([...subjects, ...keywords, ...parsed.topics]);
  parsed.genres = distinctTexts(
    g2(contentMeta, 'genre').flatMap((genre) => [genre.attrs.qcode, genre.attrs.uri, textOf(first(genre, 'name'))]),
  );
  const canonical = g2(itemMeta, 'link').find((link) => /canonical|alternate/.test(link.attrs.rel ?? ''));
  parsed.originalUrl = safeUrl(canonical?.attrs.href) ?? parsed.originalUrl;
  parsed.leadImage = imageOf(item, itemMeta, contentSet) ?? parsed.leadImage;
  return parsed;
}

/** The news items of a `newsItem` or `newsMessage` root (package and knowledge items are skipped). */
export function newsmlG2Items(root: XmlElement): ParsedWireItem[] {
  if (root.name === 'newsItem') return [newsItem(root)];
  const itemSet = first(root, 'itemSet');
  return withinItemCap(g2(itemSet, 'newsItem')).map((item) => newsItem(item));
}
