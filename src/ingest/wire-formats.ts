import { KiosqueError } from '../domain/errors.js';
import type { MessageKey } from '../domain/i18n/translator.js';
import type { ParsedWireItem } from '../domain/wire/wire-item.js';
import { atomEntries, atomNs, rdfNs, rssItems } from './feeds.js';
import { g2Ns, newsmlG2Items } from './newsml-g2.js';
import { isNinjsItem, ninjsItem } from './ninjs.js';
import { nitfItem } from './nitf.js';
import { documentTooLarge, maxWireDocumentBytes, maxWireItems } from './wire-fields.js';
import { decodeXml, invalidDocument, parseXml } from './xml-tree.js';

export { maxWireDocumentBytes, maxWireItems } from './wire-fields.js';

/**
 * Wire documents in, typed items out: ninjs (JSON), NewsML-G2, NITF, RSS and Atom (XML),
 * recognised by their content. Hostile or broken input gives a `KiosqueError`
 * (`WIRE_DOCUMENT_INVALID`, `WIRE_FORMAT_UNKNOWN`, `WIRE_DOCUMENT_TOO_LARGE`), never a crash or
 * a hang (decision 0033).
 */

export interface WireDocumentHint {
  filename?: string;
  contentType?: string;
}

function unknownFormat(looksLike: string): KiosqueError {
  return new KiosqueError('WIRE_FORMAT_UNKNOWN', { looksLike });
}

/** The first meaningful character, past a byte-order mark and whitespace (UTF-16 aware). */
function sniff(bytes: Uint8Array): 'json' | 'markup' | 'other' {
  let start = 0;
  let step = 1;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    start = bytes[0] === 0xff ? 2 : 3;
    step = 2;
  } else if (bytes[0] === 0x3c && bytes[1] === 0) step = 2;
  else if (bytes[0] === 0 && bytes[1] === 0x3c) {
    start = 1;
    step = 2;
  }
  for (let index = start; index < Math.min(bytes.length, 4096); index += step) {
    const byte = bytes[index];
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    if (byte === 0x7b || byte === 0x5b) return 'json';
    if (byte === 0x3c) return 'markup';
    return 'other';
  }
  return 'other';
}

function parseJson(bytes: Uint8Array): ParsedWireItem[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidDocument('encoding-invalid', { detail: 'JSON must be UTF-8' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'not JSON';
    const position = /position (\d+)/.exec(detail);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const cutShort = /end of (JSON )?input|Unterminated/i.test(detail);
    throw invalidDocument(cutShort ? 'truncated' : 'not-well-formed', { line, detail });
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length > maxWireItems) throw documentTooLarge();
  if (values.length === 0 || !values.every(isNinjsItem)) throw unknownFormat('json');
  return values.map((item) => ninjsItem(item as Record<string, unknown>));
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1').toLowerCase();
  return /^(\ufeff|ï»¿)?\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>])/.test(head);
}

function parseMarkup(bytes: Uint8Array, contentType: string | undefined): ParsedWireItem[] {
  if (looksLikeHtml(bytes)) throw unknownFormat('html');
  const root = parseXml(decodeXml(bytes, contentType));
  if (root.name === 'rss' && root.uri === '') return rssItems(root);
  if (root.name === 'RDF' && root.uri === rdfNs) return rssItems(root);
  if (root.name === 'feed' && root.uri === atomNs) return atomEntries(root);
  if ((root.name === 'newsItem' || root.name === 'newsMessage') && root.uri === g2Ns) return newsmlG2Items(root);
  if (root.name === 'nitf') return [nitfItem(root)];
  if (root.name === 'html') throw unknownFormat('html');
  throw unknownFormat(`xml:${root.name.slice(0, 40)}`);
}

/**
 * Items of a wire document, whatever its format, recognised by content (the hint's file name is
 * not trusted; its content type may only name the charset of an XML document).
 */
export function parseWireDocument(bytes: Uint8Array, hint: WireDocumentHint = {}): ParsedWireItem[] {
  if (bytes.length > maxWireDocumentBytes) throw documentTooLarge();
  if (bytes.length === 0) throw invalidDocument('empty');
  const kind = sniff(bytes);
  const items = kind === 'json' ? parseJson(bytes) : kind === 'markup' ? parseMarkup(bytes, hint.contentType) : null;
  if (items === null) throw unknownFormat('unknown');
  if (items.length > maxWireItems) throw documentTooLarge();
  return items;
}

/** Every `details.reason` of `WIRE_DOCUMENT_INVALID`, each with a message in the catalogs. */
export const wireInvalidReasons = [
  'empty',
  'not-well-formed',
  'truncated',
  'entity-declaration',
  'undefined-entity',
  'too-deep',
  'too-many-elements',
  'encoding-invalid',
  'encoding-unsupported',
  'encoding-conflict',
] as const;

/**
 * The catalog keys that say, in the reader's language, why a document was refused and where:
 * shown after the error's own message (`wire.invalidLine` takes `{line}`).
 */
export function invalidDocumentMessageKeys(details: Record<string, unknown>): MessageKey[] {
  const reason = wireInvalidReasons.find((known) => known === details.reason);
  const keys: MessageKey[] = reason ? [`wire.invalidReason.${reason}` as MessageKey] : [];
  if (typeof details.line === 'number') keys.push('wire.invalidLine');
  return keys;
}
