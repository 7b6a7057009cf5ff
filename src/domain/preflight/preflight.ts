/**
 * Checks a story before publication for the defects a careless pipeline leaves behind (the seed
 * page shows each of them): paragraphs that start mid-sentence because text was lost at a break or
 * a link, stray capitals and broken sentences from a naive translation, the headline repeated as
 * filler, and missing byline, date, credit or alt text. Each finding points at a paragraph and
 * quotes the words, so an editor can fix it before readers see it.
 */

import { isBoilerplate } from './boilerplate.js';
import { foreignLanguageOf } from './language-profile.js';

export type FindingCode =
  | 'PARAGRAPH_STARTS_MID_SENTENCE'
  | 'PARAGRAPH_STARTS_WITH_FRAGMENT'
  | 'SENTENCE_BROKEN_BY_FULL_STOP'
  | 'STRAY_CAPITAL'
  | 'HEADLINE_REPEATED_IN_BODY'
  | 'NO_BYLINE'
  | 'NO_SOURCE_CREDIT'
  | 'IMAGE_WITHOUT_ALT'
  | 'EMPTY_BODY'
  // Wire desk (issue 12): the credit's link, and the source site's chrome and language left behind.
  | 'NO_ORIGINAL_URL'
  | 'NO_DATE'
  | 'SOURCE_SITE_CHROME'
  | 'PARAGRAPH_IN_OTHER_LANGUAGE'
  | 'SENTENCE_STARTS_WITH_FRAGMENT'
  | 'SENTENCE_START_LOST'
  | 'QUOTE_CLOSED_WITHOUT_OPENING'
  | 'PARAGRAPH_TOO_LONG'
  | 'AGREEMENT_ERROR'
  | 'WRONG_PREPOSITION'
  | 'FRENCH_QUOTE_SPACING'
  | 'IMAGE_WITHOUT_CREDIT'
  // Issue 14: sponsored content names who paid for it.
  | 'NO_SPONSOR';

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
  /**
   * Whether wire copy links to the original (the source's URL): required with the credit. Left
   * out, it is taken as present, for callers that know nothing of it.
   */
  hasOriginalUrl?: boolean;
  /**
   * Whether the story carries its date. Left out where publication sets the date (the editor); a
   * file or a page checked on its own says false when it has none.
   */
  hasDate?: boolean;
  /**
   * The sponsor of a sponsored story ("Sponsored by …"): undefined when the story is not
   * sponsored (nothing to check), empty when it is and names nobody (blocking, decision 0057).
   */
  sponsor?: string;
  /** `credit` left out means unknown (not checked); an empty credit is flagged. */
  images: { alt: string; credit?: string }[];
}

// Capitals that betray a naive translation in the middle of a sentence (after a lower-case word):
// an article or determiner before a common noun ("a approuvé La politique" — "La Haye" is left
// alone, its noun is capitalised), and day and month names the language writes in lower case.
const strayCapitals: Record<string, RegExp[]> = {
  fr: [
    /(?<=\p{Ll}[,;]?\s)(?:La|Le|Les|Un|Une|Des|Du)\s+(?=\p{Ll})/gu,
    // "du Époque": a capitalised word after a determiner that should have been elided before it.
    /(?<=(?:^|\s)(?:du|au|le|la)\s)(?!Une?\b|Onze\b|Ou)[AEIOUÉÈÊÀÂÎÔÛ]\p{Ll}+/gu,
    // "s'opposer à Discussion du Conseil": a common noun (by its ending) capitalised after a
    // preposition, with no article between them.
    /(?<=(?:^|\s)(?:à|de|pour|sur|avec|par|contre|dans|sans|vers|chez|entre)\s)\p{Lu}\p{Ll}{2,}(?:tion|sion|ité|isme|ement|itude)s?\b/gu,
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

// Words that open a French sentence without a determiner before them: function words, adverbs,
// days and months, and the few bare nouns French journalism opens on ("Résultat : …"). A sentence
// that opens on any other capitalised word, used nowhere else in the story, and goes on with a
// preposition or a name and a comma ("Brésil en novembre 2019, …", "Programme Asie-Pacifique,
// avant le sommet.") has lost its start: French puts an article before a country or a noun.
const frenchOpeners = new Set(
  `le la les l un une des du de d au aux ce cet cette ces c celui celle ceux celles il elle ils elles on nous vous
  je j tu qui que qu quoi quand comme si s mais et ou donc or ni car lors lorsque lorsqu alors ainsi aussi après
  avant depuis pendant dans en à sur sous pour par avec sans selon malgré contre entre vers chez parmi dès
  jusqu jusque outre tout toute tous toutes chaque plusieurs certains certaines aucun aucune son sa ses leur leurs
  mon ma mes notre nos votre vos cela ceci ça y là ici enfin puis ensuite bien pourtant cependant toutefois
  néanmoins également encore déjà même seul seule seuls plus moins très trop peu beaucoup parfois souvent
  toujours jamais hier aujourd demain désormais face près loin hors grâce quant non oui voici voilà reste
  résultat objectif conséquence preuve signe bref certes mieux pire surtout notamment seulement sinon parce
  autre autres nul nulle faute rien personne chacun chacune nombre suite afin histoire question côté
  direction place cap tant autant peut merci bienvenue attention quelque quelques quel quelle quels quelles combien pourquoi comment où
  lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
  septembre octobre novembre décembre`.split(/\s+/),
);
const frenchPrepositions = /^(?:en|de|du|des|à|au|aux|dans|sur|pour|avec|par|depuis|lors|contre|entre|vers|chez)$/;

// Abbreviations that rightly precede lower case after their full stop.
const abbreviation =
  /(?:\betc|\bex|\bvs|\bcf|\be\.g|\bi\.e|\bp|\bM|\bMM|\bSt|\bCorp|\bInc|\bLtd|\bCo|\bDr|\bMme|\bMr|\bMrs|\bJr|\bSr|\bav|\bapr|\bJ\.-C|\bn°|\bNo|\bart|\bvol|\bed|\béd|\bchap|\bfig|\benv)$/i;

// A paragraph this long is the source's paragraphs run together: a wire story's paragraphs are
// one to three sentences, and a reader's eye needs a break long before this.
const longParagraphWords = 250;

// Agreement a naive translation breaks (fr): feminine nouns by their ending after a masculine or
// bare "tous" ("exhorté tous nations"), and a list of names joined by "et" before a singular
// pronominal verb ("l’Australie, le Canada et le Royaume-Uni se joint").
const frenchAgreement = [
  /(?<=^|[\s(])(?:tous\s+(?!les\b|ces\b|ses\b|nos\b|vos\b|leurs\b|mes\b|tes\b)\p{Ll}+(?:tions|sions|ités)|(?:le|un|du|au|ce)\s+(?!bastion|cation)\p{Ll}+(?:tion|sion|ité))\b/gu,
  /,\s+(?:le|la|les|l[’'])\s*\p{Lu}[\p{L}-]*\s+et\s+(?:le|la|les|l[’'])\s*\p{Lu}[\p{L}-]*\s+se\s+(?!sont\b|font\b)\p{Ll}+(?<!ent)\b/gu,
];

// Verbs that take "à" before an infinitive, written with "pour" by a word-for-word translation
// ("incite Moscou pour « accélérer la coopération »").
const frenchWrongPreposition =
  /\b(?:incit|encourag|exhort|contraign|oblig)\p{Ll}*\s+(?:\p{Lu}[\p{L}-]+\s+|(?:les?|la|l[’'])\s*\p{L}+\s+)?pour\s+(?:[«“"]\s*)?\p{Ll}+(?:er|ir|re)\b/gu;

/** A paragraph's sentences, split after . ! ? … (the split sentence-level checks count). */
function sentencesOf(paragraph: string): string[] {
  return paragraph
    .split(/(?<=[.!?…])\s+(?=\S)/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** Capitalised words used somewhere other than a sentence's first word: the story's names. */
function namesIn(texts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/(?<![.!?…]\s*|^\s*)(?<=[\s’'(«“-])\p{Lu}[\p{L}]*/gu)) names.add(match[0]);
  }
  return names;
}

/** Segments of a paragraph for the chrome table: sentences, also split at ":" "|" "•" "›". */
function segmentsOf(paragraph: string): string[] {
  return paragraph
    .split(/(?<=[.!?…:|•·›])\s+/)
    .map((segment) => segment.replace(/^[»”)\]]\s*/, '').trim())
    .filter(Boolean);
}

/**
 * The words of the source site's chrome in a paragraph: the whole paragraph, or its first or last
 * sentences, made of boilerplate-table phrases only. Null when there are none.
 */
function chromeIn(paragraph: string): string | null {
  const segments = segmentsOf(visibleStart(paragraph));
  const chrome = segments.map(isBoilerplate);
  if (chrome.every(Boolean)) return segments.join(' ');
  let first = 0;
  while (chrome[first]) first++;
  let last = segments.length;
  while (chrome[last - 1]) last--;
  const found = [segments.slice(0, first).join(' '), segments.slice(last).join(' ')].filter(Boolean);
  return found.length > 0 ? found.join(' … ') : null;
}

function lostSentenceStart(sentence: string, names: Set<string>): boolean {
  const words = visibleStart(sentence).split(/\s+/);
  const [first = '', second = ''] = words;
  const word = first.replace(/[,;:.]+$/, '');
  if (!/^\p{Lu}\p{Ll}/u.test(word) || frenchOpeners.has(word.toLowerCase().split(/[’']/)[0] ?? '')) return false;
  if (names.has(word) || first !== word) return false;
  if (frenchPrepositions.test(second)) return true;
  // "Programme Asie-Pacifique, avant le sommet.": a short sentence made of a name and a
  // circumstance, left of a longer one ("…, du Programme Asie-Pacifique, avant le sommet"). An
  // apposition ("Wang Yi, le ministre…, a déclaré") or a signature line has no such circumstance.
  return (
    words.length <= 10 &&
    /^\p{Lu}[\p{L}-]*,$/u.test(second) &&
    /^(?:avant|après|selon|lors|pendant|depuis|dans|à|en|au|aux|sur|pour|avec|par)$/.test(words[2] ?? '')
  );
}

/** Closing quotation marks with no opening one before them in the paragraph (its start was lost). */
function quotesClosedWithoutOpening(paragraph: string): number[] {
  const found: number[] = [];
  let depth = 0;
  for (const match of paragraph.matchAll(/[«»“”]/g)) {
    if (match[0] === '«' || match[0] === '“') depth++;
    else if (depth === 0) found.push(match.index ?? 0);
    else depth--;
  }
  return found;
}

export function preflight(input: PreflightInput): Finding[] {
  const findings: Finding[] = [];
  const warn = (code: FindingCode, paragraph: number, words: string) =>
    findings.push({ code, severity: 'warning', paragraph, excerpt: words });
  const language = input.language.split('-')[0]?.toLowerCase() ?? '';
  const paragraphs = paragraphsOf(input.bodyMarkdown);
  if (paragraphs.length === 0) findings.push({ code: 'EMPTY_BODY', severity: 'blocking' });
  const names = namesIn([input.headline, ...paragraphs]);

  paragraphs.forEach((paragraph, index) => {
    const number = index + 1;
    const isListItem = /^(?:[-*+]\s|\d+[.)]\s)/.test(paragraph);
    const start = visibleStart(paragraph);
    const first = start.charAt(0);
    if (!isListItem && /^-\p{L}/u.test(start)) {
      // "-puissances armées…": the end of a hyphenated word whose start was lost.
      warn('PARAGRAPH_STARTS_WITH_FRAGMENT', number, excerpt(start, 0));
    } else if (!isListItem && first !== '' && first === first.toLowerCase() && first !== first.toUpperCase()) {
      // A warning, not a block: some paragraphs rightly start in lower case ("iPhone", "eBay").
      warn('PARAGRAPH_STARTS_MID_SENTENCE', number, excerpt(start, 0));
    }

    // "trop dépendante. sur son voisin": a full stop followed by a lower-case word.
    for (const match of paragraph.matchAll(/[\p{L}\d][.!?]\s+(\p{Ll}\p{L}*)/gu)) {
      const before = paragraph.slice(Math.max(0, (match.index ?? 0) - 5), (match.index ?? 0) + 1);
      if (abbreviation.test(before)) continue;
      warn('SENTENCE_BROKEN_BY_FULL_STOP', number, excerpt(paragraph, match.index ?? 0));
    }
    // "nucléaires. -puissances armées": a sentence that opens on the end of a cut word.
    for (const match of paragraph.matchAll(/[\p{L}\d)»][.!?]\s+-\p{L}/gu)) {
      warn('SENTENCE_STARTS_WITH_FRAGMENT', number, excerpt(paragraph, match.index ?? 0));
    }

    for (const pattern of strayCapitals[language] ?? []) {
      for (const match of paragraph.matchAll(pattern)) {
        warn('STRAY_CAPITAL', number, excerpt(paragraph, match.index ?? 0));
      }
    }
    if (language === 'fr') {
      for (const sentence of sentencesOf(paragraph)) {
        if (lostSentenceStart(sentence, names)) warn('SENTENCE_START_LOST', number, excerpt(sentence, 0, 80));
      }
      for (const pattern of frenchAgreement) {
        for (const match of paragraph.matchAll(pattern)) {
          warn('AGREEMENT_ERROR', number, excerpt(paragraph, match.index ?? 0));
        }
      }
      for (const match of paragraph.matchAll(frenchWrongPreposition)) {
        warn('WRONG_PREPOSITION', number, excerpt(paragraph, match.index ?? 0));
      }
      // French sets its guillemets apart with a (thin) space: «sérieusement préoccupées» was pasted
      // from a source that does not, and the story's other quotes do.
      for (const match of paragraph.matchAll(/«([^«»]*)»/g)) {
        if (/^\s|^$/.test(match[1] ?? '') && /\s$|^$/.test(match[1] ?? '')) continue;
        warn('FRENCH_QUOTE_SPACING', number, excerpt(paragraph, match.index ?? 0));
      }
    }
    for (const at of quotesClosedWithoutOpening(paragraph)) {
      warn('QUOTE_CLOSED_WITHOUT_OPENING', number, excerpt(paragraph, Math.max(0, at - 30)));
    }

    const chrome = chromeIn(paragraph);
    if (chrome !== null) warn('SOURCE_SITE_CHROME', number, chrome);
    const text = paragraph.replace(/^(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)/, '');
    if (!paragraph.startsWith('>') && foreignLanguageOf(text, language) !== null) {
      warn('PARAGRAPH_IN_OTHER_LANGUAGE', number, excerpt(start, 0));
    }
    const wordCount = paragraph.split(/\s+/).length;
    if (wordCount > longParagraphWords) warn('PARAGRAPH_TOO_LONG', number, excerpt(start, 0));
  });

  const headline = normalize(input.headline);
  if (headline.length > 0) {
    paragraphs.forEach((paragraph, index) => {
      if (normalize(paragraph) === headline) warn('HEADLINE_REPEATED_IN_BODY', index + 1, input.headline);
    });
  }
  if (input.authorCount === 0) findings.push({ code: 'NO_BYLINE', severity: 'blocking' });
  if (input.hasDate === false) findings.push({ code: 'NO_DATE', severity: 'blocking' });
  if (input.syndicated && !input.hasSourceCredit) findings.push({ code: 'NO_SOURCE_CREDIT', severity: 'blocking' });
  if (input.syndicated && input.hasOriginalUrl === false) {
    findings.push({ code: 'NO_ORIGINAL_URL', severity: 'blocking' });
  }
  if (input.sponsor !== undefined && input.sponsor.trim() === '') {
    findings.push({ code: 'NO_SPONSOR', severity: 'blocking' });
  }
  input.images.forEach((image, index) => {
    if (image.alt.trim() === '')
      findings.push({ code: 'IMAGE_WITHOUT_ALT', severity: 'blocking', excerpt: `#${index + 1}` });
    if (image.credit !== undefined && image.credit.trim() === '')
      findings.push({ code: 'IMAGE_WITHOUT_CREDIT', severity: 'warning', excerpt: `#${index + 1}` });
  });
  return findings;
}

/** True when nothing blocks publication. */
export function isPublishable(findings: Finding[]): boolean {
  return findings.every((finding) => finding.severity !== 'blocking');
}
