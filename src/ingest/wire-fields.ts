import { KiosqueError } from '../domain/errors.js';
import type { ParsedWireItem, WireFormat } from '../domain/wire/wire-item.js';
import { collapse } from './xml-tree.js';

/** Field normalisation every format shares, so the desk sees one shape whatever came in. */

/** An item with nothing found yet. */
export function blankItem(format: WireFormat): ParsedWireItem {
  return {
    format,
    wireId: null,
    version: 1,
    originalUrl: null,
    language: null,
    headline: '',
    standfirst: '',
    bylines: [],
    dateline: '',
    publishedAt: null,
    embargoUntil: null,
    rights: '',
    topics: [],
    genres: [],
    leadImage: null,
    body: [],
    bodyIsTeaser: false,
  };
}

/** A whole number ≥ 1 from "3", 3 or "3.0"; 1 for anything else. */
export function wireVersion(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  return Number.isInteger(number) && number >= 1 && number <= 1_000_000 ? number : 1;
}

/** A BCP 47 tag lower-cased ("pt-BR" → "pt-br", "en_GB" → "en-gb"); null when it is not one. */
export function languageTag(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tag = value.trim().replace(/_/g, '-').toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag) ? tag : null;
}

/** Non-empty, collapsed, each once, in order. */
export function distinctTexts(values: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const text = collapse(value ?? '');
    if (text && !seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  }
  return out;
}

/** Rights notes joined one per line, each once. */
export function rightsText(values: (string | null | undefined)[]): string {
  return distinctTexts(values).join('\n');
}

export function nonEmpty(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** Largest document read (a wire file or a feed); larger ones are refused before parsing. */
export const maxWireDocumentBytes = 20 * 1024 * 1024;
/** Most items one document may hold. */
export const maxWireItems = 5000;

export function documentTooLarge(): KiosqueError {
  return new KiosqueError('WIRE_DOCUMENT_TOO_LARGE', {
    limitMb: maxWireDocumentBytes / (1024 * 1024),
    maxItems: maxWireItems,
  });
}

/** The list, if it is within the item cap (checked before any item is read). */
export function withinItemCap<T>(items: T[]): T[] {
  if (items.length > maxWireItems) throw documentTooLarge();
  return items;
}
