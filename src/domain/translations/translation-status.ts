import { diffSequences } from '../articles/revision-diff.js';
import { paragraphsOf } from '../preflight/preflight.js';
import type { AlignedPair } from './fidelity-gate.js';

/** The words of a story a translator works from. */
export interface SourceText {
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
}

/** What changed in the source since the revision a translation was saved against. */
export interface SourceChanges {
  headline: boolean;
  standfirst: boolean;
  /** For each paragraph of the source as it is now: whether it is new or changed since. */
  paragraphs: boolean[];
  /** How many paragraphs the source had then and has no longer. */
  removed: number;
}

/**
 * Compares the source as the translation last saw it with the source now, paragraph by paragraph
 * (the paragraphs of `paragraphsOf`, which the side by side shows). An edited paragraph is a
 * removed one plus a changed one: the translator sees where to look, which is what matters.
 */
export function sourceChanges(then: SourceText, now: SourceText): SourceChanges {
  const before = paragraphsOf(then.bodyMarkdown);
  const after = paragraphsOf(now.bodyMarkdown);
  const paragraphs: boolean[] = [];
  let removed = 0;
  for (const step of diffSequences(before, after)) {
    if (step.op === 'removed') removed++;
    else paragraphs.push(step.op === 'added');
  }
  return {
    headline: then.headline.trim() !== now.headline.trim(),
    standfirst: then.standfirst.trim() !== now.standfirst.trim(),
    paragraphs,
    removed,
  };
}

/** One row of the side by side: the source's words and the translation's, at the same place. */
export interface SideBySideRow {
  kind: 'headline' | 'standfirst' | 'paragraph';
  /** 1-based, for paragraphs: the source's paragraph (absent on a row the source has not). */
  number?: number;
  /** 1-based: the translation's paragraph on this row, when it is not the source's number. */
  translationNumber?: number;
  source: string;
  translation: string;
  /** True when the source changed here since the translation was last saved. */
  changed: boolean;
}

/** The source and the translation next to each other: headline, standfirst, then paragraph by paragraph. */
export function sideBySide(
  source: SourceText,
  translation: SourceText,
  changes: SourceChanges | null,
  /** Rows laid out by the fidelity gate's alignment (machine translations): a lost paragraph faces an empty cell. */
  alignment: AlignedPair[] | null = null,
): SideBySideRow[] {
  const sourceParagraphs = paragraphsOf(source.bodyMarkdown);
  const translated = paragraphsOf(translation.bodyMarkdown);
  const rows: SideBySideRow[] = [
    {
      kind: 'headline',
      source: source.headline,
      translation: translation.headline,
      changed: changes?.headline ?? false,
    },
    {
      kind: 'standfirst',
      source: source.standfirst,
      translation: translation.standfirst,
      changed: changes?.standfirst ?? false,
    },
  ];
  if (alignment) {
    for (const pair of alignment) {
      rows.push({
        kind: 'paragraph',
        ...(pair.source !== null ? { number: pair.source + 1 } : {}),
        ...(pair.target !== null ? { translationNumber: pair.target + 1 } : {}),
        source: pair.source !== null ? (sourceParagraphs[pair.source] ?? '') : '',
        translation: pair.target !== null ? (translated[pair.target] ?? '') : '',
        changed: pair.source !== null ? (changes?.paragraphs[pair.source] ?? false) : false,
      });
    }
    return rows;
  }
  for (let i = 0; i < Math.max(sourceParagraphs.length, translated.length); i++) {
    rows.push({
      kind: 'paragraph',
      number: i + 1,
      source: sourceParagraphs[i] ?? '',
      translation: translated[i] ?? '',
      changed: changes?.paragraphs[i] ?? false,
    });
  }
  return rows;
}
