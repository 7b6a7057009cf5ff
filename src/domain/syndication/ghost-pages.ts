import type { StaticPage } from '../pages/static-pages.js';
import { type BrowseQuery, browse, filterFields, type Pagination } from './ghost-content.js';
import type { FieldValues } from './nql.js';

/**
 * Static pages (decision 0059) as Ghost's Content API shows its pages: a Ghost page is a post
 * without date or authors, so the fields are a post's, `page: true`, and Kiosque's `language` and
 * `translations` (issue 14).
 */
function pageValues(page: StaticPage, field: string): FieldValues {
  switch (field) {
    case 'id':
      return [page.id];
    case 'slug':
      return [page.slug];
    case 'title':
      return [page.title];
    case 'language':
      return [page.language];
    case 'featured':
      return [false];
    case 'published_at':
      return [page.createdAt.toISOString()];
    default:
      return [];
  }
}

const pageOrder: Record<string, (page: StaticPage) => unknown> = {
  published_at: (page) => page.createdAt,
  updated_at: (page) => page.updatedAt,
  created_at: (page) => page.createdAt,
  title: (page) => page.title,
  slug: (page) => page.slug,
};

export function browsePages(pages: StaticPage[], query: BrowseQuery): { items: StaticPage[]; pagination: Pagination } {
  return browse(pages, query, pageValues, filterFields.pages, (page, field) => pageOrder[field]?.(page));
}

/** One page in Ghost's shape; `url` and `translations` are worked out by the web layer. */
export function ghostPage(page: StaticPage, url: string, translations: { language: string; url: string }[]) {
  return {
    id: page.id,
    uuid: page.id,
    title: page.title,
    slug: page.slug,
    html: page.bodyHtml,
    comment_id: page.id,
    feature_image: null,
    featured: false,
    visibility: 'public',
    created_at: page.createdAt.toISOString(),
    updated_at: page.updatedAt.toISOString(),
    published_at: page.createdAt.toISOString(),
    custom_excerpt: page.description || null,
    excerpt: page.description,
    meta_title: null,
    meta_description: page.description || null,
    url,
    page: true,
    language: page.language,
    translations,
  };
}
