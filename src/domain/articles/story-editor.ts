import { z } from 'zod';
import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';
import { hasPermission, type Role, type StoryRights, storyRights } from '../staff/roles.js';
import type { Article, Author, Taxon } from './article.js';
import { accessLevels } from './article.js';
import { type ArticleInput, type ArticleRecord, articleInputSchema } from './article-input.js';
import type { ArticleService, RevisionEntry } from './article-service.js';
import { slugify } from './slug.js';

/** The staff member acting: who they are, what role they have, which byline is theirs. */
export interface StaffActor {
  id: string;
  role: Role;
  authorId: string | null;
}

const imageUse = z.object({
  imageId: z.string().trim().max(100),
  alt: z.string().max(2000).default(''),
  caption: z.string().max(4000).default(''),
  credit: z.string().max(1000).default(''),
});

/**
 * What the editor form holds, as a person typed it: tag and section names rather than ids, empty
 * strings for what is not filled in. Lengths are checked loosely here and exactly when the
 * article is prepared, so a too-long headline gets the same error from every door.
 */
export const storyDraftSchema = z.object({
  language: z.string().max(20),
  headline: z.string().max(2000),
  standfirst: z.string().max(5000).default(''),
  slug: z.string().trim().max(500).default(''),
  bodyMarkdown: z.string().max(500_000).default(''),
  access: z.enum(accessLevels).default('public'),
  sectionId: z.string().max(100).nullable().default(null),
  /** The name of a section to create and use instead of `sectionId`. */
  newSection: z.string().trim().max(200).default(''),
  /** Tag names; the ones that do not exist yet in the story's language are created. */
  tags: z.array(z.string().trim().max(200)).max(50).default([]),
  authorIds: z.array(z.string().max(100)).max(20).default([]),
  hero: imageUse.nullable().default(null),
  gallery: z.array(imageUse).max(100).default([]),
  sourceName: z.string().trim().max(1000).default(''),
  sourceUrl: z.string().trim().max(3000).default(''),
  seoTitle: z.string().trim().max(1000).default(''),
  seoDescription: z.string().trim().max(3000).default(''),
});
export type StoryDraft = z.output<typeof storyDraftSchema>;

/** An image of the library, as the editor offers it. */
export interface LibraryImage {
  id: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
}

/** Everything the editor lets a person choose from. */
export interface EditorChoices {
  sections: Taxon[];
  tags: Taxon[];
  authors: Author[];
  images: LibraryImage[];
}

/** The stored articles as the editor reads them (the article service does the writing). */
export interface StoryRecords {
  findRecord(id: string): Promise<ArticleRecord | null>;
  listRevisions(id: string): Promise<RevisionEntry[]>;
  findRevision(id: string, revision: number): Promise<RevisionEntry | null>;
  /** The article's preview key: the stored one, else `fresh`, stored now; null if no such article. */
  previewToken(id: string, fresh: string): Promise<string | null>;
  findByPreviewToken(token: string): Promise<Article | null>;
}

/** Sections and tags are created on the fly, from the story being written. */
export interface EditorTaxonomy {
  ensureSection(language: string, slug: string, name: string): Promise<Taxon>;
  ensureTag(language: string, slug: string, name: string): Promise<Taxon>;
}

/** What the editor offers to choose from, and a check that chosen images exist. */
export interface EditorLibrary {
  choices(): Promise<EditorChoices>;
  /** Which of `ids` are images of the library. */
  existingImages(ids: string[]): Promise<string[]>;
}

/** What a staff member may do to one story, and whether it is theirs. */
export interface StoryAccess extends StoryRights {
  isOwn: boolean;
}

export function accessTo(actor: StaffActor, record: ArticleRecord): StoryAccess {
  const isOwn = actor.authorId !== null && record.authorIds.includes(actor.authorId);
  // Once a story left the drafts (scheduled or published, even if later withdrawn), a contributor's
  // part is done: what readers saw or will see is for someone who may publish.
  const everPublished = record.publishedAt !== null || record.status !== 'draft';
  return { ...storyRights(actor.role, { isOwn, everPublished }), isOwn };
}

/** The content of a record, for telling whether a save changes anything. */
function contentOf(record: ArticleRecord) {
  return JSON.stringify([
    record.language,
    record.slug,
    record.headline,
    record.standfirst,
    record.bodyMarkdown,
    record.access,
    record.sectionId,
    record.tagIds,
    record.authorIds,
    record.hero,
    record.gallery,
    record.source,
    record.seoTitle,
    record.seoDescription,
  ]);
}

/**
 * The newsroom's editor: turns what a person typed into article writes, with the rights of their
 * role on that very story (contributors: their own drafts; authors: their own stories; editors and
 * above: everyone's). Every refusal is ACCESS_DENIED; every write goes through the article service,
 * so it is a revision, and a save based on a stale revision is refused.
 */
export function createStoryEditor(deps: {
  articles: ArticleService;
  records: StoryRecords;
  taxonomy: EditorTaxonomy;
  library: EditorLibrary;
  events: EventBus;
  languages: readonly string[];
  /** An unguessable URL-safe key. */
  secret: () => string;
}) {
  const { articles, records, taxonomy, library, events } = deps;

  async function load(id: string): Promise<ArticleRecord> {
    const record = await records.findRecord(id);
    if (!record) throw new KiosqueError('ARTICLE_NOT_FOUND', { id });
    return record;
  }

  async function loadFor(actor: StaffActor, id: string, right: 'edit' | 'publish') {
    const record = await load(id);
    const access = accessTo(actor, record);
    if (!access[right]) throw new KiosqueError('ACCESS_DENIED', { id, right });
    return { record, access };
  }

  function invalid(fields: string[]): never {
    throw new KiosqueError('ARTICLE_INVALID', { fields });
  }

  function parseDraft(value: unknown): StoryDraft {
    const result = storyDraftSchema.safeParse(value);
    if (!result.success) invalid(result.error.issues.map((issue) => issue.path.join('.')));
    return result.data;
  }

  /** Resolves names into ids (creating sections and tags), applies the byline and slug rules. */
  async function toInput(actor: StaffActor, draft: StoryDraft, current: ArticleRecord | null): Promise<ArticleInput> {
    const language = draft.language;
    if (!deps.languages.includes(language)) invalid(['language']);
    const choices = await library.choices();

    let sectionId: string | null = null;
    if (draft.newSection !== '') {
      sectionId = (await taxonomy.ensureSection(language, slugify(draft.newSection), draft.newSection)).id;
      events.publish({ type: 'sections.changed', language });
    } else if (draft.sectionId) {
      const section = choices.sections.find((s) => s.id === draft.sectionId);
      if (!section || section.language !== language) invalid(['sectionId']);
      sectionId = section.id;
    }

    const tagIds: string[] = [];
    const seen = new Set<string>();
    for (const name of draft.tags.filter((tag) => tag !== '')) {
      const slug = slugify(name);
      if (seen.has(slug)) continue;
      seen.add(slug);
      tagIds.push((await taxonomy.ensureTag(language, slug, name)).id);
    }

    // Editors sign anyone; others sign as themselves, and cannot take a byline off a story.
    let authorIds: string[];
    const own = actor.authorId ? [actor.authorId] : [];
    if (hasPermission(actor.role, 'story.manageAny')) {
      const known = new Set(choices.authors.map((author) => author.id));
      if (draft.authorIds.some((id) => !known.has(id))) invalid(['authorIds']);
      authorIds = draft.authorIds.length > 0 ? draft.authorIds : current ? [] : own;
    } else {
      authorIds = current ? current.authorIds : own;
    }

    const uses = [...(draft.hero ? [draft.hero] : []), ...draft.gallery];
    const wanted = [...new Set(uses.map((use) => use.imageId))];
    const existing = new Set(await library.existingImages(wanted));
    if (draft.hero && !existing.has(draft.hero.imageId)) invalid(['hero.imageId']);
    draft.gallery.forEach((use, index) => {
      if (!existing.has(use.imageId)) invalid([`gallery.${index}.imageId`]);
    });

    if (draft.sourceUrl !== '' && draft.sourceName === '') invalid(['source.name']);

    return {
      language,
      translationGroup: current?.translationGroup,
      slug: slugFor(draft, current),
      headline: draft.headline,
      standfirst: draft.standfirst,
      bodyMarkdown: draft.bodyMarkdown,
      access: draft.access,
      sectionId,
      tagIds,
      authorIds,
      hero: draft.hero,
      gallery: draft.gallery,
      source: draft.sourceName === '' ? null : { name: draft.sourceName, url: draft.sourceUrl || null },
      seoTitle: draft.seoTitle || null,
      seoDescription: draft.seoDescription || null,
    };
  }

  return {
    accessTo,

    /** The story and the person's rights on it; ACCESS_DENIED when `right` is not among them. */
    check: loadFor,

    /** The story as its editor shows it; ACCESS_DENIED when the person may not edit it. */
    async open(actor: StaffActor, id: string) {
      return loadFor(actor, id, 'edit');
    },

    /** A new draft, signed by the person unless an editor chose the byline. */
    async create(actor: StaffActor, value: unknown): Promise<ArticleRecord> {
      if (!hasPermission(actor.role, 'story.create')) throw new KiosqueError('ACCESS_DENIED');
      const input = await toInput(actor, parseDraft(value), null);
      return articles.create({ ...input, status: 'draft' }, actor.id);
    },

    /**
     * Saves what the person typed as a new revision, based on `expectedRevision`. A save that
     * changes nothing stores nothing (an autosave of unchanged text is not a revision).
     */
    async save(
      actor: StaffActor,
      id: string,
      value: unknown,
      expectedRevision: number,
    ): Promise<{ record: ArticleRecord; changed: boolean }> {
      const { record: current } = await loadFor(actor, id, 'edit');
      const input = await toInput(actor, parseDraft(value), current);
      const parsed = articleInputSchema.safeParse(input);
      if (parsed.success) {
        const next: ArticleRecord = {
          ...current,
          ...parsed.data,
          slug: parsed.data.slug ?? slugify(parsed.data.headline),
          tagIds: [...new Set(parsed.data.tagIds)],
          authorIds: [...new Set(parsed.data.authorIds)],
        };
        if (contentOf(next) === contentOf(current)) return { record: current, changed: false };
      }
      let basedOn = expectedRevision;
      if (expectedRevision < current.revision) {
        // Saves since the person's revision that only published, scheduled or moved the story
        // leave no one's text to lose: the edit applies on top of them. Any change of content is
        // a conflict the person must see.
        const base = await records.findRevision(id, expectedRevision);
        if (base && contentOf(base.snapshot) === contentOf(current)) basedOn = current.revision;
      }
      const record = await articles.edit(id, input, { expectedRevision: basedOn, actor: actor.id });
      return { record, changed: true };
    },

    async publish(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'publish');
      return articles.publish(id, { expectedRevision, actor: actor.id });
    },

    async schedule(actor: StaffActor, id: string, at: Date, expectedRevision: number) {
      await loadFor(actor, id, 'publish');
      return articles.schedule(id, at, { expectedRevision, actor: actor.id });
    },

    async unpublish(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'publish');
      return articles.unpublish(id, { expectedRevision, actor: actor.id });
    },

    /** Soft delete; whoever may publish the story may delete it. */
    async remove(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'publish');
      return articles.remove(id, { expectedRevision, actor: actor.id });
    },

    async restore(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'publish');
      return articles.restore(id, { expectedRevision, actor: actor.id });
    },

    /** Brings back the content of revision `revision` as a new revision. */
    async revert(actor: StaffActor, id: string, revision: number, expectedRevision: number) {
      await loadFor(actor, id, 'edit');
      return articles.revert(id, revision, { expectedRevision, actor: actor.id });
    },

    /** Every revision, newest first; nothing is ever pruned. */
    async revisions(actor: StaffActor, id: string) {
      const { record, access } = await loadFor(actor, id, 'edit');
      return { record, access, revisions: await records.listRevisions(id) };
    },

    /** The key of the story's private preview link, made the first time it is asked for. */
    async previewToken(actor: StaffActor, id: string): Promise<string> {
      await loadFor(actor, id, 'edit');
      const token = await records.previewToken(id, deps.secret());
      if (!token) throw new KiosqueError('ARTICLE_NOT_FOUND', { id });
      return token;
    },

    /** The article a preview link shows, whatever its status; ARTICLE_NOT_FOUND if none. */
    async previewArticle(token: string): Promise<Article> {
      const article = token.length >= 20 ? await records.findByPreviewToken(token) : null;
      if (!article) throw new KiosqueError('ARTICLE_NOT_FOUND');
      return article;
    },

    choices: () => library.choices(),

    /** The form's content for a stored article (tag names instead of ids). */
    async draftOf(record: ArticleRecord): Promise<StoryDraft> {
      const { tags } = await library.choices();
      const names = new Map(tags.map((tag) => [tag.id, tag.name]));
      return {
        language: record.language,
        headline: record.headline,
        standfirst: record.standfirst,
        slug: record.slug,
        bodyMarkdown: record.bodyMarkdown,
        access: record.access,
        sectionId: record.sectionId,
        newSection: '',
        tags: record.tagIds.map((id) => names.get(id) ?? id),
        authorIds: record.authorIds,
        hero: record.hero,
        gallery: record.gallery,
        sourceName: record.source?.name ?? '',
        sourceUrl: record.source?.url ?? '',
        seoTitle: record.seoTitle ?? '',
        seoDescription: record.seoDescription ?? '',
      };
    },
  };
}

/**
 * The slug follows the headline until someone edits it: while the story was never published and
 * its stored slug is still the one its stored headline gives, an unchanged slug field follows the
 * new headline. An empty field also means "from the headline".
 */
export function slugFor(draft: Pick<StoryDraft, 'slug' | 'headline'>, current: ArticleRecord | null): string {
  if (draft.slug === '') return slugify(draft.headline);
  if (
    current &&
    current.publishedAt === null &&
    draft.slug === current.slug &&
    current.slug === slugify(current.headline)
  ) {
    return slugify(draft.headline);
  }
  return draft.slug;
}

export type StoryEditor = ReturnType<typeof createStoryEditor>;
