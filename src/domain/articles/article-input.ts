import { z } from 'zod';
import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import { type AccessLevel, type ArticleStatus, accessLevels, articleStatuses, type KillReason } from './article.js';
import { defaultGenre, type StoryGenre, storyGenres } from './genre.js';
import { isAllowedUrl, renderMarkdown } from './markdown.js';
import { isValidSlug, slugify } from './slug.js';

// NUL and the other C0 controls (but tab and newlines) are never text anyone meant to write;
// PostgreSQL refuses NUL outright. They are dropped on the way in.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const text = () => z.string().transform((value) => value.replace(controlCharacters, ''));

const imageUse = z.object({
  imageId: z.string().min(1),
  alt: text().pipe(z.string().max(500)),
  caption: text().pipe(z.string().max(1000)).default(''),
  credit: text().pipe(z.string().max(200)).default(''),
});

const httpUrl = z
  .string()
  .max(2000)
  .refine((url) => isAllowedUrl(url, ['http', 'https']) && /^https?:\/\//i.test(url), 'an absolute http(s) URL');

/** What a newsroom (or the demo loader, or an import) provides to create an article. */
export const articleInputSchema = z.object({
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  translationGroup: z.string().min(1).optional(),
  slug: z.string().optional(),
  headline: text().pipe(z.string().trim().min(1).max(300)),
  standfirst: text().pipe(z.string().trim().max(1000)).default(''),
  bodyMarkdown: text().pipe(z.string().max(500_000)).default(''),
  status: z.enum(articleStatuses).default('draft'),
  access: z.enum(accessLevels).default('public'),
  sectionId: z.string().nullable().default(null),
  tagIds: z.array(z.string()).max(50).default([]),
  authorIds: z.array(z.string()).max(20).default([]),
  hero: imageUse.nullable().default(null),
  gallery: z.array(imageUse).max(100).default([]),
  source: z
    .object({ name: z.string().trim().min(1).max(300), url: httpUrl.nullable() })
    .nullable()
    .default(null),
  seoTitle: text().pipe(z.string().max(300)).nullable().default(null),
  seoDescription: text().pipe(z.string().max(1000)).nullable().default(null),
  publishedAt: z.date().nullable().default(null),
  scheduledAt: z.date().nullable().default(null),
  /** Readers see the story on no channel before this time; publishing waits for it (decision 0042). */
  embargoUntil: z.date().nullable().default(null),
  /** Wire or partner copy: it cannot be published without a source credit. */
  syndicated: z.boolean().default(false),
  /**
   * The story this one was translated from, and that story's revision when this one was last
   * saved; left out on an edit, the stored value stays.
   */
  translationOf: z
    .object({ articleId: z.string().min(1), revision: z.number().int().min(1) })
    .nullable()
    .optional(),
  /** Wire copy's place line ("PARIS, Dec. 3"); left out on an edit, the stored value stays. */
  dateline: text().pipe(z.string().trim().max(200)).optional(),
  /** The licence or usage terms the copy came with; left out on an edit, the stored value stays. */
  licenceNote: text().pipe(z.string().trim().max(2000)).optional(),
  /** The wire item the story was made from ("Use as draft"); left out on an edit, the stored value stays. */
  wireItemId: z.string().min(1).max(100).nullable().optional(),
  /** The kind of work (decision 0051); left out on an edit, the stored value stays; news on a new story. */
  genre: z.enum(storyGenres).optional(),
  /**
   * Who paid for a sponsored story, shown to readers ("Sponsored by …", decision 0057); left out on
   * an edit, the stored value stays. Preflight blocks a sponsored story without it.
   */
  sponsor: text().pipe(z.string().trim().max(200)).optional(),
});

export type ArticleInput = z.input<typeof articleInputSchema>;

/** A validated article ready to be stored, with its HTML rendered. */
export interface ArticleRecord {
  id: string;
  translationGroup: string;
  language: string;
  slug: string;
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
  bodyHtml: string;
  status: ArticleStatus;
  access: AccessLevel;
  sectionId: string | null;
  tagIds: string[];
  authorIds: string[];
  hero: z.output<typeof imageUse> | null;
  gallery: z.output<typeof imageUse>[];
  source: { name: string; url: string | null } | null;
  seoTitle: string | null;
  seoDescription: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  /** Under embargo until then: published no earlier, visible to readers no earlier; null: none. */
  embargoUntil: Date | null;
  /** Set when the article was deleted (soft delete: it can be restored). */
  deletedAt: Date | null;
  /** Wire or partner copy: publication needs a source credit. */
  syndicated: boolean;
  /** The revision that last changed the words a translator translates (headline, standfirst, body). */
  textRevision: number;
  /** The story this one is a translation of, at the revision the translation was last saved against. */
  translationOf: TranslationSource | null;
  /** Wire copy's place line, shown at the start of the body; empty when none. */
  dateline: string;
  /** The licence or usage terms of copy from elsewhere, for the newsroom; empty when none. */
  licenceNote: string;
  /** The wire item this story was made from, when it was ("Use as draft"). */
  wireItemId: string | null;
  /** The kind of work: news, analysis, opinion, review, sponsored, fact check (decision 0051). */
  genre: StoryGenre;
  /** The sponsor of a sponsored story ("Sponsored by …"); empty when none. */
  sponsor: string;
  /**
   * When the story was killed (decision 0057): it answers 410 Gone and is on no channel. Only
   * `kill` sets these; an edit keeps them.
   */
  killedAt: Date | null;
  killReason: KillReason | null;
  /** The notice readers get at its address instead of the story, in its language; may be empty. */
  killNotice: string;
}

/** Which story a translation was made from, and that story's revision at the translation's last save. */
export interface TranslationSource {
  articleId: string;
  revision: number;
}

/** Validates `input` and prepares a new article record; throws ARTICLE_INVALID / ARTICLE_SLUG_INVALID. */
export function prepareNewArticle(input: ArticleInput, deps: { clock: Clock; ids: IdGenerator }): ArticleRecord {
  const result = articleInputSchema.safeParse(input);
  if (!result.success) {
    throw new KiosqueError('ARTICLE_INVALID', {
      fields: result.error.issues.map((issue) => issue.path.join('.')),
    });
  }
  const data = result.data;
  const slug = data.slug ?? slugify(data.headline);
  if (!isValidSlug(slug)) throw new KiosqueError('ARTICLE_SLUG_INVALID', { slug });
  const now = deps.clock.now();
  const publishedAt = data.status === 'published' ? (data.publishedAt ?? now) : data.publishedAt;
  if (data.status === 'scheduled' && data.scheduledAt === null) {
    throw new KiosqueError('ARTICLE_INVALID', { fields: ['scheduledAt'] });
  }
  // A future publication time is a schedule: the scheduler publishes it, and says so to everyone.
  if (data.status === 'published' && publishedAt !== null && publishedAt > now) {
    throw new KiosqueError('ARTICLE_INVALID', { fields: ['publishedAt'] });
  }
  const id = deps.ids('art');
  return {
    id,
    translationGroup: data.translationGroup ?? deps.ids('grp'),
    language: data.language,
    slug,
    headline: data.headline,
    standfirst: data.standfirst,
    bodyMarkdown: data.bodyMarkdown,
    bodyHtml: renderMarkdown(data.bodyMarkdown),
    status: data.status,
    access: data.access,
    sectionId: data.sectionId,
    tagIds: [...new Set(data.tagIds)],
    authorIds: [...new Set(data.authorIds)],
    hero: data.hero,
    gallery: data.gallery,
    source: data.source,
    seoTitle: data.seoTitle,
    seoDescription: data.seoDescription,
    revision: 1,
    createdAt: publishedAt && publishedAt < now ? publishedAt : now,
    updatedAt: publishedAt && publishedAt < now ? publishedAt : now,
    publishedAt,
    scheduledAt: data.scheduledAt,
    embargoUntil: data.embargoUntil,
    deletedAt: null,
    syndicated: data.syndicated,
    textRevision: 1,
    translationOf: data.translationOf ?? null,
    dateline: data.dateline ?? '',
    licenceNote: data.licenceNote ?? '',
    wireItemId: data.wireItemId ?? null,
    genre: data.genre ?? defaultGenre,
    sponsor: data.sponsor ?? '',
    killedAt: null,
    killReason: null,
    killNotice: '',
  };
}
