/** The article model: what a story is, independent of where it is stored or how it is shown. */

import type { StoryGenre } from './genre.js';

export const articleStatuses = ['draft', 'scheduled', 'published'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export const accessLevels = ['public', 'members', 'paid'] as const;
export type AccessLevel = (typeof accessLevels)[number];

export interface Author {
  id: string;
  slug: string;
  name: string;
  /** In the language being read, or empty: never another language's (decision 0062). */
  bio: string;
  /** Role or title in the language being read ("Correspondante à Pékin"), or empty. */
  jobTitle?: string;
  /** The photo, an image of the media library. */
  image?: Image | null;
  /** Their pages elsewhere (website, Mastodon…): https/http URLs only. */
  links?: string[];
}

/** A section ("Monde") or a tag ("Chine"); both belong to one language. */
export interface Taxon {
  id: string;
  language: string;
  slug: string;
  name: string;
  /** Shown under the listing's title and as its description (decision 0061); may be empty. */
  description?: string;
}

/** One stored image file and the facts needed to lay it out without reflow. */
export interface Image {
  id: string;
  width: number;
  height: number;
  mime: string;
  /** Whether AVIF variants exist for every offered width (made in the background after upload). */
  avif?: boolean;
}

/** An image as one article uses it: caption and alt text are in the article's language. */
export interface ArticleImage {
  image: Image;
  alt: string;
  caption: string;
  credit: string;
}

/** Credit and canonical link of copy that came from elsewhere (wire, partner). */
export interface SourceCredit {
  name: string;
  url: string | null;
}

export interface Article {
  id: string;
  /** Articles that are translations of each other share a group. */
  translationGroup: string;
  /** BCP 47 tag, e.g. "fr" or "en-GB". */
  language: string;
  slug: string;
  headline: string;
  standfirst: string;
  /** The Markdown the newsroom wrote: the source of truth. */
  bodyMarkdown: string;
  /** Sanitized HTML rendered from `bodyMarkdown` when the article was saved. */
  bodyHtml: string;
  status: ArticleStatus;
  access: AccessLevel;
  section: Taxon | null;
  tags: Taxon[];
  authors: Author[];
  hero: ArticleImage | null;
  gallery: ArticleImage[];
  source: SourceCredit | null;
  /** Wire copy's place line ("PARIS, Dec. 3"), shown at the start of the body; empty when none. */
  dateline: string;
  /** The kind of work: news, analysis, opinion… (decision 0051). */
  genre: StoryGenre;
  /** Who paid for a sponsored story ("Sponsored by …"); empty otherwise. */
  sponsor: string;
  seoTitle: string | null;
  seoDescription: string | null;
  /** Increases by one on every save; a save based on an older number is refused. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  scheduledAt: Date | null;
}

/** What lists (home, latest, related, section pages) need of an article. */
export interface ArticleSummary {
  id: string;
  translationGroup: string;
  language: string;
  slug: string;
  headline: string;
  standfirst: string;
  section: Taxon | null;
  authors: Author[];
  hero: ArticleImage | null;
  publishedAt: Date;
  updatedAt: Date;
  /** The kind of work; cards label it when it is not plain news (decision 0051). */
  genre: StoryGenre;
  /** Who paid for a sponsored story; cards say "Sponsored by …". Empty otherwise. */
  sponsor: string;
  /** Whether a machine translated it (its stored machine-translation status, decision 0039). */
  machineTranslated: boolean;
}

/**
 * The status a story visible to readers has. With `isPublic()` below it is the one statement of
 * "visible to readers now"; `storage/visibility.ts` says the same in SQL, built from this value
 * (issue 11: the rule was spelled out nine times, and each copy could forget a part of it).
 */
export const publicStatus = 'published' satisfies ArticleStatus;

/**
 * Why a story was killed (issue 14, decision 0057), kept for the legal record: a court order or
 * legal risk, a factual error too deep to correct, rights the newsroom does not hold (a photo, a
 * syndicated text), a danger to someone named, or another reason the note explains.
 */
export const killReasons = ['legal', 'error', 'rights', 'safety', 'other'] as const;
export type KillReason = (typeof killReasons)[number];

export function isKillReason(value: unknown): value is KillReason {
  return typeof value === 'string' && (killReasons as readonly string[]).includes(value);
}

/** What decides whether a story is visible: the stored article, trash included. */
export interface Visibility {
  status: ArticleStatus;
  publishedAt: Date | null;
  /** When it was put in the trash; null when it is not there. */
  deletedAt: Date | null;
  /** Readers see the story on no channel before this time (issue 12); null: no embargo. */
  embargoUntil: Date | null;
  /** When the story was killed (decision 0057): gone from every channel for good; null: not killed. */
  killedAt: Date | null;
}

/** Whether an embargo still holds the story back at `now` (null: there is none). */
export function isEmbargoed(embargoUntil: Date | null, now: Date): boolean {
  return embargoUntil !== null && embargoUntil.getTime() > now.getTime();
}

/**
 * Whether readers may see the story now: published, its publication time reached, not in the
 * trash, not killed, and its embargo (if any) passed. Every in-memory check calls this; every query calls
 * `visibleToReaders()`.
 */
export function isPublic(article: Visibility, now: Date): boolean {
  return (
    article.status === publicStatus &&
    article.deletedAt === null &&
    article.killedAt === null &&
    article.publishedAt !== null &&
    article.publishedAt.getTime() <= now.getTime() &&
    !isEmbargoed(article.embargoUntil, now)
  );
}

/** Shows the "updated" date only when the update is meaningful (more than a minute after publishing). */
export function wasUpdatedAfterPublishing(article: Pick<Article, 'publishedAt' | 'updatedAt'>): boolean {
  return article.publishedAt !== null && article.updatedAt.getTime() - article.publishedAt.getTime() > 60_000;
}
