import type { Block, ParsedWireItem } from '../domain/wire/wire-item.js';
import { htmlToBlocks, htmlToText, safeUrl, textToBlocks } from './html-blocks.js';
import { parseIsoDate } from './wire-dates.js';
import { blankItem, distinctTexts, languageTag, nonEmpty, rightsText, wireVersion } from './wire-fields.js';
import { collapse } from './xml-tree.js';

/**
 * IPTC ninjs 1.x, 2.x and 3.x. The versions renamed fields (1.x `headline`, `headline_*`,
 * `body_text`/`body_html`/`body_xhtml`/`body_*`, `byline`, `subject`; 2.x `headlines[]`,
 * `bodies[]`, `by`, `subjects`; 3.x the same in camelCase: `versionCreated`, `usageTerms`…), so
 * every object's keys are read case-insensitively and each field is looked for under all its names.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object with its keys lower-cased (3.x camelCase and 2.x lowercase read alike). */
function lowerKeys(value: Json): Json {
  // No prototype: a "__proto__" key in the JSON stays a plain (ignored) key.
  const out: Json = Object.create(null);
  for (const [key, entry] of Object.entries(value)) {
    const lowered = key.toLowerCase();
    if (!Object.hasOwn(out, lowered)) out[lowered] = entry;
  }
  return out;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function objects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject).map(lowerKeys);
  if (isObject(value)) return [lowerKeys(value)];
  return [];
}

/** 1.x keeps some lists as objects keyed by name (associations, renditions): their values, in order. */
function namedObjects(value: unknown): Json[] {
  if (Array.isArray(value)) return objects(value);
  if (isObject(value)) {
    return Object.entries(value)
      .filter((entry): entry is [string, Json] => isObject(entry[1]))
      .map(([name, entry]) => ({ name, ...lowerKeys(entry) }));
  }
  return [];
}

const mainRoles = ['main', 'text', 'richtext', 'html', 'html5', 'summary', 'abstract'];

/** The value of a 2.x/3.x `headlines`/`descriptions`/`bodies` list, main role first. */
function byRole(list: Json[]): Json | null {
  for (const role of mainRoles) {
    const found = list.find((entry) => str(entry.role)?.toLowerCase() === role && str(entry.value));
    if (found) return found;
  }
  return list.find((entry) => str(entry.value)) ?? null;
}

/** 1.x `prefix` or `prefix_*` pattern properties, plain key first. */
function patternValues(item: Json, prefix: string): [string, string][] {
  return Object.entries(item)
    .filter(([key, value]) => (key === prefix || key.startsWith(`${prefix}_`)) && typeof value === 'string')
    .sort(([a], [b]) => (a === prefix ? -1 : b === prefix ? 1 : 0)) as [string, string][];
}

const isHtmlKey = (key: string) => /(html|xhtml|richtext)$/.test(key);
const isHtmlType = (contentType: string | null) => /html|xhtml/i.test(contentType ?? '');

function headlineOf(item: Json): string {
  const listed = byRole(objects(item.headlines));
  const single = patternValues(item, 'headline')[0]?.[1];
  return collapse(htmlToText(str(listed?.value) ?? single ?? str(item.title) ?? str(item.slugline) ?? ''));
}

function standfirstOf(item: Json): string {
  const listed = byRole(objects(item.descriptions));
  if (listed) return htmlToText(str(listed.value) ?? '');
  const single = patternValues(item, 'description').find(([key]) => key !== 'description');
  const plain = str(item.description_text) ?? str(item.description);
  return htmlToText(plain ?? single?.[1] ?? '');
}

function bodyOf(item: Json, headline: string): Block[] {
  const options = { headline };
  const bodies = objects(item.bodies);
  if (bodies.length > 0) {
    const value = (entry: Json) => str(entry.value) ?? '';
    const contentType = (entry: Json) => str(entry.contenttype);
    const html = bodies.filter((entry) => isHtmlType(contentType(entry)) && value(entry));
    const preferred = byRole(html);
    if (preferred) return htmlToBlocks(value(preferred), options);
    const text = bodies.filter((entry) => /^text\/plain/i.test(contentType(entry) ?? 'text/plain') && value(entry));
    const plain = byRole(text);
    if (plain) return textToBlocks(value(plain));
    const any = byRole(bodies);
    return any ? htmlToBlocks(value(any), options) : [];
  }
  const fields = patternValues(item, 'body');
  const html = fields.find(([key]) => isHtmlKey(key));
  if (html) return htmlToBlocks(html[1], options);
  const text = fields.find(([key]) => key === 'body_text') ?? fields[0];
  return text ? textToBlocks(text[1]) : [];
}

function rightsOf(item: Json): string {
  const info = objects(item.rightsinfo).flatMap((entry) => [
    str(entry.encodedrights),
    str(entry.linkedrights),
    str(entry.usageterms),
  ]);
  const notice = str(item.copyrightnotice);
  return rightsText([
    notice || (item.copyrightholder ? `© ${str(item.copyrightholder)}` : null),
    str(item.usageterms),
    ...info,
  ]);
}

function topicsOf(item: Json): string[] {
  const subjects = [...objects(item.subjects), ...objects(item.subject)];
  const keywords = Array.isArray(item.keywords) ? item.keywords.map(str) : [];
  return distinctTexts([...subjects.map((subject) => str(subject.name)), ...keywords]);
}

/** 3.x `genres`, 1.x/2.x `genre`: each one's URI, literal, code and name, for the desk to match. */
function genresOf(item: Json): string[] {
  const entries = [...objects(item.genres), ...objects(item.genre)];
  return distinctTexts(
    entries.flatMap((entry) => [str(entry.uri), str(entry.literal), str(entry.code), str(entry.name)]),
  );
}

function renditionHref(association: Json): string | null {
  const renditions = namedObjects(association.renditions)
    .map((rendition) => ({ href: safeUrl(str(rendition.href)), width: Number(rendition.width) || 0 }))
    .filter((rendition): rendition is { href: string; width: number } => rendition.href !== null);
  // The smallest rendition wide enough for a page; the largest when none is.
  const wide = renditions.filter((rendition) => rendition.width >= 1000).sort((a, b) => a.width - b.width)[0];
  return wide?.href ?? renditions.sort((a, b) => b.width - a.width)[0]?.href ?? null;
}

function leadImageOf(item: Json): ParsedWireItem['leadImage'] {
  for (const association of namedObjects(item.associations)) {
    const type = str(association.type);
    if (type && !['picture', 'graphic', 'image'].includes(type)) continue;
    const src = renditionHref(association);
    if (!src) continue;
    const caption = collapse(
      htmlToText(
        str(byRole(objects(association.descriptions))?.value) ??
          str(association.description_text) ??
          str(association.body_text) ??
          '',
      ),
    );
    const alt =
      collapse(str(byRole(objects(association.headlines))?.value) ?? str(association.headline) ?? '') || caption;
    const credit = collapse(str(association.by) ?? str(association.byline) ?? str(association.copyrightnotice) ?? '');
    return { src, alt, caption, credit };
  }
  return null;
}

/** Whether a JSON value looks like one ninjs item (an identifier and something of a story). */
export function isNinjsItem(value: unknown): boolean {
  if (!isObject(value)) return false;
  const item = lowerKeys(value);
  if (typeof item.uri !== 'string' && typeof item.guid !== 'string') return false;
  return Object.keys(item).some(
    (key) =>
      /^(headline|body|description)(_|$)/.test(key) ||
      [
        'headlines',
        'bodies',
        'descriptions',
        'versioncreated',
        'byline',
        'by',
        '$standard',
        'standard',
        'renditions',
        'type',
      ].includes(key),
  );
}

export function ninjsItem(value: Json): ParsedWireItem {
  const item = lowerKeys(value);
  const parsed = blankItem('ninjs');
  parsed.wireId = nonEmpty(str(item.uri) ?? str(item.guid));
  parsed.version = wireVersion(item.version);
  parsed.language = languageTag(item.language);
  parsed.headline = headlineOf(item);
  parsed.standfirst = standfirstOf(item);
  parsed.bylines = distinctTexts([str(item.byline) ?? str(item.by)]);
  parsed.dateline = collapse(str(item.located) ?? '');
  parsed.publishedAt = parseIsoDate(str(item.firstcreated)) ?? parseIsoDate(str(item.versioncreated));
  parsed.embargoUntil = parseIsoDate(str(item.embargoed));
  parsed.rights = rightsOf(item);
  parsed.topics = topicsOf(item);
  parsed.genres = genresOf(item);
  parsed.leadImage = leadImageOf(item);
  parsed.body = bodyOf(item, parsed.headline);
  return parsed;
}
