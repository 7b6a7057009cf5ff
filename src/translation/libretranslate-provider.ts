import type { TranslationProvider } from '../domain/translations/translation-provider.js';
import { answered, batches, postJson } from './http-translation.js';

/**
 * A LibreTranslate server (`POST /translate` with `q` as an array, `source`, `target`,
 * `format: "text"` and, when the server asks for one, `api_key`). Servers cap characters per
 * request (`--char-limit`), so texts go in batches.
 */
export function createLibreTranslateProvider(options: {
  url: string;
  key?: string | null;
  timeoutMs?: number;
}): TranslationProvider {
  const base = options.url.replace(/\/+$/, '');
  return {
    name: 'libretranslate',
    label: 'LibreTranslate',
    async translate(texts, from, to) {
      const out: string[] = [];
      for (const batch of batches(texts, { maxTexts: 50, maxChars: 5_000 })) {
        const answer = (await postJson(
          'libretranslate',
          `${base}/translate`,
          {
            q: batch,
            source: from.split('-')[0],
            target: to.split('-')[0],
            format: 'text',
            ...(options.key ? { api_key: options.key } : {}),
          },
          { timeoutMs: options.timeoutMs ?? 60_000 },
        )) as { translatedText?: unknown } | null;
        out.push(...answered('libretranslate', answer?.translatedText, batch.length));
      }
      return out;
    },
  };
}
