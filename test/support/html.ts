/**
 * Just enough HTML reading for assertions on server-rendered pages: the pages are ours and
 * well-formed (Preact writes them), so a scanner that balances one tag name is sufficient and
 * keeps the suite free of a DOM library.
 */

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references Preact and sanitize-html write. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** The visible text of a fragment: tags removed, entities decoded, white space collapsed. */
export function textOf(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[ \t\n\r\f]+/g, ' '),
  ).trim();
}

/** The outer HTML of every `<tag>` whose start tag matches `startTag` (balanced on the same tag name). */
export function elements(html: string, tag: string, startTag: RegExp = new RegExp(`<${tag}\\b[^>]*>`, 'g')): string[] {
  const found: string[] = [];
  const starts = new RegExp(startTag.source, startTag.flags.includes('g') ? startTag.flags : `${startTag.flags}g`);
  const void_ = /^(img|source|input|meta|link|br|hr)$/i.test(tag);
  for (let match = starts.exec(html); match; match = starts.exec(html)) {
    if (!new RegExp(`^<${tag}\\b`, 'i').test(match[0])) continue;
    if (void_) {
      found.push(match[0]);
      continue;
    }
    const tokens = new RegExp(`<${tag}\\b[^>]*>|</${tag}\\s*>`, 'gi');
    tokens.lastIndex = match.index + match[0].length;
    let depth = 1;
    let end = html.length;
    for (let token = tokens.exec(html); token; token = tokens.exec(html)) {
      depth += token[0][1] === '/' ? -1 : 1;
      if (depth === 0) {
        end = token.index + token[0].length;
        break;
      }
    }
    found.push(html.slice(match.index, end));
  }
  return found;
}

/** Elements of `tag` carrying `className` among their classes. */
export function byClass(html: string, tag: string, className: string): string[] {
  return elements(
    html,
    tag,
    new RegExp(`<${tag}\\b[^>]*\\bclass="(?:[^"]*\\s)?${className}(?:\\s[^"]*)?"[^>]*>`, 'gi'),
  );
}

/** The content between an element's start and end tags. */
export function inner(outer: string): string {
  return outer.replace(/^<[^>]*>/, '').replace(/<\/[a-z0-9]+\s*>$/i, '');
}

/** Attributes of the first start tag in `html` (names lower-cased, values decoded; bare attributes are ''). */
export function attributesOf(html: string): Record<string, string> {
  const start = /^<[a-z0-9]+\b([^>]*)>/i.exec(html.trimStart());
  const attributes: Record<string, string> = {};
  if (!start) return attributes;
  for (const attr of start[1]!.matchAll(/([^\s=/"']+)(?:="([^"]*)")?/g)) {
    attributes[attr[1]!.toLowerCase()] = decodeEntities(attr[2] ?? '');
  }
  return attributes;
}

/** Every attribute value of every start tag, decoded (what a reader may hear or see in tooltips). */
export function allAttributeValues(html: string): string[] {
  const values: string[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9]*\b[^>]*>/gi)) {
    values.push(...Object.values(attributesOf(tag[0])).filter((value) => value !== ''));
  }
  return values;
}

/** The `href` of each card title, in page order: which stories a list shows. */
export function cardLinks(html: string): string[] {
  return [...html.matchAll(/<h[23]\b[^>]*\bclass="card__title"[^>]*>\s*<a\b[^>]*\bhref="([^"]*)"/g)].map((match) =>
    decodeEntities(match[1]!),
  );
}

/** The section introduced by the heading with id `headingId` (e.g. "latest-title"). */
export function sectionLabelledBy(html: string, headingId: string): string {
  return elements(html, 'section', new RegExp(`<section\\b[^>]*aria-labelledby="${headingId}"[^>]*>`, 'g'))[0] ?? '';
}
