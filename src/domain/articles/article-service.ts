import type { Clock, IdGenerator } from '../clock.js';
import type { Correction, CorrectionKind } from '../corrections/correction.js';
import { KiosqueError } from '../errors.js';
import type { ArticleFacts, EventBus } from '../events.js';
import type { LedgerEntry } from '../imports/import-ledger.js';
import { type Finding, isPublishable, preflight } from '../preflight/preflight.js';
import { isEmbargoed, isPublic, type KillReason, type Taxon } from './article.js';
import { type ArticleInput, type ArticleRecord, prepareNewArticle } from './article-input.js';

/** One saved state of an article: who saved it, when, doing what, and the whole article then. */
export interface RevisionEntry {
  articleId: string;
  revision: number;
  savedAt: Date;
  savedBy: string | null;
  action: RevisionAction;
  snapshot: ArticleRecord;
}

/** `restore` brings a deleted article back; `revert` brings back the content of an earlier revision. */
export type RevisionAction =
  | 'create'
  | 'edit'
  | 'publish'
  | 'schedule'
  | 'unpublish'
  | 'delete'
  | 'restore'
  | 'revert'
  | 'link'
  | 'unlink'
  /** An edit of a live (published or scheduled) story, kept aside: readers see nothing of it. */
  | 'pending'
  /** The pending version put live ("Update the live story"). */
  | 'update'
  /** The pending version thrown away; the story is as it is live. */
  | 'discard'
  /** A correction or clarification published on the story (decision 0056): its words changed for readers. */
  | 'correct'
  /** Killed (decision 0057): 410 Gone at its address, off every channel, for good. */
  | 'kill';

/** Sections and tags a save creates, in its own transaction: a refused save creates none. */
export interface NewTaxa {
  sections: Taxon[];
  tags: Taxon[];
}

/** What a write does besides the article itself. */
export interface WriteEffects {
  /** Sections and tags to create in the same transaction. */
  taxa?: NewTaxa;
  /** Whether the pending version (if any) is gone after this write: applied, folded or replaced. */
  clearPending?: boolean;
  /** An import's ledger entry, committed with the article (a killed import never duplicates it). */
  ledger?: LedgerEntry;
  /** A correction published with this revision, and its translations' drafts (decision 0056). */
  corrections?: CorrectionWrite;
}

/** A correction's publication, written in the story's revision's transaction. */
export interface CorrectionWrite {
  /** The draft that becomes published (refused as stale when it is no longer a draft of the story). */
  publish: { id: string; kind: CorrectionKind; by: string | null };
  /** Draft corrections for the story's translations, stored in the same transaction. */
  drafts: Correction[];
}

/** Where articles are written. `replace` is the optimistic lock: it refuses a stale revision. */
export interface ArticleStore {
  findRecord(id: string): Promise<ArticleRecord | null>;
  insert(record: ArticleRecord, revision: RevisionEntry, effects?: WriteEffects): Promise<void>;
  /** Stores `record` only if the stored revision is still `expectedRevision`; false when it moved on. */
  replace(
    record: ArticleRecord,
    expectedRevision: number,
    revision: RevisionEntry,
    effects?: WriteEffects,
  ): Promise<boolean>;
  /**
   * Records `revision` and moves the article's revision to it, without touching anything readers
   * see: the pending version becomes `pendingRevision` (null: none). False when the stored
   * revision is no longer `expectedRevision`.
   */
  recordAside(
    revision: RevisionEntry,
    expectedRevision: number,
    pendingRevision: number | null,
    taxa?: NewTaxa,
  ): Promise<boolean>;
  /** The pending version of a live story, if there is one. */
  findPending(id: string): Promise<RevisionEntry | null>;
  /** One saved revision, for reverting to it; null when the article never had it. */
  findRevision(id: string, revision: number): Promise<RevisionEntry | null>;
}

export interface SaveOptions {
  /** The revision the change was based on; a save based on an older one is refused. */
  expectedRevision: number;
  /** Staff member making the change, recorded in the revision. */
  actor?: string | null;
  /** Sections and tags the save creates (only when it is stored). */
  taxa?: NewTaxa;
  /**
   * Act on the pending version: publish, schedule or unpublish what staff were writing rather
   * than what readers see. Without it the pending version stays pending (the scheduler).
   */
  withPending?: boolean;
  /** An import's ledger entry, written in the save's transaction. */
  ledger?: LedgerEntry;
  /** A correction this save publishes: the story's words change for readers (decision 0056). */
  corrections?: CorrectionWrite;
}

/** A story is live, for its editors, once it is published or scheduled and not in the trash. */
export function isLive(record: Pick<ArticleRecord, 'status' | 'deletedAt'>): boolean {
  return record.status !== 'draft' && record.deletedAt === null;
}

/** What staff work on: the pending version's content over the stored story's status and dates. */
export function workingCopy(live: ArticleRecord, pending: RevisionEntry | null): ArticleRecord {
  if (!pending) return live;
  return {
    ...pending.snapshot,
    id: live.id,
    translationGroup: live.translationGroup,
    status: live.status,
    publishedAt: live.publishedAt,
    scheduledAt: live.scheduledAt,
    createdAt: live.createdAt,
    deletedAt: live.deletedAt,
    killedAt: live.killedAt,
    killReason: live.killReason,
    killNotice: live.killNotice,
    revision: live.revision,
    textRevision: live.textRevision,
  };
}

/** The revision that records an article's creation. */
export function initialRevision(record: ArticleRecord, savedBy: string | null): RevisionEntry {
  return {
    articleId: record.id,
    revision: record.revision,
    savedAt: record.createdAt,
    savedBy,
    action: 'create',
    snapshot: record,
  };
}

/** An image of an article that readers who cannot see it would know nothing about. */
export interface ImageWithoutAlt {
  role: 'hero' | 'gallery';
  /** 1-based place in the gallery; 0 for the hero image. */
  position: number;
  imageId: string;
}

/** The article's images whose alt text is empty. */
export function imagesWithoutAlt(record: Pick<ArticleRecord, 'hero' | 'gallery'>): ImageWithoutAlt[] {
  const missing: ImageWithoutAlt[] = [];
  if (record.hero && record.hero.alt.trim() === '')
    missing.push({ role: 'hero', position: 0, imageId: record.hero.imageId });
  record.gallery.forEach((use, index) => {
    if (use.alt.trim() === '') missing.push({ role: 'gallery', position: index + 1, imageId: use.imageId });
  });
  return missing;
}

/** Readers get no image without alt text: publishing (now or later) needs it on every image. */
function assertAltText(record: ArticleRecord): void {
  const images = imagesWithoutAlt(record);
  if (images.length > 0) throw new KiosqueError('ARTICLE_ALT_TEXT_MISSING', { id: record.id, images });
}

/** The preflight findings of a stored or about-to-be-stored article (`domain/preflight`). */
export function preflightOf(
  record: Pick<
    ArticleRecord,
    | 'language'
    | 'headline'
    | 'bodyMarkdown'
    | 'authorIds'
    | 'syndicated'
    | 'source'
    | 'hero'
    | 'gallery'
    | 'genre'
    | 'sponsor'
  >,
): Finding[] {
  return preflight({
    language: record.language,
    headline: record.headline,
    bodyMarkdown: record.bodyMarkdown,
    authorCount: record.authorIds.length,
    syndicated: record.syndicated,
    hasSourceCredit: record.source !== null && record.source.name.trim() !== '',
    hasOriginalUrl: (record.source?.url ?? '').trim() !== '',
    images: [...(record.hero ? [record.hero] : []), ...record.gallery],
    sponsor: record.genre === 'sponsored' ? record.sponsor : undefined,
  });
}

/**
 * What readers see, or will see at the scheduled time, passes preflight: an image without alt text
 * names the images (ARTICLE_ALT_TEXT_MISSING), any other blocking finding lists the findings
 * (ARTICLE_NOT_PUBLISHABLE). Warnings never block: the editor shows them and the person decides.
 */
function assertPublishable(record: ArticleRecord): void {
  assertAltText(record);
  const findings = preflightOf(record);
  if (!isPublishable(findings)) {
    throw new KiosqueError('ARTICLE_NOT_PUBLISHABLE', {
      id: record.id,
      findings: findings.filter((finding) => finding.severity === 'blocking'),
    });
  }
}

/** The input that reproduces a stored article (for a revert, or an edit that changes one thing). */
export function inputOf(record: ArticleRecord): ArticleInput {
  const {
    id: _id,
    bodyHtml: _html,
    revision: _rev,
    createdAt: _c,
    updatedAt: _u,
    deletedAt: _d,
    textRevision: _t,
    ...input
  } = record;
  return input;
}

/**
 * An embargo is a floor on the publication time (issue 12, decision 0042): a story published
 * while its embargo holds is scheduled at the embargo instead (publishing it "now" keeps the
 * publication date it had before, none for a story never published), and a schedule set before
 * the embargo moves to it. The scheduler then publishes it when the embargo passes, through the
 * same `publish` as any scheduled story, so every cache, feed, sitemap, search result, related
 * list and newsletter hears of it by the same event.
 */
export function heldByEmbargo(next: ArticleRecord, before: ArticleRecord | null, now: Date): ArticleRecord {
  const embargo = next.embargoUntil;
  if (embargo === null || !isEmbargoed(embargo, now)) return next;
  if (next.status === 'published') {
    return { ...next, status: 'scheduled', scheduledAt: embargo, publishedAt: before?.publishedAt ?? null };
  }
  if (next.status === 'scheduled' && (next.scheduledAt === null || next.scheduledAt < embargo)) {
    return { ...next, scheduledAt: embargo };
  }
  return next;
}

/** Whether two versions differ in the words a translator translates. */
function textChanged(a: ArticleRecord, b: ArticleRecord): boolean {
  return a.headline !== b.headline || a.standfirst !== b.standfirst || a.bodyMarkdown !== b.bodyMarkdown;
}

/** What listeners need to know about an article to tell which pages it appears on. */
export function factsOf(record: ArticleRecord, now: Date): ArticleFacts {
  return {
    language: record.language,
    translationGroup: record.translationGroup,
    slug: record.slug,
    sectionId: record.sectionId,
    tagIds: record.tagIds,
    authorIds: record.authorIds,
    visible: isPublic(record, now),
    publishedAt: record.publishedAt?.toISOString() ?? null,
    revision: record.revision,
    textRevision: record.textRevision,
    deleted: record.deletedAt !== null,
    killed: record.killedAt !== null,
  };
}

/**
 * The newsroom's writes: create, edit, publish, schedule, unpublish, delete and restore. Every
 * save is a new revision, refused when based on a stale one, and announced as an event.
 */
export function createArticleService(deps: { store: ArticleStore; events: EventBus; clock: Clock; ids: IdGenerator }) {
  const { store, events, clock } = deps;

  async function load(id: string): Promise<ArticleRecord> {
    const record = await store.findRecord(id);
    if (!record) throw new KiosqueError('ARTICLE_NOT_FOUND', { id });
    return record;
  }

  /**
   * The first half of the optimistic lock, shared by the live save and the saves set aside: the
   * stored article, refused when it has moved on from the revision the save was based on.
   */
  async function loadForSave(id: string, options: SaveOptions): Promise<ArticleRecord> {
    const current = await load(id);
    // A kill is final (decision 0057): no save, publication or restore brings the story back; its
    // revisions stay readable for the legal record.
    if (current.killedAt !== null) throw new KiosqueError('ARTICLE_KILLED', { id });
    if (current.revision !== options.expectedRevision) {
      throw new KiosqueError('ARTICLE_REVISION_CONFLICT', {
        id,
        expected: options.expectedRevision,
        current: current.revision,
      });
    }
    return current;
  }

  /** The second half: another save landed between our read and our write. */
  function overtaken(id: string, options: SaveOptions): KiosqueError {
    return new KiosqueError('ARTICLE_REVISION_CONFLICT', { id, expected: options.expectedRevision });
  }

  async function save(
    id: string,
    options: SaveOptions,
    action: RevisionAction,
    change: (current: ArticleRecord, now: Date) => ArticleRecord,
  ): Promise<ArticleRecord> {
    const current = await loadForSave(id, options);
    const now = clock.now();
    // Publishing, scheduling or withdrawing from the editor acts on what staff wrote: the pending
    // version, if any. A direct edit replaces it.
    const pending =
      options.withPending || action === 'edit' || action === 'revert' ? await store.findPending(id) : null;
    const clearPending = pending !== null;
    const changed = heldByEmbargo(
      change(options.withPending ? workingCopy(current, pending) : current, now),
      current,
      now,
    );
    const revision = current.revision + 1;
    const next: ArticleRecord = {
      ...changed,
      id,
      revision,
      updatedAt: now,
      // A published correction changes what the story says to readers: its translations must follow.
      textRevision: textChanged(current, changed) || options.corrections ? revision : current.textRevision,
    };
    // What readers see, or will see at the scheduled time, passes preflight.
    if (next.status !== 'draft' && next.deletedAt === null && next.killedAt === null) assertPublishable(next);
    const stored = await store.replace(
      next,
      options.expectedRevision,
      {
        articleId: id,
        revision: next.revision,
        savedAt: now,
        savedBy: options.actor ?? null,
        action,
        snapshot: next,
      },
      { taxa: options.taxa, clearPending, ledger: options.ledger, corrections: options.corrections },
    );
    if (!stored) throw overtaken(id, options);
    announceTaxa(next.language, options.taxa);
    events.publish({
      type: 'article.changed',
      articleId: id,
      before: factsOf(current, now),
      after: factsOf(next, now),
      ...(options.corrections
        ? { corrected: { id: options.corrections.publish.id, kind: options.corrections.publish.kind } }
        : {}),
    });
    return next;
  }

  function announceTaxa(language: string, taxa: NewTaxa | undefined): void {
    if (taxa && taxa.sections.length > 0) events.publish({ type: 'sections.changed', language });
  }

  /** The content `input` gives the story, over its stored status, dates and group. */
  function edited(current: ArticleRecord, input: ArticleInput): ArticleRecord {
    const record = prepareNewArticle({ ...input, language: input.language ?? current.language }, deps);
    return {
      ...record,
      id: current.id,
      translationGroup: input.translationGroup ?? current.translationGroup,
      status: current.status,
      publishedAt: current.publishedAt,
      scheduledAt: current.scheduledAt,
      createdAt: current.createdAt,
      deletedAt: current.deletedAt,
      translationOf: input.translationOf === undefined ? current.translationOf : record.translationOf,
      dateline: input.dateline === undefined ? current.dateline : record.dateline,
      licenceNote: input.licenceNote === undefined ? current.licenceNote : record.licenceNote,
      wireItemId: input.wireItemId === undefined ? current.wireItemId : record.wireItemId,
      genre: input.genre === undefined ? current.genre : record.genre,
      sponsor: input.sponsor === undefined ? current.sponsor : record.sponsor,
      killedAt: current.killedAt,
      killReason: current.killReason,
      killNotice: current.killNotice,
    };
  }

  /** Moves the lock and records a revision that readers see nothing of (pending, discard). */
  async function aside(
    id: string,
    options: SaveOptions,
    action: 'pending' | 'discard',
    snapshotOf: (current: ArticleRecord, now: Date) => ArticleRecord,
  ): Promise<ArticleRecord> {
    const current = await loadForSave(id, options);
    const now = clock.now();
    const revision = current.revision + 1;
    const snapshot: ArticleRecord = { ...snapshotOf(current, now), id, revision, updatedAt: now };
    const stored = await store.recordAside(
      { articleId: id, revision, savedAt: now, savedBy: options.actor ?? null, action, snapshot },
      options.expectedRevision,
      action === 'pending' ? revision : null,
      options.taxa,
    );
    if (!stored) throw overtaken(id, options);
    announceTaxa(snapshot.language, options.taxa);
    return snapshot;
  }

  /** Replaces the article's content (status and dates are changed by publish/unpublish/schedule). */
  function edit(
    id: string,
    input: ArticleInput,
    options: SaveOptions,
    action: 'edit' | 'revert' = 'edit',
  ): Promise<ArticleRecord> {
    return save(id, options, action, (current) => edited(current, input));
  }

  return {
    /** The article as the newsroom edits it, whatever its status; ARTICLE_NOT_FOUND if none. */
    get: load,

    async create(
      input: ArticleInput,
      actor: string | null = null,
      taxa?: NewTaxa,
      ledger?: (articleId: string) => LedgerEntry,
    ): Promise<ArticleRecord> {
      const now = clock.now();
      const record = heldByEmbargo(prepareNewArticle(input, deps), null, now);
      if (record.status !== 'draft') assertPublishable(record);
      await store.insert(record, initialRevision(record, actor), { taxa, ledger: ledger?.(record.id) });
      announceTaxa(record.language, taxa);
      events.publish({ type: 'article.changed', articleId: record.id, before: null, after: factsOf(record, now) });
      return record;
    },

    edit,

    /** The pending version of a live story, if any (what its editors are writing). */
    findPending: (id: string) => store.findPending(id),

    /**
     * Keeps an edit of a live story aside as its pending version: a revision (so it is listed,
     * diffed and survives a restart) through the same optimistic lock, that changes nothing
     * readers see, and is not checked by preflight until it is put live.
     */
    savePending(id: string, input: ArticleInput, options: SaveOptions): Promise<ArticleRecord> {
      return aside(id, options, 'pending', (current) => edited(current, input));
    },

    /** "Update the live story": the pending version, checked by preflight, becomes what readers see. */
    async updateLive(id: string, options: SaveOptions): Promise<ArticleRecord> {
      if (!(await store.findPending(id))) throw new KiosqueError('ARTICLE_NOTHING_PENDING', { id });
      return save(id, { ...options, withPending: true }, 'update', (working) => working);
    },

    /** Throws the pending version away (it stays in the revisions); readers saw none of it. */
    async discardPending(id: string, options: SaveOptions): Promise<ArticleRecord> {
      if (!(await store.findPending(id))) throw new KiosqueError('ARTICLE_NOTHING_PENDING', { id });
      return aside(id, options, 'discard', (current) => current);
    },

    /** Publishes now (or keeps the original publication time when republishing). */
    publish(id: string, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'publish', (current, now) => ({
        ...current,
        status: 'published',
        publishedAt: current.publishedAt ?? now,
        scheduledAt: null,
      }));
    },

    /** Schedules publication at `at`, which must be in the future. */
    schedule(id: string, at: Date, options: SaveOptions): Promise<ArticleRecord> {
      if (!(at.getTime() > clock.now().getTime()))
        throw new KiosqueError('ARTICLE_SCHEDULE_IN_PAST', { at: at.toISOString() });
      return save(id, options, 'schedule', (current) => ({ ...current, status: 'scheduled', scheduledAt: at }));
    },

    unpublish(id: string, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'unpublish', (current) => ({ ...current, status: 'draft', scheduledAt: null }));
    },

    /** Soft delete: the article leaves the site and every list, and can be restored. */
    remove(id: string, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'delete', (current, now) => ({ ...current, deletedAt: now }));
    },

    restore(id: string, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'restore', (current) => ({ ...current, deletedAt: null }));
    },

    /**
     * Kills the story (decision 0057): from this commit it is on no channel — page (410 Gone with
     * `notice`), lists, feeds, sitemaps, search (its document goes in the same transaction), APIs,
     * related lists, newsletters not yet sent — and its event drops every cached page that showed
     * it. Its status and dates stay as they were, its revisions are kept, and no later write is
     * accepted. Its translations are other stories, each killed on its own.
     */
    kill(id: string, kill: { reason: KillReason; notice: string }, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'kill', (current, now) => ({
        ...current,
        killedAt: now,
        killReason: kill.reason,
        killNotice: kill.notice.trim(),
      }));
    },

    /**
     * Brings back the content of an earlier revision as a new revision (nothing is rewritten or
     * pruned); the status and publication dates stay as they are now.
     */
    async revert(id: string, revision: number, options: SaveOptions): Promise<ArticleRecord> {
      const earlier = await store.findRevision(id, revision);
      if (!earlier) throw new KiosqueError('ARTICLE_REVISION_NOT_FOUND', { id, revision });
      // The content comes back; which translations the story belongs to stays as it is now (that is
      // changed by linking and unlinking, each its own revision).
      const { translationGroup: _group, translationOf: _source, ...content } = inputOf(earlier.snapshot);
      return edit(id, content, options, 'revert');
    },

    /**
     * Moves the story into the translation group `group` (`link` joins another story's
     * translations, `unlink` leaves for a group of its own). Refused with
     * TRANSLATION_LANGUAGE_TAKEN when the group already has a story in this one's language; the
     * database holds the same rule. Each move is a revision, so nothing is lost.
     */
    relink(id: string, group: string, action: 'link' | 'unlink', options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, action, (current) => ({ ...current, translationGroup: group }));
    },

    /**
     * Publishes a correction on the live story (decision 0056): a `correct` revision that changes
     * no field staff typed but moves the story's last change and its words' revision (its
     * translations go out of date), with the correction and its translations' drafts written in
     * the same transaction and announced with the story's event. `upTo`: the source's revision a
     * translation's correction brings it up to. The pending version, if any, stays pending.
     */
    correct(
      id: string,
      corrections: CorrectionWrite,
      options: SaveOptions,
      upTo: { articleId: string; revision: number } | null = null,
    ): Promise<ArticleRecord> {
      return save(id, { ...options, withPending: false, corrections }, 'correct', (current) =>
        upTo && current.translationOf?.articleId === upTo.articleId && current.translationOf.revision < upTo.revision
          ? { ...current, translationOf: upTo }
          : current,
      );
    },
  };
}

export type ArticleService = ReturnType<typeof createArticleService>;
