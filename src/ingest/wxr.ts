import { KiosqueError } from '../domain/errors.js';
import type { WxrAuthor, WxrDocument, WxrItem, WxrItemTerm, WxrTerm } from '../domain/imports/wordpress-export.js';
import { child, childElements, collapse, decodeXml, parseXml, rawText, type XmlElement } from './xml-tree.js';

/** Largest export read, before parsing (the tree is kept in memory). */
export const maxWxrBytes = 200 * 1024 * 1024;

const wpNamespace = /^http:\/\/wordpress\.org\/export\/(1\.[012])\/$/;
const contentNs = 'http://purl.org/rss/1.0/modules/content/';
const dcNs = 'http://purl.org/dc/elements/1.1/';
const excerptNs = /^http:\/\/wordpress\.org\/export\/1\.[012]\/excerpt\/$/;

/**
 * Reads a WordPress export (WXR 1.0, 1.1, 1.2) with the wire desk's hostile-input-safe XML reader
 * (saxes; entities are never expanded and a DOCTYPE declaring any refuses the file, decision 0033).
 * Throws `IMPORT_FILE_MISSING` (empty), `IMPORT_FILE_TOO_LARGE`, `WXR_FILE_INVALID` (with the
 * wire reader's `reason` and `line`) or `WXR_NOT_WORDPRESS`.
 */
export function parseWxr(bytes: Uint8Array): WxrDocument {
  if (bytes.length === 0) throw new KiosqueError('IMPORT_FILE_MISSING');
  if (bytes.length > maxWxrBytes) throw new KiosqueError('IMPORT_FILE_TOO_LARGE', { limit: maxWxrBytes / 1024 / 1024 });
  let root: XmlElement;
  try {
    root = parseXml(decodeXml(bytes));
  } catch (error) {
    if (error instanceof KiosqueError && error.code === 'WIRE_DOCUMENT_INVALID') {
      throw new KiosqueError('WXR_FILE_INVALID', error.details);
    }
    throw error;
  }
  const channel = root.name === 'rss' ? child(root, 'channel') : null;
  const versionElement = channel ? childElements(channel, 'wxr_version').find((e) => wpNamespace.test(e.uri)) : null;
  const wp = versionElement?.uri;
  const version = collapse(rawText(versionElement));
  if (!channel || !wp || !/^1\.[012]$/.test(version)) {
    throw new KiosqueError('WXR_NOT_WORDPRESS', { root: root.name });
  }
  const text = (element: XmlElement | null, name: string, uri = wp) => rawText(child(element, name, uri)).trim();

  const authors: WxrAuthor[] = childElements(channel, 'author', wp).map((author) => ({
    login: text(author, 'author_login'),
    email: text(author, 'author_email'),
    displayName: text(author, 'author_display_name') || text(author, 'author_login'),
  }));
  const terms: WxrTerm[] = [
    ...childElements(channel, 'category', wp).map((category) => ({
      taxonomy: 'category',
      slug: text(category, 'category_nicename'),
      name: text(category, 'cat_name'),
      parent: text(category, 'category_parent'),
    })),
    ...childElements(channel, 'tag', wp).map((tag) => ({
      taxonomy: 'post_tag',
      slug: text(tag, 'tag_slug'),
      name: text(tag, 'tag_name'),
      parent: '',
    })),
    ...childElements(channel, 'term', wp).map((term) => ({
      taxonomy: text(term, 'term_taxonomy'),
      slug: text(term, 'term_slug'),
      name: text(term, 'term_name'),
      parent: text(term, 'term_parent'),
    })),
  ];
  const items = childElements(channel, 'item').map((item) => itemOf(item, wp, text));
  return {
    version,
    title: text(channel, 'title', ''),
    siteUrl: text(channel, 'link', '') || text(channel, 'base_blog_url'),
    language: text(channel, 'language', '').toLowerCase(),
    authors,
    terms,
    items,
  };
}

/** WordPress writes local and GMT times as `2024-05-12 09:30:00`; "0000-00-00 00:00:00" is none. */
function wpDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match || match[1] === '0000') return null;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function itemOf(
  item: XmlElement,
  wp: string,
  text: (element: XmlElement | null, name: string, uri?: string) => string,
): WxrItem {
  const meta: Record<string, string> = {};
  for (const entry of childElements(item, 'postmeta', wp)) {
    const key = text(entry, 'meta_key');
    if (key) meta[key] = rawText(child(entry, 'meta_value', wp));
  }
  const terms: WxrItemTerm[] = childElements(item, 'category').map((category) => ({
    taxonomy: category.attrs.domain ?? 'category',
    slug: (category.attrs.nicename ?? '').trim(),
    name: collapse(rawText(category)),
  }));
  const excerpt = item.children.find(
    (node): node is XmlElement => typeof node === 'object' && node.name === 'encoded' && excerptNs.test(node.uri),
  );
  const pubDate = text(item, 'pubDate', '');
  const published = pubDate ? new Date(pubDate) : null;
  return {
    postId: text(item, 'post_id'),
    postType: text(item, 'post_type') || 'post',
    status: text(item, 'status') || 'draft',
    title: collapse(text(item, 'title', '')),
    slug: text(item, 'post_name'),
    link: text(item, 'link', ''),
    date:
      wpDate(text(item, 'post_date_gmt')) ??
      wpDate(text(item, 'post_date')) ??
      (published && !Number.isNaN(published.getTime()) ? published : null),
    creator: text(item, 'creator', dcNs),
    content: rawText(child(item, 'encoded', contentNs)),
    excerpt: rawText(excerpt ?? null),
    parentId: text(item, 'post_parent'),
    attachmentUrl: text(item, 'attachment_url'),
    terms,
    meta,
    comments: childElements(item, 'comment', wp).map((comment) => ({
      approved: text(comment, 'comment_approved') === '1',
    })),
  };
}
