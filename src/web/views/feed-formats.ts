import { createHash } from 'node:crypto';
import type { FeedFile } from './site-context.js';
import { element, emptyElement, xml } from './xml.js';

/** A feed with every address absolute, ready to be written in any of the three formats. */
export interface FeedDocument {
  title: string;
  description: string;
  /** The feed's language; null for the whole site's feed, whose entries each say their own. */
  language: string | null;
  /** The HTML page the feed follows (home, section, tag or author page). */
  homeUrl: string;
  /** This feed in each format; each format's self link is its own. */
  urls: Record<FeedFile, string>;
  siteName: string;
  /** The site icon (SVG, small) and the publisher logo (square PNG) for readers that show one. */
  iconUrl: string;
  logoUrl: string;
  updatedAt: Date;
  items: FeedItem[];
}

export interface FeedItem {
  /**
   * The entry's identity for feed readers, kept for the story's whole life: RSS guid, Atom id,
   * JSON Feed id (`feedItemId`). Never the URL, which a slug change moves.
   */
  id: string;
  url: string;
  language: string;
  title: string;
  /** The standfirst. */
  summary: string;
  /** The whole story as HTML, or null: then the summary is all the entry carries. */
  contentHtml: string | null;
  publishedAt: Date;
  updatedAt: Date;
  authors: { name: string; url: string }[];
  categories: string[];
  /** The hero image as one file: what RSS enclosures, Atom enclosure links and JSON Feed attachments point to. */
  image: { url: string; type: string; length: number; alt: string } | null;
  /** When a machine translated the story (decision 0040): from what, by which service, reviewed by whom. */
  machineTranslation?: FeedMachineTranslation | null;
  /** Published corrections and clarifications, each dated in the item's language (decision 0056). */
  corrections?: FeedCorrection[];
}

export interface FeedCorrection {
  kind: 'correction' | 'clarification';
  publishedAt: Date;
  /** "Correction, 3 December 2026: …" as plain text. */
  line: string;
  /** The same line as sanitized HTML. */
  html: string;
}

/** `<kiosque:correction kind="…" published="…">line</kiosque:correction>` for each (RSS and Atom). */
function correctionElements(item: FeedItem): string {
  return (item.corrections ?? [])
    .map((correction) =>
      element('kiosque:correction', correction.line, {
        kind: correction.kind,
        published: rfc3339(correction.publishedAt),
      }),
    )
    .join('');
}

/** The item's HTML with corrections before the story and clarifications after it, as on the page. */
function withCorrections(item: FeedItem, html: string): string {
  const of = (kind: FeedCorrection['kind']) =>
    (item.corrections ?? [])
      .filter((correction) => correction.kind === kind)
      .map((correction) => correction.html)
      .join('');
  return `${of('correction')}${html}${of('clarification')}`;
}

/** The summary with each correction's line after it, for items that carry text only. */
function summaryWithCorrections(item: FeedItem): string {
  return [item.summary, ...(item.corrections ?? []).map((correction) => correction.line)]
    .filter((part) => part !== '')
    .join('\n\n');
}

export interface FeedMachineTranslation {
  sourceLanguage: string;
  /** The source story's address, when readers can see it. */
  sourceUrl: string | null;
  /** The service's name ("DeepL"). */
  provider: string;
  reviewer: string | null;
}

/** The namespace of Kiosque's feed extension elements (RSS and Atom). */
export const kiosqueNamespace = 'urn:kiosque:feed-extensions:1';

/** `<kiosque:machineTranslation from="en" provider="DeepL" reviewedBy="…" source="…"/>`, or nothing. */
function machineTranslationElement(item: FeedItem): string {
  const machine = item.machineTranslation;
  if (!machine) return '';
  return emptyElement('kiosque:machineTranslation', {
    from: machine.sourceLanguage,
    provider: machine.provider,
    ...(machine.reviewer ? { reviewedBy: machine.reviewer } : {}),
    ...(machine.sourceUrl ? { source: machine.sourceUrl } : {}),
  });
}

export const feedContentTypes: Record<FeedFile, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
};

/** Any fixed UUID: names the namespace in which article ids become feed item ids (RFC 9562, version 5). */
const feedItemNamespace = Buffer.from('6f1c3a52d0a84e0f9b7e2c4d5a6b7c8d', 'hex');

/**
 * A feed entry's id for the story's whole life: `urn:uuid:` of a name-based UUID (version 5) of
 * the article's permanent id. It survives a slug change, a new section and a move of the site to
 * another host, which a URL does not (a reader would show the story again as new); each
 * translation is its own article, so its own entry (decision 0019).
 */
export function feedItemId(articleId: string): string {
  const hash = createHash('sha1').update(feedItemNamespace).update(articleId, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Plain text as HTML. RSS 2.0's `description` is HTML carried in XML: text put there must be
 * escaped for HTML and then for XML (`element` does the second), or a standfirst's `<b>` or
 * `<script>` reaches the reader as markup.
 */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] as string);
}

/** RFC 822 date-time, as RSS 2.0 wants it ("Mon, 04 May 2026 08:00:00 GMT"). */
export const rfc822 = (date: Date) => date.toUTCString();
/** RFC 3339 date-time in UTC, as Atom and JSON Feed want it ("2026-05-04T08:00:00.000Z"). */
export const rfc3339 = (date: Date) => date.toISOString();

export function renderFeed(file: FeedFile, feed: FeedDocument): string {
  if (file === 'rss.xml') return renderRss(feed);
  if (file === 'atom.xml') return renderAtom(feed);
  return renderJsonFeed(feed);
}

/** RSS 2.0, with Dublin Core for authors and item languages, and content:encoded for the whole story. */
export function renderRss(feed: FeedDocument): string {
  const items = feed.items.map((item) =>
    [
      '<item>',
      element('title', item.title),
      element('link', item.url),
      element('guid', item.id, { isPermaLink: 'false' }),
      element('description', htmlText(summaryWithCorrections(item))),
      item.contentHtml === null ? '' : element('content:encoded', withCorrections(item, item.contentHtml)),
      element('pubDate', rfc822(item.publishedAt)),
      ...item.authors.map((author) => element('dc:creator', author.name)),
      ...item.categories.map((category) => element('category', category)),
      feed.language === null ? element('dc:language', item.language) : '',
      item.image
        ? emptyElement('enclosure', { url: item.image.url, length: item.image.length, type: item.image.type })
        : '',
      machineTranslationElement(item),
      correctionElements(item),
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    ` xmlns:kiosque="${kiosqueNamespace}">`,
    '<channel>',
    element('title', feed.title),
    element('link', feed.homeUrl),
    emptyElement('atom:link', { href: feed.urls['rss.xml'], rel: 'self', type: 'application/rss+xml' }),
    element('description', htmlText(feed.description)),
    feed.language === null ? '' : element('language', feed.language),
    element('lastBuildDate', rfc822(feed.updatedAt)),
    element('generator', 'Kiosque'),
    `<image>${element('url', feed.logoUrl)}${element('title', feed.title)}${element('link', feed.homeUrl)}</image>`,
    ...items,
    '</channel></rss>\n',
  ].join('');
}

/** Atom 1.0 (RFC 4287): the site is the feed's author, each story's bylines its entry's. */
export function renderAtom(feed: FeedDocument): string {
  const entries = feed.items.map((item) =>
    [
      `<entry xml:lang="${xml(item.language)}">`,
      element('id', item.id),
      element('title', item.title, { type: 'text' }),
      emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.url }),
      element('published', rfc3339(item.publishedAt)),
      element('updated', rfc3339(item.updatedAt)),
      ...item.authors.map((author) => `<author>${element('name', author.name)}${element('uri', author.url)}</author>`),
      ...item.categories.map((category) => emptyElement('category', { term: category })),
      element('summary', summaryWithCorrections(item), { type: 'text' }),
      item.contentHtml === null ? '' : element('content', withCorrections(item, item.contentHtml), { type: 'html' }),
      item.image
        ? emptyElement('link', {
            rel: 'enclosure',
            type: item.image.type,
            length: item.image.length,
            href: item.image.url,
          })
        : '',
      machineTranslationElement(item),
      correctionElements(item),
      '</entry>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:kiosque="${kiosqueNamespace}"${feed.language === null ? '' : ` xml:lang="${xml(feed.language)}"`}>`,
    element('id', feed.urls['atom.xml']),
    element('title', feed.title, { type: 'text' }),
    element('subtitle', feed.description, { type: 'text' }),
    element('updated', rfc3339(feed.updatedAt)),
    emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: feed.urls['atom.xml'] }),
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl }),
    `<author>${element('name', feed.siteName)}</author>`,
    element('generator', 'Kiosque'),
    element('icon', feed.iconUrl),
    element('logo', feed.logoUrl),
    ...entries,
    '</feed>\n',
  ].join('');
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). */
export function renderJsonFeed(feed: FeedDocument): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.urls['feed.json'],
    description: feed.description,
    icon: feed.logoUrl,
    favicon: feed.iconUrl,
    authors: [{ name: feed.siteName }],
    ...(feed.language === null ? {} : { language: feed.language }),
    items: feed.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      summary: item.summary,
      // Every item carries content; without the whole story it is the standfirst (and any corrections).
      ...(item.contentHtml === null
        ? { content_text: summaryWithCorrections(item) }
        : { content_html: withCorrections(item, item.contentHtml) }),
      date_published: rfc3339(item.publishedAt),
      date_modified: rfc3339(item.updatedAt),
      authors: item.authors.map((author) => ({ name: author.name, url: author.url })),
      tags: item.categories,
      language: item.language,
      ...(item.image
        ? {
            image: item.image.url,
            attachments: [
              {
                url: item.image.url,
                mime_type: item.image.type,
                size_in_bytes: item.image.length,
                title: item.image.alt,
              },
            ],
          }
        : {}),
      // JSON Feed 1.1 extensions are objects under a key starting with an underscore.
      ...(item.machineTranslation || (item.corrections ?? []).length > 0
        ? {
            _kiosque: {
              ...(item.machineTranslation
                ? {
                    machine_translation: {
                      translated_from: item.machineTranslation.sourceLanguage,
                      provider: item.machineTranslation.provider,
                      reviewed_by: item.machineTranslation.reviewer,
                      source_url: item.machineTranslation.sourceUrl,
                    },
                  }
                : {}),
              ...((item.corrections ?? []).length > 0
                ? {
                    corrections: (item.corrections ?? []).map((correction) => ({
                      kind: correction.kind,
                      date_published: rfc3339(correction.publishedAt),
                      text: correction.line,
                    })),
                  }
                : {}),
            },
          }
        : {}),
    })),
  };
  return `${JSON.stringify(document, null, 1)}\n`;
}
