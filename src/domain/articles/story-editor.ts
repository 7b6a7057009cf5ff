import { z } from 'zod';
import type { AuditAction, AuditTrail } from '../audit/audit-trail.js';
import type { Clock, IdGenerator } from '../clock.js';
import { isKiosqueError, KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Finding } from '../preflight/preflight.js';
import { hasPermission, type Role, type StoryAction, type StoryRights, storyRights } from '../staff/roles.js';
import type { AlignedPair, FidelityFinding } from '../translations/fidelity-gate.js';
import {
  alignmentOf,
  gateOf,
  type MachineTranslation,
  type MachineTranslationStatus,
  type PublicationFinding,
  publicationFindings,
} from '../translations/machine-translation.js';
import { type SourceChanges, sourceChanges } from '../translations/translation-status.js';
import type { Article, Author, Taxon } from './article.js';
import { accessLevels, isKillReason, isPublic } from './article.js';
import { type ArticleInput, type ArticleRecord, articleInputSchema, type TranslationSource } from './article-input.js';
import {
  type ArticleService,
  inputOf,
  isLive,
  type NewTaxa,
  preflightOf,
  type RevisionEntry,
  workingCopy,
} from './article-service.js';
import { isStoryGenre } from './genre.js';
import { slugify } from './slug.js';
import { appendReviewStep, type ReviewStepKind, type ReviewStore } from './story-review.js';

/** The staff member acting: who they are, what role they have, which byline is theirs. */
export interface StaffActor {
  id: string;
  role: Role;
  authorId: string | null;
  /** The actor's name, for the audit log (a staff member's, or an integration's). */
  name?: string;
  /** Set for a program acting through the Admin API. */
  integration?: boolean;
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
  /** Wire or partner copy: publishing it needs a source credit. */
  syndicated: z.boolean().default(false),
  /** The end of the embargo as an instant (ISO 8601, UTC); empty: no embargo. */
  embargoUntil: z.string().trim().max(100).default(''),
  /** Wire copy's place line ("PARIS, Dec. 3"); left out (an older form), the stored one stays. */
  dateline: z.string().trim().max(1000).optional(),
  /** The licence or usage terms the copy came with; left out, the stored one stays. */
  licenceNote: z.string().trim().max(5000).optional(),
  /** The kind of work (decision 0051): an unknown one is ARTICLE_INVALID on `genre`; left out, the stored one stays. */
  genre: z.string().trim().max(100).optional(),
  /** Who paid for a sponsored story ("Sponsored by …"); left out, the stored one stays. */
  sponsor: z.string().trim().max(200).optional(),
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
  /** Every story of a translation group (the trash included), oldest first. */
  listGroup(translationGroup: string): Promise<ArticleRecord[]>;
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
    record.syndicated,
    record.translationOf,
    record.embargoUntil?.toISOString() ?? null,
    record.dateline,
    record.licenceNote,
    record.genre,
    record.sponsor,
  ]);
}

/** A story of the same translation group, as the editor's translations box lists it. */
export interface TranslationEntry {
  id: string;
  language: string;
  headline: string;
  status: ArticleRecord['status'];
  deleted: boolean;
  /** Killed (decision 0057): the editor does not offer to kill it again. */
  killed: boolean;
  /** Null when the story is not a translation of another story of the group (an original). */
  upToDate: boolean | null;
  /** True for the story the one being edited was translated from. */
  isSource: boolean;
}

/** Where the story being edited stands among its translations. */
export interface TranslationState {
  group: TranslationEntry[];
  /** Site languages the group has no story in: "Translate into…" offers them. */
  missing: string[];
  /** The story this one was translated from, while it is still one of its translations. */
  source: {
    record: ArticleRecord;
    /** The source's revision the translation was last saved against. */
    basedOn: number;
    upToDate: boolean;
    /** What changed since, when out of date (null when that revision is gone). */
    changes: SourceChanges | null;
  } | null;
}

/** An ISO 8601 UTC instant as the draft holds it; undefined when it is not one. */
function instantOf(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A story's editor address or its bare identifier, as a person pastes it. */
export function storyIdFrom(text: string): string | null {
  const trimmed = text.trim();
  const fromUrl = /\/admin\/stories\/([A-Za-z0-9_-]{1,100})(?:[/?#]|$)/.exec(trimmed)?.[1];
  if (fromUrl) return fromUrl;
  return /^[A-Za-z0-9_-]{1,100}$/.test(trimmed) ? trimmed : null;
}

/** Whether a translation of `source` is up to date: the source's words did not change after the revision it saw. */
export function isUpToDate(translationOf: TranslationSource, source: Pick<ArticleRecord, 'textRevision'>): boolean {
  return source.textRevision <= translationOf.revision;
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
  library: EditorLibrary;
  events: EventBus;
  languages: readonly string[];
  /** An unguessable URL-safe key. */
  secret: () => string;
  /** Ids of new translation groups (unlinking). */
  ids: IdGenerator;
  /** "Now", for what readers can see (a story's group may be joined when it is public). */
  clock: Clock;
  /**
   * Machine translation: prefills "Translate into…" drafts when a provider is configured, and
   * keeps machine text unpublished until reviewed and through the fidelity gate (decision 0039).
   */
  machine?: MachineTranslation | null;
  /**
   * The words of the wire item a story was made from, in the item's language: the source the
   * fidelity gate holds a machine translation made at the wire desk to (it has no source story).
   */
  wireWords?: (wireItemId: string) => Promise<{ bodyMarkdown: string; language: string } | null>;
  /** The staff audit log: publishing, scheduling, unpublishing, deleting and restoring leave a trace. */
  audit?: AuditTrail;
  /**
   * The review loop's steps (issue 14, decision 0053): the editor records the two steps no one
   * presses — an approved story's words changed by someone who may not approve send it back for
   * review; publishing or scheduling closes the review.
   */
  reviews?: ReviewStore | null;
}) {
  const { articles, records, library } = deps;

  /** Records a lifecycle action once it is done, naming the story by its headline then. */
  async function traced(
    actor: StaffActor,
    action: AuditAction,
    record: ArticleRecord,
    details?: Record<string, string>,
  ) {
    await deps.audit?.record({
      action,
      actor: {
        id: actor.id,
        name: actor.name ?? actor.id,
        kind: actor.integration ? 'integration' : 'staff',
      },
      subject: { id: record.id, name: record.headline },
      details: { language: record.language, ...details },
    });
    return record;
  }

  /** Records the system's review step `kind` when the story's state allows it (else nothing). */
  async function reviewStep(actor: StaffActor, record: ArticleRecord, kind: ReviewStepKind): Promise<void> {
    const reviews = deps.reviews;
    if (!reviews) return;
    const current = await reviews.current(record.id);
    const state = current?.state ?? 'none';
    if (kind === 'sentBack' ? state !== 'approved' : state === 'none') return;
    try {
      await appendReviewStep(reviews, current, {
        articleId: record.id,
        kind,
        note: null,
        actorId: actor.id,
        at: deps.clock.now(),
        revision: record.revision,
      });
    } catch (error) {
      // Someone answered the review at the same moment: their step stands.
      if (!isKiosqueError(error) || error.code !== 'REVIEW_STEP_INVALID') throw error;
    }
  }

  /** What the review loop does after a write: a closed review on publication, a lapsed approval. */
  async function afterWrite(actor: StaffActor, before: ArticleRecord, after: ArticleRecord): Promise<void> {
    if (after.status !== 'draft') return reviewStep(actor, after, 'closed');
    const wordsChanged =
      before.headline !== after.headline ||
      before.standfirst !== after.standfirst ||
      before.bodyMarkdown !== after.bodyMarkdown;
    if (wordsChanged && !accessTo(actor, after).approve) await reviewStep(actor, after, 'sentBack');
  }

  /** The story `record` was translated from, while it is one of its translations (not in the trash). */
  async function sourceOf(record: ArticleRecord): Promise<ArticleRecord | null> {
    if (!record.translationOf) return null;
    const source = await records.findRecord(record.translationOf.articleId);
    return source && source.translationGroup === record.translationGroup && source.deletedAt === null ? source : null;
  }

  /** The group a story can be found in, for telling what `language` may still be added. */
  async function groupOf(record: ArticleRecord): Promise<ArticleRecord[]> {
    return records.listGroup(record.translationGroup);
  }

  /** The source's words as readers saw them at `basedOn` (a pending version there was not what was translated). */
  async function sourceWordsAt(source: ArticleRecord, basedOn: number): Promise<ArticleRecord | null> {
    if (source.textRevision <= basedOn) return source;
    let then = await records.findRevision(source.id, basedOn);
    if (then?.action === 'pending') {
      then =
        (await records.listRevisions(source.id)).find(
          (entry) => entry.revision <= basedOn && entry.action !== 'pending',
        ) ?? null;
    }
    return then?.snapshot ?? null;
  }

  /** What the machine-translation rules say of `record` (its working copy): status and findings. */
  async function machineState(record: ArticleRecord): Promise<{
    status: MachineTranslationStatus | null;
    findings: PublicationFinding[];
    /** The gate's pairing of source and translation paragraphs, for the side by side. */
    alignment: AlignedPair[] | null;
  }> {
    const status = deps.machine ? await deps.machine.status(record.id) : null;
    if (!status) return { status: null, findings: [], alignment: null };
    const source = await sourceOf(record);
    const words =
      source && record.translationOf
        ? await sourceWordsAt(source, record.translationOf.revision)
        : record.wireItemId && deps.wireWords
          ? await deps.wireWords(record.wireItemId)
          : null;
    return {
      status,
      findings: publicationFindings(status, words, record),
      alignment: words ? alignmentOf(words, record) : null,
    };
  }

  /** Unreviewed machine text, or a translation the gate blocks, is not for readers (ARTICLE_NOT_PUBLISHABLE). */
  async function assertMachineTextReady(record: ArticleRecord): Promise<void> {
    const blocking = (await machineState(record)).findings.filter((finding) => finding.severity === 'blocking');
    if (blocking.length > 0) throw new KiosqueError('ARTICLE_NOT_PUBLISHABLE', { id: record.id, findings: blocking });
  }

  async function load(id: string): Promise<ArticleRecord> {
    const record = await records.findRecord(id);
    if (!record) throw new KiosqueError('ARTICLE_NOT_FOUND', { id });
    return record;
  }

  /**
   * The one door to a story: its rights for `action` are checked (`storyRights()`), and the
   * story comes back as its editors work on it (`record`: the pending version over the live
   * story's status and dates) and as readers see it (`live`).
   */
  async function loadFor(actor: StaffActor, id: string, action: StoryAction) {
    const live = await load(id);
    const access = accessTo(actor, live);
    if (!access[action]) throw new KiosqueError('ACCESS_DENIED', { id, action });
    const pending = await articles.findPending(id);
    return { record: workingCopy(live, pending), live, pending, access };
  }

  function invalid(fields: string[]): never {
    throw new KiosqueError('ARTICLE_INVALID', { fields });
  }

  function parseDraft(value: unknown): StoryDraft {
    const result = storyDraftSchema.safeParse(value);
    if (!result.success) invalid(result.error.issues.map((issue) => issue.path.join('.')));
    return result.data;
  }

  /**
   * Resolves names into ids and applies the byline and slug rules. Sections and tags that do not
   * exist yet are only named here (`taxa`): the save creates them in its own transaction, so a
   * refused save creates none, and only roles with `taxonomy.manage` may name new ones.
   */
  async function toInput(
    actor: StaffActor,
    draft: StoryDraft,
    current: ArticleRecord | null,
  ): Promise<{ input: ArticleInput; taxa: NewTaxa }> {
    const language = draft.language;
    if (!deps.languages.includes(language)) invalid(['language']);
    const choices = await library.choices();
    const taxa: NewTaxa = { sections: [], tags: [] };
    const unknown: string[] = [];
    const named = (kind: 'sec' | 'tag', list: Taxon[], name: string): Taxon | null => {
      const slug = slugify(name);
      const existing = list.find((taxon) => taxon.language === language && taxon.slug === slug);
      if (existing) return existing;
      if (slug === '') return null;
      unknown.push(name);
      const created = { id: deps.ids(kind), language, slug, name };
      (kind === 'sec' ? taxa.sections : taxa.tags).push(created);
      return created;
    };

    let sectionId: string | null = null;
    if (draft.newSection !== '') {
      sectionId = named('sec', choices.sections, draft.newSection)?.id ?? invalid(['newSection']);
    } else if (draft.sectionId) {
      const section = choices.sections.find((s) => s.id === draft.sectionId);
      if (!section || section.language !== language) invalid(['sectionId']);
      sectionId = section.id;
    }

    const tagIds: string[] = [];
    for (const name of draft.tags.filter((tag) => tag !== '')) {
      const tag = named('tag', [...choices.tags, ...taxa.tags], name);
      if (tag && !tagIds.includes(tag.id)) tagIds.push(tag.id);
    }
    if (unknown.length > 0 && !hasPermission(actor.role, 'taxonomy.manage')) {
      throw new KiosqueError('TAXON_CREATE_DENIED', { names: unknown });
    }

    // Editors sign anyone; others sign as themselves, and cannot take a byline off a story.
    let authorIds: string[];
    const own = actor.authorId ? [actor.authorId] : [];
    if (hasPermission(actor.role, 'story.manageAny')) {
      const known = new Set(choices.authors.map((author) => author.id));
      if (draft.authorIds.some((id) => !known.has(id))) invalid(['authorIds']);
      // In the order given: the byline reads as staff arranged it (issue 11).
      const chosen = [...new Set(draft.authorIds)];
      authorIds = chosen.length > 0 ? chosen : current ? [] : own;
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
    const embargoUntil = draft.embargoUntil === '' ? null : instantOf(draft.embargoUntil);
    if (embargoUntil === undefined) invalid(['embargoUntil']);
    const genre = draft.genre;
    if (genre !== undefined && !isStoryGenre(genre)) invalid(['genre']);

    const input: ArticleInput = {
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
      syndicated: draft.syndicated,
      embargoUntil,
      dateline: draft.dateline,
      licenceNote: draft.licenceNote,
      genre,
      sponsor: draft.sponsor,
    };
    return { input, taxa };
  }

  return {
    accessTo,

    /** The story and the person's rights on it; ACCESS_DENIED when `action` is not among them. */
    check: loadFor,

    /** The story as its editor shows it; ACCESS_DENIED when the person may not open it. */
    async open(actor: StaffActor, id: string) {
      return loadFor(actor, id, 'open');
    },

    /** A new draft, signed by the person unless an editor chose the byline. */
    async create(actor: StaffActor, value: unknown): Promise<ArticleRecord> {
      if (!hasPermission(actor.role, 'story.create')) throw new KiosqueError('ACCESS_DENIED');
      const { input, taxa } = await toInput(actor, parseDraft(value), null);
      return articles.create({ ...input, status: 'draft' }, actor.id, taxa);
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
    ): Promise<{ record: ArticleRecord; changed: boolean; pending: boolean }> {
      const { record: current, live, pending } = await loadFor(actor, id, 'edit');
      const { input: draftInput, taxa } = await toInput(actor, parseDraft(value), current);
      // A translation's save is made against the source as it is now: that makes it up to date.
      const source = await sourceOf(current);
      const translationOf = source ? { articleId: source.id, revision: source.revision } : current.translationOf;
      const input: ArticleInput = { ...draftInput, translationOf };
      const parsed = articleInputSchema.safeParse(input);
      if (parsed.success) {
        const next: ArticleRecord = {
          ...current,
          ...parsed.data,
          translationOf,
          slug: parsed.data.slug ?? slugify(parsed.data.headline),
          tagIds: [...new Set(parsed.data.tagIds)],
          authorIds: [...new Set(parsed.data.authorIds)],
          // Left out (a form of before these fields), the stored ones stay, as the service keeps them.
          dateline: parsed.data.dateline ?? current.dateline,
          licenceNote: parsed.data.licenceNote ?? current.licenceNote,
          genre: parsed.data.genre ?? current.genre,
          sponsor: parsed.data.sponsor ?? current.sponsor,
        };
        if (contentOf(next) === contentOf(current))
          return { record: current, changed: false, pending: pending !== null };
      }
      let basedOn = expectedRevision;
      if (expectedRevision < current.revision) {
        // Saves since the person's revision that only published, scheduled or moved the story
        // leave no one's text to lose: the edit applies on top of them. Any change of content is
        // a conflict the person must see.
        const base = await records.findRevision(id, expectedRevision);
        if (base && contentOf(base.snapshot) === contentOf(current)) basedOn = current.revision;
      }
      const options = { expectedRevision: basedOn, actor: actor.id, taxa };
      // A live story changes only on purpose: what is typed into it waits as its pending version
      // until someone presses "Update the live story" (issue 11).
      if (isLive(live)) {
        return { record: await articles.savePending(id, input, options), changed: true, pending: true };
      }
      const record = await articles.edit(id, input, options);
      await afterWrite(actor, current, record);
      return { record, changed: true, pending: false };
    },

    /** Publishes what staff wrote: the pending version, if any, checked by preflight. */
    async publish(actor: StaffActor, id: string, expectedRevision: number) {
      const { record } = await loadFor(actor, id, 'publish');
      await assertMachineTextReady(record);
      const published = await articles.publish(id, { expectedRevision, actor: actor.id, withPending: true });
      await afterWrite(actor, record, published);
      // An embargo turns a publication into a schedule (decision 0042): the log says which.
      return published.status === 'scheduled' && published.scheduledAt
        ? traced(actor, 'story.scheduled', published, { at: published.scheduledAt.toISOString() })
        : traced(actor, 'story.published', published);
    },

    async schedule(actor: StaffActor, id: string, at: Date, expectedRevision: number) {
      const { record } = await loadFor(actor, id, 'schedule');
      await assertMachineTextReady(record);
      const scheduled = await articles.schedule(id, at, { expectedRevision, actor: actor.id, withPending: true });
      await afterWrite(actor, record, scheduled);
      return traced(actor, 'story.scheduled', scheduled, { at: (scheduled.scheduledAt ?? at).toISOString() });
    },

    /** Withdraws the story; its pending version, if any, becomes the draft (nothing is public). */
    async unpublish(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'unpublish');
      return traced(
        actor,
        'story.unpublished',
        await articles.unpublish(id, { expectedRevision, actor: actor.id, withPending: true }),
      );
    },

    /** "Update the live story": the pending version, checked by preflight, goes live. */
    async updateLive(actor: StaffActor, id: string, expectedRevision: number) {
      const { record } = await loadFor(actor, id, 'updateLive');
      await assertMachineTextReady(record);
      return articles.updateLive(id, { expectedRevision, actor: actor.id });
    },

    /** "Discard the pending changes": the story is again as readers see it. */
    async discardPending(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'discardPending');
      return articles.discardPending(id, { expectedRevision, actor: actor.id });
    },

    /** Soft delete; whoever may publish the story may delete it. */
    async remove(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'delete');
      return traced(actor, 'story.deleted', await articles.remove(id, { expectedRevision, actor: actor.id }));
    },

    /**
     * Kills the story (decision 0057) with its reason and notice, then each of `translations` the
     * person chose and may kill too, each its own revision and event with the same reason and no
     * notice (the notice was written in this story's language). Translations are never killed
     * without being named: each is a story of its own, and some may stay right.
     */
    async kill(
      actor: StaffActor,
      id: string,
      kill: { reason: string; notice: string; translations: string[] },
      expectedRevision: number,
    ): Promise<ArticleRecord> {
      const { live } = await loadFor(actor, id, 'kill');
      const reason = kill.reason;
      if (!isKillReason(reason)) invalid(['killReason']);
      if (kill.notice.length > 2000) invalid(['killNotice']);
      if (live.publishedAt === null) throw new KiosqueError('ARTICLE_NEVER_PUBLISHED', { id });
      const killed = await articles.kill(id, { reason, notice: kill.notice }, { expectedRevision, actor: actor.id });
      for (const otherId of new Set(kill.translations)) {
        if (otherId === id) continue;
        const other = await load(otherId);
        if (other.translationGroup !== live.translationGroup || other.killedAt !== null) continue;
        if (other.publishedAt === null) continue;
        await loadFor(actor, otherId, 'kill');
        await articles.kill(otherId, { reason, notice: '' }, { expectedRevision: other.revision, actor: actor.id });
      }
      return killed;
    },

    async restore(actor: StaffActor, id: string, expectedRevision: number) {
      await loadFor(actor, id, 'restore');
      return traced(actor, 'story.restored', await articles.restore(id, { expectedRevision, actor: actor.id }));
    },

    /**
     * Brings back the content of revision `revision` as a new revision; on a live story, as its
     * pending version (readers see it once someone updates the live story).
     */
    async revert(actor: StaffActor, id: string, revision: number, expectedRevision: number) {
      const { live } = await loadFor(actor, id, 'revert');
      if (!isLive(live)) {
        const reverted = await articles.revert(id, revision, { expectedRevision, actor: actor.id });
        await afterWrite(actor, live, reverted);
        return reverted;
      }
      const earlier = await records.findRevision(id, revision);
      if (!earlier) throw new KiosqueError('ARTICLE_REVISION_NOT_FOUND', { id, revision });
      const { translationGroup: _group, translationOf: _source, ...content } = inputOf(earlier.snapshot);
      return articles.savePending(id, content, { expectedRevision, actor: actor.id });
    },

    /** Every revision, newest first; nothing is ever pruned. */
    async revisions(actor: StaffActor, id: string) {
      const { record, access } = await loadFor(actor, id, 'revisions');
      return { record, access, revisions: await records.listRevisions(id) };
    },

    /** The pending version of a story the person already opened, for the editor's notice. */
    pendingOf: (id: string) => articles.findPending(id),

    /** The key of the story's private preview link, made the first time it is asked for. */
    async previewToken(actor: StaffActor, id: string): Promise<string> {
      await loadFor(actor, id, 'preview');
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

    /** The preflight findings of the story as stored: blocking ones stop publication. */
    findings(record: ArticleRecord): Finding[] {
      return preflightOf(record);
    },

    /**
     * How the story's text was made (null: by people) and, for machine text, what stops its
     * publication: no review yet, and the fidelity gate's findings against its source.
     */
    machineTranslation: machineState,

    /** The gate's findings on a translation and its source, for the side by side. */
    fidelity(source: ArticleRecord, translation: ArticleRecord): FidelityFinding[] {
      return gateOf(source, translation);
    },

    /**
     * "Mark as reviewed": the person read the machine text against its source and answers for it.
     * Whoever may publish the story may review it; later edits keep the review (decision 0039).
     */
    async markReviewed(actor: StaffActor & { name: string }, id: string): Promise<MachineTranslationStatus> {
      await loadFor(actor, id, 'review');
      const reviewed = deps.machine ? await deps.machine.markReviewed(id, { id: actor.id, name: actor.name }) : null;
      if (!reviewed) throw new KiosqueError('TRANSLATION_NOT_MACHINE_MADE', { id });
      return reviewed;
    },

    /** The story's translations, the languages it lacks, and how its source changed since. */
    async translations(record: ArticleRecord): Promise<TranslationState> {
      const group = await groupOf(record);
      const present = new Set(group.map((member) => member.language));
      const byId = new Map(group.map((member) => [member.id, member]));
      const entries = group
        .filter((member) => member.id !== record.id)
        .map((member) => {
          const from = member.translationOf ? byId.get(member.translationOf.articleId) : undefined;
          return {
            id: member.id,
            language: member.language,
            headline: member.headline,
            status: member.status,
            deleted: member.deletedAt !== null,
            killed: member.killedAt !== null,
            upToDate:
              member.translationOf && from && from.deletedAt === null ? isUpToDate(member.translationOf, from) : null,
            isSource: record.translationOf?.articleId === member.id,
          };
        });
      const source = await sourceOf(record);
      let state: TranslationState['source'] = null;
      if (source && record.translationOf) {
        const upToDate = isUpToDate(record.translationOf, source);
        let changes: SourceChanges | null = null;
        if (!upToDate) {
          const then = await sourceWordsAt(source, record.translationOf.revision);
          changes = then ? sourceChanges(then, source) : null;
        }
        state = { record: source, basedOn: record.translationOf.revision, upToDate, changes };
      }
      return {
        group: entries,
        missing: deps.languages.filter((language) => !present.has(language)),
        source: state,
      };
    },

    /**
     * "Translate into…": a new draft in `language`, in the source's translation group, that
     * records the source's revision it starts from. It takes the source's section when that
     * language has a section of the same address, its images (captions and alt text to translate),
     * its access, source credit and byline (plus the translator's own when their role signs only
     * as themselves). The headline starts as the source's (a headline is required) and the body
     * empty, so the draft cannot be published before someone writes it; a configured translation
     * provider prefills both instead.
     */
    async translate(actor: StaffActor, sourceId: string, language: string): Promise<ArticleRecord> {
      // Translating reads the source's whole text and carries its byline: the same right as
      // opening it (issue 11: this door skipped the per-story check). Translated from what
      // readers see, never from a pending version.
      const { live: source } = await loadFor(actor, sourceId, 'translate');
      if (source.deletedAt !== null) throw new KiosqueError('ARTICLE_NOT_FOUND', { id: sourceId });
      if (!deps.languages.includes(language) || language === source.language) invalid(['language']);
      const taken = (await groupOf(source)).find((member) => member.language === language);
      if (taken) throw new KiosqueError('TRANSLATION_LANGUAGE_TAKEN', { language, articleId: taken.id });

      const choices = await library.choices();
      const sourceSection = choices.sections.find((section) => section.id === source.sectionId);
      const section = sourceSection
        ? choices.sections.find((s) => s.language === language && s.slug === sourceSection.slug)
        : undefined;
      // Editors keep the source's byline; anyone else signs the translation as themselves only,
      // so no one publishes a translation under a byline they could not set.
      const own = actor.authorId ? [actor.authorId] : [];
      const byline = hasPermission(actor.role, 'story.manageAny') ? source.authorIds : own;

      let headline = source.headline;
      let standfirst = '';
      let bodyMarkdown = '';
      // Block by block: each translated block stands where its source block stood; what the
      // provider lost or merged is kept as it came back, for the gate to flag and a person to fix.
      const machine = deps.machine?.provider ? deps.machine : null;
      if (machine) {
        const translated = await machine.translateStory(source, source.language, language);
        ({ headline, standfirst, bodyMarkdown } = translated);
      }
      const input: ArticleInput = {
        language,
        translationGroup: source.translationGroup,
        translationOf: { articleId: source.id, revision: source.revision },
        headline,
        standfirst,
        bodyMarkdown,
        status: 'draft',
        access: source.access,
        sectionId: section?.id ?? null,
        tagIds: [],
        authorIds: byline,
        hero: source.hero,
        gallery: source.gallery,
        source: source.source,
        syndicated: source.syndicated,
        dateline: source.dateline,
        licenceNote: source.licenceNote,
        // The same story in another language is the same kind of work.
        genre: source.genre,
        sponsor: source.sponsor,
        // A translation tells the same story: it is no more public than its source before the embargo.
        embargoUntil: source.embargoUntil,
      };
      let created: ArticleRecord;
      try {
        created = await articles.create(input, actor.id);
      } catch (error) {
        // Another story of that language already uses the headline's address.
        if (!isKiosqueError(error) || error.code !== 'ARTICLE_SLUG_TAKEN') throw error;
        created = await articles.create({ ...input, slug: `${slugify(headline)}-${language}` }, actor.id);
      }
      // Machine text, unreviewed: it cannot be published until a person marks it reviewed.
      if (machine) await machine.recordDraft(created.id, source.language);
      return created;
    },

    /**
     * Joins the translations of the story `target` (its identifier or editor address). Refused
     * when that group already has a story in this one's language (TRANSLATION_LANGUAGE_TAKEN).
     */
    async link(actor: StaffActor, id: string, target: string, expectedRevision: number): Promise<ArticleRecord> {
      const { record } = await loadFor(actor, id, 'link');
      const targetId = storyIdFrom(target);
      const found = targetId && targetId !== id ? await records.findRecord(targetId) : null;
      // Joining a story's group shows its headline and status in the translations box: the
      // target must be one the person may open, or one readers can see anyway.
      const other = found && (accessTo(actor, found).open || isPublic(found, deps.clock.now())) ? found : null;
      if (!other) throw new KiosqueError('TRANSLATION_LINK_INVALID', { target: target.slice(0, 200) });
      if (other.translationGroup === record.translationGroup) return record;
      const taken = (await groupOf(other)).find((member) => member.language === record.language);
      if (taken)
        throw new KiosqueError('TRANSLATION_LANGUAGE_TAKEN', { language: record.language, articleId: taken.id });
      return articles.relink(id, other.translationGroup, 'link', { expectedRevision, actor: actor.id });
    },

    /** Leaves the story's translations for a group of its own; they and it keep every word. */
    async unlink(actor: StaffActor, id: string, expectedRevision: number): Promise<ArticleRecord> {
      const { record } = await loadFor(actor, id, 'unlink');
      if ((await groupOf(record)).every((member) => member.id === id)) return record;
      return articles.relink(id, deps.ids('grp'), 'unlink', { expectedRevision, actor: actor.id });
    },

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
        syndicated: record.syndicated,
        embargoUntil: record.embargoUntil?.toISOString() ?? '',
        dateline: record.dateline,
        licenceNote: record.licenceNote,
        genre: record.genre,
        sponsor: record.sponsor,
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
