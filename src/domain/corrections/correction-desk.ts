import type { ArticleRecord } from '../articles/article-input.js';
import type { ArticleService } from '../articles/article-service.js';
import type { StaffActor, StoryEditor } from '../articles/story-editor.js';
import { isUpToDate } from '../articles/story-editor.js';
import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { MachineTranslation } from '../translations/machine-translation.js';
import { type Correction, type CorrectionStore, parseCorrectionInput } from './correction.js';

/** The translations of a story: every story of its group, the trash included (the editor's records). */
export interface GroupReader {
  listGroup(translationGroup: string): Promise<ArticleRecord[]>;
}

/**
 * Corrections and clarifications in the newsroom (issue 14, decision 0056): drafted, published and
 * listed on a story, each through the story editor's one door (`check(actor, id, 'correct')`),
 * so whoever may publish the story may correct it and no one else. Publishing is a `correct`
 * revision of the story; each of its translations gets a draft in its own language (machine
 * translated when a provider is configured) and goes out of date.
 */
export function createCorrectionDesk(deps: {
  editor: Pick<StoryEditor, 'check'>;
  articles: Pick<ArticleService, 'correct'>;
  store: CorrectionStore;
  group: GroupReader;
  machine?: MachineTranslation | null;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { store, clock } = deps;

  async function draftOf(articleId: string, id: string): Promise<Correction> {
    const correction = await store.find(id);
    if (!correction || correction.articleId !== articleId) throw new KiosqueError('CORRECTION_NOT_FOUND', { id });
    if (correction.status !== 'draft') throw new KiosqueError('CORRECTION_PUBLISHED', { id });
    return correction;
  }

  /** The source's words in `to`: the provider's, or the source's own marked as needing a person. */
  async function translated(text: string, from: string, to: string): Promise<{ text: string; needs: boolean }> {
    const machine = deps.machine?.provider ? deps.machine : null;
    if (!machine) return { text, needs: true };
    try {
      const [answer] = await machine.translateTexts([text], from, to);
      const words = String(answer ?? '').trim();
      return words === '' ? { text, needs: true } : { text: words, needs: false };
    } catch {
      // The provider being down must not stop a correction reaching readers: a person translates it.
      return { text, needs: true };
    }
  }

  /** Drafts for the translations made from `source` (not in the trash), in their languages. */
  async function translationDrafts(
    source: ArticleRecord,
    correction: Correction,
    actor: string,
  ): Promise<Correction[]> {
    const now = clock.now();
    const members = await deps.group.listGroup(source.translationGroup);
    const drafts: Correction[] = [];
    for (const member of members) {
      if (member.id === source.id || member.deletedAt !== null) continue;
      if (member.translationOf?.articleId !== source.id) continue;
      const { text, needs } = await translated(correction.text, source.language, member.language);
      drafts.push({
        id: deps.ids('cor'),
        articleId: member.id,
        language: member.language,
        kind: correction.kind,
        text,
        status: 'draft',
        sourceCorrectionId: correction.id,
        // Up to date before this correction: publishing its translation brings it up to date again.
        sourceRevision: isUpToDate(member.translationOf, source) ? source.revision + 1 : null,
        needsTranslation: needs,
        createdBy: actor,
        createdAt: now,
        publishedBy: null,
        publishedAt: null,
      });
    }
    return drafts;
  }

  return {
    /** Every correction of the story, drafts included, oldest first (the editor's panel). */
    async list(actor: StaffActor, articleId: string): Promise<Correction[]> {
      await deps.editor.check(actor, articleId, 'open');
      return store.listFor(articleId);
    },

    /** A new draft on the story. */
    async add(actor: StaffActor, articleId: string, value: unknown): Promise<Correction> {
      const { live } = await deps.editor.check(actor, articleId, 'correct');
      const { kind, text } = parseCorrectionInput(value);
      const correction: Correction = {
        id: deps.ids('cor'),
        articleId,
        language: live.language,
        kind,
        text,
        status: 'draft',
        sourceCorrectionId: null,
        sourceRevision: null,
        needsTranslation: false,
        createdBy: actor.id,
        createdAt: clock.now(),
        publishedBy: null,
        publishedAt: null,
      };
      await store.saveDraft(correction);
      return correction;
    },

    /** Changes a draft's kind and text; a published correction is never changed (CORRECTION_PUBLISHED). */
    async revise(actor: StaffActor, articleId: string, id: string, value: unknown): Promise<Correction> {
      await deps.editor.check(actor, articleId, 'correct');
      const draft = await draftOf(articleId, id);
      const { kind, text } = parseCorrectionInput(value);
      // Saved with the source's words unchanged, it still needs translating.
      const next = { ...draft, kind, text, needsTranslation: draft.needsTranslation && text === draft.text };
      if (!(await store.saveDraft(next))) throw new KiosqueError('CORRECTION_PUBLISHED', { id });
      return next;
    },

    /** Throws a draft away; a published correction stays for good. */
    async discard(actor: StaffActor, articleId: string, id: string): Promise<void> {
      await deps.editor.check(actor, articleId, 'correct');
      await draftOf(articleId, id);
      if (!(await store.removeDraft(id))) throw new KiosqueError('CORRECTION_PUBLISHED', { id });
    },

    /**
     * Publishes a draft on the live story: the story's last change moves (pages, feeds, sitemaps,
     * webhooks), its translations get drafts in their languages and go out of date.
     */
    async publish(actor: StaffActor, articleId: string, id: string): Promise<ArticleRecord> {
      const { live } = await deps.editor.check(actor, articleId, 'correct');
      if (live.status !== 'published' || live.deletedAt !== null) {
        throw new KiosqueError('CORRECTION_STORY_NOT_PUBLISHED', { id: articleId });
      }
      const draft = await draftOf(articleId, id);
      if (draft.needsTranslation) throw new KiosqueError('CORRECTION_UNTRANSLATED', { id });
      const drafts = await translationDrafts(live, draft, actor.id);
      const upTo =
        draft.sourceRevision !== null && live.translationOf
          ? { articleId: live.translationOf.articleId, revision: draft.sourceRevision }
          : null;
      return deps.articles.correct(
        articleId,
        { publish: { id, kind: draft.kind, by: actor.id }, drafts },
        { expectedRevision: live.revision, actor: actor.id },
        upTo,
      );
    },
  };
}

export type CorrectionDesk = ReturnType<typeof createCorrectionDesk>;
