/**
 * A machine translation service (DeepL, LibreTranslate, the built-in demo: `src/translation/`).
 * The composition root picks one from the settings; "Translate into…" and the wire desk call it
 * through the machine translation service, which ties every translated block to its source block
 * and runs the fidelity gate on the result.
 */
export interface TranslationProvider {
  /** Recorded with each machine translation and shown to readers ("deepl", "libretranslate", "builtin"). */
  readonly name: string;
  /** How the admin names it, when not its `name` ("built-in (demo)"). */
  readonly label?: string;
  /**
   * The texts in `to`, one for each of `texts`, in the same order. A provider that loses, merges
   * or adds some returns another count: the caller keeps what came back, and the gate says what
   * is missing.
   */
  translate(texts: string[], from: string, to: string): Promise<string[]>;
}
