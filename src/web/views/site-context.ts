import type { Translator } from '../../domain/i18n/translator.js';

/** What every page view needs besides its own data. */
export interface SiteContext {
  /** The site's name in the page language (a setting: decision 0058). */
  name: string;
  /** The tagline in the page language; null: the catalog's. */
  tagline: string | null;
  /** Extra links beside the sections menu, in the page language, in order. */
  navLinks: readonly { label: string; url: string }[];
  /** The policy pages in the page language (footer, publisher JSON-LD), in the settings' order. */
  policies: readonly { kind: 'corrections' | 'ethics' | 'ownership' | 'masthead'; title: string; path: string }[];
  /** Absolute-or-site paths of the logo image (null: the icon) and the picture shared links fall back to. */
  logo: { url: string; width: number; height: number } | null;
  shareImage: { url: string; width: number; height: number } | null;
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
  /** A static page: About, Contact, a policy (decision 0059). */
  staticPage: (language: string, slug: string) => `/${language}/page/${slug}`,
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
  /** A language's published corrections and clarifications, newest first (decision 0056). */
  corrections: (language: string) => `/${language}/corrections`,
  sitemapIndex: () => '/sitemap.xml',
  sitemap: (language: string, page: number) => `/sitemaps/${language}-${page}.xml`,
  newsSitemap: (language: string) => `/sitemaps/news-${language}.xml`,
  /** The pages every language has (newsletter, subscribe) and the static pages (issue 14). */
  sitemapPages: (language: string) => `/sitemaps/${language}-pages.xml`,
};

/** The file names of a feed in its three formats. */
export const feedFiles = ['rss.xml', 'atom.xml', 'feed.json'] as const;
export type FeedFile = (typeof feedFiles)[number];

export function absoluteUrl(site: Pick<SiteContext, 'publicUrl'>, path: string): string {
  return new URL(path, `${site.publicUrl}/`).href;
}
