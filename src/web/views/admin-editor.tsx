import type { ArticleStatus } from '../../domain/articles/article.js';
import { accessLevels, type KillReason, killReasons } from '../../domain/articles/article.js';
import type { RevisionAction } from '../../domain/articles/article-service.js';
import { defaultGenre, genreKey, isStoryGenre, storyGenres } from '../../domain/articles/genre.js';
import type { DiffPart, FieldDiff, LineDiff } from '../../domain/articles/revision-diff.js';
import type { EditorChoices, LibraryImage, StoryDraft, TranslationState } from '../../domain/articles/story-editor.js';
import type { ReviewState, ReviewStep, ReviewStepKind } from '../../domain/articles/story-review.js';
import type { Correction } from '../../domain/corrections/correction.js';
import type { MessageKey, Translator } from '../../domain/i18n/translator.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import type { Finding } from '../../domain/preflight/preflight.js';
import { hasPermission } from '../../domain/staff/roles.js';
import type { AlignedPair } from '../../domain/translations/fidelity-gate.js';
import { languageNameIn, type PublicationFinding } from '../../domain/translations/machine-translation.js';
import { sideBySide } from '../../domain/translations/translation-status.js';
import { type AdminContext, AdminLayout, Csrf, Notice, reviewStateKey } from './admin-views.js';
import { imageUrl } from './components.js';

/** The label of a story field (`headline`, `bodyMarkdown`…) in the staff member's language. */
export const storyFieldKey = (field: string) => `admin.story.${field}` as MessageKey;

/** The parts of the form a conflict compares, each taken as a whole ("take theirs" takes all of it). */
export const draftGroups = [
  'headline',
  'standfirst',
  'slug',
  'language',
  'access',
  'section',
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
] as const;
export type DraftGroup = (typeof draftGroups)[number];

/** A draft's groups as text a person reads (names rather than ids). */
export function draftTexts(draft: StoryDraft, choices: EditorChoices, t: Translator): Record<DraftGroup, string> {
  const sectionName = (id: string | null) => choices.sections.find((s) => s.id === id)?.name ?? id ?? '';
  const authorName = (id: string) => choices.authors.find((a) => a.id === id)?.name ?? id;
  const image = (use: StoryDraft['hero']) =>
    use ? [use.imageId, use.alt, use.caption, use.credit].filter((part) => part !== '').join(' · ') : '';
  return {
    headline: draft.headline,
    standfirst: draft.standfirst,
    slug: draft.slug,
    language: draft.language,
    access: draft.access,
    section: draft.newSection || sectionName(draft.sectionId),
    tags: draft.tags.join(', '),
    authors: draft.authorIds.map(authorName).join(', '),
    bodyMarkdown: draft.bodyMarkdown,
    hero: image(draft.hero),
    gallery: draft.gallery.map(image).join('\n'),
    sourceName: draft.sourceName,
    sourceUrl: draft.sourceUrl,
    seoTitle: draft.seoTitle,
    seoDescription: draft.seoDescription,
    syndicated: draft.syndicated ? '✓' : '',
    embargoUntil: draft.embargoUntil,
    dateline: draft.dateline ?? '',
    licenceNote: draft.licenceNote ?? '',
    // The genre's name, as the select shows it; a form of before genres says nothing.
    genre: draft.genre === undefined ? '' : isStoryGenre(draft.genre) ? t.t(genreKey(draft.genre)) : draft.genre,
    sponsor: draft.sponsor ?? '',
  };
}

/** A preflight or fidelity-gate finding as the staff member reads it, in their language. */
export interface FindingView {
  code: Finding['code'] | PublicationFinding['code'];
  severity: Finding['severity'];
  /** "Paragraph 3", when the finding is in the body ("Source paragraph 3" for one the translation lost). */
  where: string | null;
  /** The translation's paragraph it is about, and the source's (the side by side marks the row). */
  paragraph: number | null;
  sourceParagraph: number | null;
  text: string;
  /** The words in question, quoted from the story. */
  excerpt: string | null;
}

export function findingViews(findings: (Finding | PublicationFinding)[], t: Translator): FindingView[] {
  // Blocking findings first: they are what stands between the story and publication.
  return [...findings]
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'blocking' ? -1 : 1))
    .map((finding) => {
      const paragraph = 'paragraph' in finding ? finding.paragraph : undefined;
      const source = 'sourceParagraph' in finding ? finding.sourceParagraph : undefined;
      const excerpt = 'excerpt' in finding ? finding.excerpt : undefined;
      return {
        code: finding.code,
        severity: finding.severity,
        where: paragraph
          ? t.t('admin.preflight.paragraph', { paragraph })
          : source
            ? t.t('admin.preflight.sourceParagraph', { paragraph: source })
            : null,
        paragraph: paragraph ?? null,
        sourceParagraph: source ?? null,
        text: t.t(`admin.preflight.${finding.code}` as MessageKey, {
          number: (excerpt ?? '').replace(/^#/, ''),
          source: source ?? 0,
        }),
        // An image finding's excerpt is its number, already in the text.
        excerpt: finding.code.startsWith('IMAGE_') ? null : (excerpt ?? null),
      };
    });
}

/** The findings as one line of text (an error message that lists what blocks). */
export function findingsText(findings: FindingView[]): string {
  // Blocking findings quote no words (byline, credit, alt text, empty body): where and what suffice.
  return findings.map((f) => [f.where, f.text].filter(Boolean).join(' ')).join(' ');
}

function PreflightPanel({ t, findings, language }: { t: Translator; findings: FindingView[]; language: string }) {
  return (
    <section
      id="preflight"
      class="editor-box preflight"
      aria-labelledby="preflight-title"
      data-blocking={t.t('admin.preflight.blocking')}
      data-warning={t.t('admin.preflight.warning')}
      data-none={t.t('admin.preflight.none')}
      data-language={language}
    >
      <h2 id="preflight-title">{t.t('admin.preflight.title')}</h2>
      <p class="preflight__help">{t.t('admin.preflight.help')}</p>
      <p class="preflight__none" hidden={findings.length > 0}>
        {t.t('admin.preflight.none')}
      </p>
      <ul id="preflight-findings" class="preflight__findings">
        {findings.map((finding) => (
          <li class={`finding finding--${finding.severity}`} data-code={finding.code}>
            <span class="finding__severity">
              {t.t(finding.severity === 'blocking' ? 'admin.preflight.blocking' : 'admin.preflight.warning')}
            </span>{' '}
            {finding.where ? <strong>{finding.where}</strong> : null} {finding.text}
            {finding.excerpt ? (
              <>
                {' '}
                <q lang={language}>{finding.excerpt}</q>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface Difference {
  group: DraftGroup;
  label: string;
  theirs: string;
  yours: string;
}

/** The groups where the stored version and the person's differ. */
export function draftDifferences(
  theirs: StoryDraft,
  yours: StoryDraft,
  choices: EditorChoices,
  t: Translator,
): Difference[] {
  const a = draftTexts(theirs, choices, t);
  const b = draftTexts(yours, choices, t);
  return draftGroups
    .filter((group) => a[group] !== b[group])
    .map((group) => ({ group, label: t.t(storyFieldKey(group)), theirs: a[group], yours: b[group] }));
}

export interface ConflictProps {
  revision: number;
  savedBy: string;
  savedAt: Date;
  differences: (Difference & { fields: Record<string, string | string[]> })[];
}

export interface EditorProps {
  admin: AdminContext;
  assets: { js: string; css: string };
  /** Null while the story does not exist yet. */
  story: {
    id: string;
    status: ArticleStatus;
    deleted: boolean;
    publishedAt: Date | null;
    scheduledAt: Date | null;
    /** Readers see the story nowhere before then; null: no embargo. */
    embargoUntil: Date | null;
    /** When, why and with what notice it was killed (decision 0057); null: it was not. */
    killed: { at: Date; reason: KillReason; notice: string } | null;
    updatedAt: Date;
    url: string;
    /** Edits kept aside on a live story, not yet seen by readers; null when there are none. */
    pending: { savedAt: Date; savedBy: string } | null;
    /** Wire copy's dateline and licence, and the wire item it was made from (issue 12). */
    wire?: { itemId: string | null; dateline: string; licenceNote: string };
  } | null;
  draft: StoryDraft;
  /** The body as readers will see it, from the same renderer as the public page. */
  bodyHtml: string;
  expectedRevision: number;
  slugAuto: boolean;
  choices: EditorChoices;
  can: { publish: boolean; chooseAuthors: boolean; upload: boolean; kill?: boolean };
  previewUrl: string | null;
  /** The scheduled time as `datetime-local` wants it, in the site's time zone. */
  scheduleValue: string;
  /** The draft's embargo as `datetime-local` wants it, in the site's time zone (`timeZone`). */
  embargoValue: string;
  timeZone: string;
  notice?: string;
  /** A notice of something left undone (a draft made without its lead image). */
  noticeKind?: 'success' | 'warning';
  error?: { message: string; fields: string[] };
  conflict?: ConflictProps;
  /** Preflight findings of the stored story (empty before it exists). */
  findings: FindingView[];
  /** The story's translations; null before it exists. */
  translations: TranslationState | null;
  /** Its corrections and clarifications (decision 0056); absent before it exists. */
  corrections?: { list: Correction[]; canCorrect: boolean; live: boolean } | null;
  /** The stored story's words, for the side by side with its source. */
  stored: { headline: string; standfirst: string; bodyMarkdown: string; language: string } | null;
  /**
   * Where the story's review stands (issue 14), its steps newest first with who took them, and the
   * buttons the person may press now; absent before the story exists.
   */
  review?: {
    state: ReviewState;
    steps: (ReviewStep & { actorName: string | null })[];
    can: { submit: boolean; requestChanges: boolean; approve: boolean };
    /** The note typed before a refused answer, given back. */
    note: string;
  };
  /** How the text was made when a machine made it (decision 0039); null for people's text. */
  machine: {
    provider: string;
    sourceLanguage: string;
    reviewedBy: string | null;
    reviewedAt: Date | null;
    /** The person may press "Mark as reviewed" (whoever may publish the story). */
    canReview: boolean;
    /** What stops publication: no review yet, the fidelity gate's findings. */
    findings: FindingView[];
    /** The side by side's rows as the gate paired the paragraphs; null without a source. */
    alignment: AlignedPair[] | null;
  } | null;
}

function statusKey(story: EditorProps['story']): MessageKey {
  if (!story) return 'admin.editor.unsaved';
  if (story.killed) return 'admin.status.killed';
  if (story.deleted) return 'admin.status.deleted';
  return story.status === 'published'
    ? 'admin.status.published'
    : story.status === 'scheduled'
      ? 'admin.status.scheduled'
      : 'admin.status.draft';
}

function imageLabel(image: Pick<LibraryImage, 'id' | 'alt' | 'caption'>): string {
  const words = image.alt || image.caption;
  return words ? `${words.slice(0, 80)} (${image.id})` : image.id;
}

function ImageSelect({
  id,
  name,
  value,
  images,
  t,
}: {
  id: string;
  name: string;
  value: string;
  images: LibraryImage[];
  t: Translator;
}) {
  const known = images.some((image) => image.id === value);
  return (
    <select id={id} name={name} class="image-select">
      <option value="">{t.t('admin.editor.noImage')}</option>
      {value && !known ? (
        <option value={value} selected>
          {value}
        </option>
      ) : null}
      {images.map((image) => (
        <option
          value={image.id}
          selected={image.id === value}
          data-alt={image.alt}
          data-caption={image.caption}
          data-credit={image.credit}
        >
          {imageLabel(image)}
        </option>
      ))}
    </select>
  );
}

function Thumbnail({ imageId }: { imageId: string }) {
  if (!imageId) return null;
  // Decorative: the select beside it names the image, and its alt text is what the form edits.
  return <img class="thumb" src={imageUrl(imageId, 320, 'webp')} alt="" width={96} height={64} />;
}

function ImageUseFields({
  prefix,
  idPrefix,
  use,
  images,
  t,
  position,
}: {
  prefix: string;
  idPrefix: string;
  use: { imageId: string; alt: string; caption: string; credit: string } | null;
  images: LibraryImage[];
  t: Translator;
  /** Gallery rows carry a position (reordering without the script) and a move pair (with it). */
  position?: number;
}) {
  return (
    <div class="image-use">
      <Thumbnail imageId={use?.imageId ?? ''} />
      <div class="image-use__fields">
        <label for={`${idPrefix}-image`}>{t.t('admin.editor.image')}</label>
        <ImageSelect
          id={`${idPrefix}-image`}
          name={`${prefix}.imageId`}
          value={use?.imageId ?? ''}
          images={images}
          t={t}
        />
        <label for={`${idPrefix}-alt`}>{t.t('admin.editor.alt')}</label>
        <input id={`${idPrefix}-alt`} name={`${prefix}.alt`} value={use?.alt ?? ''} maxlength={500} class="image-alt" />
        <label for={`${idPrefix}-caption`}>{t.t('admin.editor.caption')}</label>
        <input id={`${idPrefix}-caption`} name={`${prefix}.caption`} value={use?.caption ?? ''} maxlength={1000} />
        <label for={`${idPrefix}-credit`}>{t.t('admin.editor.credit')}</label>
        <input id={`${idPrefix}-credit`} name={`${prefix}.credit`} value={use?.credit ?? ''} maxlength={200} />
        {position !== undefined ? (
          <>
            <label for={`${idPrefix}-position`} class="gallery-position-label">
              {t.t('admin.editor.position')}
            </label>
            <input
              id={`${idPrefix}-position`}
              name={`${prefix}.position`}
              type="number"
              min={1}
              max={100}
              value={String(position)}
              class="gallery-position"
            />
          </>
        ) : null}
        <label class="checkbox">
          <input type="checkbox" name={`${prefix}.remove`} value="1" /> {t.t('admin.editor.removeImage')}
        </label>
        {position !== undefined ? (
          <span class="gallery-move" hidden>
            <button type="button" data-move="up">
              {t.t('admin.editor.moveUp')}
            </button>
            <button type="button" data-move="down">
              {t.t('admin.editor.moveDown')}
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Uploads into the media library (its own endpoint, POST /admin/api/media) from the editor, the new
 * image going straight into the hero or the gallery. A file input without a name: the editor form
 * never carries files, and without the script this stays hidden (the library page uploads then).
 */
function UploadControl({
  id,
  target,
  label,
  t,
}: {
  id: string;
  target: 'hero' | 'gallery';
  label: string;
  t: Translator;
}) {
  return (
    <div
      class="editor-upload"
      hidden
      data-upload-target={target}
      data-sending={t.t('admin.editor.uploadSending', { name: '{name}' })}
      data-done={t.t('admin.editor.uploadDone', { name: '{name}' })}
      data-failed={t.t('admin.editor.uploadFailed', { name: '{name}', reason: '{reason}' })}
      data-network={t.t('admin.editor.uploadNetwork')}
    >
      <label for={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
        multiple={target === 'gallery'}
      />
      <ul class="editor-upload__status" aria-live="polite" />
    </div>
  );
}

function GalleryRow({
  index,
  use,
  images,
  t,
}: {
  index: number | '__INDEX__';
  use: StoryDraft['gallery'][number] | null;
  images: LibraryImage[];
  t: Translator;
}) {
  const position = typeof index === 'number' ? index + 1 : 1;
  return (
    <li class="gallery-row">
      <ImageUseFields
        prefix={`gallery.${index}`}
        idPrefix={`f-gallery-${index}`}
        use={use}
        images={images}
        t={t}
        position={position}
      />
    </li>
  );
}

/** Field names of the form that an error path points to (`source.url` → `sourceUrl`). */
export function formFieldOf(path: string): string {
  if (path === 'source.url') return 'sourceUrl';
  if (path === 'source.name') return 'sourceName';
  if (path.startsWith('source')) return 'sourceName';
  if (path.startsWith('scheduledAt')) return 'scheduleAt';
  return path.split('.')[0] ?? path;
}

function ConflictPanel({ admin, conflict }: { admin: AdminContext; conflict: ConflictProps | undefined }) {
  const { t } = admin;
  return (
    <section id="conflict" class="conflict" hidden={!conflict} aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t.t('admin.conflict.title')}</h2>
      <p
        class="conflict__who"
        data-template={t.t('admin.conflict.who', { name: '{name}', time: '{time}', revision: '{revision}' })}
      >
        {conflict
          ? t.t('admin.conflict.who', {
              name: conflict.savedBy,
              time: t.dateTime(conflict.savedAt),
              revision: conflict.revision,
            })
          : ''}
      </p>
      <p>{t.t('admin.conflict.explain')}</p>
      <table class="conflict__table admin-table">
        <thead>
          <tr>
            <th scope="col">{t.t('admin.conflict.field')}</th>
            <th scope="col">{t.t('admin.conflict.theirs')}</th>
            <th scope="col">{t.t('admin.conflict.yours')}</th>
            <th scope="col">
              <span class="visually-hidden">{t.t('admin.conflict.takeTheirs')}</span>
            </th>
          </tr>
        </thead>
        <tbody data-take-label={t.t('admin.conflict.takeTheirs')}>
          {(conflict?.differences ?? []).map((difference) => (
            <tr data-group={difference.group}>
              <th scope="row">{difference.label}</th>
              <td>
                <pre class="conflict__text">{difference.theirs}</pre>
              </td>
              <td>
                <pre class="conflict__text">{difference.yours}</pre>
              </td>
              <td>
                <button type="button" class="conflict__take" data-fields={JSON.stringify(difference.fields)} hidden>
                  {t.t('admin.conflict.takeTheirs')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="conflict__actions">
        <button type="button" id="conflict-save" class="primary" hidden>
          {t.t('admin.conflict.saveMerged')}
        </button>
        <span class="conflict__nojs">{t.t('admin.conflict.noScript')}</span>
      </p>
    </section>
  );
}

function SideBySide({
  t,
  translations,
  stored,
  findings = [],
  alignment = null,
}: {
  t: Translator;
  translations: TranslationState;
  stored: NonNullable<EditorProps['stored']>;
  /** The fidelity gate's findings, shown on the row of the paragraph they are about. */
  findings?: FindingView[];
  alignment?: AlignedPair[] | null;
}) {
  const source = translations.source;
  if (!source) return null;
  const rows = sideBySide(source.record, stored, source.changes, alignment);
  const fromLanguage = source.record.language;
  const label = (row: (typeof rows)[number]) =>
    row.kind === 'paragraph'
      ? row.number === undefined
        ? '—'
        : t.t('admin.preflight.paragraph', { paragraph: row.number })
      : t.t(row.kind === 'headline' ? 'admin.story.headline' : 'admin.story.standfirst');
  return (
    <section id="side-by-side" class="side-by-side" aria-labelledby="side-by-side-title">
      <h2 id="side-by-side-title">
        {t.t('admin.translations.sideBySide', { language: languageAutonym(fromLanguage) })}{' '}
        <a href={`/admin/stories/${source.record.id}`}>{source.record.headline}</a>
      </h2>
      {source.upToDate ? (
        <p class="translation-state translation-state--current" id="translation-state">
          {t.t('admin.translations.upToDateNotice')}
        </p>
      ) : (
        <div class="translation-state translation-state--outdated notice notice--warning" id="translation-state">
          <p>{t.t('admin.translations.outOfDateNotice', { from: source.basedOn, to: source.record.textRevision })}</p>
          {source.changes && source.changes.removed > 0 ? (
            <p>{t.t('admin.translations.removed', { count: source.changes.removed })}</p>
          ) : null}
          <p>
            <a
              href={`/admin/stories/${source.record.id}/revisions?from=${source.basedOn}&to=${source.record.revision}`}
            >
              {t.t('admin.translations.sourceDiff')}
            </a>
          </p>
        </div>
      )}
      <table class="admin-table side-by-side__table">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">{t.t('admin.translations.place')}</span>
            </th>
            <th scope="col">{t.t('admin.translations.sourceColumn', { language: languageAutonym(fromLanguage) })}</th>
            <th scope="col">
              {t.t('admin.translations.translationColumn', { language: languageAutonym(stored.language) })}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr class={row.changed ? 'side-by-side__row--changed' : undefined} data-kind={row.kind}>
              <th scope="row">
                {label(row)}
                {row.changed ? (
                  <>
                    {' '}
                    <span class="badge badge--changed">{t.t('admin.translations.changed')}</span>
                  </>
                ) : null}
                {row.kind === 'paragraph'
                  ? findings
                      .filter((finding) =>
                        finding.paragraph !== null
                          ? finding.paragraph === (row.translationNumber ?? row.number)
                          : finding.sourceParagraph === row.number,
                      )
                      .map((finding) => (
                        <span
                          class={`finding finding--${finding.severity} side-by-side__finding`}
                          data-code={finding.code}
                        >
                          {' '}
                          {finding.where} {finding.text}
                          {finding.excerpt ? (
                            <>
                              {' '}
                              <q>{finding.excerpt}</q>
                            </>
                          ) : null}
                        </span>
                      ))
                  : null}
              </th>
              <td lang={fromLanguage} dir={languageDirection(fromLanguage)} class="side-by-side__source">
                {row.source}
              </td>
              <td lang={stored.language} dir={languageDirection(stored.language)} class="side-by-side__translation">
                {row.translation}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * How the text was made, and "Mark as reviewed": a submit button of the editor form, so what the
 * person fixed is saved before the review is recorded.
 */
function MachineTranslationBox({
  t,
  machine,
  storyId,
}: {
  t: Translator;
  machine: NonNullable<EditorProps['machine']>;
  storyId: string;
}) {
  const values = {
    provider: t.t('admin.machine.provider', { provider: machine.provider }),
    ...languageNameIn(t.language, machine.sourceLanguage),
  };
  return (
    <section id="machine-translation" class="notice machine-translation" aria-labelledby="machine-translation-title">
      <h2 id="machine-translation-title">{t.t('admin.machine.title')}</h2>
      {machine.reviewedBy ? (
        <p id="machine-translation-state" data-state="reviewed">
          {t.t('admin.machine.reviewed', {
            ...values,
            name: machine.reviewedBy,
            date: machine.reviewedAt ? t.dateTime(machine.reviewedAt) : '',
          })}
        </p>
      ) : (
        <>
          <p id="machine-translation-state" data-state="unreviewed">
            {t.t('admin.machine.unreviewed', values)}
          </p>
          {machine.canReview ? (
            <p>
              <button
                type="submit"
                formaction={`/admin/stories/${storyId}/review`}
                data-action="review"
                id="review-button"
              >
                {t.t('admin.machine.markReviewed')}
              </button>{' '}
              <small>{t.t('admin.machine.reviewHelp')}</small>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

const reviewStepKeys: Record<ReviewStepKind, MessageKey> = {
  submit: 'admin.review.step.submit',
  requestChanges: 'admin.review.step.requestChanges',
  approve: 'admin.review.step.approve',
  sentBack: 'admin.review.step.sentBack',
  closed: 'admin.review.step.closed',
};

/**
 * The review loop (issue 14): where the story stands, the editor's note, the buttons the person may
 * press (submit buttons of the editor form: what was typed is saved first) and the history.
 */
function ReviewBox({
  t,
  review,
  storyId,
}: {
  t: Translator;
  review: NonNullable<EditorProps['review']>;
  storyId: string;
}) {
  const { state, steps, can } = review;
  const current = steps[0];
  // The note the author needs: the one that asked for changes, or that came with the approval.
  const answer = state === 'changes' || state === 'approved' ? current : undefined;
  const answers = can.requestChanges || can.approve;
  const who = (step: ReviewStep & { actorName: string | null }) => step.actorName ?? t.t('admin.revisions.system');
  // Nothing to say and nothing to press (a live story never reviewed): no box.
  if (steps.length === 0 && !can.submit && !answers) return null;
  return (
    <fieldset class="editor-box review-box" id="review" data-state={state}>
      <legend>{t.t('admin.review.title')}</legend>
      <p>
        <span id="review-state" class={`badge badge--review-${state}`} data-review={state}>
          {t.t(reviewStateKey(state))}
        </span>
      </p>
      {current ? (
        <p id="review-when" class="editor-help">
          {t.t(reviewStepKeys[current.kind])} — {who(current)}, {t.dateTime(current.at)}
        </p>
      ) : null}
      {answer?.note ? (
        <blockquote id="review-note" class="review-note">
          <p class="review-note__by">{t.t('admin.review.noteBy', { name: who(answer) })}</p>
          {answer.note.split('\n').map((line) => (
            <>
              {line}
              <br />
            </>
          ))}
        </blockquote>
      ) : null}
      {can.submit ? (
        <p>
          <button
            type="submit"
            class="primary"
            formaction={`/admin/stories/${storyId}/submit-review`}
            id="submit-review-button"
          >
            {t.t(state === 'changes' ? 'admin.review.resubmit' : 'admin.review.submit')}
          </button>
        </p>
      ) : null}
      {can.submit ? <p class="editor-help">{t.t('admin.review.submitHelp')}</p> : null}
      {state === 'ready' && !answers ? <p class="editor-help">{t.t('admin.review.waiting')}</p> : null}
      {answers ? (
        <div class="stack">
          <label for="f-review-note">{t.t('admin.review.note')}</label>
          <textarea
            id="f-review-note"
            name="reviewNote"
            rows={3}
            maxlength={4000}
            aria-describedby="f-review-note-help"
          >
            {review.note}
          </textarea>
          <small id="f-review-note-help">{t.t('admin.review.noteHelp')}</small>
          <p class="editor-actions">
            {can.requestChanges ? (
              <button
                type="submit"
                formaction={`/admin/stories/${storyId}/request-changes`}
                id="request-changes-button"
              >
                {t.t('admin.review.requestChanges')}
              </button>
            ) : null}
            {can.approve ? (
              <button type="submit" formaction={`/admin/stories/${storyId}/approve`} id="approve-button">
                {t.t('admin.review.approve')}
              </button>
            ) : null}
          </p>
        </div>
      ) : null}
      {steps.length > 0 ? (
        <details id="review-history">
          <summary>{t.t('admin.review.history', { count: steps.length })}</summary>
          <ol class="review-history">
            {steps.map((step) => (
              <li data-kind={step.kind}>
                <strong>{t.t(reviewStepKeys[step.kind])}</strong> — {who(step)},{' '}
                <time datetime={step.at.toISOString()}>{t.dateTime(step.at)}</time>{' '}
                <small>{t.t('admin.review.atRevision', { revision: step.revision })}</small>
                {step.note ? <blockquote class="review-note">{step.note}</blockquote> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </fieldset>
  );
}

const rightToLeft = new Set(['ar', 'he', 'fa', 'ur']);
function languageDirection(language: string): 'rtl' | 'ltr' {
  return rightToLeft.has(language.split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

function TranslationsBox({
  admin,
  storyId,
  translations,
  canLink,
}: {
  admin: AdminContext;
  storyId: string;
  translations: TranslationState;
  canLink: boolean;
}) {
  const { t } = admin;
  const base = `/admin/stories/${storyId}`;
  return (
    <section id="translations" class="editor-box translations" aria-labelledby="translations-title">
      <h2 id="translations-title">{t.t('admin.translations.title')}</h2>
      {translations.group.length === 0 ? (
        <p>{t.t('admin.translations.none')}</p>
      ) : (
        <ul class="translations__list">
          {translations.group.map((entry) => (
            <li data-language={entry.language}>
              <a href={`/admin/stories/${entry.id}`} lang={entry.language}>
                {languageAutonym(entry.language)} — {entry.headline}
              </a>{' '}
              <span class={`status status--${entry.deleted ? 'deleted' : entry.status}`}>
                {t.t(
                  entry.deleted
                    ? 'admin.status.deleted'
                    : entry.status === 'published'
                      ? 'admin.status.published'
                      : entry.status === 'scheduled'
                        ? 'admin.status.scheduled'
                        : 'admin.status.draft',
                )}
              </span>
              {entry.isSource ? <> {t.t('admin.translations.isSource')}</> : null}
              {entry.upToDate === false ? (
                <>
                  {' '}
                  <span class="badge badge--outdated">{t.t('admin.translations.outOfDate')}</span>
                </>
              ) : entry.upToDate === true ? (
                <>
                  {' '}
                  <span class="badge">{t.t('admin.translations.upToDate')}</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {translations.missing.length > 0 ? (
        <form method="post" action={`${base}/translate`} class="translations__new">
          <Csrf admin={admin} />
          {translations.missing.map((language) => (
            <button type="submit" name="language" value={language} class="translate-into">
              {t.t('admin.translations.translateInto', { language: languageAutonym(language) })}
            </button>
          ))}
        </form>
      ) : null}
      {canLink ? (
        <>
          <form method="post" action={`${base}/link`} class="stack translations__link">
            <Csrf admin={admin} />
            <label for="f-link-target">{t.t('admin.translations.linkTarget')}</label>
            <input id="f-link-target" name="target" required maxlength={500} />
            <button type="submit">{t.t('admin.translations.link')}</button>
          </form>
          {translations.group.length > 0 ? (
            <form method="post" action={`${base}/unlink`} class="translations__unlink">
              <Csrf admin={admin} />
              <button type="submit">{t.t('admin.translations.unlink')}</button>
              <small>{t.t('admin.translations.unlinkHelp')}</small>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** The kind and text fields of a correction's form (`prefix` keeps ids unique on the page). */
function CorrectionFields({ t, prefix, kind, text }: { t: Translator; prefix: string; kind: string; text: string }) {
  return (
    <>
      <fieldset class="corrections__kind">
        <legend>{t.t('admin.corrections.kind')}</legend>
        {(['correction', 'clarification'] as const).map((value) => (
          <label>
            <input type="radio" name="kind" value={value} checked={kind === value} required />{' '}
            {t.t(`admin.corrections.kind.${value}`)}
          </label>
        ))}
      </fieldset>
      <label for={`${prefix}-text`}>{t.t('admin.corrections.text')}</label>
      <textarea id={`${prefix}-text`} name="text" rows={3} maxlength={2000} required>
        {text}
      </textarea>
    </>
  );
}

/**
 * Corrections and clarifications of a story (decision 0056): published ones listed with their
 * dates and never editable; drafts (a translation's made from its source's) finished and published.
 */
function CorrectionsPanel({
  admin,
  storyId,
  language,
  corrections,
}: {
  admin: AdminContext;
  storyId: string;
  language: string;
  corrections: NonNullable<EditorProps['corrections']>;
}) {
  const { t } = admin;
  const base = `/admin/stories/${storyId}/corrections`;
  const dir = languageDirection(language);
  return (
    <section id="corrections" class="editor-box corrections-panel" aria-labelledby="corrections-title">
      <h2 id="corrections-title">{t.t('admin.corrections.title')}</h2>
      <p class="help">{t.t('admin.corrections.help')}</p>
      {corrections.list.length === 0 ? (
        <p>{t.t('admin.corrections.none')}</p>
      ) : (
        <ol class="corrections-panel__list">
          {corrections.list.map((correction) => (
            <li class={`corrections-panel__item corrections-panel__item--${correction.status}`} data-id={correction.id}>
              <p class="corrections-panel__head">
                <strong>{t.t(`admin.corrections.kind.${correction.kind}`)}</strong>{' '}
                {correction.status === 'published' && correction.publishedAt ? (
                  <span class="status status--published">
                    {t.t('admin.corrections.publishedOn', { date: t.dateTime(correction.publishedAt) })}
                  </span>
                ) : (
                  <span class="status status--draft">{t.t('admin.corrections.draft')}</span>
                )}
              </p>
              {correction.status === 'published' || !corrections.canCorrect ? (
                <p class="corrections-panel__text" lang={language} dir={dir}>
                  {correction.text}
                </p>
              ) : (
                <form method="post" action={`${base}/${correction.id}/save`} class="stack">
                  <Csrf admin={admin} />
                  {correction.needsTranslation ? (
                    <p class="notice notice--warning">{t.t('admin.corrections.needsTranslation')}</p>
                  ) : correction.sourceCorrectionId ? (
                    <p class="notice">{t.t('admin.corrections.fromSource')}</p>
                  ) : null}
                  <CorrectionFields
                    t={t}
                    prefix={`f-correction-${correction.id}`}
                    kind={correction.kind}
                    text={correction.text}
                  />
                  <p class="actions">
                    <button type="submit">{t.t('admin.corrections.save')}</button>{' '}
                    {corrections.live ? (
                      <button type="submit" class="primary" formaction={`${base}/${correction.id}/publish`}>
                        {t.t('admin.corrections.publish')}
                      </button>
                    ) : null}{' '}
                    <button type="submit" class="danger" formaction={`${base}/${correction.id}/discard`} formnovalidate>
                      {t.t('admin.corrections.discard')}
                    </button>
                  </p>
                </form>
              )}
            </li>
          ))}
        </ol>
      )}
      {!corrections.live ? <p class="help">{t.t('admin.corrections.notLive')}</p> : null}
      {corrections.canCorrect && corrections.live ? (
        <form method="post" action={base} class="stack corrections-panel__new">
          <Csrf admin={admin} />
          <h3>{t.t('admin.corrections.new')}</h3>
          <CorrectionFields t={t} prefix="f-correction-new" kind="correction" text="" />
          <p class="actions">
            <button type="submit">{t.t('admin.corrections.add')}</button>
          </p>
        </form>
      ) : null}
    </section>
  );
}

/** The editor: one form that works as a plain post, which the editor script enhances (autosave, preview). */
/**
 * Says that a live story has unpublished changes, with the two ways out: put them live or throw
 * them away. Rendered (hidden) on every live story, so the editor script can show it after the
 * first autosave without a reload.
 */
function PendingNotice(props: EditorProps) {
  const { admin, story, can } = props;
  const { t } = admin;
  if (!story) return null;
  return (
    <section
      id="pending-changes"
      class="notice notice--warning pending-changes"
      aria-labelledby="pending-title"
      hidden={story.pending === null}
    >
      <h2 id="pending-title" class="pending-changes__title">
        {t.t('admin.pending.title')}
      </h2>
      <p>{t.t('admin.pending.text')}</p>
      <p class="pending-changes__actions">
        {can.publish ? (
          <>
            <button
              type="submit"
              form="story-form"
              formaction={`/admin/stories/${story.id}/update-live`}
              class="primary"
              id="update-live-button"
            >
              {t.t('admin.pending.updateLive')}
            </button>{' '}
          </>
        ) : null}
        {props.previewUrl ? (
          <>
            <a href={props.previewUrl} target="_blank" rel="noopener" id="pending-preview">
              {t.t('admin.pending.preview')}
            </a>{' '}
          </>
        ) : null}
        {can.publish ? (
          <button
            type="submit"
            form="story-form"
            formaction={`/admin/stories/${story.id}/discard-pending`}
            formnovalidate
            class="danger"
            id="discard-pending-button"
          >
            {t.t('admin.pending.discard')}
          </button>
        ) : null}
      </p>
    </section>
  );
}

export function EditorPage(props: EditorProps) {
  const { admin, story, draft } = props;
  const { t } = admin;
  const title = story ? draft.headline || t.t('admin.editor.untitled') : t.t('admin.stories.new');
  return (
    <AdminLayout admin={admin} title={title}>
      <link rel="stylesheet" href={props.assets.css} />
      <div class="admin-titlebar">
        <h1 id="editor-title">{title}</h1>
        <p class="editor-state">
          <span
            id="story-status"
            class={`status status--${story?.killed ? 'killed' : story?.deleted ? 'deleted' : (story?.status ?? 'draft')}`}
          >
            {t.t(statusKey(story))}
          </span>{' '}
          {props.review && props.review.state !== 'none' ? (
            // On a phone the review box is far down the page: the badge says where the story stands and leads there.
            <>
              <a href="#review" id="review-badge" class={`badge badge--review-${props.review.state}`}>
                {t.t(reviewStateKey(props.review.state))}
              </a>{' '}
            </>
          ) : null}
          <span
            id="autosave-status"
            class="autosave"
            role="status"
            aria-live="polite"
            data-saving={t.t('admin.autosave.saving')}
            data-saved={t.t('admin.autosave.saved', { time: '{time}' })}
            data-unsaved={t.t('admin.autosave.unsaved')}
            data-offline={t.t('admin.autosave.offline')}
            data-failed={t.t('admin.autosave.failed', { reason: '{reason}' })}
            data-conflict={t.t('admin.autosave.conflict')}
            data-saved-pending={t.t('admin.autosave.savedPending', { time: '{time}' })}
          >
            {story?.pending
              ? t.t('admin.autosave.savedPending', { time: t.dateTime(story.pending.savedAt) })
              : story
                ? t.t('admin.autosave.saved', { time: t.dateTime(story.updatedAt) })
                : ''}
          </span>
        </p>
      </div>
      {/* Above both views: "Story killed" is told on the killed story's page. */}
      {props.notice ? <Notice kind={props.noticeKind ?? 'success'}>{props.notice}</Notice> : null}
      {story?.killed ? <KilledStory {...props} killed={story.killed} storyId={story.id} /> : null}
      {story?.killed ? null : <EditorForm {...props} />}
      <script type="module" src={props.assets.js} />
    </AdminLayout>
  );
}

/** The editor of a story that is not killed: the form, the kill form, the translations. */
function EditorForm(props: EditorProps) {
  const { admin, story, draft, choices, can } = props;
  const { t } = admin;
  const action = story ? `/admin/stories/${story.id}` : '/admin/stories';
  const invalid = new Set((props.error?.fields ?? []).map(formFieldOf));
  const aria = (name: string) => (invalid.has(name) ? { 'aria-invalid': 'true' as const } : {});
  const sectionsByLanguage = admin.languages.map((language) => ({
    language,
    sections: choices.sections.filter((section) => section.language === language),
  }));
  const storyAction = (name: string) => (story ? `/admin/stories/${story.id}/${name}` : undefined);
  const hiddenUntilSaved = !story;
  const live = story !== null && story.status !== 'draft' && !story.deleted;
  const createsTaxa = admin.user !== null && hasPermission(admin.user.role, 'taxonomy.manage');
  return (
    <>
      {story && live ? <PendingNotice {...props} /> : null}
      {props.error ? (
        <div class="notice notice--error" role="alert" id="editor-error">
          {props.error.message}
        </div>
      ) : (
        <div class="notice notice--error" role="alert" id="editor-error" hidden />
      )}
      <div
        id="local-copy"
        class="notice notice--warning"
        hidden
        data-message={t.t('admin.localCopy.found', { time: '{time}' })}
      >
        <p class="local-copy__message" />
        <button type="button" id="local-copy-restore" class="primary">
          {t.t('admin.localCopy.restore')}
        </button>{' '}
        <button type="button" id="local-copy-discard">
          {t.t('admin.localCopy.discard')}
        </button>
      </div>
      <ConflictPanel admin={admin} conflict={props.conflict} />
      <form
        id="story-form"
        class="editor"
        method="post"
        action={action}
        data-story-id={story?.id ?? ''}
        data-slug-auto={props.slugAuto ? 'true' : 'false'}
        data-api-create="/admin/api/stories"
        data-api-save="/admin/api/stories/"
        data-api-preview="/admin/api/preview"
      >
        <Csrf admin={admin} />
        <input type="hidden" name="expectedRevision" value={String(props.expectedRevision)} />
        <div class="editor-columns">
          <div class="editor-main stack">
            <label for="f-headline">{t.t('admin.story.headline')}</label>
            <input
              id="f-headline"
              name="headline"
              required
              maxlength={300}
              value={draft.headline}
              class="editor-headline"
              {...aria('headline')}
            />
            <label for="f-standfirst">{t.t('admin.story.standfirst')}</label>
            <textarea id="f-standfirst" name="standfirst" rows={2} maxlength={1000} {...aria('standfirst')}>
              {draft.standfirst}
            </textarea>
            <label for="f-slug">{t.t('admin.story.slug')}</label>
            <input
              id="f-slug"
              name="slug"
              value={draft.slug}
              maxlength={120}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              aria-describedby="f-slug-help"
              {...aria('slug')}
            />
            <small id="f-slug-help">{t.t('admin.editor.slugHelp')}</small>
            {story && props.machine ? <MachineTranslationBox t={t} machine={props.machine} storyId={story.id} /> : null}
            {props.translations && props.stored ? (
              <SideBySide
                t={t}
                translations={props.translations}
                stored={props.stored}
                findings={props.machine?.findings}
                alignment={props.machine?.alignment ?? null}
              />
            ) : null}
            <div class="editor-body">
              <div class="editor-body__source stack">
                <label for="f-body">{t.t('admin.story.bodyMarkdown')}</label>
                <textarea
                  id="f-body"
                  name="bodyMarkdown"
                  rows={24}
                  maxlength={500000}
                  class="editor-markdown"
                  aria-describedby="f-body-help"
                  {...aria('bodyMarkdown')}
                >
                  {draft.bodyMarkdown}
                </textarea>
                <small id="f-body-help">{t.t('admin.editor.markdownHelp')}</small>
              </div>
              <section class="editor-body__preview" aria-labelledby="preview-title">
                <h2 id="preview-title">{t.t('admin.editor.livePreview')}</h2>
                {/* Rendered by renderMarkdown, the public page's renderer: raw HTML off, then sanitized. */}
                <div
                  id="body-preview"
                  class="preview-body"
                  lang={draft.language}
                  dangerouslySetInnerHTML={{ __html: props.bodyHtml }}
                />
              </section>
            </div>
          </div>
          <div class="editor-side">
            {story && props.review ? <ReviewBox t={t} review={props.review} storyId={story.id} /> : null}
            {story ? <PreflightPanel t={t} findings={props.findings} language={draft.language} /> : null}
            <fieldset class="editor-box" id="publication">
              <legend>{t.t('admin.editor.publication')}</legend>
              {story?.status === 'scheduled' && story.scheduledAt ? (
                <p>{t.t('admin.editor.scheduledFor', { time: t.dateTime(story.scheduledAt) })}</p>
              ) : null}
              {story?.status === 'published' && story.publishedAt ? (
                <p>
                  {t.t('admin.editor.publishedOn', { time: t.dateTime(story.publishedAt) })}{' '}
                  {story.deleted ? null : <a href={story.url}>{t.t('admin.editor.viewPublished')}</a>}
                </p>
              ) : null}
              {story?.embargoUntil && story.status !== 'published' ? (
                <p id="embargo-note">{t.t('admin.editor.embargoedUntil', { time: t.dateTime(story.embargoUntil) })}</p>
              ) : null}
              <div class="stack">
                <label for="f-embargo">{t.t('admin.story.embargoUntil')}</label>
                <input
                  id="f-embargo"
                  name="embargoUntil"
                  type="datetime-local"
                  step={1}
                  value={props.embargoValue}
                  aria-describedby="f-embargo-help"
                  {...aria('embargoUntil')}
                />
                <p id="f-embargo-help" class="editor-help">
                  {t.t('admin.editor.embargoHelp', { zone: props.timeZone })}
                </p>
              </div>
              {live ? (
                <p id="live-note" class="editor-help" hidden={story?.pending !== null}>
                  {t.t('admin.pending.live')}
                </p>
              ) : null}
              <p class="editor-actions">
                <button type="submit" class="primary" id="save-button">
                  {story ? t.t('admin.save') : t.t('admin.editor.createDraft')}
                </button>
                {can.publish && story?.status !== 'published' && !story?.deleted ? (
                  <button
                    type="submit"
                    formaction={storyAction('publish')}
                    data-action="publish"
                    id="publish-button"
                    hidden={hiddenUntilSaved}
                  >
                    {t.t('admin.editor.publishNow')}
                  </button>
                ) : null}
              </p>
              {can.publish && story?.status !== 'published' && !story?.deleted ? (
                <div class="editor-schedule" data-action-box="schedule" hidden={hiddenUntilSaved}>
                  <label for="f-schedule">{t.t('admin.editor.scheduleAt')}</label>
                  <input
                    id="f-schedule"
                    name="scheduleAt"
                    type="datetime-local"
                    step={1}
                    value={props.scheduleValue}
                    data-iso={story?.scheduledAt?.toISOString() ?? ''}
                    {...aria('scheduleAt')}
                  />
                  <input type="hidden" name="scheduleAtIso" value="" />
                  <button
                    type="submit"
                    formaction={storyAction('schedule')}
                    data-action="schedule"
                    id="schedule-button"
                  >
                    {t.t('admin.editor.schedule')}
                  </button>
                </div>
              ) : null}
              {can.publish && story && story.status !== 'draft' && !story.deleted ? (
                <p>
                  <button
                    type="submit"
                    formaction={storyAction('unpublish')}
                    data-action="unpublish"
                    id="unpublish-button"
                  >
                    {t.t(story.status === 'scheduled' ? 'admin.editor.unschedule' : 'admin.editor.unpublish')}
                  </button>
                </p>
              ) : null}
              {can.publish ? (
                <p>
                  {story?.deleted ? (
                    <button type="submit" formaction={storyAction('restore')} data-action="restore" id="restore-button">
                      {t.t('admin.editor.restore')}
                    </button>
                  ) : (
                    <button
                      type="submit"
                      formaction={storyAction('delete')}
                      data-action="delete"
                      class="danger"
                      id="delete-button"
                      hidden={hiddenUntilSaved}
                    >
                      {t.t('admin.editor.delete')}
                    </button>
                  )}
                </p>
              ) : null}
              <p id="preview-link-box" hidden={!props.previewUrl}>
                <a id="preview-link" href={props.previewUrl ?? '#'} target="_blank" rel="noopener">
                  {t.t('admin.editor.previewLink')}
                </a>
                <small class="preview-link-help">{t.t('admin.editor.previewLinkHelp')}</small>
              </p>
              {story ? (
                <p>
                  <a href={`/admin/stories/${story.id}/revisions`}>{t.t('admin.revisions.title')}</a>
                </p>
              ) : null}
              {story?.status === 'published' &&
              !story.deleted &&
              admin.user &&
              hasPermission(admin.user.role, 'newsletter.manage') ? (
                <p>
                  <a href={`/admin/stories/${story.id}/newsletter`}>{t.t('admin.newsletters.sendLink')}</a>
                </p>
              ) : null}
            </fieldset>

            <fieldset class="editor-box">
              <legend>{t.t('admin.editor.placement')}</legend>
              <div class="stack">
                <label for="f-language">{t.t('admin.story.language')}</label>
                <select id="f-language" name="language" {...aria('language')}>
                  {admin.languages.map((language) => (
                    <option value={language} selected={language === draft.language}>
                      {languageAutonym(language)}
                    </option>
                  ))}
                </select>
                <label for="f-access">{t.t('admin.story.access')}</label>
                <select id="f-access" name="access">
                  {accessLevels.map((level) => (
                    <option value={level} selected={level === draft.access}>
                      {t.t(
                        level === 'public'
                          ? 'admin.access.public'
                          : level === 'members'
                            ? 'admin.access.members'
                            : 'admin.access.paid',
                      )}
                    </option>
                  ))}
                </select>
                <label for="f-genre">{t.t('admin.story.genre')}</label>
                <select id="f-genre" name="genre" aria-describedby="f-genre-help" {...aria('genre')}>
                  {storyGenres.map((genre) => (
                    <option value={genre} selected={genre === (draft.genre ?? defaultGenre)}>
                      {t.t(genreKey(genre))}
                    </option>
                  ))}
                </select>
                <p id="f-genre-help" class="editor-help">
                  {t.t('genre.editorHelp')}
                </p>
                <label for="f-sponsor">{t.t('admin.story.sponsor')}</label>
                <input
                  id="f-sponsor"
                  name="sponsor"
                  value={draft.sponsor ?? ''}
                  maxlength={200}
                  aria-describedby="f-sponsor-help"
                  {...aria('sponsor')}
                />
                <p id="f-sponsor-help" class="editor-help">
                  {t.t('admin.story.sponsorHint')}
                </p>
                <label for="f-section">{t.t('admin.story.section')}</label>
                <select id="f-section" name="sectionId" {...aria('sectionId')}>
                  <option value="">{t.t('admin.editor.noSection')}</option>
                  {sectionsByLanguage.map(({ language, sections }) =>
                    sections.length > 0 ? (
                      <optgroup label={languageAutonym(language)} data-language={language}>
                        {sections.map((section) => (
                          <option value={section.id} selected={section.id === draft.sectionId}>
                            {section.name}
                          </option>
                        ))}
                      </optgroup>
                    ) : null,
                  )}
                </select>
                {createsTaxa || draft.newSection !== '' ? (
                  <>
                    <label for="f-new-section">{t.t('admin.story.newSection')}</label>
                    <input
                      id="f-new-section"
                      name="newSection"
                      value={draft.newSection}
                      maxlength={100}
                      data-commit="change"
                      {...aria('newSection')}
                    />
                  </>
                ) : null}
                <label for="f-tags">{t.t('admin.story.tags')}</label>
                <input
                  id="f-tags"
                  name="tags"
                  value={draft.tags.join(', ')}
                  list="tag-names"
                  aria-describedby="f-tags-help"
                  data-commit="change"
                  {...aria('tags')}
                />
                <small id="f-tags-help">
                  {t.t(createsTaxa ? 'admin.editor.tagsHelp' : 'admin.editor.tagsHelpChoose')}
                </small>
                <datalist id="tag-names">
                  {choices.tags
                    .filter((tag) => tag.language === draft.language)
                    .map((tag) => (
                      <option value={tag.name} />
                    ))}
                </datalist>
              </div>
            </fieldset>

            <fieldset class="editor-box">
              <legend>{t.t('admin.story.authors')}</legend>
              {can.chooseAuthors ? (
                <div class="stack">
                  <p id="f-authors-help" class="editor-help">
                    {t.t('admin.editor.bylineHelp')}
                  </p>
                  {/* One choice per place in the byline, so the order staff gave is the order saved. */}
                  <ol class="byline-rows">
                    {Array.from({ length: Math.max(3, draft.authorIds.length + 2) }, (_, index) => (
                      <li>
                        <label for={index === 0 ? 'f-authors' : `f-authors-${index + 1}`} class="visually-hidden">
                          {t.t('admin.editor.bylinePosition', { position: index + 1 })}
                        </label>
                        <select
                          id={index === 0 ? 'f-authors' : `f-authors-${index + 1}`}
                          name="authorIds"
                          aria-describedby="f-authors-help"
                          {...aria('authorIds')}
                        >
                          <option value="">{t.t('admin.editor.noAuthor')}</option>
                          {choices.authors.map((author) => (
                            <option value={author.id} selected={draft.authorIds[index] === author.id}>
                              {author.name}
                            </option>
                          ))}
                        </select>
                      </li>
                    ))}
                  </ol>
                </div>
              ) : (
                <p>
                  {draft.authorIds.map((id) => choices.authors.find((a) => a.id === id)?.name ?? id).join(', ') ||
                    t.t('admin.editor.bylineYou')}
                </p>
              )}
            </fieldset>

            <fieldset class="editor-box" id="hero-box">
              <legend>{t.t('admin.story.hero')}</legend>
              <ImageUseFields prefix="hero" idPrefix="f-hero" use={draft.hero} images={choices.images} t={t} />
              {can.upload ? (
                <UploadControl id="hero-upload" target="hero" label={t.t('admin.editor.uploadHero')} t={t} />
              ) : null}
            </fieldset>

            <fieldset class="editor-box" id="gallery-box">
              <legend>{t.t('admin.story.gallery')}</legend>
              <ol class="gallery-rows" id="gallery-rows">
                {draft.gallery.map((use, index) => (
                  <GalleryRow index={index} use={use} images={choices.images} t={t} />
                ))}
                <GalleryRow index={draft.gallery.length} use={null} images={choices.images} t={t} />
              </ol>
              <template id="gallery-row-template">
                <GalleryRow index="__INDEX__" use={null} images={choices.images} t={t} />
              </template>
              <button type="button" id="gallery-add" hidden>
                {t.t('admin.editor.addPhoto')}
              </button>
              {can.upload ? (
                <UploadControl id="gallery-upload" target="gallery" label={t.t('admin.editor.uploadGallery')} t={t} />
              ) : null}
            </fieldset>

            <fieldset class="editor-box">
              <legend>{t.t('admin.editor.sourceBox')}</legend>
              <div class="stack">
                <label for="f-source-name">{t.t('admin.story.sourceName')}</label>
                <input
                  id="f-source-name"
                  name="sourceName"
                  value={draft.sourceName}
                  maxlength={300}
                  {...aria('sourceName')}
                />
                <label for="f-source-url">{t.t('admin.story.sourceUrl')}</label>
                <input
                  id="f-source-url"
                  name="sourceUrl"
                  type="url"
                  value={draft.sourceUrl}
                  maxlength={2000}
                  placeholder="https://"
                  {...aria('sourceUrl')}
                />
                <label class="checkbox">
                  <input type="checkbox" name="syndicated" value="1" checked={draft.syndicated} />{' '}
                  {t.t('admin.story.syndicated')}
                </label>
                {(['dateline', 'licenceNote'] as const).map((name) => {
                  // Wire copy's place line (readers see it) and licence terms (the newsroom's only).
                  const id = name === 'dateline' ? 'f-dateline' : 'f-licence-note';
                  const common = { id, name, 'aria-describedby': `${id}-help`, ...aria(name) };
                  return (
                    <>
                      <label for={id}>{t.t(storyFieldKey(name))}</label>
                      {name === 'dateline' ? (
                        <input {...common} value={draft.dateline ?? ''} maxlength={200} />
                      ) : (
                        <textarea {...common} rows={3} maxlength={2000}>
                          {draft.licenceNote ?? ''}
                        </textarea>
                      )}
                      <p id={`${id}-help`} class="editor-help">
                        {t.t(name === 'dateline' ? 'admin.editor.datelineHelp' : 'admin.editor.licenceNoteHelp')}
                      </p>
                    </>
                  );
                })}
                {story?.wire?.itemId ? (
                  <dl class="wire-origin">
                    <dt>{t.t('admin.story.wireItem')}</dt>
                    <dd>
                      <a href={`/admin/wire/items/${encodeURIComponent(story.wire.itemId)}`}>{story.wire.itemId}</a>
                    </dd>
                  </dl>
                ) : null}
              </div>
            </fieldset>

            <fieldset class="editor-box">
              <legend>{t.t('admin.editor.seoBox')}</legend>
              <div class="stack">
                <label for="f-seo-title">{t.t('admin.story.seoTitle')}</label>
                <input id="f-seo-title" name="seoTitle" value={draft.seoTitle} maxlength={300} />
                <label for="f-seo-description">{t.t('admin.story.seoDescription')}</label>
                <textarea id="f-seo-description" name="seoDescription" rows={3} maxlength={1000}>
                  {draft.seoDescription}
                </textarea>
              </div>
            </fieldset>
          </div>
        </div>
      </form>
      {story && props.translations ? (
        <TranslationsBox admin={admin} storyId={story.id} translations={props.translations} canLink={can.publish} />
      ) : null}
      {story && props.corrections ? (
        <CorrectionsPanel admin={admin} storyId={story.id} language={draft.language} corrections={props.corrections} />
      ) : null}
      {story && can.kill ? <KillForm {...props} storyId={story.id} /> : null}
    </>
  );
}

/**
 * "Kill this story" (decision 0057): a form of its own, so nothing typed in the story form is
 * saved with it; a reason is required, the notice optional; the translations readers can see are
 * offered, unticked — each is a story of its own.
 */
function KillForm(props: EditorProps & { storyId: string }) {
  const { admin, storyId } = props;
  const { t } = admin;
  const invalid = new Set(props.error?.fields ?? []);
  const translations = (props.translations?.group ?? []).filter(
    (member) => !member.killed && !member.deleted && member.status === 'published',
  );
  return (
    <section class="editor-box kill-box" id="kill" aria-labelledby="kill-title">
      <h2 id="kill-title">{t.t('admin.kill.title')}</h2>
      <p class="editor-help" id="kill-explain">
        {t.t('admin.kill.explain')}
      </p>
      <form method="post" action={`/admin/stories/${storyId}/kill`} class="stack" id="kill-form">
        <Csrf admin={admin} />
        <input type="hidden" name="expectedRevision" value={String(props.expectedRevision)} />
        <label for="f-kill-reason">{t.t('admin.kill.reason')}</label>
        <select
          id="f-kill-reason"
          name="killReason"
          required
          {...(invalid.has('killReason') ? { 'aria-invalid': 'true' as const } : {})}
        >
          <option value="">{t.t('admin.kill.reasonChoose')}</option>
          {killReasons.map((reason) => (
            <option value={reason}>{t.t(`admin.kill.reason.${reason}` as MessageKey)}</option>
          ))}
        </select>
        <label for="f-kill-notice">{t.t('admin.kill.notice')}</label>
        <textarea
          id="f-kill-notice"
          name="killNotice"
          rows={3}
          maxlength={2000}
          lang={props.draft.language}
          aria-describedby="f-kill-notice-help"
        />
        <p id="f-kill-notice-help" class="editor-help">
          {t.t('admin.kill.noticeHint')}
        </p>
        {translations.length > 0 ? (
          <fieldset class="kill-translations">
            <legend>{t.t('admin.kill.translations')}</legend>
            {translations.map((member) => (
              <label class="checkbox">
                <input type="checkbox" name="killTranslations" value={member.id} />{' '}
                <span lang={member.language}>{member.headline}</span> ({languageAutonym(member.language)})
              </label>
            ))}
          </fieldset>
        ) : null}
        <p>
          <button type="submit" class="danger" id="kill-button">
            {t.t('admin.kill.confirm')}
          </button>
        </p>
      </form>
    </section>
  );
}

/** A killed story's editor: what was done, when and why; the revisions stay readable. */
function KilledStory(
  props: EditorProps & { killed: NonNullable<NonNullable<EditorProps['story']>['killed']>; storyId: string },
) {
  const { t } = props.admin;
  const { killed } = props;
  const others = (props.translations?.group ?? []).filter((member) => !member.killed && !member.deleted);
  return (
    <section class="notice notice--warning killed-story" id="killed-story" role="status">
      <p>
        {t.t('admin.kill.killed', {
          date: t.dateTime(killed.at),
          reason: t.t(`admin.kill.reason.${killed.reason}` as MessageKey),
        })}
      </p>
      <p>
        {killed.notice ? (
          <>
            {t.t('admin.kill.noticeShown', { notice: '' })}
            <q lang={props.draft.language}>{killed.notice}</q>
          </>
        ) : (
          t.t('admin.kill.noNotice')
        )}
      </p>
      {others.length > 0 ? (
        <p>
          {t.t('admin.kill.otherTranslations')}{' '}
          {others.map((member, index) => (
            <>
              {index > 0 ? ', ' : null}
              <a href={`/admin/stories/${member.id}#kill`} lang={member.language}>
                {member.headline}
              </a>
            </>
          ))}
        </p>
      ) : null}
      <p>
        <a href={`/admin/stories/${props.storyId}/revisions`}>{t.t('admin.revisions.title')}</a>
      </p>
      {props.stored ? (
        // The text as it was killed, for the record: read-only, in the story's language.
        <details class="killed-story__text" lang={props.stored.language}>
          <summary>{props.stored.headline}</summary>
          {props.stored.standfirst ? <p>{props.stored.standfirst}</p> : null}
          <pre class="killed-story__body">{props.stored.bodyMarkdown}</pre>
        </details>
      ) : null}
    </section>
  );
}

export interface RevisionRow {
  revision: number;
  savedAt: Date;
  savedBy: string;
  action: RevisionAction;
}

const actionKeys: Record<RevisionAction, MessageKey> = {
  create: 'admin.revisions.action.create',
  kill: 'admin.revisions.action.kill',
  edit: 'admin.revisions.action.edit',
  publish: 'admin.revisions.action.publish',
  schedule: 'admin.revisions.action.schedule',
  unpublish: 'admin.revisions.action.unpublish',
  delete: 'admin.revisions.action.delete',
  restore: 'admin.revisions.action.restore',
  revert: 'admin.revisions.action.revert',
  link: 'admin.revisions.action.link',
  unlink: 'admin.revisions.action.unlink',
  pending: 'admin.revisions.action.pending',
  update: 'admin.revisions.action.update',
  discard: 'admin.revisions.action.discard',
  correct: 'admin.revisions.action.correct',
};

function Parts({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((part) =>
        part.op === 'added' ? <ins>{part.text}</ins> : part.op === 'removed' ? <del>{part.text}</del> : part.text,
      )}
    </>
  );
}

/** Unchanged lines far from any change are folded away: a long body shows only where it changed. */
function visibleLines(lines: LineDiff[], context = 2): (LineDiff | { op: 'skip'; count: number })[] {
  const near = new Set<number>();
  lines.forEach((line, index) => {
    if (line.op !== 'same') for (let i = index - context; i <= index + context; i++) near.add(i);
  });
  const out: (LineDiff | { op: 'skip'; count: number })[] = [];
  lines.forEach((line, index) => {
    if (near.has(index)) out.push(line);
    else {
      const last = out.at(-1);
      if (last && last.op === 'skip') last.count++;
      else out.push({ op: 'skip', count: 1 });
    }
  });
  return out;
}

function DiffLines({ lines, t }: { lines: LineDiff[]; t: Translator }) {
  return (
    <div class="diff-lines">
      {visibleLines(lines).map((line) =>
        line.op === 'skip' ? (
          <div class="diff-line diff-line--skip">{t.t('admin.revisions.unchangedLines', { count: line.count })}</div>
        ) : line.op === 'changed' ? (
          <div class="diff-line diff-line--changed">
            <Parts parts={line.parts} />
          </div>
        ) : (
          <div class={`diff-line diff-line--${line.op}`}>
            {line.op === 'added' ? (
              <ins>{line.text || ' '}</ins>
            ) : line.op === 'removed' ? (
              <del>{line.text || ' '}</del>
            ) : (
              line.text || ' '
            )}
          </div>
        ),
      )}
    </div>
  );
}

export interface RevisionsProps {
  admin: AdminContext;
  assets: { css: string };
  story: { id: string; headline: string; revision: number };
  rows: RevisionRow[];
  canRevert: boolean;
  diff: { from: number; to: number; fields: FieldDiff[] } | null;
  error?: string;
}

/** Every revision of a story (who, when, what), a diff between any two, and restore. */
export function RevisionsPage({ admin, assets, story, rows, canRevert, diff, error }: RevisionsProps) {
  const { t } = admin;
  const title = t.t('admin.revisions.titleOf', { headline: story.headline });
  const base = `/admin/stories/${story.id}/revisions`;
  return (
    <AdminLayout admin={admin} title={title}>
      <link rel="stylesheet" href={assets.css} />
      <p>
        <a href={`/admin/stories/${story.id}`}>{t.t('admin.revisions.backToEditor')}</a>
      </p>
      <h1>{title}</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <form method="get" action={base} class="filters" aria-label={t.t('admin.revisions.compare')}>
        <label>
          {t.t('admin.revisions.from')}
          <select name="from">
            {rows.map((row) => (
              <option value={String(row.revision)} selected={diff?.from === row.revision}>
                {t.t('admin.revisions.number', { revision: row.revision })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('admin.revisions.to')}
          <select name="to">
            {rows.map((row) => (
              <option value={String(row.revision)} selected={diff?.to === row.revision}>
                {t.t('admin.revisions.number', { revision: row.revision })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t.t('admin.revisions.compare')}</button>
      </form>
      {diff ? (
        <section class="diff" aria-labelledby="diff-title">
          <h2 id="diff-title">{t.t('admin.revisions.diffTitle', { from: diff.from, to: diff.to })}</h2>
          {diff.fields.filter((field) => field.changed).length === 0 ? (
            <p>{t.t('admin.revisions.noDifference')}</p>
          ) : (
            <dl class="diff-fields">
              {diff.fields
                .filter((field) => field.changed)
                .map((field) => (
                  <div class="diff-field" data-field={field.field}>
                    <dt>{t.t(storyFieldKey(field.field))}</dt>
                    <dd>
                      <DiffLines lines={field.lines} t={t} />
                    </dd>
                  </div>
                ))}
            </dl>
          )}
        </section>
      ) : null}
      <table class="admin-table revisions">
        <thead>
          <tr>
            <th scope="col">{t.t('admin.revisions.revision')}</th>
            <th scope="col">{t.t('admin.revisions.when')}</th>
            <th scope="col">{t.t('admin.revisions.who')}</th>
            <th scope="col">{t.t('admin.revisions.what')}</th>
            <th scope="col">
              <span class="visually-hidden">{t.t('admin.revisions.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-revision={String(row.revision)}>
              <td>{t.t('admin.revisions.number', { revision: row.revision })}</td>
              <td>
                <time datetime={row.savedAt.toISOString()}>{t.dateTime(row.savedAt)}</time>
              </td>
              <td>{row.savedBy}</td>
              <td>{t.t(actionKeys[row.action] ?? 'admin.revisions.action.edit')}</td>
              <td class="revision-actions">
                {row.revision !== story.revision ? (
                  <>
                    <a href={`${base}?from=${row.revision}&to=${story.revision}`}>
                      {t.t('admin.revisions.compareWithCurrent')}
                    </a>
                    {canRevert ? (
                      <form method="post" action={`${base}/${row.revision}/revert`} class="inline">
                        <Csrf admin={admin} />
                        <input type="hidden" name="expectedRevision" value={String(story.revision)} />
                        <button type="submit">{t.t('admin.revisions.revert')}</button>
                      </form>
                    ) : null}
                  </>
                ) : (
                  <em>{t.t('admin.revisions.current')}</em>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}
