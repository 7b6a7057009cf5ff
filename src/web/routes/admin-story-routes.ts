import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { ArticleRecord } from '../../domain/articles/article-input.js';
import { defaultGenre, genreKey } from '../../domain/articles/genre.js';
import { renderMarkdown } from '../../domain/articles/markdown.js';
import { diffRecords } from '../../domain/articles/revision-diff.js';
import { slugify } from '../../domain/articles/slug.js';
import { type StoryDraft, type StoryEditor, storyDraftSchema } from '../../domain/articles/story-editor.js';
import { reviewNoteOf, type StoryReview } from '../../domain/articles/story-review.js';
import type { CorrectionDesk } from '../../domain/corrections/correction-desk.js';
import { type ErrorCode, isKiosqueError, KiosqueError } from '../../domain/errors.js';
import type { MessageKey, Translator } from '../../domain/i18n/translator.js';
import type { IntegrationService } from '../../domain/integrations/integration-service.js';
import type { Finding } from '../../domain/preflight/preflight.js';
import { hasPermission } from '../../domain/staff/roles.js';
import type { StaffService, StaffUser } from '../../domain/staff/staff-service.js';
import { instantOfWallClock, wallClock } from '../../domain/time-zone.js';
import type { LeadImageProblem } from '../../domain/wire/wire-desk.js';
import type { AdminAccess } from '../admin-guard.js';
import { errorOf } from '../error-status.js';
import type { WebDependencies } from '../server.js';
import {
  type ConflictProps,
  type DraftGroup,
  draftDifferences,
  EditorPage,
  type EditorProps,
  findingsText,
  findingViews,
  formFieldOf,
  RevisionsPage,
  storyFieldKey,
} from '../views/admin-editor.js';
import type { AdminContext } from '../views/admin-views.js';
import { paths } from '../views/site-context.js';

/** What the story routes borrow from the admin: the page context and the way pages are sent. */
export interface StoryPages {
  context(request: FastifyRequest, reply: FastifyReply): AdminContext;
  send(reply: FastifyReply, node: VNode, status?: number): FastifyReply;
}

export interface StoryRouteDependencies {
  editor: StoryEditor;
  corrections: CorrectionDesk;
  staff: StaffService;
  /** The site's time zone: a `datetime-local` sent without the script is read in it. */
  timeZone: string;
  /** Integrations save revisions through the Admin API: the revision list names them. */
  integrations: Pick<IntegrationService, 'list'>;
  /** The review loop (issue 14): its state on the editor, and its three buttons. */
  review: StoryReview;
}

/** A form as posted (urlencoded) or as the editor script sends it (JSON): names to values. */
export type FormFields = Record<string, string | string[]>;

const formFieldsSchema = z.record(z.string().max(100), z.union([z.string(), z.array(z.string()).max(100)]));
const saveBody = z.object({ expectedRevision: z.number().int().min(1), fields: formFieldsSchema });
const createBody = z.object({ fields: formFieldsSchema });
const previewBody = z.object({ markdown: z.string().max(500_000) });
const translateBody = z.object({ language: z.string().max(20) });
const linkBody = z.object({ target: z.string().max(500) });
const revisionQuery = z.object({
  from: z.coerce.number().int().min(1).optional().catch(undefined),
  to: z.coerce.number().int().min(1).optional().catch(undefined),
});
const doneNotices = {
  created: 'admin.done.created',
  saved: 'admin.done.saved',
  published: 'admin.done.published',
  scheduled: 'admin.done.scheduled',
  unpublished: 'admin.done.unpublished',
  deleted: 'admin.done.deleted',
  restored: 'admin.done.restored',
  reverted: 'admin.done.reverted',
  translated: 'admin.done.translated',
  reviewed: 'admin.done.reviewed',
  linked: 'admin.done.linked',
  unlinked: 'admin.done.unlinked',
  updated: 'admin.done.updated',
  discarded: 'admin.done.discarded',
  embargoed: 'admin.done.embargoed',
  killed: 'admin.done.killed',
  'drafted-without-image': 'admin.done.draftedWithoutImage',
  submitted: 'admin.done.submitted',
  'changes-requested': 'admin.done.changesRequested',
  approved: 'admin.done.approved',
  'correction-added': 'admin.done.correctionAdded',
  'correction-saved': 'admin.done.correctionSaved',
  'correction-discarded': 'admin.done.correctionDiscarded',
  'correction-published': 'admin.done.correctionPublished',
} as const satisfies Record<string, MessageKey>;
/** Why "Use as draft" left the wire item's lead image out (`leadImageProblems`). */
const leadImageReasons = {
  refused: 'admin.wire.imageRefused',
  unreachable: 'admin.wire.imageUnreachable',
  'too-large': 'admin.wire.imageTooLarge',
  'not-image': 'admin.wire.imageNotImage',
  'too-many-pixels': 'admin.wire.imageTooManyPixels',
} as const satisfies Record<LeadImageProblem, MessageKey>;

// A Markdown body may hold 500,000 characters, up to three bytes each once encoded, plus the rest.
const storyBodyLimit = 4 * 1024 * 1024;

/** Errors a person fixes in the form: the editor is shown again with the message and their text. */
const formErrors = new Set<ErrorCode>([
  'ARTICLE_INVALID',
  'ARTICLE_SLUG_TAKEN',
  'ARTICLE_SLUG_INVALID',
  'ARTICLE_ALT_TEXT_MISSING',
  'ARTICLE_SCHEDULE_IN_PAST',
  'ARTICLE_NOT_PUBLISHABLE',
  'TRANSLATION_LANGUAGE_TAKEN',
  'TRANSLATION_LINK_INVALID',
  'TAXON_CREATE_DENIED',
  'ARTICLE_NOTHING_PENDING',
  'TRANSLATION_NOT_MACHINE_MADE',
  'REVIEW_STEP_INVALID',
  // Kill (decision 0057): a story never published, or one already killed.
  'ARTICLE_NEVER_PUBLISHED',
  'ARTICLE_KILLED',
  // The translation service refused or failed: the source's editor says so, nothing is created.
  'TRANSLATION_PROVIDER_KEY_REFUSED',
  'TRANSLATION_PROVIDER_QUOTA',
  'TRANSLATION_PROVIDER_BUSY',
  'TRANSLATION_PROVIDER_FAILED',
  // Corrections (decision 0056): what was typed is wrong, or the story or draft moved on.
  'CORRECTION_INVALID',
  'CORRECTION_NOT_FOUND',
  'CORRECTION_PUBLISHED',
  'CORRECTION_STORY_NOT_PUBLISHED',
  'CORRECTION_UNTRANSLATED',
]);

function one(fields: FormFields, name: string): string {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function many(fields: FormFields, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : [value].flat();
}

function imageUseOf(fields: FormFields, prefix: string) {
  return {
    imageId: one(fields, `${prefix}.imageId`).trim(),
    alt: one(fields, `${prefix}.alt`),
    caption: one(fields, `${prefix}.caption`),
    credit: one(fields, `${prefix}.credit`),
  };
}

/**
 * The editor form's flat fields as a draft. Gallery rows are ordered by their position field (how
 * one reorders without the script), then by their place in the form; empty and removed rows drop.
 */
export function draftFromForm(fields: FormFields, timeZone: string): Record<string, unknown> {
  const rows = Object.keys(fields)
    .map((name) => /^gallery\.(\d{1,3})\.imageId$/.exec(name)?.[1])
    .filter((index): index is string => index !== undefined)
    .map((index) => {
      const position = Number(one(fields, `gallery.${index}.position`));
      return {
        index: Number(index),
        position: Number.isFinite(position) && one(fields, `gallery.${index}.position`) !== '' ? position : Infinity,
        removed: one(fields, `gallery.${index}.remove`) !== '',
        use: imageUseOf(fields, `gallery.${index}`),
      };
    })
    .filter((row) => !row.removed && row.use.imageId !== '')
    .sort((a, b) => a.position - b.position || a.index - b.index);
  const hero = imageUseOf(fields, 'hero');
  return {
    language: one(fields, 'language'),
    headline: one(fields, 'headline'),
    standfirst: one(fields, 'standfirst'),
    slug: one(fields, 'slug'),
    bodyMarkdown: one(fields, 'bodyMarkdown'),
    access: one(fields, 'access') || undefined,
    sectionId: one(fields, 'sectionId') || null,
    newSection: one(fields, 'newSection'),
    tags: one(fields, 'tags')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    authorIds: many(fields, 'authorIds').filter(Boolean),
    hero: hero.imageId !== '' && one(fields, 'hero.remove') === '' ? hero : null,
    gallery: rows.map((row) => row.use),
    sourceName: one(fields, 'sourceName'),
    sourceUrl: one(fields, 'sourceUrl'),
    seoTitle: one(fields, 'seoTitle'),
    seoDescription: one(fields, 'seoDescription'),
    syndicated: one(fields, 'syndicated') !== '',
    embargoUntil: embargoInstant(one(fields, 'embargoUntil').trim(), timeZone),
    // Absent from a form of before these fields: the stored dateline and licence note stay.
    dateline: 'dateline' in fields ? one(fields, 'dateline') : undefined,
    licenceNote: 'licenceNote' in fields ? one(fields, 'licenceNote') : undefined,
    // Absent from a form of before genres: the stored one stays.
    genre: 'genre' in fields ? one(fields, 'genre') : undefined,
    sponsor: 'sponsor' in fields ? one(fields, 'sponsor') : undefined,
  };
}

/**
 * The embargo field is a wall-clock time in the site's time zone, as scheduling without the
 * script; the draft holds the instant. Text that names no time is passed on as typed, for the
 * editor to refuse with the field named.
 */
function embargoInstant(local: string, timeZone: string): string {
  if (local === '' || local.endsWith('Z')) return local;
  return zonedTimeToDate(local, timeZone)?.toISOString() ?? local;
}

/** The draft's embargo as the form's `datetime-local` shows it, in the site's time zone. */
export function embargoValue(draft: Pick<StoryDraft, 'embargoUntil'>, timeZone: string): string {
  const date = draft.embargoUntil === '' ? null : new Date(draft.embargoUntil);
  return date && !Number.isNaN(date.getTime()) ? dateToZonedTime(date, timeZone) : draft.embargoUntil;
}

/** A draft as the form's flat fields: what the editor script puts back into the form. */
export function formFields(draft: StoryDraft, timeZone: string): FormFields {
  const fields: FormFields = {
    language: draft.language,
    headline: draft.headline,
    standfirst: draft.standfirst,
    slug: draft.slug,
    bodyMarkdown: draft.bodyMarkdown,
    access: draft.access,
    sectionId: draft.sectionId ?? '',
    newSection: draft.newSection,
    tags: draft.tags.join(', '),
    authorIds: draft.authorIds,
    'hero.imageId': draft.hero?.imageId ?? '',
    'hero.alt': draft.hero?.alt ?? '',
    'hero.caption': draft.hero?.caption ?? '',
    'hero.credit': draft.hero?.credit ?? '',
    sourceName: draft.sourceName,
    sourceUrl: draft.sourceUrl,
    seoTitle: draft.seoTitle,
    seoDescription: draft.seoDescription,
    syndicated: draft.syndicated ? '1' : '',
    embargoUntil: embargoValue(draft, timeZone),
    dateline: draft.dateline ?? '',
    licenceNote: draft.licenceNote ?? '',
    genre: draft.genre ?? defaultGenre,
    sponsor: draft.sponsor ?? '',
  };
  draft.gallery.forEach((use, index) => {
    fields[`gallery.${index}.imageId`] = use.imageId;
    fields[`gallery.${index}.alt`] = use.alt;
    fields[`gallery.${index}.caption`] = use.caption;
    fields[`gallery.${index}.credit`] = use.credit;
    fields[`gallery.${index}.position`] = String(index + 1);
  });
  return fields;
}

/** The form fields one conflict group is made of, so "take theirs" can copy exactly them. */
function groupFields(fields: FormFields, group: DraftGroup): FormFields {
  const names: Record<string, (name: string) => boolean> = {
    section: (name) => name === 'sectionId' || name === 'newSection',
    authors: (name) => name === 'authorIds',
    hero: (name) => name.startsWith('hero.'),
    gallery: (name) => name.startsWith('gallery.'),
  };
  const belongs = names[group] ?? ((name: string) => name === group);
  const picked = Object.fromEntries(Object.entries(fields).filter(([name]) => belongs(name)));
  // An empty gallery is still an answer: it says "no photos".
  if (group === 'gallery' && Object.keys(picked).length === 0) picked['gallery.length'] = '0';
  return picked;
}

/** Wall-clock time in `timeZone` ("2026-05-01T09:30") → the instant it names. */
export function zonedTimeToDate(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const date = instantOfWallClock(wall, timeZone);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An instant as `datetime-local` shows it in `timeZone`. */
export function dateToZonedTime(date: Date, timeZone: string): string {
  return new Date(wallClock(date.getTime(), timeZone)).toISOString().slice(0, 19);
}

/** What a failed save or action says to the person, and which fields it points at. */
export function describeError(t: Translator, error: KiosqueError): { message: string; fields: string[] } {
  let message = t.t(`error.${error.code}`);
  let fields: string[] = [];
  if (error.code === 'ARTICLE_ALT_TEXT_MISSING') {
    const images = (error.details.images ?? []) as { role: 'hero' | 'gallery'; position: number }[];
    const names = images.map((image) =>
      image.role === 'hero'
        ? t.t('admin.editor.heroImage')
        : t.t('admin.editor.galleryImage', { position: image.position }),
    );
    message = `${message} ${t.t('admin.editor.altMissing', { images: names.join(', ') })}`;
    fields = images.map((image) => (image.role === 'hero' ? 'hero' : 'gallery'));
  } else if (error.code === 'ARTICLE_INVALID') {
    fields = ((error.details.fields ?? []) as string[]).map(formFieldOf);
    const labels = [...new Set(fields)].map((field) => fieldLabel(t, field));
    if (labels.length > 0) message = `${message} ${t.t('admin.editor.checkFields', { fields: labels.join(', ') })}`;
  } else if (error.code === 'TAXON_CREATE_DENIED') {
    const names = (error.details.names ?? []) as string[];
    message = `${message} ${t.t('admin.editor.unknownTaxa', { names: names.map((name) => `« ${name} »`).join(', ') })}`;
    fields = ['newSection', 'tags'];
  } else if (error.code === 'ARTICLE_SLUG_TAKEN' || error.code === 'ARTICLE_SLUG_INVALID') {
    fields = ['slug'];
  } else if (error.code === 'ARTICLE_SCHEDULE_IN_PAST') {
    fields = ['scheduleAt'];
  } else if (error.code === 'ARTICLE_NOT_PUBLISHABLE') {
    const findings = (error.details.findings ?? []) as Finding[];
    message = `${message} ${findingsText(findingViews(findings, t))}`;
    const fieldOf: Partial<Record<Finding['code'], string>> = {
      NO_BYLINE: 'authors',
      NO_SOURCE_CREDIT: 'sourceName',
      EMPTY_BODY: 'bodyMarkdown',
      NO_SPONSOR: 'sponsor',
    };
    fields = findings.flatMap((finding) => fieldOf[finding.code] ?? []);
  }
  return { message, fields };
}

const labelledFields: Record<string, string> = {
  sectionId: 'section',
  authorIds: 'authors',
  tags: 'tags',
};

function fieldLabel(t: Translator, field: string): string {
  if (field === 'scheduleAt') return t.t('admin.editor.scheduleAt');
  if (field === 'reviewNote') return t.t('admin.review.note');
  const known = [
    'headline',
    'standfirst',
    'slug',
    'language',
    'access',
    'section',
    'newSection',
    'tags',
    'authors',
    'bodyMarkdown',
    'hero',
    'gallery',
    'sourceName',
    'sourceUrl',
    'seoTitle',
    'seoDescription',
    'syndicated',
    'embargoUntil',
    'dateline',
    'licenceNote',
    'genre',
    'sponsor',
  ];
  const name = labelledFields[field] ?? field;
  return known.includes(name) ? t.t(storyFieldKey(name)) : field;
}

function actorOf(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new KiosqueError('SIGNIN_REQUIRED');
  return request.staff.user;
}

function formBody(body: unknown): FormFields {
  const parsed = formFieldsSchema.safeParse(body ?? {});
  if (!parsed.success) throw new KiosqueError('FORM_INVALID');
  return parsed.data;
}

function revisionOf(fields: FormFields): number {
  const revision = Number(one(fields, 'expectedRevision'));
  if (!Number.isInteger(revision) || revision < 1) throw new KiosqueError('FORM_INVALID');
  return revision;
}

/**
 * The newsroom's editor under /admin: new story, edit, publish, schedule, unpublish, delete and
 * restore, revisions with diffs and revert, and the JSON endpoints the editor script uses
 * (autosave, Markdown preview). Registered inside the admin's guarded scope: every route declares
 * its access rule, and each handler also checks the person's rights on the story itself.
 */
export function registerStoryRoutes(
  scope: FastifyInstance,
  pages: StoryPages,
  deps: WebDependencies,
  story: StoryRouteDependencies,
) {
  const { site, assets } = deps;
  const { editor } = story;

  const route = <Body = unknown, Params = unknown, Query = unknown>(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    access: AdminAccess,
    handler: (
      request: FastifyRequest<{ Body: Body; Params: Params; Querystring: Query }>,
      reply: FastifyReply,
    ) => unknown,
  ) => scope.route({ method, url, config: { access }, bodyLimit: storyBodyLimit, handler: handler as never });

  const editorAssets = () => ({
    js: assets.get('admin-editor.js')?.url ?? '',
    css: assets.get('admin-editor.css')?.url ?? '',
  });

  /** Who saves revisions: staff by name, integrations (the Admin API) as "Integration: NAME". */
  async function staffNames(t: Translator): Promise<Map<string, string>> {
    const [members, programs] = await Promise.all([story.staff.list(), story.integrations.list()]);
    return new Map([
      ...members.map((member) => [member.id, member.name] as const),
      ...programs.map((program) => [program.id, t.t('adminApi.savedBy', { name: program.name })] as const),
    ]);
  }

  const previewUrl = (token: string) => `${site.publicUrl}/preview/${token}`;

  async function editorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    record: ArticleRecord,
    extra: Partial<Pick<EditorProps, 'notice' | 'noticeKind' | 'error' | 'conflict' | 'draft' | 'expectedRevision'>> & {
      reviewNote?: string;
    } = {},
    status = 200,
  ) {
    const actor = actorOf(request);
    const access = editor.accessTo(actor, record);
    const [choices, token, stored, translations, pending, names, machine, review, corrections] = await Promise.all([
      editor.choices(),
      editor.previewToken(actor, record.id),
      extra.draft ? Promise.resolve(extra.draft) : editor.draftOf(record),
      editor.translations(record),
      editor.pendingOf(record.id),
      staffNames(pages.context(request, reply).t),
      editor.machineTranslation(record),
      story.review.of(record.id),
      story.corrections.list(actor, record.id),
    ]);
    const open = record.deletedAt === null;
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? id) : null);
    const draft = extra.draft ?? stored;
    const admin = pages.context(request, reply);
    return pages.send(
      reply,
      EditorPage({
        admin,
        // The fidelity gate's findings beside preflight's, in one list (decision 0040).
        findings: findingViews([...editor.findings(record), ...machine.findings], admin.t),
        machine: machine.status
          ? {
              provider: machine.status.provider,
              sourceLanguage: machine.status.sourceLanguage,
              reviewedBy: machine.status.reviewedBy?.name ?? null,
              reviewedAt: machine.status.reviewedAt,
              canReview: access.review,
              findings: findingViews(machine.findings, admin.t),
              alignment: machine.alignment,
            }
          : null,
        translations,
        review: {
          state: review.state,
          steps: review.history.map((step) => ({ ...step, actorName: nameOf(step.actorId) })),
          can: {
            submit:
              access.submitForReview &&
              open &&
              record.status === 'draft' &&
              (review.state === 'none' || review.state === 'changes'),
            requestChanges: access.requestChanges && open && (review.state === 'ready' || review.state === 'approved'),
            approve: access.approve && open && (review.state === 'ready' || review.state === 'changes'),
          },
          note: extra.reviewNote ?? '',
        },
        corrections: {
          list: corrections,
          canCorrect: access.correct,
          live: record.status === 'published' && record.deletedAt === null,
        },
        stored: {
          headline: record.headline,
          standfirst: record.standfirst,
          bodyMarkdown: record.bodyMarkdown,
          language: record.language,
        },
        assets: editorAssets(),
        story: {
          id: record.id,
          status: record.status,
          deleted: record.deletedAt !== null,
          publishedAt: record.publishedAt,
          scheduledAt: record.scheduledAt,
          embargoUntil: record.embargoUntil,
          killed: record.killedAt
            ? { at: record.killedAt, reason: record.killReason ?? 'other', notice: record.killNotice }
            : null,
          updatedAt: record.updatedAt,
          url: paths.article(record.language, record.slug),
          wire: { itemId: record.wireItemId, dateline: record.dateline, licenceNote: record.licenceNote },
          pending: pending
            ? {
                savedAt: pending.savedAt,
                savedBy: pending.savedBy ? (names.get(pending.savedBy) ?? pending.savedBy) : '',
              }
            : null,
        },
        draft,
        bodyHtml: renderMarkdown(draft.bodyMarkdown),
        expectedRevision: extra.expectedRevision ?? record.revision,
        slugAuto: record.publishedAt === null && record.slug === slugify(record.headline),
        choices,
        can: {
          publish: access.publish,
          // Killing is offered on a story readers saw (decision 0057), not yet killed nor in the trash.
          kill: access.kill && record.publishedAt !== null && record.killedAt === null && record.deletedAt === null,
          chooseAuthors: hasPermission(actor.role, 'story.manageAny'),
          upload: hasPermission(actor.role, 'media.upload'),
        },
        previewUrl: record.killedAt ? null : previewUrl(token),
        scheduleValue: record.scheduledAt ? dateToZonedTime(record.scheduledAt, story.timeZone) : '',
        embargoValue: embargoValue(draft, story.timeZone),
        timeZone: story.timeZone,
        notice: extra.notice,
        noticeKind: extra.noticeKind,
        error: extra.error,
        conflict: extra.conflict,
      }),
      status,
    );
  }

  async function newStoryPage(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: StoryDraft,
    error?: EditorProps['error'],
    status = 200,
  ) {
    const actor = actorOf(request);
    const ctx = pages.context(request, reply);
    return pages.send(
      reply,
      EditorPage({
        admin: ctx,
        assets: editorAssets(),
        story: null,
        draft,
        bodyHtml: renderMarkdown(draft.bodyMarkdown),
        expectedRevision: 0,
        slugAuto: draft.slug === '' || draft.slug === slugify(draft.headline),
        choices: await editor.choices(),
        // A new story is the person's own: they may publish it if their role publishes their own.
        can: {
          publish: hasPermission(actor.role, 'story.publishOwn'),
          chooseAuthors: hasPermission(actor.role, 'story.manageAny'),
          upload: hasPermission(actor.role, 'media.upload'),
        },
        previewUrl: null,
        scheduleValue: '',
        embargoValue: embargoValue(draft, story.timeZone),
        timeZone: story.timeZone,
        error,
        findings: [],
        machine: null,
        translations: null,
        stored: null,
      }),
      status,
    );
  }

  /** The conflict the person must resolve: both versions, theirs stored, theirs in the form. */
  async function conflictOf(
    actor: StaffUser,
    id: string,
    mine: StoryDraft,
    t: Translator,
  ): Promise<{ record: ArticleRecord; theirs: StoryDraft; conflict: ConflictProps }> {
    const { record, revisions } = await editor.revisions(actor, id);
    const [theirs, choices, names] = await Promise.all([editor.draftOf(record), editor.choices(), staffNames(t)]);
    const latest = revisions[0];
    const theirFields = formFields(theirs, story.timeZone);
    return {
      record,
      theirs,
      conflict: {
        revision: record.revision,
        savedBy: latest?.savedBy ? (names.get(latest.savedBy) ?? latest.savedBy) : t.t('admin.revisions.system'),
        savedAt: latest?.savedAt ?? record.updatedAt,
        differences: draftDifferences(theirs, mine, choices, t).map((difference) => ({
          ...difference,
          fields: groupFields(theirFields, difference.group),
        })),
      },
    };
  }

  function normalizedDraft(fields: FormFields): StoryDraft {
    const parsed = storyDraftSchema.safeParse(draftFromForm(fields, story.timeZone));
    if (!parsed.success) throw new KiosqueError('FORM_INVALID');
    return parsed.data;
  }

  /** Shows the editor again after a refused save, with the person's text kept. */
  async function refusedSave(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    fields: FormFields,
    error: unknown,
  ) {
    const actor = actorOf(request);
    const t = pages.context(request, reply).t;
    if (isKiosqueError(error) && error.code === 'ARTICLE_REVISION_CONFLICT') {
      const mine = normalizedDraft(fields);
      const { record, conflict } = await conflictOf(actor, id, mine, t);
      return editorPage(
        request,
        reply,
        record,
        {
          draft: mine,
          // Saving the form again is the merge: it is based on the stored revision now.
          expectedRevision: record.revision,
          conflict,
          error: { message: t.t('error.ARTICLE_REVISION_CONFLICT'), fields: [] },
        },
        409,
      );
    }
    if (isKiosqueError(error) && formErrors.has(error.code)) {
      const { record } = await editor.open(actor, id);
      return editorPage(
        request,
        reply,
        record,
        {
          draft: normalizedDraft(fields),
          expectedRevision: revisionOf(fields),
          error: describeError(t, error),
        },
        errorOf(error).status,
      );
    }
    throw error;
  }

  route('GET', '/admin/stories/new', 'story.create', async (request, reply) => {
    const ctx = pages.context(request, reply);
    const language = site.languages.includes(ctx.t.language) ? ctx.t.language : site.defaultLanguage;
    // The byline starts as the writer's own, shown selected: an editor who signs someone else
    // changes it, and the first autosave cannot take the byline off (preflight needs one).
    const own = actorOf(request).authorId;
    return newStoryPage(
      request,
      reply,
      storyDraftSchema.parse({ language, headline: '', authorIds: own ? [own] : [] }),
    );
  });

  route('POST', '/admin/stories', 'story.create', async (request, reply) => {
    const fields = formBody(request.body);
    try {
      const record = await editor.create(actorOf(request), draftFromForm(fields, story.timeZone));
      return reply.redirect(`/admin/stories/${record.id}?done=created`, 303);
    } catch (error) {
      if (isKiosqueError(error) && formErrors.has(error.code)) {
        const t = pages.context(request, reply).t;
        return newStoryPage(request, reply, normalizedDraft(fields), describeError(t, error), errorOf(error).status);
      }
      throw error;
    }
  });

  route<unknown, { id: string }, { done?: string; why?: string }>(
    'GET',
    '/admin/stories/:id',
    'story.create',
    async (request, reply) => {
      const { record } = await editor.open(actorOf(request), request.params.id);
      const done = request.query.done as keyof typeof doneNotices | undefined;
      const { t } = pages.context(request, reply);
      const why = request.query.why as keyof typeof leadImageReasons | undefined;
      let notice = done && Object.hasOwn(doneNotices, done) ? t.t(doneNotices[done]) : undefined;
      if (notice && done === 'drafted-without-image' && why && Object.hasOwn(leadImageReasons, why)) {
        notice = `${notice} ${t.t(leadImageReasons[why])}`;
      }
      return editorPage(request, reply, record, {
        notice,
        noticeKind: done === 'drafted-without-image' ? 'warning' : 'success',
      });
    },
  );

  route<unknown, { id: string }>('POST', '/admin/stories/:id', 'story.create', async (request, reply) => {
    const fields = formBody(request.body);
    const id = request.params.id;
    try {
      await editor.save(actorOf(request), id, draftFromForm(fields, story.timeZone), revisionOf(fields));
      return reply.redirect(`/admin/stories/${id}?done=saved`, 303);
    } catch (error) {
      return refusedSave(request, reply, id, fields, error);
    }
  });

  const actions = {
    publish: 'published',
    schedule: 'scheduled',
    unpublish: 'unpublished',
    delete: 'deleted',
    restore: 'restored',
    'update-live': 'updated',
    'discard-pending': 'discarded',
    // "Mark as reviewed" on machine-translated text (decision 0039): the fixes typed are saved first.
    review: 'reviewed',
  } as const;

  for (const [action, done] of Object.entries(actions) as [keyof typeof actions, string][]) {
    // Each action button belongs to the editor form: what the person typed is saved first, then the
    // action is applied to the revision that save made. Rights are checked before anything is stored.
    route<unknown, { id: string }>(
      'POST',
      `/admin/stories/:id/${action}`,
      'story.publishOwn',
      async (request, reply) => {
        const actor = actorOf(request);
        const id = request.params.id;
        const fields = formBody(request.body);
        const right =
          action === 'update-live' ? 'updateLive' : action === 'discard-pending' ? 'discardPending' : action;
        const { record: before } = await editor.check(actor, id, right);
        let revision = fields.expectedRevision === undefined ? before.revision : revisionOf(fields);
        // Discarding throws away what was typed: nothing is saved first.
        if (fields.headline !== undefined && action !== 'discard-pending') {
          try {
            revision = (await editor.save(actor, id, draftFromForm(fields, story.timeZone), revision)).record.revision;
          } catch (error) {
            return refusedSave(request, reply, id, fields, error);
          }
        }
        let outcome: string = done;
        try {
          if (action === 'publish') {
            // Publishing under embargo schedules the story at its end: the person is told so.
            if ((await editor.publish(actor, id, revision)).status === 'scheduled') outcome = 'embargoed';
          } else if (action === 'unpublish') await editor.unpublish(actor, id, revision);
          else if (action === 'delete') await editor.remove(actor, id, revision);
          else if (action === 'restore') await editor.restore(actor, id, revision);
          else if (action === 'update-live') await editor.updateLive(actor, id, revision);
          else if (action === 'discard-pending') await editor.discardPending(actor, id, revision);
          else if (action === 'review') await editor.markReviewed(actor, id);
          else {
            const iso = one(fields, 'scheduleAtIso');
            const at =
              iso && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(iso)
                ? new Date(iso)
                : zonedTimeToDate(one(fields, 'scheduleAt'), story.timeZone);
            if (!at || Number.isNaN(at.getTime()))
              throw new KiosqueError('ARTICLE_INVALID', { fields: ['scheduledAt'] });
            const scheduled = await editor.schedule(actor, id, at, revision);
            // A time before the embargo moved to its end.
            if (scheduled.scheduledAt && scheduled.scheduledAt.getTime() !== at.getTime()) outcome = 'embargoed';
          }
        } catch (error) {
          if (isKiosqueError(error) && (formErrors.has(error.code) || error.code === 'ARTICLE_REVISION_CONFLICT')) {
            const t = pages.context(request, reply).t;
            const { record } = await editor.open(actor, id);
            return editorPage(request, reply, record, { error: describeError(t, error) }, errorOf(error).status);
          }
          throw error;
        }
        return reply.redirect(`/admin/stories/${id}?done=${outcome}`, 303);
      },
    );
  }

  // The review loop (issue 14, decision 0053): buttons of the editor form, like the actions above —
  // the right is checked first, what was typed is saved, then the step is taken. A note missing
  // where one is required is refused before anything is stored, the typed text given back.
  const reviewActions = {
    'submit-review': { right: 'submitForReview', access: 'story.create', done: 'submitted' },
    'request-changes': { right: 'requestChanges', access: 'story.review', done: 'changes-requested' },
    approve: { right: 'approve', access: 'story.review', done: 'approved' },
  } as const;
  for (const [action, { right, access, done }] of Object.entries(reviewActions)) {
    route<unknown, { id: string }>('POST', `/admin/stories/:id/${action}`, access, async (request, reply) => {
      const actor = actorOf(request);
      const id = request.params.id;
      const fields = formBody(request.body);
      const { record: before } = await editor.check(actor, id, right);
      const noteText = one(fields, 'reviewNote');
      const shownAgain = (error: KiosqueError, record: ArticleRecord) => {
        const t = pages.context(request, reply).t;
        return editorPage(
          request,
          reply,
          record,
          {
            ...(fields.headline !== undefined
              ? { draft: normalizedDraft(fields), expectedRevision: revisionOf(fields) }
              : {}),
            error: describeError(t, error),
            reviewNote: noteText,
          },
          errorOf(error).status,
        );
      };
      try {
        reviewNoteOf(noteText, right === 'requestChanges');
      } catch (error) {
        if (isKiosqueError(error)) return shownAgain(error, before);
        throw error;
      }
      if (fields.headline !== undefined) {
        const revision = fields.expectedRevision === undefined ? before.revision : revisionOf(fields);
        try {
          await editor.save(actor, id, draftFromForm(fields, story.timeZone), revision);
        } catch (error) {
          return refusedSave(request, reply, id, fields, error);
        }
      }
      try {
        if (right === 'submitForReview') await story.review.submit(actor, id);
        else if (right === 'requestChanges') await story.review.requestChanges(actor, id, noteText);
        else await story.review.approve(actor, id, noteText);
      } catch (error) {
        if (isKiosqueError(error) && formErrors.has(error.code)) {
          return shownAgain(error, (await editor.open(actor, id)).record);
        }
        throw error;
      }
      return reply.redirect(`/admin/stories/${id}?done=${done}`, 303);
    });
  }
  // Kill (decision 0057): its own form, apart from the story form, so nothing typed is saved with it.
  route<unknown, { id: string }>('POST', '/admin/stories/:id/kill', 'story.kill', async (request, reply) => {
    const fields = formBody(request.body);
    const actor = actorOf(request);
    const id = request.params.id;
    try {
      await editor.kill(
        actor,
        id,
        {
          reason: one(fields, 'killReason'),
          notice: one(fields, 'killNotice'),
          translations: many(fields, 'killTranslations'),
        },
        revisionOf(fields),
      );
    } catch (error) {
      if (isKiosqueError(error) && (formErrors.has(error.code) || error.code === 'ARTICLE_REVISION_CONFLICT')) {
        const t = pages.context(request, reply).t;
        const { record } = await editor.open(actor, id);
        return editorPage(request, reply, record, { error: describeError(t, error) }, errorOf(error).status);
      }
      throw error;
    }
    return reply.redirect(`/admin/stories/${id}?done=killed`, 303);
  });

  // Translations: "Translate into…" makes a linked draft and opens it; link and unlink move the
  // story between translation groups (each a revision). Refusals show the editor with the message.
  async function translationRefused(request: FastifyRequest, reply: FastifyReply, id: string, error: unknown) {
    if (isKiosqueError(error) && formErrors.has(error.code)) {
      const t = pages.context(request, reply).t;
      const { record } = await editor.open(actorOf(request), id);
      return editorPage(request, reply, record, { error: describeError(t, error) }, errorOf(error).status);
    }
    throw error;
  }

  // Corrections and clarifications (decision 0056): plain forms beside the editor's, each through
  // the correction desk, which asks the story editor's one door for the right to correct.
  const correctionForm = z.object({
    kind: z.string().max(100).default(''),
    text: z.string().max(10_000).default(''),
  });
  route<unknown, { id: string }>(
    'POST',
    '/admin/stories/:id/corrections',
    'story.publishOwn',
    async (request, reply) => {
      const id = request.params.id;
      const body = correctionForm.safeParse(request.body);
      if (!body.success) throw new KiosqueError('FORM_INVALID');
      try {
        await story.corrections.add(actorOf(request), id, body.data);
        return reply.redirect(`/admin/stories/${id}?done=correction-added#corrections`, 303);
      } catch (error) {
        return translationRefused(request, reply, id, error);
      }
    },
  );
  for (const action of ['save', 'publish', 'discard'] as const) {
    route<unknown, { id: string; correction: string }>(
      'POST',
      `/admin/stories/:id/corrections/:correction/${action}`,
      'story.publishOwn',
      async (request, reply) => {
        const { id, correction } = request.params;
        const actor = actorOf(request);
        try {
          if (action === 'save') {
            const body = correctionForm.safeParse(request.body);
            if (!body.success) throw new KiosqueError('FORM_INVALID');
            await story.corrections.revise(actor, id, correction, body.data);
          } else if (action === 'publish') {
            // What is in the draft's form is saved first, then published as saved.
            const body = correctionForm.safeParse(request.body);
            if (body.success && body.data.text.trim() !== '') {
              await story.corrections.revise(actor, id, correction, body.data);
            }
            await story.corrections.publish(actor, id, correction);
          } else await story.corrections.discard(actor, id, correction);
        } catch (error) {
          return translationRefused(request, reply, id, error);
        }
        const done = { save: 'correction-saved', publish: 'correction-published', discard: 'correction-discarded' }[
          action
        ];
        return reply.redirect(`/admin/stories/${id}?done=${done}#corrections`, 303);
      },
    );
  }

  route<unknown, { id: string }>('POST', '/admin/stories/:id/translate', 'story.create', async (request, reply) => {
    const body = translateBody.safeParse(request.body);
    if (!body.success) throw new KiosqueError('FORM_INVALID');
    try {
      const record = await editor.translate(actorOf(request), request.params.id, body.data.language);
      return reply.redirect(`/admin/stories/${record.id}?done=translated`, 303);
    } catch (error) {
      return translationRefused(request, reply, request.params.id, error);
    }
  });

  route<unknown, { id: string }>('POST', '/admin/stories/:id/link', 'story.publishOwn', async (request, reply) => {
    const body = linkBody.safeParse(request.body);
    if (!body.success) throw new KiosqueError('FORM_INVALID');
    const actor = actorOf(request);
    const id = request.params.id;
    try {
      // Moving between groups changes no words: it is based on the story as stored now.
      const { record } = await editor.check(actor, id, 'publish');
      await editor.link(actor, id, body.data.target, record.revision);
      return reply.redirect(`/admin/stories/${id}?done=linked`, 303);
    } catch (error) {
      return translationRefused(request, reply, id, error);
    }
  });

  route<unknown, { id: string }>('POST', '/admin/stories/:id/unlink', 'story.publishOwn', async (request, reply) => {
    const actor = actorOf(request);
    const id = request.params.id;
    try {
      const { record } = await editor.check(actor, id, 'publish');
      await editor.unlink(actor, id, record.revision);
      return reply.redirect(`/admin/stories/${id}?done=unlinked`, 303);
    } catch (error) {
      return translationRefused(request, reply, id, error);
    }
  });

  route<unknown, { id: string }, Record<string, string>>(
    'GET',
    '/admin/stories/:id/revisions',
    'story.create',
    async (request, reply) => revisionsPage(request, reply, request.params.id),
  );

  async function revisionsPage(request: FastifyRequest, reply: FastifyReply, id: string, error?: string, status = 200) {
    const actor = actorOf(request);
    const ctx = pages.context(request, reply);
    const { record, access, revisions } = await editor.revisions(actor, id);
    const [names, choices] = await Promise.all([staffNames(ctx.t), editor.choices()]);
    const query = revisionQuery.parse(request.query ?? {});
    const find = (n: number | undefined) => revisions.find((entry) => entry.revision === n);
    // Without a choice, the last change: the revision before the current one against the current one.
    const to = find(query.to) ?? revisions[0];
    const from = find(query.from) ?? revisions.find((entry) => to && entry.revision < to.revision) ?? to;
    const byId = <T extends { id: string; name: string }>(list: T[]) => {
      const map = new Map(list.map((item) => [item.id, item.name]));
      return (key: string) => map.get(key) ?? key;
    };
    const diff =
      from && to
        ? {
            from: from.revision,
            to: to.revision,
            fields: diffRecords(from.snapshot, to.snapshot, {
              section: byId(choices.sections),
              tag: byId(choices.tags),
              author: byId(choices.authors),
              date: (date) => ctx.t.dateTime(date),
              genre: (genre) => ctx.t.t(genreKey(genre)),
            }),
          }
        : null;
    return pages.send(
      reply,
      RevisionsPage({
        admin: ctx,
        assets: editorAssets(),
        story: { id: record.id, headline: record.headline, revision: record.revision },
        rows: revisions.map((entry) => ({
          revision: entry.revision,
          savedAt: entry.savedAt,
          savedBy: entry.savedBy ? (names.get(entry.savedBy) ?? entry.savedBy) : ctx.t.t('admin.revisions.system'),
          action: entry.action,
        })),
        canRevert: access.edit,
        diff,
        error,
      }),
      status,
    );
  }

  route<unknown, { id: string; revision: string }>(
    'POST',
    '/admin/stories/:id/revisions/:revision/revert',
    'story.create',
    async (request, reply) => {
      const fields = formBody(request.body);
      const id = request.params.id;
      const revision = Number(request.params.revision);
      if (!Number.isInteger(revision) || revision < 1) throw new KiosqueError('ARTICLE_REVISION_NOT_FOUND');
      try {
        await editor.revert(actorOf(request), id, revision, revisionOf(fields));
      } catch (error) {
        if (isKiosqueError(error) && (formErrors.has(error.code) || error.code === 'ARTICLE_REVISION_CONFLICT')) {
          const t = pages.context(request, reply).t;
          return revisionsPage(request, reply, id, describeError(t, error).message, errorOf(error).status);
        }
        throw error;
      }
      return reply.redirect(`/admin/stories/${id}?done=reverted`, 303);
    },
  );

  // The editor script's endpoints: JSON in, JSON out, the CSRF token in the x-csrf-token header.

  function apiError(reply: FastifyReply, t: Translator, error: KiosqueError) {
    const { message, fields } = describeError(t, error);
    return reply
      .status(errorOf(error).status)
      .header('cache-control', 'no-store')
      .send({ code: error.code, message, fields });
  }

  route('POST', '/admin/api/stories', 'story.create', async (request, reply) => {
    const body = createBody.safeParse(request.body);
    if (!body.success) throw new KiosqueError('FORM_INVALID');
    const actor = actorOf(request);
    try {
      const record = await editor.create(actor, draftFromForm(body.data.fields, story.timeZone));
      const token = await editor.previewToken(actor, record.id);
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({
          id: record.id,
          revision: record.revision,
          slug: record.slug,
          savedAt: record.updatedAt.toISOString(),
          editUrl: `/admin/stories/${record.id}`,
          previewUrl: previewUrl(token),
        });
    } catch (error) {
      if (isKiosqueError(error) && formErrors.has(error.code))
        return apiError(reply, pages.context(request, reply).t, error);
      throw error;
    }
  });

  route<unknown, { id: string }>('PUT', '/admin/api/stories/:id', 'story.create', async (request, reply) => {
    const body = saveBody.safeParse(request.body);
    if (!body.success) throw new KiosqueError('FORM_INVALID');
    const actor = actorOf(request);
    const id = request.params.id;
    const { fields, expectedRevision } = body.data;
    try {
      const { record, changed, pending } = await editor.save(
        actor,
        id,
        draftFromForm(fields, story.timeZone),
        expectedRevision,
      );
      return reply.header('cache-control', 'no-store').send({
        revision: record.revision,
        changed,
        // True when the story is live and this text waits for "Update the live story".
        pending,
        slug: record.slug,
        status: record.status,
        savedAt: record.updatedAt.toISOString(),
        // The editor shows the findings of what was just saved, as the person types.
        preflight: findingViews(
          [...editor.findings(record), ...(await editor.machineTranslation(record)).findings],
          pages.context(request, reply).t,
        ),
      });
    } catch (error) {
      const t = pages.context(request, reply).t;
      if (isKiosqueError(error) && error.code === 'ARTICLE_REVISION_CONFLICT') {
        // Never a silent overwrite: both versions go back, and the person merges them.
        const mine = normalizedDraft(fields);
        const { record, theirs, conflict } = await conflictOf(actor, id, mine, t);
        return reply
          .status(409)
          .header('cache-control', 'no-store')
          .send({
            code: error.code,
            message: t.t('error.ARTICLE_REVISION_CONFLICT'),
            current: {
              revision: record.revision,
              savedBy: conflict.savedBy,
              savedAt: conflict.savedAt.toISOString(),
              savedAtText: t.dateTime(conflict.savedAt),
              fields: formFields(theirs, story.timeZone),
            },
            yours: formFields(mine, story.timeZone),
            differences: conflict.differences,
          });
      }
      if (isKiosqueError(error) && formErrors.has(error.code)) return apiError(reply, t, error);
      throw error;
    }
  });

  route('POST', '/admin/api/preview', 'story.create', async (request, reply) => {
    const body = previewBody.safeParse(request.body);
    if (!body.success) throw new KiosqueError('FORM_INVALID');
    // The very renderer of the public page: what the preview shows is what readers will get.
    return reply.header('cache-control', 'no-store').send({ html: renderMarkdown(body.data.markdown) });
  });
}
