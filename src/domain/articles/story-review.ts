import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { MessageKey, Translator } from '../i18n/translator.js';
import type { Mailer } from '../members/member-service.js';
import { hasPermission, type StoryAction } from '../staff/roles.js';
import type { StaffUser } from '../staff/staff-service.js';
import type { ArticleRecord } from './article-input.js';

/**
 * Where a story stands in the review loop (issue 14, decision 0053): not asked for (`none`),
 * handed to the editors (`ready`), sent back to its author with a note (`changes`), or approved.
 */
export const reviewStates = ['none', 'ready', 'changes', 'approved'] as const;
export type ReviewState = (typeof reviewStates)[number];

/**
 * What moves a story between review states: three buttons people press, and two steps the editor
 * records itself — `sentBack` when someone who may not approve changes an approved story's words,
 * `closed` when the story is published or scheduled (the review has done its work).
 */
export const reviewStepKinds = ['submit', 'requestChanges', 'approve', 'sentBack', 'closed'] as const;
export type ReviewStepKind = (typeof reviewStepKinds)[number];

/** One step of a story's review, as its history lists it. */
export interface ReviewStep {
  articleId: string;
  /** 1 for the story's first step, then one more each step: two people answering at once cannot both. */
  seq: number;
  kind: ReviewStepKind;
  /** The state the step left the story in. */
  state: ReviewState;
  /** The editor's note to the author (required to request changes). */
  note: string | null;
  /** Who pressed the button; null for a step the system recorded. */
  actorId: string | null;
  at: Date;
  /** The story's revision the step answered: what the editors read, what was approved. */
  revision: number;
}

/** Which states each step leaves from, and where it leads. */
const transitions: Record<ReviewStepKind, { from: readonly ReviewState[]; to: ReviewState }> = {
  submit: { from: ['none', 'changes'], to: 'ready' },
  requestChanges: { from: ['ready', 'approved'], to: 'changes' },
  approve: { from: ['ready', 'changes'], to: 'approved' },
  sentBack: { from: ['approved'], to: 'ready' },
  closed: { from: ['ready', 'changes', 'approved'], to: 'none' },
};

/** The state `kind` leads to from `state`, or null when that step does not fit there. */
export function reviewStateAfter(state: ReviewState, kind: ReviewStepKind): ReviewState | null {
  const transition = transitions[kind];
  return transition.from.includes(state) ? transition.to : null;
}

/** The review steps of stories. Why a port: the loop's rules stay apart from how steps are kept. */
export interface ReviewStore {
  /** The story's newest step; null when none was ever taken. */
  current(articleId: string): Promise<ReviewStep | null>;
  /** Every step of the story, newest first. */
  history(articleId: string): Promise<ReviewStep[]>;
  /**
   * Records `step` as the story's current one, unless a step of the same `seq` exists (someone
   * answered first): false then, and nothing is stored.
   */
  append(step: ReviewStep): Promise<boolean>;
  /** Stories not in the trash whose review waits for an editor. */
  countReady(): Promise<number>;
}

/** Records the step `kind` after `current`; REVIEW_STEP_INVALID when it does not fit or someone was first. */
export async function appendReviewStep(
  store: ReviewStore,
  current: ReviewStep | null,
  step: Omit<ReviewStep, 'seq' | 'state'>,
): Promise<ReviewStep> {
  const from = current?.state ?? 'none';
  const state = reviewStateAfter(from, step.kind);
  if (!state) throw new KiosqueError('REVIEW_STEP_INVALID', { id: step.articleId, from, step: step.kind });
  const next: ReviewStep = { ...step, seq: (current?.seq ?? 0) + 1, state };
  if (!(await store.append(next)))
    throw new KiosqueError('REVIEW_STEP_INVALID', { id: step.articleId, from, step: step.kind });
  return next;
}

/** The editor's one door, as the review uses it: the story with the person's rights for `action`. */
export interface ReviewDoor {
  check(actor: ReviewActor, id: string, action: StoryAction): Promise<{ record: ArticleRecord; live: ArticleRecord }>;
}

/** The staff member pressing a review button. */
export interface ReviewActor {
  id: string;
  name: string;
  role: StaffUser['role'];
  authorId: string | null;
}

/** The staff to notify, with the language each reads the admin in. */
export interface ReviewPeople {
  list(): Promise<StaffUser[]>;
}

/** A note is one to 4,000 characters once trimmed; ARTICLE_INVALID on `reviewNote` otherwise. */
export function reviewNoteOf(text: string | undefined, required: boolean): string | null {
  const note = (text ?? '').replace(/\r\n/g, '\n').trim();
  if (note.length > 4000 || (required && note === '')) {
    throw new KiosqueError('ARTICLE_INVALID', { fields: ['reviewNote'] });
  }
  return note === '' ? null : note;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Each email of the loop: who gets it and its message keys. */
const emails = {
  submit: { subject: 'admin.review.email.submittedSubject', intro: 'admin.review.email.submittedIntro' },
  requestChanges: { subject: 'admin.review.email.changesSubject', intro: 'admin.review.email.changesIntro' },
  approve: { subject: 'admin.review.email.approvedSubject', intro: 'admin.review.email.approvedIntro' },
} as const satisfies Record<string, { subject: MessageKey; intro: string }>;

/**
 * The review loop (issue 14): a contributor hands their draft to the editors ("Submit for
 * review"), an editor requests changes with a note or approves, the author resubmits. Every step
 * goes through the story editor's door with its own right, is kept with who and when, and emails
 * the people who answer it in their own admin language: every editor, admin and owner on
 * submission, the story's staff authors on an answer. A mail that cannot be sent is logged; the
 * step stays taken.
 */
export function createStoryReview(deps: {
  door: ReviewDoor;
  store: ReviewStore;
  people: ReviewPeople;
  mailer: Mailer;
  translator: (language: string) => Translator;
  site: { name: string; publicUrl: string };
  clock: Clock;
  onMailFailure: (error: unknown, to: string) => void;
}) {
  const { store, clock } = deps;

  async function notify(
    kind: keyof typeof emails,
    record: ArticleRecord,
    actor: ReviewActor,
    note: string | null,
    recipients: StaffUser[],
  ) {
    const url = `${deps.site.publicUrl}/admin/stories/${encodeURIComponent(record.id)}`;
    for (const person of recipients) {
      const t = deps.translator(person.language);
      const values = { name: actor.name, headline: record.headline, site: deps.site.name };
      const subject = t.t(emails[kind].subject, values);
      const intro = t.t(emails[kind].intro as MessageKey, values);
      const noteLabel = t.t('admin.review.email.note');
      const open = t.t('admin.review.email.open');
      const text = [intro, ...(note ? ['', `${noteLabel}`, note] : []), '', `${open}: ${url}`, ''].join('\n');
      const html = `<!DOCTYPE html><html lang="${escapeHtml(t.language)}" dir="${t.direction}"><body><p>${escapeHtml(intro)}</p>${
        note
          ? `<p><strong>${escapeHtml(noteLabel)}</strong></p><blockquote>${escapeHtml(note).replace(/\n/g, '<br>')}</blockquote>`
          : ''
      }<p><a href="${escapeHtml(url)}">${escapeHtml(open)}</a></p></body></html>`;
      try {
        await deps.mailer.send({ to: person.email, subject, text, html });
      } catch (error) {
        deps.onMailFailure(error, person.email);
      }
    }
  }

  /** Staff who may answer a submission, but not the person who submitted. */
  async function reviewers(actor: ReviewActor): Promise<StaffUser[]> {
    return (await deps.people.list()).filter(
      (person) => person.id !== actor.id && person.hasPassword && hasPermission(person.role, 'story.review'),
    );
  }

  /** The story's authors who are staff, but not the person answering. */
  async function authorsOf(record: ArticleRecord, actor: ReviewActor): Promise<StaffUser[]> {
    return (await deps.people.list()).filter(
      (person) => person.id !== actor.id && person.authorId !== null && record.authorIds.includes(person.authorId),
    );
  }

  return {
    /** The story's review state and its steps, newest first. */
    async of(id: string): Promise<{ state: ReviewState; current: ReviewStep | null; history: ReviewStep[] }> {
      const history = await store.history(id);
      const current = history[0] ?? null;
      return { state: current?.state ?? 'none', current, history };
    },

    /** How many stories wait for an editor: the admin navigation's "To review". */
    countReady: () => store.countReady(),

    /**
     * "Submit for review" (again after changes were requested): the author's own draft goes to the
     * editors. A story that is published, scheduled or in the trash is not a draft to review.
     */
    async submit(actor: ReviewActor, id: string): Promise<ReviewStep> {
      const { record, live } = await deps.door.check(actor, id, 'submitForReview');
      if (live.status !== 'draft' || live.deletedAt !== null) {
        throw new KiosqueError('REVIEW_STEP_INVALID', { id, from: live.status, step: 'submit' });
      }
      const step = await appendReviewStep(store, await store.current(id), {
        articleId: id,
        kind: 'submit',
        note: null,
        actorId: actor.id,
        at: clock.now(),
        revision: record.revision,
      });
      await notify('submit', record, actor, null, await reviewers(actor));
      return step;
    },

    /** "Request changes": back to the author with the editor's note (required). */
    async requestChanges(actor: ReviewActor, id: string, noteText: string | undefined): Promise<ReviewStep> {
      const note = reviewNoteOf(noteText, true);
      return answer(actor, id, 'requestChanges', note);
    },

    /** "Approve", with an optional note: the words may go to readers. */
    async approve(actor: ReviewActor, id: string, noteText?: string): Promise<ReviewStep> {
      return answer(actor, id, 'approve', reviewNoteOf(noteText, false));
    },
  };

  async function answer(
    actor: ReviewActor,
    id: string,
    kind: 'requestChanges' | 'approve',
    note: string | null,
  ): Promise<ReviewStep> {
    const { record, live } = await deps.door.check(actor, id, kind);
    if (live.deletedAt !== null) throw new KiosqueError('REVIEW_STEP_INVALID', { id, from: 'deleted', step: kind });
    const step = await appendReviewStep(store, await store.current(id), {
      articleId: id,
      kind,
      note,
      actorId: actor.id,
      at: clock.now(),
      revision: record.revision,
    });
    await notify(kind, record, actor, note, await authorsOf(record, actor));
    return step;
  }
}

export type StoryReview = ReturnType<typeof createStoryReview>;
