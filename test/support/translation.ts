import type { TranslationProvider } from '../../src/domain/translations/translation-provider.js';
import { createBuiltinProvider } from '../../src/translation/builtin-provider.js';

/**
 * The built-in demo provider, losing every text that contains `lostWords`: what the seed page's
 * pipeline did to ten paragraphs. No machine translation service runs here; this one runs in the test.
 */
export function losingProvider(lostWords: string): TranslationProvider {
  const builtin = createBuiltinProvider();
  return {
    name: 'builtin',
    translate: (texts, from, to) =>
      builtin.translate(
        texts.filter((text) => !text.includes(lostWords)),
        from,
        to,
      ),
  };
}
