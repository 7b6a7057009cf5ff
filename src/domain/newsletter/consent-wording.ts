import type { Translator } from '../i18n/translator.js';
import type { ConsentWording } from './newsletter.js';

/** The messages a reader reads before signing up: what they agree to is this text. */
export const signupWordingKeys = [
  'newsletter.heading',
  'newsletter.intro',
  'newsletter.label',
  'newsletter.submit',
  'newsletter.privacy',
] as const;

/**
 * The signup text of a language and its version string (`fr-` and 12 hex digits of its hash):
 * changing any of those messages makes a new version, so each consent names the words it was
 * given on, and the exact text is kept beside the consent log.
 */
export function signupWording(t: Translator, hash: (text: string) => string): ConsentWording {
  const text = signupWordingKeys.map((key) => t.t(key)).join('\n');
  return { version: `${t.language}-${hash(text).slice(0, 12)}`, language: t.language, text };
}
