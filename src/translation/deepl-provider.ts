import type { TranslationProvider } from '../domain/translations/translation-provider.js';
import { answered, batches, postJson } from './http-translation.js';

/**
 * DeepL's API v2 (`POST /v2/translate`, `Authorization: DeepL-Auth-Key …`). Keys of the free plan
 * end in `:fx` and go to api-free.deepl.com, others to api.deepl.com, unless a URL is set. DeepL
 * takes up to 50 texts and 128 KiB per request; texts are sent as plain text, never markup.
 */
export function createDeeplProvider(options: {
  key: string;
  url?: string | null;
  timeoutMs?: number;
}): TranslationProvider {
  const base = (
    options.url || (options.key.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com')
  ).replace(/\/+$/, '');
  return {
    name: 'deepl',
    label: 'DeepL',
    async translate(texts, from, to) {
      const out: string[] = [];
      // 128 KiB per body: 30,000 characters stay under it even at 4 bytes a letter plus escapes.
      for (const batch of batches(texts, { maxTexts: 50, maxChars: 30_000 })) {
        const answer = (await postJson(
          'deepl',
          `${base}/v2/translate`,
          {
            text: batch,
            source_lang: sourceCode(from),
            target_lang: targetCode(to),
            // Keep a paragraph one text: no splitting at newlines, the writer's formatting kept.
            split_sentences: 'nonewlines',
            preserve_formatting: true,
          },
          { headers: { authorization: `DeepL-Auth-Key ${options.key}` }, timeoutMs: options.timeoutMs ?? 30_000 },
        )) as { translations?: { text?: unknown }[] } | null;
        const translations = Array.isArray(answer?.translations) ? answer.translations.map((t) => t?.text) : null;
        out.push(...answered('deepl', translations, batch.length));
      }
      return out;
    },
  };
}

/** DeepL's source languages are bare ("EN", "FR"). */
function sourceCode(language: string): string {
  return (language.split('-')[0] ?? language).toUpperCase();
}

/** Targets with variants need one: English is British unless said otherwise, Portuguese European. */
function targetCode(language: string): string {
  const [primary = language, region] = language.split('-');
  if (region) return `${primary}-${region}`.toUpperCase();
  if (primary === 'en') return 'EN-GB';
  if (primary === 'pt') return 'PT-PT';
  return primary.toUpperCase();
}
