import { createHash } from 'node:crypto';
import { blocksToText, type ParsedWireItem } from './wire-item.js';

/**
 * The fingerprint of an item's words, for the desk's dedupe: the same headline and body give the
 * same hash whatever format, feed or whitespace they came in; any change of a word (or of its
 * case) gives another. Metadata (version, dates, bylines) is left out on purpose: a re-sent item
 * with the same text is the same copy.
 */
export function contentHash(item: Pick<ParsedWireItem, 'headline' | 'body'>): string {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const text = `${normalise(item.headline)}\n${normalise(blocksToText(item.body))}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
