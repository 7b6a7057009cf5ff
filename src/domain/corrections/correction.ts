import { z } from 'zod';
import { markdownToText, renderInlineMarkdown } from '../articles/markdown.js';
import { KiosqueError } from '../errors.js';

/**
 * A correction says the story got something wrong and what is right; a clarification adds what a
 * reader needed to read it as meant. Both are appended to a published story, never edited into
 * its body (decision 0056).
 */
export const correctionKinds = ['correction', 'clarification'] as const;
export type CorrectionKind = (typeof correctionKinds)[number];

export function isCorrectionKind(value: string): value is CorrectionKind {
  return (correctionKinds as readonly string[]).includes(value);
}

/** A correction as the newsroom keeps it: a draft until published, then never changed again. */
/** A correction's own state: written, or told to readers. Not a story's status (decision 0056). */
export type CorrectionStatus = 'draft' | 'published';

/** The state of a correction readers are told (a name, so storage never spells a story's status). */
export const toldToReaders: CorrectionStatus = 'published';

export interface Correction {
  id: string;
  articleId: string;
  /** The story's language: the text is in it. */
  language: string;
  kind: CorrectionKind;
  /** Inline Markdown (emphasis, links), rendered and sanitized when shown. */
  text: string;
  status: CorrectionStatus;
  /** For a translation's draft: the source story's correction it was made from. */
  sourceCorrectionId: string | null;
  /**
   * For a translation's draft: the source's revision that publishing it brings the translation up
   * to (it was up to date before the source's correction); null when it was not.
   */
  sourceRevision: number | null;
  /** A translation's draft still holding its source's words: no provider translated them. */
  needsTranslation: boolean;
  createdBy: string | null;
  createdAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
}

/** What readers are shown of a published correction. */
export interface PublishedCorrection {
  id: string;
  articleId: string;
  kind: CorrectionKind;
  /** The text as plain words (feeds' text fields, JSON-LD, ninjs). */
  text: string;
  /** The text as sanitized inline HTML (pages, feeds' HTML fields). */
  html: string;
  publishedAt: Date;
}

export function forReaders(correction: Correction): PublishedCorrection | null {
  if (correction.status !== 'published' || correction.publishedAt === null) return null;
  return {
    id: correction.id,
    articleId: correction.articleId,
    kind: correction.kind,
    text: markdownToText(correction.text),
    html: renderInlineMarkdown(correction.text),
    publishedAt: correction.publishedAt,
  };
}

/** Corrections first (they change what the story says), then clarifications; each oldest first. */
export function byKind(corrections: readonly PublishedCorrection[]): {
  corrections: PublishedCorrection[];
  clarifications: PublishedCorrection[];
} {
  const sorted = [...corrections].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  return {
    corrections: sorted.filter((c) => c.kind === 'correction'),
    clarifications: sorted.filter((c) => c.kind === 'clarification'),
  };
}

export const correctionTextMaxLength = 2000;

const correctionInputSchema = z.object({
  kind: z.string().trim(),
  text: z.string().max(correctionTextMaxLength * 2),
});

/** What staff typed: a known kind and a text of 1 to 2,000 characters; else CORRECTION_INVALID, naming the fields. */
export function parseCorrectionInput(value: unknown): { kind: CorrectionKind; text: string } {
  const parsed = correctionInputSchema.safeParse(value);
  if (!parsed.success) {
    throw new KiosqueError('CORRECTION_INVALID', {
      fields: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'text')))],
    });
  }
  const text = parsed.data.text.replace(/\s+/g, ' ').trim();
  const fields: string[] = [];
  if (!isCorrectionKind(parsed.data.kind)) fields.push('kind');
  if (text === '' || text.length > correctionTextMaxLength || markdownToText(text) === '') fields.push('text');
  if (fields.length > 0) throw new KiosqueError('CORRECTION_INVALID', { fields });
  return { kind: parsed.data.kind as CorrectionKind, text };
}

/** Where corrections are kept. Publishing one is written with the story's revision (the article store). */
export interface CorrectionStore {
  /** Every correction of a story, drafts included, oldest first. */
  listFor(articleId: string): Promise<Correction[]>;
  find(id: string): Promise<Correction | null>;
  /** Stores a new draft, or replaces a draft's kind and text; false when it is no longer a draft. */
  saveDraft(correction: Correction): Promise<boolean>;
  /** Deletes a draft; false when there is no such draft (a published correction stays). */
  removeDraft(id: string): Promise<boolean>;
}

/** One line of a language's corrections page. */
export interface CorrectionListing {
  correction: PublishedCorrection;
  story: { id: string; language: string; slug: string; headline: string; translationGroup: string };
}

/** What readers are told: the published corrections of public stories only. */
export interface ReaderCorrections {
  /** Published corrections of these stories, oldest first; a story without any is absent. */
  forArticles(articleIds: string[]): Promise<Map<string, PublishedCorrection[]>>;
  /** A language's published corrections of stories readers can see, newest first. */
  page(
    language: string,
    now: Date,
    offset: number,
    limit: number,
  ): Promise<{ items: CorrectionListing[]; total: number }>;
}
