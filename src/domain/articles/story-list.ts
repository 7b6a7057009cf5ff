import type { Author } from './article.js';
import type { ReviewState } from './story-review.js';

/** The newsroom's view of stories: every status, filtered, for the story list. */
export interface NewsroomQuery {
  status?: 'draft' | 'scheduled' | 'published' | 'deleted';
  language?: string;
  sectionId?: string;
  authorId?: string;
  /** Words the headline contains (case-insensitive): how the trash is searched. */
  search?: string;
  /**
   * Only these stories, in this order (the search engine's ranking, best first); the other
   * filters still apply. Without it, newest change first.
   */
  ids?: string[];
  /** Only translations whose source's words changed after their last save. */
  outOfDate?: boolean;
  /** Only stories whose review stands there (issue 14): "To review", "Changes requested". */
  review?: Exclude<ReviewState, 'none'>;
  limit: number;
  offset: number;
}

export interface NewsroomRow {
  id: string;
  language: string;
  slug: string;
  headline: string;
  status: 'draft' | 'scheduled' | 'published';
  updatedAt: Date;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  /** Readers see the story nowhere before then; null: no embargo. */
  embargoUntil: Date | null;
  deleted: boolean;
  revision: number;
  /** A live story with edits kept aside, not yet put live ("Update the live story"). */
  pendingChanges: boolean;
  authors: Author[];
  /** A translation whose source's words changed after its last save. */
  translationOutOfDate: boolean;
  /** Where its review stands (issue 14). */
  review: ReviewState;
}

/** Lists stories for the newsroom. */
export interface StoryLister {
  listForNewsroom(query: NewsroomQuery): Promise<{ items: NewsroomRow[]; total: number }>;
}

export const storyListPageSize = 50;

/** The search engine as the story list uses it: ids of any status but the trash, best first. */
export interface NewsroomSearch {
  searchNewsroom(
    text: string,
    options: { language: string; limit: number; offset?: number },
  ): Promise<{ ids: string[]; total: number }>;
}

/**
 * How many of the engine's best matches, per language, the story list filters and pages through.
 * Beyond that, a person refines the words rather than reading page 21.
 */
export const storySearchDepth = 1000;

/**
 * The story list with its search box: typed words go to the search engine (stemming and accent
 * folding of each language: "reforme" finds "Réformes"), once per language asked for — each
 * language is stemmed its own way — and the rankings are merged by taking each language's next
 * best in turn. The other filters then apply to the engine's matches in SQL, keeping its order.
 * The trash is not in the search index: there the words are looked for in headlines.
 */
export async function listStories(
  deps: { stories: StoryLister; search: NewsroomSearch },
  query: Omit<NewsroomQuery, 'search' | 'ids'> & { text?: string; searchLanguages: readonly string[] },
): Promise<{ items: NewsroomRow[]; total: number }> {
  const { text, searchLanguages, ...filters } = query;
  const words = text?.trim() ?? '';
  if (words === '') return deps.stories.listForNewsroom(filters);
  if (filters.status === 'deleted') return deps.stories.listForNewsroom({ ...filters, search: words });
  const rankings = await Promise.all(
    searchLanguages.map(
      async (language) =>
        (await deps.search.searchNewsroom(words, { language, limit: storySearchDepth, offset: 0 })).ids,
    ),
  );
  const ids: string[] = [];
  for (let rank = 0; rank < storySearchDepth; rank++) {
    let any = false;
    for (const ranking of rankings) {
      const id = ranking[rank];
      if (id === undefined) continue;
      any = true;
      ids.push(id);
    }
    if (!any) break;
  }
  return deps.stories.listForNewsroom({ ...filters, ids });
}
