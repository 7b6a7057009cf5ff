import { guessLanguage } from './language-profile.js';
import type { PreflightInput } from './preflight.js';

/**
 * A story kept as a file, read into what preflight checks (`kiosque preflight FILE.md`):
 *
 * - Markdown with an optional front matter, a `---` block of `key: value` lines (a key may also
 *   take a list of `- item` lines): `headline` (or `title`), `language`, `authors` (comma-separated
 *   or a list), `date`, `source` (the credit), `source_url`, `syndicated`, `image` (repeatable:
 *   `alt text | credit`). Without `headline`, a first `# Heading` is the headline.
 * - Plain text as a site serves it (the seed page): no front matter, the first paragraph is the
 *   headline, the rest is the body.
 *
 * A fact the file does not give is missing, as in the editor: no authors is no byline, no date is
 * no date. Wire copy is a file that says `syndicated: true` or names a source or its URL. Images
 * in the body (`![alt](src)`) are checked for their alt text. The language, when not given, is
 * guessed from the body.
 */
export type StoryFile = { ok: true; story: PreflightInput } | { ok: false; reason: string };

const truthy = /^(?:true|yes|oui|1|on)$/i;
const falsy = /^(?:false|no|non|0|off)$/i;

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Front matter lines into key → values (a key given twice, or with a list, has several). */
function frontMatterOf(lines: string[]): Map<string, string[]> | string {
  const fields = new Map<string, string[]>();
  let last: string | null = null;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$|^-\s+(.*)$/.exec(line);
    if (item && last !== null) {
      fields.get(last)?.push(unquote(item[1] ?? item[2] ?? ''));
      continue;
    }
    const pair = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) return `front matter line ${index + 2} is not "key: value": ${line.slice(0, 60)}`;
    last = (pair[1] as string).toLowerCase().replace(/-/g, '_');
    const value = unquote(pair[2] ?? '');
    const values = fields.get(last) ?? [];
    if (value !== '') values.push(value);
    fields.set(last, values);
  }
  return fields;
}

export function storyFromFile(text: string): StoryFile {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let fields = new Map<string, string[]>();
  let body = normalized;
  let headline: string | undefined;
  if (/^---[ \t]*\n/.test(normalized)) {
    const lines = normalized.split('\n');
    const end = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line));
    if (end === -1) return { ok: false, reason: 'the front matter opened by "---" on line 1 is never closed' };
    const parsed = frontMatterOf(lines.slice(1, end));
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    fields = parsed;
    body = lines.slice(end + 1).join('\n');
    const given = fields.get('headline')?.[0] ?? fields.get('title')?.[0];
    if (given !== undefined) headline = given;
    else {
      const heading = /^\s*#\s+(.+)\n?/.exec(body);
      if (heading) {
        headline = (heading[1] as string).trim();
        body = body.slice(heading[0].length);
      }
    }
  } else {
    // Plain text as a page gives it: the headline, then the body.
    const split = /^\s*(.+?)(?:\n\s*\n|\n?$)/s.exec(normalized);
    headline = (split?.[1] ?? '').replace(/^#\s+/, '').replace(/\s+/g, ' ').trim();
    body = normalized.slice(split?.[0].length ?? 0);
  }

  const one = (...keys: string[]) => keys.map((key) => fields.get(key)?.[0]).find((value) => value !== undefined);
  const authors = ['authors', 'author', 'byline']
    .flatMap((key) => fields.get(key) ?? [])
    .flatMap((value) => value.split(/\s*[,;]\s*/))
    .filter((name) => name.trim() !== '');
  const source = one('source', 'credit');
  const sourceUrl = one('source_url', 'original_url', 'url');
  const flag = one('syndicated', 'wire');
  const syndicated =
    flag !== undefined && (truthy.test(flag) || falsy.test(flag))
      ? truthy.test(flag)
      : source !== undefined || sourceUrl !== undefined;
  const images = (fields.get('image') ?? []).map((value) => {
    const [alt = '', credit] = value.split('|').map((part) => part.trim());
    return credit === undefined ? { alt } : { alt, credit };
  });
  for (const match of body.matchAll(/!\[([^\]]*)\]\([^)]*\)/g)) images.push({ alt: match[1] ?? '' });

  return {
    ok: true,
    story: {
      language: one('language', 'lang') ?? guessLanguage(body) ?? 'en',
      headline: headline ?? '',
      bodyMarkdown: body,
      authorCount: authors.length,
      syndicated,
      hasSourceCredit: source !== undefined,
      hasOriginalUrl: sourceUrl !== undefined && isWebUrl(sourceUrl),
      hasDate: one('date', 'published', 'published_at', 'datetime') !== undefined,
      images,
    },
  };
}
