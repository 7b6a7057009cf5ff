import type { TranslationConfig } from '../config/config.js';
import type { TranslationProvider } from '../domain/translations/translation-provider.js';
import { createBuiltinProvider } from './builtin-provider.js';
import { createDeeplProvider } from './deepl-provider.js';
import { createLibreTranslateProvider } from './libretranslate-provider.js';

/** The provider the settings name, or null when machine translation is off. */
export function translationProviderFrom(config: TranslationConfig): TranslationProvider | null {
  switch (config.provider) {
    case 'builtin':
      return createBuiltinProvider();
    case 'deepl':
      return createDeeplProvider({ key: config.key, url: config.url });
    case 'libretranslate':
      return createLibreTranslateProvider({ url: config.url, key: config.key });
    default:
      return null;
  }
}
