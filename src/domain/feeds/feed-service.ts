import type { AccessLevel, ArticleImage, ArticleSummary, Author, Taxon } from '../articles/article.js';
import type { StoryGenre } from '../articles/genre.js';
import type { TaxonomyReader } from '../articles/reading-service.js';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import { storyPartFor } from '../paywall/story-text.js';

/** Whether feeds carry whole stories or their standfirst only (`KIOSQUE_FEED_CONTENT`). */
export const feedContentModes = ['full', 'excerpt'] as const;
export type FeedContentMode = (typeof feedContentModes)[number];

/** How many stories a feed lists, newest first. */
export const feedLength = 20;

/** A story as a feed needs it: its summary, who may read it, its body and its tags. */
export interface FeedStory extends ArticleSummary {
  access: AccessLevel;
  bodyHtml: string;
  tags: Taxon[];
}

export interface FeedQuery {
  /** One language, or every site language for the whole site's feed. */
  languages: string[];
  sectionId?: string;
  tagId?: string;
  authorId?: string;
  limit: number;
}

/** Why the port exists: feeds read published stories with their bodies, which lists never load. */
export interface FeedStoryReader {
  listFeedStories(query: FeedQuery, now: Date): Promise<FeedStory[]>;
}

/** Which feed: the whole site, a language, or one section, tag or author in a language. */
export type FeedScope =
  | { kind: 'site' }
  | { kind: 'language'; language: string }
  | { kind: 'section' | 'tag' | 'author'; language: string; slug: string };

export interface FeedEntry {
  id: string;
  language: string;
  slug: string;
  headline: string;
  standfirst: string;
  /** Sanitized HTML of the whole story; null in excerpt mode and, always, for members-only or paid stories. */
  contentHtml: string | null;
  publishedAt: Date;
  updatedAt: Date;
  authors: Author[];
  /** The section's name first, then the tags'. */
  categories: string[];
  /** The kind of work: the feed names it in the story's language before the others (decision 0051). */
  genre: StoryGenre;
  /** What those names are of, with the bylines' authors: a rename changes the entry. */
  section: Taxon | null;
  tags: Taxon[];
  hero: ArticleImage | null;
}

export interface Feed {
  scope: FeedScope;
  /** The section, tag or author the feed follows; null for the site's and a language's feed. */
  subject: Taxon | Author | null;
  entries: FeedEntry[];
  /**
   * The latest change among the entries; for a feed without entries, `emptyFeedUpdatedAt`: a
   * fixed date, so two renders of an empty feed are the same bytes (and the same ETag).
   */
  updatedAt: Date;
}

/**
 * The date an empty feed (an author with no public story yet) gives as its last change: nothing
 * in it ever changed, and a fixed date keeps its bytes, and so its ETag, the same from one render
 * to the next (it used to be the time of the request: decision 0021, point 4).
 */
export const emptyFeedUpdatedAt = new Date(0);

/**
 * The site's feeds: which stories, and how much of each. A story readers must sign in or pay for
 * never gives its body to a feed, whatever the setting: feeds go to everyone alike.
 */
export function createFeedService(deps: {
  stories: FeedStoryReader;
  taxonomy: TaxonomyReader;
  clock: Clock;
  content: FeedContentMode;
  languages: readonly string[];
}) {
  const { stories, taxonomy, clock, content, languages } = deps;

  /** A feed goes to everyone alike: the body of a public story, none of a gated one's. */
  function wholeText(story: FeedStory): string | null {
    return storyPartFor(story.access, { kind: 'feed' }) === 'whole' ? story.bodyHtml : null;
  }

  function entryOf(story: FeedStory): FeedEntry {
    return {
      id: story.id,
      language: story.language,
      slug: story.slug,
      headline: story.headline,
      standfirst: story.standfirst,
      contentHtml: content === 'full' ? wholeText(story) : null,
      publishedAt: story.publishedAt,
      // A story scheduled after its last save was changed, for readers, when it appeared.
      updatedAt: new Date(Math.max(story.updatedAt.getTime(), story.publishedAt.getTime())),
      authors: story.authors,
      categories: [...(story.section ? [story.section.name] : []), ...story.tags.map((tag) => tag.name)],
      genre: story.genre,
      section: story.section,
      tags: story.tags,
      hero: story.hero,
    };
  }

  async function subjectOf(scope: FeedScope): Promise<{ subject: Taxon | Author | null; query: FeedQuery }> {
    if (scope.kind === 'site') return { subject: null, query: { languages: [...languages], limit: feedLength } };
    if (!languages.includes(scope.language)) throw new KiosqueError('PAGE_NOT_FOUND');
    const base = { languages: [scope.language], limit: feedLength };
    if (scope.kind === 'language') return { subject: null, query: base };
    if (scope.kind === 'section') {
      const section = await taxonomy.findSection(scope.language, scope.slug);
      if (!section) throw new KiosqueError('SECTION_NOT_FOUND', { language: scope.language, slug: scope.slug });
      return { subject: section, query: { ...base, sectionId: section.id } };
    }
    if (scope.kind === 'tag') {
      const tag = await taxonomy.findTag(scope.language, scope.slug);
      if (!tag) throw new KiosqueError('TAG_NOT_FOUND', { language: scope.language, slug: scope.slug });
      return { subject: tag, query: { ...base, tagId: tag.id } };
    }
    const author = await taxonomy.findAuthor(scope.slug, scope.language);
    if (!author) throw new KiosqueError('AUTHOR_NOT_FOUND', { slug: scope.slug });
    return { subject: author, query: { ...base, authorId: author.id } };
  }

  return {
    content,

    async feed(scope: FeedScope): Promise<Feed> {
      const now = clock.now();
      const { subject, query } = await subjectOf(scope);
      const entries = (await stories.listFeedStories(query, now)).map(entryOf);
      // A section or tag is not public until it holds a public story (issue 11), nor is its feed.
      if (entries.length === 0 && (scope.kind === 'section' || scope.kind === 'tag')) {
        const code = scope.kind === 'section' ? 'SECTION_NOT_FOUND' : 'TAG_NOT_FOUND';
        throw new KiosqueError(code, { language: scope.language, slug: scope.slug });
      }
      const latest = Math.max(...entries.map((entry) => entry.updatedAt.getTime()));
      return { scope, subject, entries, updatedAt: entries.length > 0 ? new Date(latest) : emptyFeedUpdatedAt };
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
