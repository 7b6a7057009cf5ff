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

/** Query parameters that only say where a reader came from. */
const trackingParameter =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|xtor|at_[a-z_]+|ito|cmpid)$/i;

/**
 * The key under which two addresses of the same story compare equal, for the desk's dedupe (not an
 * address to fetch): http and https alike, host lower-cased, default port, fragment, tracking
 * parameters and a trailing slash left out, remaining parameters sorted. Null for anything that
 * is not an http(s) URL.
 */
export function canonicalUrlKey(address: string | null | undefined): string | null {
  if (!address) return null;
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const parameters = [...url.searchParams].filter(([name]) => !trackingParameter.test(name));
  parameters.sort(([a, aValue], [b, bValue]) => (a === b ? aValue.localeCompare(bValue) : a < b ? -1 : 1));
  const query = new URLSearchParams(parameters).toString();
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  return `https://${url.hostname.toLowerCase().replace(/^www\./, '')}${port}${path}${query ? `?${query}` : ''}`;
}
