/**
 * The fidelity gate: compares a source body with its (machine) translation, block by block, for
 * what a translation pipeline loses or mangles — the seed page's failures. A dropped, merged,
 * split, duplicated or added block, an empty block, a block cut short or of another kind blocks
 * publication; numbers, dates, links and names that do not come through, and a block that starts
 * mid-sentence or ends without its punctuation, are warnings quoting the words. Pure.
 */
import { blockText, type GateBlock, markdownBlocks } from './markdown-blocks.js';

export type FidelityCode =
  | 'BLOCK_DROPPED'
  | 'BLOCKS_MERGED'
  | 'BLOCK_SPLIT'
  | 'BLOCK_DUPLICATED'
  | 'BLOCK_ADDED'
  | 'BLOCK_EMPTY'
  | 'BLOCK_TRUNCATED'
  | 'BLOCK_KIND_CHANGED'
  | 'NUMBER_MISSING'
  | 'DATE_MISSING'
  | 'LINK_MISSING'
  | 'NAME_MISSING'
  | 'STARTS_MID_SENTENCE'
  | 'ENDS_CUT';

/** Preflight's `Finding` shape, plus the source block a finding is about. */
export interface FidelityFinding {
  code: FidelityCode;
  severity: 'blocking' | 'warning';
  /** 1-based block number in the translation, when the finding is about one of its blocks. */
  paragraph?: number;
  /** 1-based block number in the source. */
  sourceParagraph?: number;
  /** The words in question: the number, link or name missing, or the start of the block. */
  excerpt?: string;
}

/** The codes that stop publication. */
const blocking: ReadonlySet<FidelityCode> = new Set<FidelityCode>([
  'BLOCK_DROPPED',
  'BLOCKS_MERGED',
  'BLOCK_SPLIT',
  'BLOCK_DUPLICATED',
  'BLOCK_ADDED',
  'BLOCK_EMPTY',
  'BLOCK_TRUNCATED',
  'BLOCK_KIND_CHANGED',
]);

const finding = (
  code: FidelityCode,
  where: { paragraph?: number; sourceParagraph?: number; excerpt?: string },
): FidelityFinding => ({ code, severity: blocking.has(code) ? 'blocking' : 'warning', ...where });

function cut(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length).trimEnd()}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// What must come through a translation unchanged.

const arabicDigits = /[\u0660-\u0669\u06f0-\u06f9]/g;
const toAsciiDigits = (text: string) => text.replace(arabicDigits, (digit) => String((digit.charCodeAt(0) & 0xf) % 10));

// A number with thin, non-breaking or plain spaces between groups of three, or with dots and
// commas inside it. Links are taken out first, so their digits are not counted twice.
const numberPattern = /\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,٫]\d+)?|\d+(?:[.,٫٬']\d+)*/g;
const urlPattern = /\bhttps?:\/\/[^\s<>()[\]"'«»]+[^\s<>()[\]"'«».,;:!?]/gi;

/**
 * The numbers of a text, as values: "10 000", "10,000" (English) and "10.000" (German, French)
 * are 10000; "1,5" (French) and "1.5" (English) are 1.5. The language says which mark is the
 * decimal one when the text alone cannot.
 */
export function numbersIn(text: string, language: string): string[] {
  const commaDecimal = !/^(?:en|ja|zh|ko|he|th)\b/.test(language);
  const values: string[] = [];
  for (const match of toAsciiDigits(text.replace(urlPattern, ' ')).matchAll(numberPattern)) {
    let raw = match[0].replace(/[ \u00a0\u202f'٬]/g, '').replace(/٫/g, ',');
    const marks = raw.match(/[.,]/g) ?? [];
    if (marks.length === 0) {
      values.push(String(Number(raw)));
      continue;
    }
    const last = raw.lastIndexOf(marks[marks.length - 1] as string);
    const tail = raw.length - last - 1;
    const mixed = new Set(marks).size > 1;
    // "1,234,567" or "1.234.567": grouping; "1,5" / "1.5": a decimal; "1,234" depends on the
    // language; with both marks, the last one is the decimal mark.
    let decimalAt = -1;
    if (mixed) decimalAt = last;
    else if (marks.length > 1) decimalAt = -1;
    else if (tail !== 3) decimalAt = last;
    else if ((marks[0] === ',') === commaDecimal) decimalAt = last;
    raw =
      decimalAt >= 0
        ? `${raw.slice(0, decimalAt).replace(/[.,]/g, '')}.${raw.slice(decimalAt + 1)}`
        : raw.replace(/[.,]/g, '');
    values.push(String(Number(raw)));
  }
  return values;
}

/** The links of a text (Markdown or plain), as written. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(urlPattern)].map((match) => match[0]);
}

const months: Record<string, number> = {};
[
  ['january', 'janvier', 'jan'],
  ['february', 'février', 'fevrier', 'feb', 'fév', 'fev'],
  ['march', 'mars', 'mar'],
  ['april', 'avril', 'apr', 'avr'],
  ['may', 'mai'],
  ['june', 'juin', 'jun'],
  ['july', 'juillet', 'jul', 'juil'],
  ['august', 'août', 'aout', 'aug'],
  ['september', 'septembre', 'sep', 'sept'],
  ['october', 'octobre', 'oct'],
  ['november', 'novembre', 'nov'],
  ['december', 'décembre', 'decembre', 'dec', 'déc'],
].forEach((names, index) => {
  for (const name of names) months[name] = index + 1;
});
const monthNames = Object.keys(months)
  .sort((a, b) => b.length - a.length)
  .join('|');
const dayMonth = new RegExp(`\\b(\\d{1,2})(?:er|st|nd|rd|th)?\\.?\\s+(${monthNames})\\b\\.?`, 'giu');
const monthDay = new RegExp(`\\b(${monthNames})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'giu');
const isoDate = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/** The dates of a text as "month-day" (English and French month names, ISO dates). */
export function datesIn(text: string): string[] {
  const dates: string[] = [];
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(dayMonth)) dates.push(`${months[m[2] as string]}-${Number(m[1])}`);
  for (const m of lower.matchAll(monthDay)) dates.push(`${months[m[1] as string]}-${Number(m[2])}`);
  for (const m of lower.matchAll(isoDate)) dates.push(`${Number(m[2])}-${Number(m[3])}`);
  return dates;
}

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase();

// English capitalises days and months, French does not: they are dates, not names.
const calendarWords = new Set([
  ...Object.keys(months),
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);

/**
 * Names: runs of capitalised words that do not start a sentence ("Marie Dupont", "Valbrune"), and
 * names in quotation marks or guillemets of one to four capitalised words («Le Monde»). Names
 * readers recognise across languages; a translated place name ("Germany") is a warning to check.
 */
export function namesIn(text: string): string[] {
  const names = new Set<string>();
  const plain = text.replace(urlPattern, ' ').replace(/\]\([^)]*\)/g, ']');
  for (const match of plain.matchAll(/(?<![.!?:]\s|^|["«“‘(]\s?)\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)*/gu)) {
    if (match[0].length > 2 && !calendarWords.has(match[0].toLowerCase())) names.add(match[0]);
  }
  for (const match of plain.matchAll(/[«“"]\s?((?:\p{Lu}[\p{L}'’-]*\s?){1,4})\s?[»”"]/gu)) {
    names.add((match[1] as string).trim());
  }
  // "Monde" found inside «Le Monde» is the same name.
  return [...names].filter((name) => ![...names].some((other) => other !== name && other.includes(name)));
}

/** True when `name` comes through: one of its words (translated names keep one: "Union"). */
function nameKept(name: string, targetFolded: string): boolean {
  const words = fold(name)
    .split(/[\s'’-]+/)
    .filter((word) => word.length > 3);
  return (words.length === 0 ? [fold(name)] : words).some((word) =>
    new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, 'u').test(targetFolded),
  );
}

// ---------------------------------------------------------------------------------------------
// Aligning the blocks by content, to tell a dropped block from a merged or duplicated one.

interface Features {
  text: string;
  length: number;
  tokens: Set<string>;
}

function featuresOf(text: string, language: string): Features {
  const tokens = new Set<string>([
    ...numbersIn(text, language).map((n) => `#${n}`),
    ...linksIn(text).map((l) => `@${l}`),
    ...namesIn(text).map((n) => `$${fold(n)}`),
  ]);
  return { text, length: text.length, tokens };
}

/** 0..1: how likely `target` is the translation of `source`, given the overall length ratio. */
function similarity(source: Features, target: Features, ratio: number): number {
  const expected = source.length * ratio;
  const lengths = Math.min(expected, target.length) / Math.max(expected, target.length, 1);
  const union = new Set([...source.tokens, ...target.tokens]);
  if (union.size === 0) return lengths;
  let shared = 0;
  for (const token of source.tokens) if (target.tokens.has(token)) shared++;
  return 0.4 * lengths + 0.6 * (shared / union.size);
}

function joined(a: Features, b: Features): Features {
  return { text: `${a.text} ${b.text}`, length: a.length + b.length + 1, tokens: new Set([...a.tokens, ...b.tokens]) };
}

type Step =
  | { op: 'match'; source: number; target: number }
  | { op: 'drop'; source: number }
  | { op: 'insert'; target: number }
  | { op: 'merge'; source: number; target: number }
  | { op: 'split'; source: number; target: number };

// A lone block costs more than a poor match, so equal counts align one to one; merging or
// splitting costs a little, so it wins only where the lengths and names say so.
const lonePenalty = 0.45;
const joinPenalty = 0.35;

/** The best alignment of source and target blocks (dynamic programming over the two lists). */
function align(source: Features[], target: Features[], ratio: number): Step[] {
  const m = source.length;
  const n = target.length;
  const score: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(-Infinity));
  const back: (Step['op'] | null)[][] = Array.from({ length: m + 1 }, () => new Array(n + 1).fill(null));
  score[0]![0] = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      const here = score[i]![j]!;
      if (here === -Infinity) continue;
      const offer = (ii: number, jj: number, value: number, op: Step['op']) => {
        if (ii <= m && jj <= n && value > score[ii]![jj]!) {
          score[ii]![jj] = value;
          back[ii]![jj] = op;
        }
      };
      if (i < m && j < n) offer(i + 1, j + 1, here + similarity(source[i]!, target[j]!, ratio), 'match');
      if (i < m) offer(i + 1, j, here - lonePenalty, 'drop');
      if (j < n) offer(i, j + 1, here - lonePenalty, 'insert');
      if (i + 1 < m && j < n)
        offer(
          i + 2,
          j + 1,
          here + similarity(joined(source[i]!, source[i + 1]!), target[j]!, ratio) - joinPenalty,
          'merge',
        );
      // Twice the same text is a duplicate, never one block split in two.
      if (i < m && j + 1 < n && fold(target[j]!.text).trim() !== fold(target[j + 1]!.text).trim())
        offer(
          i + 1,
          j + 2,
          here + similarity(source[i]!, joined(target[j]!, target[j + 1]!), ratio) - joinPenalty,
          'split',
        );
    }
  }
  const steps: Step[] = [];
  // How far back each operation moves in the source and the target.
  const moves: Record<Step['op'], [number, number]> = {
    match: [1, 1],
    drop: [1, 0],
    insert: [0, 1],
    merge: [2, 1],
    split: [1, 2],
  };
  let i = m;
  let j = n;
  while (i > 0 || j > 0) {
    const op = back[i]![j];
    if (!op) break;
    i -= moves[op][0];
    j -= moves[op][1];
    if (op === 'drop') steps.push({ op, source: i });
    else if (op === 'insert') steps.push({ op, target: j });
    else steps.push({ op, source: i, target: j });
  }
  return steps.reverse();
}

// ---------------------------------------------------------------------------------------------

const terminal = /[.!?…:;»"”’)\]*_]$/u;
const startsSentence = (text: string) => /^[\s*_[("«“‘¿¡-]*[\p{Lu}\d]/u.test(text);
const startsLower = (text: string) => /^[\s*_[("«“‘¿¡]*\p{Ll}/u.test(text);

export interface FidelityInput {
  source: GateBlock[];
  target: GateBlock[];
  sourceLanguage: string;
  targetLanguage: string;
}

/** Every finding of the gate, in the order of the translation's blocks. */
export function fidelityGate(input: FidelityInput): FidelityFinding[] {
  const { source, target, sourceLanguage, targetLanguage } = input;
  const sourceFeatures = source.map((block) => featuresOf(blockText(block), sourceLanguage));
  const targetFeatures = target.map((block) => featuresOf(blockText(block), targetLanguage));
  const total = (features: Features[]) => features.reduce((sum, f) => sum + f.length, 0);
  const ratio = total(sourceFeatures) > 0 ? Math.max(total(targetFeatures), 1) / total(sourceFeatures) : 1;
  const findings: FidelityFinding[] = [];

  target.forEach((block, index) => {
    if (blockText(block).trim() === '') findings.push(finding('BLOCK_EMPTY', { paragraph: index + 1 }));
  });
  const steps = align(sourceFeatures, targetFeatures, ratio);
  const matchedTarget = new Map<number, number>();
  for (const step of steps) if (step.op === 'match') matchedTarget.set(step.target, step.source);
  // How much longer a block gets in translation, from the pairs themselves (the median, so a
  // truncated or lost block does not move it).
  const pairRatios = [...matchedTarget]
    .filter(([t, s]) => sourceFeatures[s]!.length > 0 && targetFeatures[t]!.length > 0)
    .map(([t, s]) => targetFeatures[t]!.length / sourceFeatures[s]!.length)
    .sort((a, b) => a - b);
  const blockRatio = pairRatios.length > 0 ? (pairRatios[Math.floor(pairRatios.length / 2)] as number) : ratio;

  for (const step of steps) {
    if (step.op === 'drop') {
      findings.push(
        finding('BLOCK_DROPPED', { sourceParagraph: step.source + 1, excerpt: cut(sourceFeatures[step.source]!.text) }),
      );
    } else if (step.op === 'merge') {
      findings.push(
        finding('BLOCKS_MERGED', {
          paragraph: step.target + 1,
          sourceParagraph: step.source + 1,
          excerpt: cut(targetFeatures[step.target]!.text),
        }),
      );
    } else if (step.op === 'split') {
      findings.push(
        finding('BLOCK_SPLIT', {
          paragraph: step.target + 1,
          sourceParagraph: step.source + 1,
          excerpt: cut(sourceFeatures[step.source]!.text),
        }),
      );
    } else if (step.op === 'insert') {
      const text = fold(targetFeatures[step.target]!.text).trim();
      if (text === '') continue; // already BLOCK_EMPTY
      const twin = targetFeatures.findIndex((other, at) => at !== step.target && fold(other.text).trim() === text);
      const neighbour = [step.target - 1, step.target + 1].find(
        (at) =>
          matchedTarget.has(at) &&
          similarity(sourceFeatures[matchedTarget.get(at)!]!, targetFeatures[step.target]!, ratio) > 0.8,
      );
      const duplicateOf =
        twin >= 0 ? matchedTarget.get(twin) : neighbour !== undefined ? matchedTarget.get(neighbour) : undefined;
      findings.push(
        twin >= 0 || neighbour !== undefined
          ? finding('BLOCK_DUPLICATED', {
              // Of two copies, the later one is the duplicate.
              paragraph: Math.max(step.target, twin) + 1,
              ...(duplicateOf !== undefined ? { sourceParagraph: duplicateOf + 1 } : {}),
              excerpt: cut(targetFeatures[step.target]!.text),
            })
          : finding('BLOCK_ADDED', { paragraph: step.target + 1, excerpt: cut(targetFeatures[step.target]!.text) }),
      );
    } else {
      findings.push(...pairFindings(step.source, step.target));
    }
  }
  return findings.sort((a, b) => (a.paragraph ?? a.sourceParagraph ?? 0) - (b.paragraph ?? b.sourceParagraph ?? 0));

  function pairFindings(s: number, t: number): FidelityFinding[] {
    const from = source[s]!;
    const to = target[t]!;
    const sourceText = sourceFeatures[s]!.text.trim();
    const targetText = targetFeatures[t]!.text.trim();
    const where = { paragraph: t + 1, sourceParagraph: s + 1 };
    if (targetText === '') return [];
    const out: FidelityFinding[] = [];
    if (from.kind !== to.kind)
      out.push(finding('BLOCK_KIND_CHANGED', { ...where, excerpt: `${from.kind} → ${to.kind}` }));
    const missing = (wanted: string[], present: string[]) => {
      const left = [...present];
      return wanted.filter((item) => {
        const at = left.indexOf(item);
        if (at >= 0) left.splice(at, 1);
        return at < 0;
      });
    };
    const targetNumbers = numbersIn(targetText, targetLanguage);
    for (const number of new Set(missing(numbersIn(sourceText, sourceLanguage), targetNumbers)))
      out.push(finding('NUMBER_MISSING', { ...where, excerpt: number }));
    for (const date of new Set(missing(datesIn(sourceText), datesIn(targetText))))
      out.push(finding('DATE_MISSING', { ...where, excerpt: date }));
    for (const link of new Set(missing(linksIn(sourceText), linksIn(targetText))))
      out.push(finding('LINK_MISSING', { ...where, excerpt: link }));
    const targetFolded = fold(targetText);
    for (const name of namesIn(sourceText))
      if (!nameKept(name, targetFolded)) out.push(finding('NAME_MISSING', { ...where, excerpt: name }));
    if (startsSentence(sourceText) && startsLower(targetText))
      out.push(finding('STARTS_MID_SENTENCE', { ...where, excerpt: cut(targetText, 40) }));
    if (terminal.test(sourceText) && !terminal.test(targetText)) {
      // Much shorter than the source would make it, and no full stop: text was lost at the end.
      const expected = sourceText.length * blockRatio;
      const code = targetText.length < 0.7 * expected ? 'BLOCK_TRUNCATED' : 'ENDS_CUT';
      out.push(finding(code, { ...where, excerpt: `…${targetText.slice(-40).trimStart()}` }));
    }
    return out;
  }
}

/** The gate on two Markdown bodies, split into blocks as preflight splits them. */
export function fidelityOfMarkdown(
  sourceMarkdown: string,
  targetMarkdown: string,
  languages: { from: string; to: string },
): FidelityFinding[] {
  return fidelityGate({
    source: markdownBlocks(sourceMarkdown),
    target: markdownBlocks(targetMarkdown),
    sourceLanguage: languages.from,
    targetLanguage: languages.to,
  });
}

/** True when no finding stops publication. */
export function passesGate(findings: FidelityFinding[]): boolean {
  return findings.every((f) => f.severity !== 'blocking');
}
