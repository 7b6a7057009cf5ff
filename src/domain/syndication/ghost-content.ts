import type { Article, ArticleImage, Author, Taxon } from '../articles/article.js';
import { markdownToText } from '../articles/markdown.js';
import { KiosqueError } from '../errors.js';
import { storyTextFor } from '../paywall/story-text.js';
import { type FieldType, type FieldValues, type FilterNode, matchesFilter, parseFilter } from './nql.js';

/**
 * Kiosque's public stories in the shapes of Ghost's Content API (decision 0046): stories are
 * Ghost "posts", a story's section is its `primary_tag` (and the first of its `tags`), and what
 * Ghost lacks travels in extra fields its clients ignore. Pure: the web layer reads the stories,
 * works out the addresses and sends the JSON.
 */

/** A public story as lists hold it: everything but the body, which only the answered page needs. */
export type StoryFacts = Omit<Article, 'bodyMarkdown' | 'bodyHtml' | 'gallery'>;

/** The body of a story on the page being answered. */
export type StoryBodies = Pick<Article, 'bodyMarkdown' | 'bodyHtml'>;

/** Reads the public stories for the Content API (`storage/article-repository.ts`). */
export interface ContentStoryReader {
  /** Every story of `languages` visible to readers at `now`, newest first, without bodies. */
  listPublicStories(languages: string[], now: Date): Promise<StoryFacts[]>;
  /** The bodies of those of `ids` still visible at `now`. */
  bodiesOf(ids: string[], now: Date): Promise<Map<string, StoryBodies>>;
}

/** Addresses, worked out by the web layer (the domain knows no URLs). */
export interface GhostLinks {
  story(language: string, slug: string): string;
  section(language: string, slug: string): string;
  tag(language: string, slug: string): string;
  author(language: string, slug: string): string;
  image(image: ArticleImage['image']): string;
  /** The story's permanent UUID (the feeds' item id, decision 0019). */
  uuid(storyId: string): string;
}

/** What readers are told of a machine translation (as on the page, in the feeds and ninjs). */
export interface GhostMachineFacts {
  sourceLanguage: string;
  provider: string;
  reviewer: string | null;
}

export type Resource = 'posts' | 'pages' | 'tags' | 'authors';

/** The query parameters of a browse or read, checked. */
export interface BrowseQuery {
  filter: FilterNode | null;
  include: Set<string>;
  fields: string[] | null;
  formats: Set<'html' | 'plaintext'>;
  /** null: `limit=all`. */
  limit: number | null;
  page: number;
  order: { field: string; direction: 'asc' | 'desc' }[];
}

export const defaultLimit = 15;
export const maxLimit = 100;

/** The filter fields each resource accepts, with their types. */
export const filterFields: Record<Resource, Record<string, FieldType>> = {
  posts: {
    id: 'text',
    uuid: 'text',
    slug: 'text',
    title: 'text',
    status: 'text',
    visibility: 'text',
    access: 'text',
    genre: 'text',
    featured: 'boolean',
    published_at: 'date',
    updated_at: 'date',
    created_at: 'date',
    language: 'text',
    section: 'text',
    'section.slug': 'text',
    tag: 'text',
    tags: 'text',
    'tags.slug': 'text',
    'tags.id': 'text',
    'tags.name': 'text',
    primary_tag: 'text',
    'primary_tag.slug': 'text',
    'primary_tag.id': 'text',
    author: 'text',
    authors: 'text',
    'authors.slug': 'text',
    'authors.id': 'text',
    'authors.name': 'text',
    primary_author: 'text',
    'primary_author.slug': 'text',
    'primary_author.id': 'text',
  },
  pages: { id: 'text', slug: 'text', title: 'text', featured: 'boolean', published_at: 'date', language: 'text' },
  tags: { id: 'text', slug: 'text', name: 'text', visibility: 'text', language: 'text' },
  authors: { id: 'text', slug: 'text', name: 'text' },
};

const orderFields: Record<Resource, string[]> = {
  posts: ['published_at', 'updated_at', 'created_at', 'title', 'slug', 'id'],
  pages: ['published_at', 'updated_at', 'created_at', 'title', 'slug', 'id'],
  tags: ['name', 'slug', 'id'],
  authors: ['name', 'slug', 'id'],
};

const defaultOrder: Record<Resource, BrowseQuery['order']> = {
  posts: [{ field: 'published_at', direction: 'desc' }],
  pages: [{ field: 'published_at', direction: 'desc' }],
  tags: [{ field: 'name', direction: 'asc' }],
  authors: [{ field: 'name', direction: 'asc' }],
};

const includes: Record<Resource, string[]> = {
  posts: ['tags', 'authors'],
  pages: ['tags', 'authors'],
  tags: ['count.posts'],
  authors: ['count.posts'],
};

const invalid = (parameter: string, value: string): never => {
  throw new KiosqueError('CONTENT_API_QUERY_INVALID', { parameter, value: value.slice(0, 100) });
};

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Checks a browse's or read's query parameters (`filter`, `include`, `fields`, `formats`,
 * `limit`, `page`, `order`) as Ghost reads them; anything else (`key`, a client's cache buster)
 * is ignored. A malformed one is `CONTENT_API_FILTER_INVALID` or `CONTENT_API_QUERY_INVALID`.
 */
export function parseBrowseQuery(resource: Resource, query: Record<string, string | undefined>): BrowseQuery {
  const filter = query.filter?.trim() ? parseFilter(query.filter, filterFields[resource]) : null;
  const include = new Set(list(query.include));
  for (const item of include) if (!includes[resource].includes(item)) invalid('include', item);
  const fields = query.fields === undefined ? null : list(query.fields);
  for (const field of fields ?? []) if (!/^[a-z_]+$/.test(field)) invalid('fields', field);
  const formats = new Set<'html' | 'plaintext'>();
  for (const format of list(query.formats ?? 'html')) {
    if (format !== 'html' && format !== 'plaintext') invalid('formats', format);
    else formats.add(format);
  }
  let limit: number | null = defaultLimit;
  if (query.limit !== undefined && query.limit !== '') {
    if (query.limit === 'all') limit = null;
    else if (/^\d{1,9}$/.test(query.limit) && Number(query.limit) >= 1) limit = Math.min(Number(query.limit), maxLimit);
    else invalid('limit', query.limit);
  }
  let page = 1;
  if (query.page !== undefined && query.page !== '') {
    if (/^\d{1,9}$/.test(query.page) && Number(query.page) >= 1) page = Number(query.page);
    else invalid('page', query.page);
  }
  let order = defaultOrder[resource];
  if (query.order?.trim()) {
    order = list(query.order).map((part) => {
      const [field = '', direction = 'asc', ...rest] = part.split(/\s+/);
      const dir = direction.toLowerCase();
      if (!orderFields[resource].includes(field) || (dir !== 'asc' && dir !== 'desc') || rest.length > 0) {
        return invalid('order', part);
      }
      return { field, direction: dir };
    });
  }
  return { filter, include, fields, formats, limit, page, order };
}

/** Ghost's pagination block. */
export interface Pagination {
  page: number;
  limit: number | 'all';
  pages: number;
  total: number;
  next: number | null;
  prev: number | null;
}

/** A tag as Ghost shows one: Kiosque's sections and tags, each in its language. */
export interface TagEntry {
  taxon: Taxon;
  kind: 'section' | 'tag';
}

/** The tags a story shows: its section first (Ghost's `primary_tag` is `tags[0]`), then its tags. */
export function tagEntriesOf(story: Pick<StoryFacts, 'section' | 'tags'>): TagEntry[] {
  return [
    ...(story.section ? [{ taxon: story.section, kind: 'section' as const }] : []),
    ...story.tags.map((taxon) => ({ taxon, kind: 'tag' as const })),
  ];
}

/** What a post filter reads of a story. */
function postValues(story: StoryFacts, links: GhostLinks, field: string): FieldValues {
  const tags = tagEntriesOf(story).map((entry) => entry.taxon);
  const primaryTag = tags.slice(0, 1);
  const primaryAuthor = story.authors.slice(0, 1);
  switch (field) {
    case 'id':
      return [story.id];
    case 'uuid':
      return [links.uuid(story.id)];
    case 'slug':
      return [story.slug];
    case 'title':
      return [story.headline];
    case 'status':
      return ['published'];
    case 'visibility':
    case 'access':
      return [story.access];
    case 'genre':
      return [story.genre];
    case 'featured':
      return [false];
    case 'published_at':
      return [(story.publishedAt ?? story.createdAt).toISOString()];
    case 'updated_at':
      return [story.updatedAt.toISOString()];
    case 'created_at':
      return [story.createdAt.toISOString()];
    case 'language':
      return [story.language];
    case 'section':
    case 'section.slug':
      return story.section ? [story.section.slug] : [];
    case 'tag':
    case 'tags':
    case 'tags.slug':
      return tags.map((tag) => tag.slug);
    case 'tags.id':
      return tags.map((tag) => tag.id);
    case 'tags.name':
      return tags.map((tag) => tag.name);
    case 'primary_tag':
    case 'primary_tag.slug':
      return primaryTag.map((tag) => tag.slug);
    case 'primary_tag.id':
      return primaryTag.map((tag) => tag.id);
    case 'author':
    case 'authors':
    case 'authors.slug':
      return story.authors.map((author) => author.slug);
    case 'authors.id':
      return story.authors.map((author) => author.id);
    case 'authors.name':
      return story.authors.map((author) => author.name);
    case 'primary_author':
    case 'primary_author.slug':
      return primaryAuthor.map((author) => author.slug);
    case 'primary_author.id':
      return primaryAuthor.map((author) => author.id);
    default:
      return [];
  }
}

function sortKey(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value ?? '').toLowerCase();
}

/** Filters, orders and cuts one page of `items`, with Ghost's pagination block. */
export function browse<T>(
  items: T[],
  query: BrowseQuery,
  valuesOf: (item: T, field: string) => FieldValues,
  fields: Readonly<Record<string, FieldType>>,
  orderValue: (item: T, field: string) => unknown,
): { items: T[]; pagination: Pagination } {
  const { filter } = query;
  const matching = filter
    ? items.filter((item) => matchesFilter(filter, (f) => valuesOf(item, f), fields))
    : [...items];
  matching.sort((a, b) => {
    for (const { field, direction } of query.order) {
      const [x, y] = [sortKey(orderValue(a, field)), sortKey(orderValue(b, field))];
      if (x !== y) return (x < y ? -1 : 1) * (direction === 'asc' ? 1 : -1);
    }
    return 0;
  });
  const total = matching.length;
  const limit = query.limit ?? Math.max(total, 1);
  const pages = Math.max(1, Math.ceil(total / limit));
  const start = (query.page - 1) * limit;
  return {
    items: matching.slice(start, start + limit),
    pagination: {
      page: query.page,
      limit: query.limit ?? 'all',
      pages,
      total,
      next: query.page < pages ? query.page + 1 : null,
      prev: query.page > 1 ? query.page - 1 : null,
    },
  };
}

/** What posts are ordered by, for each field `order` accepts. */
const postOrder: Record<string, (story: StoryFacts) => unknown> = {
  published_at: (story) => story.publishedAt ?? story.createdAt,
  updated_at: (story) => story.updatedAt,
  created_at: (story) => story.createdAt,
  title: (story) => story.headline,
  slug: (story) => story.slug,
  id: (story) => story.id,
};

/** Filters, orders and pages the public stories as Ghost's posts browse does. */
export function browseStories(stories: StoryFacts[], query: BrowseQuery, links: GhostLinks) {
  return browse(
    stories,
    query,
    (story, field) => postValues(story, links, field),
    filterFields.posts,
    (story, field) => postOrder[field]?.(story),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: Ghost's JSON objects are open records by design
type Json = Record<string, any>;

/** Ghost's Open Graph and X card overrides: Kiosque has none (pages build theirs from the story). */
export const noSocialMeta = {
  og_image: null,
  og_title: null,
  og_description: null,
  twitter_image: null,
  twitter_title: null,
  twitter_description: null,
} as const;

/** Keeps only the fields asked for (`fields=`), as Ghost does; all of them when none were asked. */
export function project(entry: Json, fields: string[] | null): Json {
  if (!fields || fields.length === 0) return entry;
  return Object.fromEntries(fields.filter((field) => field in entry).map((field) => [field, entry[field]]));
}

export function ghostTag(entry: TagEntry, links: GhostLinks, postCount?: number): Json {
  const { taxon, kind } = entry;
  return {
    id: taxon.id,
    name: taxon.name,
    slug: taxon.slug,
    description: null,
    feature_image: null,
    visibility: 'public',
    ...noSocialMeta,
    meta_title: null,
    meta_description: null,
    codeinjection_head: null,
    codeinjection_foot: null,
    canonical_url: null,
    accent_color: null,
    url: kind === 'section' ? links.section(taxon.language, taxon.slug) : links.tag(taxon.language, taxon.slug),
    ...(postCount === undefined ? {} : { count: { posts: postCount } }),
    // Ghost lacks these: what a Kiosque tag is, and its language.
    language: taxon.language,
    kind,
  };
}

export function ghostAuthor(author: Author, language: string, links: GhostLinks, postCount?: number): Json {
  return {
    id: author.id,
    name: author.name,
    slug: author.slug,
    profile_image: null,
    cover_image: null,
    bio: author.bio || null,
    website: null,
    location: null,
    facebook: null,
    twitter: null,
    meta_title: null,
    meta_description: null,
    url: links.author(language, author.slug),
    ...(postCount === undefined ? {} : { count: { posts: postCount } }),
  };
}

/** Minutes to read, as Ghost counts them (275 words a minute, at least one). */
function readingTime(text: string): number {
  const words = text.split(/\s+/).filter((word) => word !== '').length;
  return Math.max(1, Math.round(words / 275));
}

export interface PostInput {
  story: StoryFacts;
  bodies: StoryBodies;
  query: Pick<BrowseQuery, 'include' | 'formats'>;
  links: GhostLinks;
  /** The public stories of the translation group in the site's languages, this one included. */
  translations: { language: string; slug: string; headline: string }[];
  machine: GhostMachineFacts | null;
  /** Published corrections and clarifications, oldest first (decision 0056). */
  corrections?: { kind: string; text: string; html: string; publishedAt: Date }[];
}

/**
 * One story as a Ghost post. Its text follows the paywall's one rule (`storyTextFor`, as the
 * feeds and ninjs do): a key has no member context, so a members-only or paid story comes without
 * `html` and `plaintext`, and its `excerpt` is its standfirst only.
 */
export function ghostPost(input: PostInput): Json {
  const { story, links, query } = input;
  const text = storyTextFor({ access: story.access, ...input.bodies }, { kind: 'feed' });
  const hero = story.hero;
  const tags = tagEntriesOf(story).map((entry) => ghostTag(entry, links));
  const authors = story.authors.map((author) => ghostAuthor(author, story.language, links));
  const published = (story.publishedAt ?? story.createdAt).toISOString();
  const plaintext = text.part === 'whole' ? text.text : '';
  const excerpt = story.standfirst || plaintext.slice(0, 500);
  return {
    id: story.id,
    uuid: links.uuid(story.id),
    title: story.headline,
    slug: story.slug,
    ...(query.formats.has('html') ? { html: text.part === 'whole' ? text.html : null } : {}),
    ...(query.formats.has('plaintext') ? { plaintext: text.part === 'whole' ? plaintext : null } : {}),
    comment_id: story.id,
    feature_image: hero ? links.image(hero.image) : null,
    feature_image_alt: hero?.alt || null,
    feature_image_caption: hero?.caption || null,
    featured: false,
    visibility: story.access,
    created_at: story.createdAt.toISOString(),
    updated_at: story.updatedAt.toISOString(),
    published_at: published,
    custom_excerpt: story.standfirst || null,
    codeinjection_head: null,
    codeinjection_foot: null,
    custom_template: null,
    canonical_url: null,
    ...(query.include.has('tags') ? { tags, primary_tag: tags[0] ?? null } : {}),
    ...(query.include.has('authors') ? { authors, primary_author: authors[0] ?? null } : {}),
    url: links.story(story.language, story.slug),
    excerpt,
    // Counted on the whole text: how long the story is says nothing of what it says.
    reading_time: readingTime(markdownToText(input.bodies.bodyMarkdown)),
    ...noSocialMeta,
    meta_title: story.seoTitle,
    meta_description: story.seoDescription,
    email_subject: null,
    frontmatter: null,
    // What Ghost lacks, in fields its clients ignore (decision 0046).
    language: story.language,
    translations: input.translations.map((other) => ({
      language: other.language,
      url: links.story(other.language, other.slug),
      title: other.headline,
    })),
    section: story.section
      ? {
          id: story.section.id,
          name: story.section.name,
          slug: story.section.slug,
          url: links.section(story.section.language, story.section.slug),
        }
      : null,
    source_credit: story.source ? { name: story.source.name, url: story.source.url } : null,
    machine_translation: input.machine
      ? {
          status: input.machine.reviewer ? 'reviewed' : 'unreviewed',
          from_language: input.machine.sourceLanguage,
          provider: input.machine.provider,
          reviewed_by: input.machine.reviewer,
        }
      : null,
    access: story.access,
    // The kind of work (news, analysis, opinion, review, sponsored, factcheck; decision 0051).
    genre: story.genre,
    // Corrections and clarifications appended to the story (decision 0056); `updated_at` moves with each.
    corrections: (input.corrections ?? []).map((correction) => ({
      kind: correction.kind,
      text: correction.text,
      html: correction.html,
      published_at: correction.publishedAt.toISOString(),
    })),
    // Who paid for a sponsored story, for programs to disclose it as readers' pages do (issue 14).
    sponsor: story.genre === 'sponsored' ? story.sponsor : null,
  };
}

/** Every section and tag of the public stories, with how many of them each is on. */
export function tagsOf(stories: StoryFacts[]): { entry: TagEntry; posts: number }[] {
  const byId = new Map<string, { entry: TagEntry; posts: number }>();
  for (const story of stories) {
    for (const entry of tagEntriesOf(story)) {
      const found = byId.get(entry.taxon.id) ?? { entry, posts: 0 };
      found.posts++;
      byId.set(entry.taxon.id, found);
    }
  }
  return [...byId.values()];
}

/**
 * Every author credited on a public story, with how many; the language is that of their first
 * story in `languages` order (Kiosque's author pages are per language).
 */
export function authorsOf(
  stories: StoryFacts[],
  languages: string[],
): { author: Author; language: string; posts: number }[] {
  const byId = new Map<string, { author: Author; language: string; posts: number }>();
  const rank = (language: string) => languages.indexOf(language);
  for (const story of stories) {
    for (const author of story.authors) {
      const found = byId.get(author.id) ?? { author, language: story.language, posts: 0 };
      found.posts++;
      if (rank(story.language) < rank(found.language)) found.language = story.language;
      byId.set(author.id, found);
    }
  }
  return [...byId.values()];
}

/** Filters and pages tags as Ghost's tags browse does. */
export function browseTags(entries: { entry: TagEntry; posts: number }[], query: BrowseQuery) {
  return browse(
    entries,
    query,
    ({ entry }, field) =>
      field === 'visibility'
        ? ['public']
        : field === 'language'
          ? [entry.taxon.language]
          : [String(entry.taxon[field as 'id' | 'slug' | 'name'] ?? '')],
    filterFields.tags,
    ({ entry }, field) => entry.taxon[field as 'id' | 'slug' | 'name'],
  );
}

/** Filters and pages authors as Ghost's authors browse does. */
export function browseAuthors(entries: { author: Author; language: string; posts: number }[], query: BrowseQuery) {
  return browse(
    entries,
    query,
    ({ author }, field) => [String(author[field as 'id' | 'slug' | 'name'] ?? '')],
    filterFields.authors,
    ({ author }, field) => author[field as 'id' | 'slug' | 'name'],
  );
}
