import type { Translator } from '../../domain/i18n/translator.js';

/** What every page view needs besides its own data. */
export interface SiteContext {
  name: string;
  publicUrl: string;
  /** The site's languages, in menu order. */
  languages: readonly string[];
  /** The language `x-default` alternates point to. */
  defaultLanguage: string;
  /** `logo` is a square PNG of the icon: structured data's publisher logo. */
  assets: { css: string; js: string; icon: string; logo: string };
  followLinks: readonly { network: string; url: string }[];
  /** Sections of this language, for the main navigation. */
  sections: readonly { slug: string; name: string }[];
  year: number;
  t: Translator;
  /**
   * The language's breaking-news banner while it runs (decision 0060), on the pages that declare its
   * key and expiry (home, story, section, tag and author pages); absent elsewhere.
   */
  banner?: { text: string; link: string | null } | null;
}

export const paths = {
  home: (language: string) => `/${language}/`,
  article: (language: string, slug: string) => `/${language}/${slug}`,
  section: (language: string, slug: string) => `/${language}/section/${slug}`,
  tag: (language: string, slug: string) => `/${language}/tag/${slug}`,
  author: (language: string, slug: string) => `/${language}/author/${slug}`,
  newsletter: (language: string) => `/${language}/newsletter`,
  newsletterThanks: (language: string) => `/${language}/newsletter/thanks`,
  /** Pages the signed links of newsletter emails open (the token follows as `?token=`). */
  newsletterConfirm: (language: string) => `/${language}/newsletter/confirm`,
  newsletterUnsubscribe: (language: string) => `/${language}/newsletter/unsubscribe`,
  newsletterData: (language: string) => `/${language}/newsletter/data`,
  subscribe: (language: string) => `/${language}/subscribe`,
  rss: (language: string) => `/${language}/rss.xml`,
  atom: (language: string) => `/${language}/atom.xml`,
  jsonFeed: (language: string) => `/${language}/feed.json`,
  /** A language's feed in one of the three formats. */
  languageFeed: (language: string, file: FeedFile) => `/${language}/${file}`,
  /** A section's, tag's or author's feed: `…/section/monde/rss.xml`, `atom.xml` or `feed.json`. */
  listingFeed: (kind: 'section' | 'tag' | 'author', language: string, slug: string, file: FeedFile) =>
    `/${language}/${kind}/${slug}/${file}`,
  /** The whole site's feed, every language. */
  siteFeed: (file: FeedFile) => `/${file}`,
  search: (language: string) => `/${language}/search`,
  sitemapIndex: () => '/sitemap.xml',
  sitemap: (language: string, page: number) => `/sitemaps/${language}-${page}.xml`,
  newsSitemap: (language: string) => `/sitemaps/news-${language}.xml`,
};

/** The file names of a feed in its three formats. */
export const feedFiles = ['rss.xml', 'atom.xml', 'feed.json'] as const;
export type FeedFile = (typeof feedFiles)[number];

export function absoluteUrl(site: Pick<SiteContext, 'publicUrl'>, path: string): string {
  return new URL(path, `${site.publicUrl}/`).href;
}
