import type { Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.js';

/**
 * What a route carries to readers. One list for every suite that asks "which channels can a
 * story reach a reader through?" (decision 0030): the paywall leak test walks it for a paid
 * story, the embargo test for an embargoed one.
 */
export type Channel =
  | 'story page'
  | 'meter route'
  | 'listing page'
  | 'feed'
  | 'sitemap'
  | 'search'
  | 'reader account or form'
  | 'static file'
  | 'staff preview'
  | 'site health'
  | 'api index'
  | 'staff only';

/**
 * Every public route of the server, classified. A route added to the server and missing here
 * fails the paywall leak test's first test until someone says what it carries, so that it is
 * walked by the rest.
 */
export const publicRoutes: Record<string, Channel> = {
  '/': 'listing page',
  '/:lang': 'listing page',
  '/:lang/': 'listing page',
  '/:lang/:slug': 'story page',
  '/:lang/read/:slug': 'meter route',
  '/:lang/section/:slug': 'listing page',
  '/:lang/tag/:slug': 'listing page',
  '/:lang/author/:slug': 'listing page',
  // Corrections and clarifications (issue 14): their text and the story's headline and address, never its body.
  '/:lang/corrections': 'listing page',
  // About, Contact, the policies (decision 0059): chrome and the page's own text, never a story.
  '/:lang/page/:slug': 'listing page',
  '/rss.xml': 'feed',
  '/atom.xml': 'feed',
  '/feed.json': 'feed',
  '/:lang/rss.xml': 'feed',
  '/:lang/atom.xml': 'feed',
  '/:lang/feed.json': 'feed',
  '/:lang/section/:slug/rss.xml': 'feed',
  '/:lang/section/:slug/atom.xml': 'feed',
  '/:lang/section/:slug/feed.json': 'feed',
  '/:lang/tag/:slug/rss.xml': 'feed',
  '/:lang/tag/:slug/atom.xml': 'feed',
  '/:lang/tag/:slug/feed.json': 'feed',
  '/:lang/author/:slug/rss.xml': 'feed',
  '/:lang/author/:slug/atom.xml': 'feed',
  '/:lang/author/:slug/feed.json': 'feed',
  '/api/ninjs/:lang/:slug': 'feed',
  // The OpenAPI document describes routes; it names no story.
  '/api/openapi.json': 'api index',
  // Ghost's Content API (issue 13): posts carry stories as the feeds do; tags, authors, settings
  // and pages (Kiosque has none) say what the site holds, never a story's text.
  '/ghost/api/content/posts/': 'feed',
  '/ghost/api/content/posts/:id/': 'feed',
  '/ghost/api/content/posts/slug/:slug/': 'feed',
  '/ghost/api/content/pages/': 'api index',
  '/ghost/api/content/pages/:id/': 'api index',
  '/ghost/api/content/pages/slug/:slug/': 'api index',
  '/ghost/api/content/tags/': 'api index',
  '/ghost/api/content/tags/:id/': 'api index',
  '/ghost/api/content/tags/slug/:slug/': 'api index',
  '/ghost/api/content/authors/': 'api index',
  '/ghost/api/content/authors/:id/': 'api index',
  '/ghost/api/content/authors/slug/:slug/': 'api index',
  '/ghost/api/content/settings/': 'api index',
  '/sitemap.xml': 'sitemap',
  '/sitemaps/:file': 'sitemap',
  '/robots.txt': 'sitemap',
  '/:lang/search': 'search',
  '/:lang/account': 'reader account or form',
  '/:lang/account/export': 'reader account or form',
  '/:lang/account/signin': 'reader account or form',
  '/:lang/account/signin/sent': 'reader account or form',
  '/:lang/account/verify': 'reader account or form',
  '/:lang/account/billing': 'reader account or form',
  '/:lang/account/delete': 'reader account or form',
  '/:lang/account/newsletters': 'reader account or form',
  '/:lang/account/signout': 'reader account or form',
  '/:lang/account/subscription/cancel': 'reader account or form',
  '/:lang/newsletter': 'reader account or form',
  '/:lang/newsletter/confirm': 'reader account or form',
  '/:lang/newsletter/data': 'reader account or form',
  '/:lang/newsletter/thanks': 'reader account or form',
  '/:lang/newsletter/unsubscribe': 'reader account or form',
  '/:lang/subscribe': 'reader account or form',
  '/:lang/subscribe/checkout': 'reader account or form',
  '/:lang/subscribe/welcome': 'reader account or form',
  '/stripe/webhook': 'reader account or form',
  '/webhooks/mail': 'reader account or form',
  '/assets/:file': 'static file',
  '/favicon.ico': 'static file',
  '/media/:id/:file': 'static file',
  '/preview/:token': 'staff preview',
  '/health': 'site health',
};

/** The channels through which a reader finds stories: what a story's visibility is about. */
export const storyChannels: readonly Channel[] = [
  'story page',
  'meter route',
  'listing page',
  'feed',
  'sitemap',
  'search',
];

/** The channel of a route: staff routes by their prefix, the others by the table above. */
export function channelOf(url: string): Channel | undefined {
  if (url === '/admin' || url.startsWith('/admin/')) return 'staff only';
  // The Admin API (issue 13) answers only an integration's token, with the newsroom's whole text by
  // design (scope stories:read): staff's door for programs, like the admin's JSON API.
  if (url.startsWith('/api/admin/')) return 'staff only';
  return publicRoutes[url];
}

/** A story as the channel walk fills route parameters with it. */
export interface ChannelStory {
  id: string;
  lang: string;
  slug: string;
  /** Slugs of its section, tags and authors: their pages and feeds list it. */
  section: string | null;
  tags: string[];
  authors: string[];
  /** Search queries that should find it. */
  queries: string[];
  /** A Content API key (`contentKeyFor`): Ghost's Content API answers nothing without one. */
  contentKey?: string;
}

/** A key of a new integration, for walking the Content API's routes. */
export async function contentKeyFor(site: {
  app: { integrations: { add(input: { name: string; createdBy: null }): Promise<{ contentKey: string }> } };
}): Promise<string> {
  return (await site.app.integrations.add({ name: 'Channel walk', createdBy: null })).contentKey;
}

/**
 * The Content API's requests for a route: every post in every format with its tags and authors
 * (the story is on the one page of `limit=all`), the story read by id and slug, its section,
 * tags and authors read by slug.
 */
function contentApiPaths(url: string, story: ChannelStory): string[] {
  const [, , , , resource = ''] = url.split('/');
  const counted = resource === 'tags' || resource === 'authors';
  const query = `?key=${story.contentKey ?? 'no-key-given'}&${counted ? 'include=count.posts' : 'include=tags,authors&formats=html,plaintext'}`;
  if (!url.includes(':')) return [`${url}${query}${resource === 'posts' ? '&limit=all' : ''}`];
  if (url.includes(':id')) return [`${url.replace(':id', story.id)}${query}`];
  const slugs =
    resource === 'tags'
      ? [...(story.section ? [story.section] : []), ...story.tags]
      : resource === 'authors'
        ? story.authors
        : [story.slug];
  return slugs.map((slug) => `${url.replace(':slug', slug)}${query}`);
}

/** The slugs of a stored story's section, tags and authors. */
export async function listingsOf(
  db: Kysely<Database>,
  articleId: string,
): Promise<Pick<ChannelStory, 'section' | 'tags' | 'authors'>> {
  const section = await db
    .selectFrom('articles')
    .leftJoin('sections', 'sections.id', 'articles.section_id')
    .select('sections.slug')
    .where('articles.id', '=', articleId)
    .executeTakeFirstOrThrow();
  const tags = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.slug')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('article_tags.position')
    .execute();
  const authors = await db
    .selectFrom('article_authors')
    .innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select('authors.slug')
    .where('article_authors.article_id', '=', articleId)
    .orderBy('article_authors.position')
    .execute();
  return { section: section.slug, tags: tags.map((tag) => tag.slug), authors: authors.map((author) => author.slug) };
}

/**
 * The requests that stand for a route, its parameters filled with `story`'s values; sitemap
 * files are those the index (`sitemapIndex`, the body of /sitemap.xml) lists.
 */
export function pathsOf(url: string, story: ChannelStory, sitemapIndex: string): string[] {
  const lang = story.lang;
  const fill = (template: string, values: Record<string, string>) =>
    template.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? `unknown-${name}`);
  if (url.startsWith('/ghost/api/content/')) return contentApiPaths(url, story);
  // A static page (issue 14) is never a story: no slug of the story's names one. Its own suite
  // (site-settings.test.ts) reads them; the walk meets their chrome on every other page.
  if (url.startsWith('/:lang/page/')) return [];
  if (url.includes(':slug')) {
    const slugs = url.startsWith('/:lang/section/')
      ? story.section
        ? [story.section]
        : []
      : url.startsWith('/:lang/tag/')
        ? story.tags
        : url.startsWith('/:lang/author/')
          ? story.authors
          : [story.slug];
    return slugs.map((value) => fill(url, { lang, slug: value }));
  }
  if (url === '/sitemaps/:file') {
    const files = [...sitemapIndex.matchAll(/<loc>[^<]*\/sitemaps\/([^<]+)<\/loc>/g)].map((m) => m[1] as string);
    return files.map((file) => `/sitemaps/${file}`);
  }
  if (url === '/:lang/search') return story.queries.map((q) => `/${lang}/search?q=${encodeURIComponent(q)}`);
  return [fill(url, { lang, id: story.id, token: 'not-a-preview-token', file: 'nothing-here.css' })];
}
