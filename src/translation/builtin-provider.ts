import type { TranslationProvider } from '../domain/translations/translation-provider.js';

/**
 * A deterministic stand-in for machine translation, for tests and the demo: English ↔ French by a
 * small dictionary of common phrases and words. Numbers (with the target's decimal mark), links,
 * Markdown link targets, names and quotations come through untouched, so its output reads as a
 * plausible rough draft — word for word, not a translator. The admin calls it "built-in (demo)".
 */
export function createBuiltinProvider(): TranslationProvider {
  return {
    name: 'builtin',
    label: 'built-in (demo)',
    async translate(texts, from, to) {
      return texts.map((text) => translateText(text, from.split('-')[0] ?? from, to.split('-')[0] ?? to));
    },
  };
}

// Phrases first (longest first), then words. Lower case; the case of the source is put back.
const enFrPhrases: [string, string][] = [
  ['according to', 'selon'],
  ['at least', 'au moins'],
  ['more than', 'plus de'],
  ['less than', 'moins de'],
  ['on monday', 'lundi'],
  ['on tuesday', 'mardi'],
  ['on wednesday', 'mercredi'],
  ['on thursday', 'jeudi'],
  ['on friday', 'vendredi'],
  ['on saturday', 'samedi'],
  ['on sunday', 'dimanche'],
  ['per cent', 'pour cent'],
  ['percent', 'pour cent'],
  ['the government', 'le gouvernement'],
  ['the city', 'la ville'],
  ['the country', 'le pays'],
  ['the bridge', 'le pont'],
  ['the market', 'le marché'],
  ['the mayor', 'le maire'],
  ['the council', 'le conseil'],
  ['the region', 'la région'],
  ['the people', 'les gens'],
  ['the river', 'la rivière'],
  ['the first', 'le premier'],
  ['the last', 'le dernier'],
  ['the new', 'le nouveau'],
  ['last year', 'l’an dernier'],
  ['next year', 'l’an prochain'],
  ['last week', 'la semaine dernière'],
  ['next week', 'la semaine prochaine'],
  ['this year', 'cette année'],
  ['said that', 'a dit que'],
  ['will be', 'sera'],
  ['has been', 'a été'],
  ['have been', 'ont été'],
  ['there is', 'il y a'],
  ['there are', 'il y a'],
  ['in order to', 'afin de'],
  ['as well as', 'ainsi que'],
];

const enFrWords: Record<string, string> = {
  the: 'le',
  a: 'un',
  an: 'un',
  and: 'et',
  or: 'ou',
  but: 'mais',
  of: 'de',
  in: 'dans',
  on: 'sur',
  at: 'à',
  to: 'à',
  for: 'pour',
  with: 'avec',
  without: 'sans',
  from: 'de',
  by: 'par',
  after: 'après',
  before: 'avant',
  during: 'pendant',
  between: 'entre',
  about: 'environ',
  over: 'plus de',
  under: 'sous',
  since: 'depuis',
  is: 'est',
  are: 'sont',
  was: 'était',
  were: 'étaient',
  has: 'a',
  have: 'ont',
  had: 'avait',
  will: 'va',
  would: 'serait',
  can: 'peut',
  could: 'pourrait',
  not: 'pas',
  no: 'aucun',
  this: 'ce',
  that: 'que',
  these: 'ces',
  those: 'ceux',
  it: 'il',
  its: 'son',
  they: 'ils',
  their: 'leur',
  he: 'il',
  she: 'elle',
  his: 'son',
  her: 'sa',
  we: 'nous',
  our: 'notre',
  who: 'qui',
  which: 'qui',
  what: 'ce que',
  when: 'quand',
  where: 'où',
  said: 'a dit',
  says: 'dit',
  say: 'dire',
  told: 'a déclaré',
  announced: 'a annoncé',
  opened: 'a ouvert',
  reopened: 'a rouvert',
  reopens: 'rouvre',
  closed: 'a fermé',
  built: 'construit',
  new: 'nouveau',
  old: 'vieux',
  first: 'premier',
  last: 'dernier',
  year: 'année',
  years: 'ans',
  month: 'mois',
  months: 'mois',
  week: 'semaine',
  weeks: 'semaines',
  day: 'jour',
  days: 'jours',
  today: 'aujourd’hui',
  yesterday: 'hier',
  tomorrow: 'demain',
  people: 'personnes',
  residents: 'habitants',
  city: 'ville',
  town: 'ville',
  country: 'pays',
  government: 'gouvernement',
  minister: 'ministre',
  mayor: 'maire',
  council: 'conseil',
  police: 'police',
  school: 'école',
  schools: 'écoles',
  market: 'marché',
  bridge: 'pont',
  river: 'rivière',
  road: 'route',
  work: 'travail',
  works: 'travaux',
  money: 'argent',
  price: 'prix',
  prices: 'prix',
  cost: 'coût',
  million: 'millions',
  billion: 'milliards',
  euros: 'euros',
  dollars: 'dollars',
  report: 'rapport',
  study: 'étude',
  plan: 'plan',
  project: 'projet',
  water: 'eau',
  energy: 'énergie',
  weather: 'météo',
  rain: 'pluie',
  storm: 'tempête',
  summer: 'été',
  winter: 'hiver',
  and_: 'et',
  more: 'plus',
  most: 'la plupart',
  many: 'beaucoup de',
  some: 'certains',
  all: 'tous',
  other: 'autre',
  others: 'autres',
  only: 'seulement',
  also: 'aussi',
  still: 'encore',
  again: 'à nouveau',
  very: 'très',
  now: 'maintenant',
  local: 'local',
  public: 'public',
  national: 'national',
  big: 'grand',
  large: 'grand',
  small: 'petit',
  good: 'bon',
  bad: 'mauvais',
  high: 'élevé',
  low: 'bas',
  open: 'ouvert',
  free: 'gratuit',
  covered: 'couvert',
  traffic: 'circulation',
  repairs: 'réparations',
  stalls: 'étals',
  visitors: 'visiteurs',
  news: 'nouvelles',
  agency: 'agence',
  statement: 'communiqué',
  spokesperson: 'porte-parole',
  officials: 'responsables',
  january: 'janvier',
  february: 'février',
  march: 'mars',
  april: 'avril',
  may: 'mai',
  june: 'juin',
  july: 'juillet',
  august: 'août',
  september: 'septembre',
  october: 'octobre',
  november: 'novembre',
  december: 'décembre',
  monday: 'lundi',
  tuesday: 'mardi',
  wednesday: 'mercredi',
  thursday: 'jeudi',
  friday: 'vendredi',
  saturday: 'samedi',
  sunday: 'dimanche',
};
delete enFrWords.and_;

// French to English: the same dictionaries read backwards, the first English word winning where
// two share a French one, plus the French forms that have no English twin above.
const frEnPhrases: [string, string][] = enFrPhrases.map(([en, fr]) => [fr, en]);
const frEnWords: Record<string, string> = {};
for (const [en, fr] of Object.entries(enFrWords)) if (!fr.includes(' ') && !(fr in frEnWords)) frEnWords[fr] = en;
Object.assign(frEnWords, {
  la: 'the',
  les: 'the',
  une: 'a',
  des: 'some',
  du: 'of the',
  au: 'to the',
  aux: 'to the',
  est: 'is',
  a: 'has',
  ont: 'have',
  dans: 'in',
  sur: 'on',
  que: 'that',
  qui: 'who',
  il: 'it',
  elle: 'she',
  nous: 'we',
  vous: 'you',
  leur: 'their',
  ses: 'its',
  cette: 'this',
  été: 'summer',
  après: 'after',
  selon: 'according to',
  depuis: 'since',
  mais: 'but',
  ou: 'or',
  pas: 'not',
  ne: '',
  plus: 'more',
  très: 'very',
});

type Dictionary = { phrases: [string, string][]; words: Record<string, string> };
const dictionaries: Record<string, Dictionary> = {
  'en>fr': { phrases: enFrPhrases, words: enFrWords },
  'fr>en': { phrases: frEnPhrases, words: frEnWords },
};

// What passes through untouched: links (bare or as Markdown targets), numbers, quotations.
const untouchable =
  /(\]\([^)]*\)|https?:\/\/\S+|\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)*|["“«][^"”»]*["”»])/gu;

function translateText(text: string, from: string, to: string): string {
  const dictionary = dictionaries[`${from}>${to}`];
  if (!dictionary || text.trim() === '') return text;
  return text
    .split(untouchable)
    .map((piece, index) => (index % 2 === 1 ? keep(piece, from, to) : translateWords(piece, dictionary)))
    .join('');
}

/** Links and quotations as they are; numbers with the target's decimal and grouping marks. */
function keep(piece: string, from: string, to: string): string {
  if (!/^\d/.test(piece)) {
    if (to === 'fr' && piece.startsWith('"')) return `« ${piece.slice(1, -1)} »`;
    if (to === 'en' && piece.startsWith('«')) return `"${piece.slice(1, -1).trim()}"`;
    return piece;
  }
  if (from === 'en' && to === 'fr') {
    // 10,000.5 → 10 000,5 (a narrow no-break space groups digits in French).
    return piece.replace(/,(?=\d{3})/g, '\u202f').replace(/\.(?=\d)/, ',');
  }
  if (from === 'fr' && to === 'en') {
    return piece.replace(/[ \u00a0\u202f](?=\d{3})/g, ',').replace(/,(?=\d+$)/, '.');
  }
  return piece;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patterns = new Map<Dictionary, RegExp>();

/** One pass over the text: at each place the longest phrase, else the word, so nothing is translated twice. */
function translateWords(piece: string, dictionary: Dictionary): string {
  let pattern = patterns.get(dictionary);
  if (!pattern) {
    const phrases = dictionary.phrases
      .map(([source]) => source)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    pattern = new RegExp(`(?<!\\p{L})(${phrases})(?!\\p{L})|(\\p{L}[\\p{L}'’-]*)`, 'giu');
    patterns.set(dictionary, pattern);
  }
  const phraseOf = new Map(dictionary.phrases);
  return piece
    .replace(pattern, (match: string, phrase: string | undefined, word: string | undefined, offset: number) => {
      const sentenceStart = /(?:^|[.!?:]\s*)$/.test(piece.slice(0, offset));
      if (phrase) {
        const translated = phraseOf.get(phrase.toLowerCase());
        return translated === undefined ? match : withCase(match, translated);
      }
      const lower = (word ?? match).toLowerCase();
      const translated = dictionary.words[lower];
      // A capitalised word inside a sentence is a name and stays.
      if (translated === undefined || (match !== lower && !sentenceStart)) return match;
      return withCase(match, translated);
    })
    .replace(/ {2,}/g, ' ');
}

function withCase(source: string, target: string): string {
  if (target === '') return target;
  return /^\p{Lu}/u.test(source) ? target.charAt(0).toUpperCase() + target.slice(1) : target;
}
