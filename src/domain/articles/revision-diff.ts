import type { ArticleRecord } from './article-input.js';
import type { StoryGenre } from './genre.js';

export type DiffOp = 'same' | 'added' | 'removed';

/** A run of text that both versions share, or that only one has. */
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** One line of a text diff; a block of lines replaced by others is shown word by word. */
export type LineDiff = DiffPart | { op: 'changed'; parts: DiffPart[] };

// Beyond this many insertions and deletions the texts have little in common: showing "all of the
// old, then all of the new" is as readable, and bounds the work (the trace grows with its square).
const maxEdits = 2000;

/**
 * The shortest edit script from `a` to `b` (Myers, "An O(ND) difference algorithm", 1986), with
 * the common head and tail set aside first since most edits touch one place.
 */
export function diffSequences(a: readonly string[], b: readonly string[]): { op: DiffOp; token: string }[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (token: string) => ({ op: 'same' as const, token });
  return [
    ...a.slice(0, start).map(same),
    ...shortestEdit(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map(same),
  ];
}

function shortestEdit(a: readonly string[], b: readonly string[]): { op: DiffOp; token: string }[] {
  const added = (token: string) => ({ op: 'added' as const, token });
  const removed = (token: string) => ({ op: 'removed' as const, token });
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map(added);
  if (m === 0) return a.map(removed);
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  // v[offset + k]: the furthest x reached on diagonal k. trace[d] keeps the diagonals -d..d as they
  // were before step d, which is all the way back needs.
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [...a.map(removed), ...b.map(added)];
}

function backtrack(
  trace: Int32Array[],
  a: readonly string[],
  b: readonly string[],
  edits: number,
): { op: DiffOp; token: string }[] {
  const ops: { op: DiffOp; token: string }[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = edits; d > 0; d--) {
    const v = trace[d]!;
    const at = (k: number) => v[k + d]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ op: 'same', token: a[x - 1]! });
      x--;
      y--;
    }
    if (x === previousX) {
      ops.push({ op: 'added', token: b[y - 1]! });
      y--;
    } else {
      ops.push({ op: 'removed', token: a[x - 1]! });
      x--;
    }
  }
  while (x > 0 && y > 0) {
    ops.push({ op: 'same', token: a[x - 1]! });
    x--;
    y--;
  }
  return ops.reverse();
}

// Words (with their apostrophes and hyphens), runs of spaces, and single punctuation marks.
const tokenPattern = /\s+|[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}_'’-]/gu;

/** Word-level difference of two texts, as runs of text. */
export function diffWords(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const { op, token } of diffSequences(before.match(tokenPattern) ?? [], after.match(tokenPattern) ?? [])) {
    const last = parts.at(-1);
    if (last && last.op === op) last.text += token;
    else parts.push({ op, text: token });
  }
  return mergeAcrossSpaces(parts);
}

/**
 * A lone space kept between two changes cuts one edit into crumbs ("." removed, " " kept, "sur"
 * removed, "de" added); a reader takes in ". sur" → " de" at a glance. Such spaces join the change.
 */
function mergeAcrossSpaces(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) merged.push({ op: 'removed', text: removed });
    if (added) merged.push({ op: 'added', text: added });
    removed = '';
    added = '';
  };
  parts.forEach((part, index) => {
    if (part.op === 'removed') removed += part.text;
    else if (part.op === 'added') added += part.text;
    else if (
      part.text.trim() === '' &&
      parts[index - 1] !== undefined &&
      parts[index - 1]!.op !== 'same' &&
      parts[index + 1] !== undefined &&
      parts[index + 1]!.op !== 'same'
    ) {
      removed += part.text;
      added += part.text;
    } else {
      flush();
      merged.push(part);
    }
  });
  flush();
  return merged;
}

/** Line-level difference of two texts; lines replaced by others are diffed word by word. */
export function diffText(before: string, after: string): LineDiff[] {
  const lines: LineDiff[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  // In a block of replaced lines, the first lines of each side are read as edits of one another
  // (word by word); what one side has beyond that is plainly added or removed.
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i++) {
      lines.push({ op: 'changed', parts: diffWords(removed[i]!, added[i]!) });
    }
    for (const text of removed.slice(paired)) lines.push({ op: 'removed', text });
    for (const text of added.slice(paired)) lines.push({ op: 'added', text });
    removed = [];
    added = [];
  };
  const split = (text: string) => (text === '' ? [] : text.split(/\r?\n/));
  for (const { op, token } of diffSequences(split(before), split(after))) {
    if (op === 'removed') removed.push(token);
    else if (op === 'added') added.push(token);
    else {
      flush();
      lines.push({ op: 'same', text: token });
    }
  }
  flush();
  return lines;
}

/** The parts of an article a revision diff compares, in the order the editor shows them. */
export const diffFields = [
  'headline',
  'standfirst',
  'slug',
  'language',
  'status',
  'access',
  'section',
  'tags',
  'authors',
  'bodyMarkdown',
  'hero',
  'gallery',
  'source',
  'seoTitle',
  'seoDescription',
  'syndicated',
  'translationGroup',
  'publishedAt',
  'scheduledAt',
  'embargoUntil',
  'deletedAt',
  'genre',
] as const;
export type DiffField = (typeof diffFields)[number];

/** How ids and dates read to a person: names of sections, tags and authors; dates in their language. */
export interface DiffNames {
  section(id: string): string;
  tag(id: string): string;
  author(id: string): string;
  date(date: Date): string;
  /** A genre's name in the staff member's language (decision 0051). */
  genre(genre: StoryGenre): string;
}

export interface FieldDiff {
  field: DiffField;
  before: string;
  after: string;
  changed: boolean;
  lines: LineDiff[];
}

/** The fields of an article as text a person can read and compare. */
export function readableFields(record: ArticleRecord, names: DiffNames): Record<DiffField, string> {
  const image = (use: ArticleRecord['hero']) =>
    use ? [use.imageId, use.alt, use.caption, use.credit].filter((part) => part !== '').join(' · ') : '';
  const date = (value: Date | null) => (value ? names.date(value) : '');
  return {
    headline: record.headline,
    standfirst: record.standfirst,
    slug: record.slug,
    language: record.language,
    status: record.status,
    access: record.access,
    section: record.sectionId ? names.section(record.sectionId) : '',
    tags: record.tagIds.map(names.tag).join(', '),
    authors: record.authorIds.map(names.author).join(', '),
    bodyMarkdown: record.bodyMarkdown,
    hero: image(record.hero),
    gallery: record.gallery.map(image).join('\n'),
    source: record.source ? [record.source.name, record.source.url ?? ''].filter(Boolean).join(' · ') : '',
    seoTitle: record.seoTitle ?? '',
    seoDescription: record.seoDescription ?? '',
    syndicated: record.syndicated ? '✓' : '',
    // Linking and unlinking change the group: the revision shows it moved (snapshots before the
    // field existed have no wire-copy flag, which reads as unset).
    translationGroup: record.translationGroup,
    publishedAt: date(record.publishedAt),
    scheduledAt: date(record.scheduledAt),
    embargoUntil: date(record.embargoUntil),
    deletedAt: date(record.deletedAt),
    genre: names.genre(record.genre),
  };
}

/** Field by field, what changed between two versions of an article. */
export function diffRecords(before: ArticleRecord, after: ArticleRecord, names: DiffNames): FieldDiff[] {
  const a = readableFields(before, names);
  const b = readableFields(after, names);
  return diffFields.map((field) => ({
    field,
    before: a[field],
    after: b[field],
    changed: a[field] !== b[field],
    lines: a[field] === b[field] ? [] : diffText(a[field], b[field]),
  }));
}
