/**
 * Checks a story before publication for the defects a careless pipeline leaves behind (the seed
 * page shows each of them): paragraphs that start mid-sentence because text was lost at a break or
 * a link, stray capitals and broken sentences from a naive translation, the headline repeated as
 * filler, and missing byline, date, credit or alt text. Each finding points at a paragraph and
 * quotes the words, so an editor can fix it before readers see it.
 */

export type FindingCode =
  | 'PARAGRAPH_STARTS_MID_SENTENCE'
  | 'PARAGRAPH_STARTS_WITH_FRAGMENT'
  | 'SENTENCE_BROKEN_BY_FULL_STOP'
  | 'STRAY_CAPITAL'
  | 'HEADLINE_REPEATED_IN_BODY'
  | 'NO_BYLINE'
  | 'NO_SOURCE_CREDIT'
  | 'IMAGE_WITHOUT_ALT'
  | 'EMPTY_BODY';

export interface Finding {
  code: FindingCode;
  /**
   * Blocking findings stop publication (a story without byline, credit or alt text); warnings
   * about the text are shown with the words in question and the editor decides.
   */
  severity: 'blocking' | 'warning';
  /** 1-based paragraph number, when the finding is in the body. */
  paragraph?: number;
  /** The words in question, quoted from the text. */
  excerpt?: string;
}

export interface PreflightInput {
  language: string;
  headline: string;
  bodyMarkdown: string;
  authorCount: number;
  /** True for wire or partner copy (it came from a feed, a URL or a file). */
  syndicated: boolean;
  hasSourceCredit: boolean;
  images: { alt: string }[];
}

// Capitals that betray a naive translation in the middle of a sentence (after a lower-case word):
// an article or determiner before a common noun ("a approuvé La politique" — "La Haye" is left
// alone, its noun is capitalised), and day and month names the language writes in lower case.
const strayCapitals: Record<string, RegExp[]> = {
  fr: [
    /(?<=\p{Ll}[,;]?\s)(?:La|Le|Les|Un|Une|Des|Du)\s+(?=\p{Ll})/gu,
    /(?<=\p{Ll}[,;]?\s)(?:Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche|Janvier|Février|Avril|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre)\b/gu,
  ],
  en: [/(?<=\p{Ll}[,;]?\s)(?:The|An)\s+(?=\p{Ll})/gu],
};

/**
 * Splits Markdown into its text paragraphs (headings, quotes and lists are paragraphs too). The
 * paragraph numbers of findings, and the translation desk's side by side, count these.
 */
export function paragraphsOf(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block.length > 0);
}

/** The paragraph's text as a reader sees its start: Markdown markers and escapes removed. */
function visibleStart(paragraph: string): string {
  return paragraph
    .replace(/^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/, '')
    .replace(/^\\(?=[-*+#>])/, '')
    .replace(/^[*_[("«“‘\s]+/u, '');
}

function excerpt(text: string, at: number, length = 60): string {
  const start = Math.max(0, at - 20);
  return `${start > 0 ? '…' : ''}${text.slice(start, start + length).trim()}${start + length < text.length ? '…' : ''}`;
}

const normalize = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

export function preflight(input: PreflightInput): Finding[] {
  const findings: Finding[] = [];
  const paragraphs = paragraphsOf(input.bodyMarkdown);
  if (paragraphs.length === 0) findings.push({ code: 'EMPTY_BODY', severity: 'blocking' });

  paragraphs.forEach((paragraph, index) => {
    const number = index + 1;
    const isListItem = /^(?:[-*+]\s|\d+[.)]\s)/.test(paragraph);
    const start = visibleStart(paragraph);
    const first = start.charAt(0);
    if (!isListItem && /^-\p{L}/u.test(start)) {
      // "-puissances armées…": the end of a hyphenated word whose start was lost.
      findings.push({
        code: 'PARAGRAPH_STARTS_WITH_FRAGMENT',
        severity: 'warning',
        paragraph: number,
        excerpt: excerpt(start, 0),
      });
    } else if (!isListItem && first !== '' && first === first.toLowerCase() && first !== first.toUpperCase()) {
      // A warning, not a block: some paragraphs rightly start in lower case ("iPhone", "eBay").
      findings.push({
        code: 'PARAGRAPH_STARTS_MID_SENTENCE',
        severity: 'warning',
        paragraph: number,
        excerpt: excerpt(start, 0),
      });
    }

    // "trop dépendante. sur son voisin": a full stop followed by a lower-case word.
    for (const match of paragraph.matchAll(/[\p{L}\d][.!?]\s+(\p{Ll}\p{L}*)/gu)) {
      const before = paragraph.slice(Math.max(0, (match.index ?? 0) - 4), (match.index ?? 0) + 1);
      // Abbreviations (etc., p. ex., e.g., i.e., vs., M.) legitimately precede lower case.
      if (/(?:etc|ex|vs|cf|\be\.g|\bi\.e|\bp|\bM|\bSt)$/i.test(before)) continue;
      findings.push({
        code: 'SENTENCE_BROKEN_BY_FULL_STOP',
        severity: 'warning',
        paragraph: number,
        excerpt: excerpt(paragraph, match.index ?? 0),
      });
    }

    for (const pattern of strayCapitals[input.language.split('-')[0] ?? ''] ?? []) {
      for (const match of paragraph.matchAll(pattern)) {
        findings.push({
          code: 'STRAY_CAPITAL',
          severity: 'warning',
          paragraph: number,
          excerpt: excerpt(paragraph, match.index ?? 0),
        });
      }
    }
  });

  const headline = normalize(input.headline);
  if (headline.length > 0) {
    paragraphs.forEach((paragraph, index) => {
      if (normalize(paragraph) === headline) {
        findings.push({
          code: 'HEADLINE_REPEATED_IN_BODY',
          severity: 'warning',
          paragraph: index + 1,
          excerpt: input.headline,
        });
      }
    });
  }
  if (input.authorCount === 0) findings.push({ code: 'NO_BYLINE', severity: 'blocking' });
  if (input.syndicated && !input.hasSourceCredit) findings.push({ code: 'NO_SOURCE_CREDIT', severity: 'blocking' });
  input.images.forEach((image, index) => {
    if (image.alt.trim() === '')
      findings.push({ code: 'IMAGE_WITHOUT_ALT', severity: 'blocking', excerpt: `#${index + 1}` });
  });
  return findings;
}

/** True when nothing blocks publication. */
export function isPublishable(findings: Finding[]): boolean {
  return findings.every((finding) => finding.severity !== 'blocking');
}
