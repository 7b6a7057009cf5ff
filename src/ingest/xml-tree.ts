import { parseHTML } from 'linkedom';
import { SaxesParser } from 'saxes';
import { KiosqueError } from '../domain/errors.js';

/**
 * Hostile-input-safe XML reading for wire documents: bytes → text (strict decoding) → a small
 * element tree (saxes, strict and namespace-aware). saxes never expands DTD entities and never
 * fetches anything; a document that declares entities is refused outright (decision 0033).
 */

export interface XmlElement {
  /** Local name as written ("item", "newsItem", "body.content"). */
  name: string;
  /** Namespace URI, '' when none. */
  uri: string;
  /** Attributes by qualified name as written ("href", "xml:lang", "rdf:about"). */
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}

export type XmlNode = XmlElement | string;

/** Deeper than this, a wire document is an attack or a bug, not copy. */
export const maxXmlDepth = 100;
const maxElements = 1_000_000;
const xmlBuiltins = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

export function invalidDocument(reason: string, extra: { line?: number; detail?: string } = {}): KiosqueError {
  const details: Record<string, unknown> = { reason };
  if (extra.line !== undefined) details.line = extra.line;
  if (extra.detail !== undefined) details.detail = extra.detail;
  return new KiosqueError('WIRE_DOCUMENT_INVALID', details);
}

/** The encoding a charset parameter of a Content-Type names, if any. */
function charsetOf(contentType: string | undefined): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/i.exec(contentType) : null;
  return match?.[1]?.toLowerCase() ?? null;
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  } catch {
    throw invalidDocument('encoding-unsupported', { detail: encoding });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalidDocument('encoding-invalid', { detail: `the bytes are not valid ${decoder.encoding}` });
  }
}

const utf16 = (encoding: string) => /^utf-?16/i.test(encoding);

/**
 * Text of an XML document. The byte-order mark wins, then the XML declaration's `encoding=`, then
 * the transport's charset, then UTF-8 (a file on disk carries its own declaration; servers often
 * mislabel feeds). Bytes that do not decode in the chosen encoding are refused, never replaced.
 */
export function decodeXml(bytes: Uint8Array, contentType?: string): string {
  const [b0, b1, b2, b3] = bytes;
  let bom: string | null = null;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) bom = 'utf-8';
  else if (b0 === 0xff && b1 === 0xfe) bom = b2 === 0 && b3 === 0 ? 'utf-32le' : 'utf-16le';
  else if (b0 === 0xfe && b1 === 0xff) bom = 'utf-16be';
  else if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) bom = 'utf-32be';
  else if (b0 === 0x3c && b1 === 0 && b2 === 0x3f && b3 === 0) bom = 'utf-16le';
  else if (b0 === 0 && b1 === 0x3c && b2 === 0 && b3 === 0x3f) bom = 'utf-16be';
  if (bom?.startsWith('utf-32')) throw invalidDocument('encoding-unsupported', { detail: 'UTF-32' });

  const start = bytes.subarray(0, 512);
  const headText =
    bom === 'utf-16le'
      ? Buffer.from(start).toString('utf16le')
      : bom === 'utf-16be'
        ? swapToText(start)
        : Buffer.from(start).toString('latin1');
  const declared = /^\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(headText)?.[1];
  if (bom && declared && utf16(bom) !== utf16(declared)) {
    throw invalidDocument('encoding-conflict', { detail: `byte-order mark ${bom}, declaration ${declared}` });
  }
  // A declaration read as single bytes cannot truthfully name a two-byte encoding.
  if (!bom && declared && utf16(declared)) {
    throw invalidDocument('encoding-conflict', { detail: `declaration ${declared} in single-byte text` });
  }
  const encoding = bom ?? declared?.toLowerCase() ?? charsetOf(contentType) ?? 'utf-8';
  const text = decodeWith(bytes, encoding);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function swapToText(bytes: Uint8Array): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  swapped.swap16();
  return swapped.toString('utf16le');
}

// HTML's named entities (&nbsp;, &eacute;…) appear in NITF and feeds that relied on a DTD; they
// expand to at most two characters each and are never re-parsed, so they cannot amplify.
const htmlEntityCache = new Map<string, string | undefined>();
function htmlEntity(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]{1,31}$/.test(name)) return undefined;
  if (!htmlEntityCache.has(name)) {
    const text = parseHTML(`<p>&${name};</p>`).document.querySelector('p')?.textContent ?? '';
    // HTML also reads legacy prefixes ("&notit;" as "¬it;"): only a whole-name match of one or two characters counts.
    const isWholeName = text !== '' && [...text].length <= 2 && !text.includes(';');
    htmlEntityCache.set(name, isWholeName ? text : undefined);
  }
  return htmlEntityCache.get(name);
}

/** Parses XML text into a tree, or throws `WIRE_DOCUMENT_INVALID` with the reason and line. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const xmlEntities = parser.ENTITIES;
  // Only the five XML entities are looked up on saxes' map: its prototype chain reaches Object's
  // (`&constructor;` must not resolve to a function).
  parser.ENTITIES = new Proxy(xmlEntities, {
    get: (target, name) =>
      typeof name !== 'string' ? undefined : xmlBuiltins.has(name) ? target[name] : htmlEntity(name),
  });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let elements = 0;

  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) throw invalidDocument('entity-declaration', { line: parser.line });
  });
  parser.on('opentag', (tag) => {
    elements += 1;
    if (stack.length >= maxXmlDepth) throw invalidDocument('too-deep', { line: parser.line });
    if (elements > maxElements) throw invalidDocument('too-many-elements', { line: parser.line });
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attrs[attribute.name] = attribute.value;
    const element: XmlElement = { name: tag.local, uri: tag.uri, attrs, children: [], line: parser.line };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (chunk: string) => {
    const parent = stack.at(-1);
    if (parent) parent.children.push(chunk);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (error) => {
    throw error;
  });

  try {
    parser.write(text);
  } catch (error) {
    throw asInvalid(error, 'not-well-formed');
  }
  try {
    parser.close();
  } catch (error) {
    throw asInvalid(error, 'truncated');
  }
  if (!root) throw invalidDocument('truncated', { line: parser.line });
  return root;
}

function asInvalid(error: unknown, reason: string): KiosqueError {
  if (error instanceof KiosqueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const position = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
  const detail = (position?.[3] ?? message).slice(0, 200);
  const why = /undefined entity/.test(detail) ? 'undefined-entity' : reason;
  return invalidDocument(why, { line: position ? Number(position[1]) : undefined, detail });
}

// —— Reading the tree ——

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

export function childElements(element: XmlElement | null | undefined, name?: string, uri?: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter(
    (node): node is XmlElement =>
      isElement(node) && (name === undefined || node.name === name) && (uri === undefined || node.uri === uri),
  );
}

export function child(element: XmlElement | null | undefined, name: string, uri?: string): XmlElement | null {
  return childElements(element, name, uri)[0] ?? null;
}

/** Every descendant text, in order, whitespace kept (the caller decides how to collapse it). */
export function rawText(node: XmlNode | null | undefined): string {
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node;
  let out = '';
  const stack: XmlNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (typeof current === 'string') out += current;
    else for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index]!);
  }
  return out;
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Descendant text, whitespace collapsed. */
export function textOf(node: XmlNode | null | undefined): string {
  return collapse(rawText(node));
}

/** The nearest descendant (breadth first) with this local name. */
export function descendant(element: XmlElement | null | undefined, name: string): XmlElement | null {
  if (!element) return null;
  const queue: XmlElement[] = [element];
  for (let index = 0; index < queue.length; index++) {
    const current = queue[index]!;
    if (current !== element && current.name === name) return current;
    for (const node of current.children) if (isElement(node)) queue.push(node);
  }
  return null;
}
