/**
 * A machine translation service the newsroom may plug in later (none is shipped, none is called
 * unless one is passed to the composition root). "Translate into…" uses it, when present, to
 * prefill the new draft; a person still reads and edits every paragraph before publishing.
 */
export interface TranslationProvider {
  /** The paragraphs in `to`, one for each of `paragraphs`, in the same order. */
  translate(paragraphs: string[], from: string, to: string): Promise<string[]>;
}
