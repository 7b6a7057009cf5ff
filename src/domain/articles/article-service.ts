import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { ArticleFacts, EventBus } from '../events.js';
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

export type RevisionAction = 'create' | 'edit' | 'publish' | 'schedule' | 'unpublish' | 'delete' | 'restore';

/** Where articles are written. `replace` is the optimistic lock: it refuses a stale revision. */
export interface ArticleStore {
  findRecord(id: string): Promise<ArticleRecord | null>;
  insert(record: ArticleRecord, revision: RevisionEntry): Promise<void>;
  /** Stores `record` only if the stored revision is still `expectedRevision`; false when it moved on. */
  replace(record: ArticleRecord, expectedRevision: number, revision: RevisionEntry): Promise<boolean>;
}

export interface SaveOptions {
  /** The revision the change was based on; a save based on an older one is refused. */
  expectedRevision: number;
  /** Staff member making the change, recorded in the revision. */
  actor?: string | null;
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

/** What listeners need to know about an article to tell which pages it appears on. */
export function factsOf(record: ArticleRecord, now: Date): ArticleFacts {
  return {
    language: record.language,
    translationGroup: record.translationGroup,
    sectionId: record.sectionId,
    tagIds: record.tagIds,
    authorIds: record.authorIds,
    visible:
      record.status === 'published' &&
      record.deletedAt === null &&
      record.publishedAt !== null &&
      record.publishedAt <= now,
    publishedAt: record.publishedAt?.toISOString() ?? null,
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

  async function save(
    id: string,
    options: SaveOptions,
    action: RevisionAction,
    change: (current: ArticleRecord, now: Date) => ArticleRecord,
  ): Promise<ArticleRecord> {
    const current = await load(id);
    if (current.revision !== options.expectedRevision) {
      throw new KiosqueError('ARTICLE_REVISION_CONFLICT', {
        id,
        expected: options.expectedRevision,
        current: current.revision,
      });
    }
    const now = clock.now();
    const next: ArticleRecord = { ...change(current, now), id, revision: current.revision + 1, updatedAt: now };
    const stored = await store.replace(next, options.expectedRevision, {
      articleId: id,
      revision: next.revision,
      savedAt: now,
      savedBy: options.actor ?? null,
      action,
      snapshot: next,
    });
    if (!stored) {
      // Another save landed between our read and our write.
      throw new KiosqueError('ARTICLE_REVISION_CONFLICT', { id, expected: options.expectedRevision });
    }
    events.publish({
      type: 'article.changed',
      articleId: id,
      before: factsOf(current, now),
      after: factsOf(next, now),
    });
    return next;
  }

  return {
    /** The article as the newsroom edits it, whatever its status; ARTICLE_NOT_FOUND if none. */
    get: load,

    async create(input: ArticleInput, actor: string | null = null): Promise<ArticleRecord> {
      const record = prepareNewArticle(input, deps);
      const now = clock.now();
      await store.insert(record, initialRevision(record, actor));
      events.publish({ type: 'article.changed', articleId: record.id, before: null, after: factsOf(record, now) });
      return record;
    },

    /** Replaces the article's content (status and dates are changed by publish/unpublish/schedule). */
    edit(id: string, input: ArticleInput, options: SaveOptions): Promise<ArticleRecord> {
      return save(id, options, 'edit', (current) => {
        const edited = prepareNewArticle({ ...input, language: input.language ?? current.language }, deps);
        return {
          ...edited,
          id: current.id,
          translationGroup: input.translationGroup ?? current.translationGroup,
          status: current.status,
          publishedAt: current.publishedAt,
          scheduledAt: current.scheduledAt,
          createdAt: current.createdAt,
          deletedAt: current.deletedAt,
        };
      });
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
  };
}

export type ArticleService = ReturnType<typeof createArticleService>;
