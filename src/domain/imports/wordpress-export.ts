/**
 * A WordPress export (WXR 1.0–1.2) as `ingest/wxr.ts` reads it: plain typed data, nothing
 * interpreted yet. HTML stays HTML (the importer converts it); dates are the export's own.
 */

export interface WxrAuthor {
  login: string;
  email: string;
  displayName: string;
}

export interface WxrTerm {
  /** `category`, `post_tag`, `language` (Polylang), `post_translations` (Polylang)… */
  taxonomy: string;
  slug: string;
  name: string;
  /** The parent's slug, for nested categories; empty when none. */
  parent: string;
}

/** A category, tag or other term as an item names it (`<category domain="…" nicename="…">`). */
export interface WxrItemTerm {
  taxonomy: string;
  slug: string;
  name: string;
}

export interface WxrComment {
  approved: boolean;
}

export interface WxrItem {
  /** `wp:post_id`, the post's number on the old site (`/?p=123`). */
  postId: string;
  /** `post`, `page`, `attachment`, `nav_menu_item`, … */
  postType: string;
  /** `publish`, `draft`, `pending`, `private`, `future`, `trash`, `inherit`, `auto-draft`. */
  status: string;
  title: string;
  /** `wp:post_name`, the slug as WordPress kept it (percent-encoded for non-ASCII). */
  slug: string;
  /** The old permalink (`<link>`), when the export has one. */
  link: string;
  /** `wp:post_date_gmt`, else `wp:post_date` read as UTC, else `pubDate`; null when none is a date. */
  date: Date | null;
  /** `dc:creator`: the author's login. */
  creator: string;
  /** `content:encoded`: Gutenberg blocks or classic HTML. */
  content: string;
  /** `excerpt:encoded`. */
  excerpt: string;
  parentId: string;
  /** Attachments: the file's address. */
  attachmentUrl: string;
  terms: WxrItemTerm[];
  /** Custom fields by key (last one wins): `_thumbnail_id`, `_wp_attachment_image_alt`, WPML's… */
  meta: Record<string, string>;
  comments: WxrComment[];
}

export interface WxrDocument {
  /** `1.0`, `1.1` or `1.2`. */
  version: string;
  title: string;
  /** The old site's address (`<link>` of the channel, else `wp:base_blog_url`). */
  siteUrl: string;
  /** The channel's `<language>` (`en-US`), lower-cased; empty when absent. */
  language: string;
  authors: WxrAuthor[];
  terms: WxrTerm[];
  items: WxrItem[];
}
