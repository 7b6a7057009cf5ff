import { z } from 'zod';
import { accessLevels } from '../../domain/articles/article.js';
import { storyGenres } from '../../domain/articles/genre.js';
import { memberStatuses } from '../../domain/members/member.js';

/**
 * The Admin API's bodies and answers (issue 13, decision 0047), as zod schemas: the routes parse
 * requests with them and type their answers by them, and `openapi.ts` turns the same schemas into
 * the OpenAPI document's JSON Schemas, so the document cannot drift from what is checked.
 */

const imageUse = z
  .object({
    imageId: z.string().trim().min(1).max(100).describe('An image of the media library (POST /api/admin/v1/images).'),
    alt: z.string().max(2000).default(''),
    caption: z.string().max(4000).default(''),
    credit: z.string().max(1000).default(''),
  })
  .strict();

const instant = z.iso.datetime({ offset: false }).describe('An instant, ISO 8601 in UTC (2026-05-01T08:00:00Z).');

const storyFields = {
  language: z.string().max(20).describe('One of the site’s languages.'),
  headline: z.string().max(2000),
  standfirst: z.string().max(5000),
  slug: z.string().trim().max(500).describe('Empty or left out on creation: made from the headline.'),
  bodyMarkdown: z.string().max(500_000),
  access: z.enum(accessLevels),
  genre: z.enum(storyGenres).describe('The kind of work (decision 0051); left out on creation: news.'),
  sectionId: z.string().max(100).nullable(),
  tags: z
    .array(z.string().trim().max(200))
    .max(50)
    .describe('Tag names in the story’s language; a name no tag has yet makes a new tag.'),
  authorIds: z
    .array(z.string().max(100))
    .max(20)
    .describe('The byline: ids of existing authors, in order. Publishing needs at least one.'),
  hero: imageUse.nullable(),
  gallery: z.array(imageUse).max(100),
  source: z
    .object({ name: z.string().trim().max(1000), url: z.string().trim().max(3000).nullable().default(null) })
    .strict()
    .nullable()
    .describe('Where syndicated copy comes from; publishing syndicated copy needs it.'),
  seoTitle: z.string().trim().max(1000).nullable(),
  seoDescription: z.string().trim().max(3000).nullable(),
  syndicated: z.boolean(),
  embargoUntil: instant.nullable().describe('Readers see the story nowhere before then; null: no embargo.'),
  dateline: z.string().trim().max(1000),
  licenceNote: z.string().trim().max(5000),
};

const revision = z.number().int().min(1).describe('The revision the change is based on (or send If-Match).');

/** A new draft: a language and a headline, the rest optional. */
export const createStoryBody = z
  .object({
    ...storyFields,
    standfirst: storyFields.standfirst.optional(),
    slug: storyFields.slug.optional(),
    bodyMarkdown: storyFields.bodyMarkdown.optional(),
    access: storyFields.access.optional(),
    genre: storyFields.genre.optional(),
    sectionId: storyFields.sectionId.optional(),
    tags: storyFields.tags.optional(),
    authorIds: storyFields.authorIds.optional(),
    hero: storyFields.hero.optional(),
    gallery: storyFields.gallery.optional(),
    source: storyFields.source.optional(),
    seoTitle: storyFields.seoTitle.optional(),
    seoDescription: storyFields.seoDescription.optional(),
    syndicated: storyFields.syndicated.optional(),
    embargoUntil: storyFields.embargoUntil.optional(),
    dateline: storyFields.dateline.optional(),
    licenceNote: storyFields.licenceNote.optional(),
  })
  .strict();

/** A change: only the fields sent change; the rest keep their stored values. */
export const updateStoryBody = createStoryBody.partial().extend({ revision: revision.optional() }).strict();

/** Publish and unpublish: which revision the caller saw. */
export const storyActionBody = z.object({ revision: revision.optional() }).strict();

/** Schedule: when, and which revision the caller saw. */
export const scheduleBody = z
  .object({ at: instant.describe('When to publish: in the future.'), revision: revision.optional() })
  .strict();

export const storyListQuery = z
  .object({
    status: z.enum(['draft', 'scheduled', 'published', 'deleted']).optional(),
    language: z.string().max(20).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const memberListQuery = z
  .object({
    status: z.enum(memberStatuses).optional(),
    language: z.string().max(20).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

const nullableInstant = z.string().nullable();

/** A story as the API answers it: its whole text, drafts and pending edits included. */
export const storyView = z.object({
  id: z.string(),
  revision: z.number().int(),
  status: z.enum(['draft', 'scheduled', 'published']),
  deleted: z.boolean(),
  /** A live story with edits kept aside: publishing puts them live. */
  pendingChanges: z.boolean(),
  language: z.string(),
  slug: z.string(),
  headline: z.string(),
  standfirst: z.string(),
  bodyMarkdown: z.string(),
  access: z.enum(accessLevels),
  genre: z.enum(storyGenres),
  sectionId: z.string().nullable(),
  tags: z.array(z.string()),
  authorIds: z.array(z.string()),
  hero: imageUse.nullable(),
  gallery: z.array(imageUse),
  source: z.object({ name: z.string(), url: z.string().nullable() }).nullable(),
  seoTitle: z.string().nullable(),
  seoDescription: z.string().nullable(),
  syndicated: z.boolean(),
  embargoUntil: nullableInstant,
  dateline: z.string(),
  licenceNote: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: nullableInstant,
  scheduledAt: nullableInstant,
  /** The story's page, once it is published. */
  url: z.string().nullable(),
});
export type StoryView = z.infer<typeof storyView>;

export const storyAnswer = z.object({ story: storyView });
/** What an update answers: the story, and whether the change stored anything. */
export const updateAnswer = z.object({
  story: storyView,
  changed: z.boolean().describe('False when the change was the text already stored: no revision was made.'),
});

export const storySummary = storyView.pick({
  id: true,
  revision: true,
  status: true,
  deleted: true,
  pendingChanges: true,
  language: true,
  slug: true,
  headline: true,
  authorIds: true,
  updatedAt: true,
  publishedAt: true,
  scheduledAt: true,
  embargoUntil: true,
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageCount: z.number().int() });

export const storyListAnswer = pageOf(storySummary);

export const imageAnswer = z.object({
  image: z.object({
    id: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    alt: z.string(),
    caption: z.string(),
    credit: z.string(),
    fileName: z.string(),
    mime: z.string(),
    bytes: z.number().int(),
    createdAt: z.string(),
    thumbUrl: z.string(),
    previewUrl: z.string(),
  }),
});

export const memberView = z.object({
  id: z.string(),
  email: z.string(),
  language: z.string(),
  createdAt: z.string(),
  lastSeenAt: nullableInstant,
  status: z.enum(memberStatuses),
  tier: z.enum(['free', 'paid']),
  newsletters: z.array(z.string()),
});
export const memberListAnswer = pageOf(memberView);

/** Every refusal: the permanent code, the message in English or the request's language, and details. */
export const apiError = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(z.string()).optional().describe('The request fields at fault.'),
  scope: z.string().optional().describe('The scope the token lacks (403).'),
  findings: z.array(z.string()).optional().describe('Preflight findings that block publication (422).'),
  current: z
    .object({ revision: z.number().int() })
    .optional()
    .describe('The story’s current revision, on a revision conflict (409).'),
});
export type ApiError = z.infer<typeof apiError>;
