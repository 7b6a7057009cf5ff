import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';

/** The sitemaps protocol's limit of URLs per file (sitemaps.org). */
export const sitemapUrlLimit = 50_000;
/** Google News sitemaps list the stories of the last two days, at most a thousand. */
export const newsWindowMs = 48 * 3_600_000;
export const newsLimit = 1_000;

/** A public story as a sitemap lists it, with where its translations are. */
export interface SitemapStory {
  slug: string;
  /** Its translation group: a change of a translation's address or visibility changes this entry. */
  translationGroup: string;
  lastModified: Date;
  /** The other languages' public versions of the story (this one excluded). */
  translations: { language: string; slug: string }[];
}

export interface SitemapListing {
  kind: 'section' | 'tag' | 'author';
  id: string;
  slug: string;
  /** The latest change among its public stories. */
  lastModified: Date;
}

export interface NewsStory {
  slug: string;
  headline: string;
  publishedAt: Date;
}

/** Why the port exists: sitemaps walk every public story of a language, a page at a time. */
export interface SitemapReader {
  /**
   * How many public stories the language has and, when asked (it reads every story's dates), the
   * latest change among them (null: not asked, or no story).
   */
  countPublic(
    language: string,
    now: Date,
    withLastModified: boolean,
  ): Promise<{ count: number; lastModified: Date | null }>;
  /** Public stories, oldest first (so a new story only ever changes the last file). */
  listPublic(language: string, now: Date, offset: number, limit: number): Promise<SitemapStory[]>;
  /** How many sections, tags and authors have public stories in the language. */
  countListings(language: string, now: Date): Promise<number>;
  /** Those sections, tags and authors, each kind by slug. */
  listListings(language: string, now: Date): Promise<SitemapListing[]>;
  /** Public stories published at or after `since`, newest first. */
  listRecent(language: string, since: Date, now: Date, limit: number): Promise<NewsStory[]>;
}

/** One address of a sitemap file; the web layer turns it into a URL. */
export type SitemapEntry =
  | { kind: 'home'; lastModified: Date | null }
  | (SitemapListing & { kind: 'section' | 'tag' | 'author' })
  | ({ kind: 'article' } & SitemapStory);

/**
 * What the sitemaps list: per language, its home page, its sections', tags' and authors' pages,
 * then every public story, split into files of at most `urlLimit` addresses; and the Google News
 * sitemap of the last 48 hours.
 */
export function createSitemapService(deps: {
  reader: SitemapReader;
  clock: Clock;
  languages: readonly string[];
  urlLimit?: number;
}) {
  const { reader, clock, languages } = deps;
  const urlLimit = deps.urlLimit ?? sitemapUrlLimit;

  function assertLanguage(language: string): void {
    if (!languages.includes(language)) throw new KiosqueError('PAGE_NOT_FOUND');
  }

  async function size(language: string, now: Date) {
    const [stories, listings] = await Promise.all([
      reader.countPublic(language, now, false),
      reader.countListings(language, now),
    ]);
    const pages = 1 + listings;
    return { stories, pages, files: Math.max(1, Math.ceil((pages + stories.count) / urlLimit)) };
  }

  return {
    urlLimit,

    /** How many sitemap files each language has (numbered from 1). */
    async index(): Promise<{ language: string; files: number }[]> {
      const now = clock.now();
      return Promise.all(languages.map(async (language) => ({ language, files: (await size(language, now)).files })));
    },

    /** The addresses of one file of a language's sitemap; a file past the last is not found. */
    async file(language: string, number: number): Promise<SitemapEntry[]> {
      assertLanguage(language);
      if (!Number.isInteger(number) || number < 1) throw new KiosqueError('PAGE_NOT_FOUND');
      const now = clock.now();
      // The first file always starts with home and the listings: read them at once, which counts them too.
      const [stories, listings] = await Promise.all([
        // Home's last change is the language's latest: only the first file, where home is, needs it.
        reader.countPublic(language, now, number === 1),
        number === 1 ? reader.listListings(language, now) : null,
      ]);
      const pageCount = 1 + (listings ? listings.length : await reader.countListings(language, now));
      const files = Math.max(1, Math.ceil((pageCount + stories.count) / urlLimit));
      if (number > files) throw new KiosqueError('PAGE_NOT_FOUND');
      const start = (number - 1) * urlLimit;
      const end = start + urlLimit;
      const pages: SitemapEntry[] =
        start < pageCount
          ? [
              { kind: 'home', lastModified: stories.lastModified },
              ...(listings ?? (await reader.listListings(language, now))),
            ]
          : [];
      const fromPages = pages.slice(start, end);
      const storyStart = Math.max(0, start - pageCount);
      const storyCount = Math.min(end - pageCount, stories.count) - storyStart;
      const fromStories =
        storyCount > 0
          ? (await reader.listPublic(language, now, storyStart, storyCount)).map(
              (story): SitemapEntry => ({ kind: 'article', ...story }),
            )
          : [];
      return [...fromPages, ...fromStories];
    },

    /** The stories of the last 48 hours, newest first, at most a thousand. */
    async news(language: string): Promise<NewsStory[]> {
      assertLanguage(language);
      const now = clock.now();
      return reader.listRecent(language, new Date(now.getTime() - newsWindowMs), now, newsLimit);
    },
  };
}

export type SitemapService = ReturnType<typeof createSitemapService>;
