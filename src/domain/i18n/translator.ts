import { IntlMessageFormat } from 'intl-messageformat';

/** Every message key; English is the reference catalog (a test checks the others have the same keys). */
export type MessageKey = keyof typeof import('./catalogs/en.json');
export type Catalog = Record<MessageKey, string>;
export type MessageValues = Record<string, string | number | Date>;

export interface Translator {
  language: string;
  direction: 'ltr' | 'rtl';
  /** The message for `key`, with ICU MessageFormat placeholders and plurals filled in. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A date and time, long form, in the site's time zone ("4 février 2022 à 19:00"). */
  dateTime(date: Date): string;
  /** A date only ("4 février 2022"). */
  date(date: Date): string;
  number(value: number): string;
}

/** Builds the message layer for one language; formats are compiled once and reused. */
export function createTranslator(
  language: string,
  catalog: Catalog,
  /** The site's time zone, or a function giving it at each use (staff may change it: decision 0058). */
  timeZone: string | (() => string),
): Translator {
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const zoneNow = typeof timeZone === 'string' ? () => timeZone : timeZone;
  // Formats are costly to build: kept for the zone they were built for, rebuilt when it changes.
  let formats: { zone: string; dateTime: Intl.DateTimeFormat; date: Intl.DateTimeFormat } | null = null;
  function formatsNow() {
    const zone = zoneNow();
    if (formats?.zone !== zone) {
      formats = {
        zone,
        dateTime: new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: zone }),
        date: new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: zone }),
      };
    }
    return formats;
  }
  const numberFormat = new Intl.NumberFormat(language);
  const direction = catalog['meta.direction'] === 'rtl' ? 'rtl' : 'ltr';

  return {
    language,
    direction,
    t(key, values) {
      let format = compiled.get(key);
      if (!format) {
        const source = catalog[key];
        if (source === undefined) throw new Error(`Message "${key}" is missing from the "${language}" catalog.`);
        format = new IntlMessageFormat(source, language);
        compiled.set(key, format);
      }
      return String(format.format(values));
    },
    dateTime: (date) => formatsNow().dateTime.format(date),
    date: (date) => formatsNow().date.format(date),
    number: (value) => numberFormat.format(value),
  };
}

/** The language's own name for itself ("français", "English"), capitalised for menus. */
export function languageAutonym(language: string): string {
  let autonym = autonyms.get(language);
  if (autonym === undefined) {
    // Building Intl.DisplayNames loads locale data: once per language, not on every page.
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
    autonym = name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
    autonyms.set(language, autonym);
  }
  return autonym;
}
const autonyms = new Map<string, string>();

/**
 * Picks the best site language for an Accept-Language header (RFC 9110 weights; a regional tag
 * matches its base language), or `fallback` when none fits.
 */
export function negotiateLanguage(header: string | undefined, available: readonly string[], fallback: string): string {
  if (!header) return fallback;
  const wanted = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const lower = available.map((language) => language.toLowerCase());
  for (const { tag } of wanted) {
    if (tag === '*') return fallback;
    const exact = lower.indexOf(tag);
    if (exact >= 0) return available[exact]!;
    const base = lower.findIndex(
      (language) => language === tag.split('-')[0] || language.split('-')[0] === tag.split('-')[0],
    );
    if (base >= 0) return available[base]!;
  }
  return fallback;
}
