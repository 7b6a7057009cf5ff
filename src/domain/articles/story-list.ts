import type { Author } from './article.js';

/** The newsroom's view of stories: every status, filtered, for the story list. */
export interface NewsroomQuery {
  status?: 'draft' | 'scheduled' | 'published' | 'deleted';
  language?: string;
  sectionId?: string;
  authorId?: string;
  /** Words the headline contains (case-insensitive). */
  search?: string;
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
  deleted: boolean;
  revision: number;
  authors: Author[];
}

/** Lists stories for the newsroom. */
export interface StoryLister {
  listForNewsroom(query: NewsroomQuery): Promise<{ items: NewsroomRow[]; total: number }>;
}

export const storyListPageSize = 50;
