import { foldText } from './boilerplate.js';

/**
 * A cheap guess at a paragraph's language: each language has a profile of its commonest words
 * (articles, pronouns, prepositions, auxiliaries) and of the words of web-page furniture ("share",
 * "subscribe", "updates"), chosen so that no word belongs to two profiles' common stock where the
 * guess would be wrong ("a", "en", "de", "la", "on" are in none). Names ("Vladimir Poutine",
 * "Gazprom PJSC") hit no profile, so a line of names is never given a language. Good enough to
 * tell an English "Stay Connected" on a French page; not a language identifier.
 */
const profiles: Record<string, string> = {
  en: `the and of to is are was were be been has have had will would could should it its this that these those
    with from for by at as but not or which who what when where there their they them he she his her we our you your
    my into about after before than then also just only more most very can may might must over under between
    share post shares stay connected updates update enjoy like read subscribe subscribing newsletter sign follow
    latest news related stories story click here view gallery comments comment leave advertisement cookie cookies
    settings enable javascript back top print email trending popular watch listen load login log rights reserved
    reply home search next previous reading us`,
  fr: `le les des du un une et est sont était été être avoir ont avait sera il elle ils elles nous vous je leur leurs
    ce cet cette ces qui que qu dans pour par sur avec sans sous mais ou donc ni car pas plus ne se sa son ses au aux
    lui y été selon entre depuis après avant lors comme aussi très tout tous toute toutes dont où
    partager abonnez abonner abonnement lire suite aussi galerie cliquez agrandir restez connecté actualités
    dernières commentaires publicité droits réservés`,
  es: `el los las del y es son fue está están ser por para con sin sobre pero como más muy su sus que qué una uno
    este esta estos estas ese esa al lo le les se ya también hay han había ha entre desde cuando donde
    compartir suscríbete noticias leer más relacionadas comentarios publicidad`,
  pt: `o os as do da dos das e é são foi está estão ser por para com sem sobre mas como mais muito seu sua seus suas
    que um uma este esta isso ao à não também já há entre desde quando onde num numa pelo pela
    compartilhar partilhar assine notícias leia mais relacionadas comentários publicidade`,
  it: `il lo gli della dello degli delle del e è sono era stato essere per con senza su ma come più molto suo sua
    suoi che di un una questo questa questi nel nella al alla non anche già ci ha hanno tra fra quando dove
    condividi abbonati notizie leggi anche correlati commenti pubblicità`,
  de: `der die das den dem des und ist sind war waren sein wird wurde werden hat haben mit von für auf aus bei
    nach über unter aber oder nicht auch noch nur ein eine einer einem einen sich wie wenn dass es er sie wir ihr
    teilen abonnieren nachrichten lesen mehr kommentare anzeige werbung`,
  nl: `het een en is zijn was waren wordt werd heeft hebben met van voor op uit bij naar over onder maar niet ook
    nog dat deze dit die wij zij hij ze er zich
    delen abonneer nieuws lees meer reacties advertentie`,
  ar: `في من على إلى الى عن أن ان هذا هذه التي الذي الذين مع كان كانت قد لا ما هو هي بين بعد قبل كل أو او ثم
    حتى عند منذ لم لن إن اشترك شارك تابعنا اقرأ المزيد الأخبار الاخبار ذات صلة`,
};

const words = Object.fromEntries(
  Object.entries(profiles).map(([language, list]) => [language, new Set(foldText(list).split(' '))]),
) as Record<string, Set<string>>;

/** How many of the text's words each profile knows, and how many words there are. */
export function languageHits(text: string): { total: number; hits: Record<string, number> } {
  const tokens = foldText(text)
    .split(' ')
    .filter((token) => token !== '' && !/^\d+$/.test(token));
  const hits: Record<string, number> = {};
  for (const language of Object.keys(words)) {
    hits[language] = tokens.filter((token) => words[language]?.has(token)).length;
  }
  return { total: tokens.length, hits };
}

/** The profile language with the most hits, or null when the text hits none. */
export function guessLanguage(text: string): string | null {
  const { hits } = languageHits(text);
  let best: string | null = null;
  for (const [language, count] of Object.entries(hits)) {
    if (count > 0 && (best === null || count > (hits[best] ?? 0))) best = language;
  }
  return best;
}

/**
 * The other language a paragraph is clearly written in, or null. Clearly: the story's language
 * hits none of its words, or is outnumbered three to one with at least four hits for the other;
 * a short paragraph (up to 8 words) also needs half its words known to the other profile, so a
 * line of names with one "of" in it ("Higher School of Economics") is not flagged. Quotations are
 * left out first: a French story may quote someone in English.
 */
export function foreignLanguageOf(paragraph: string, storyLanguage: string): string | null {
  const base = storyLanguage.split('-')[0]?.toLowerCase() ?? '';
  if (!(base in words)) return null;
  const unquoted = paragraph.replace(/«[^»]*»|“[^”]*”|"[^"]*"|„[^“”]*[“”]/g, ' ');
  const { total, hits } = languageHits(unquoted);
  if (total === 0) return null;
  const own = hits[base] ?? 0;
  let other: string | null = null;
  for (const [language, count] of Object.entries(hits)) {
    if (language !== base && count > 0 && (other === null || count > (hits[other] ?? 0))) other = language;
  }
  if (other === null) return null;
  const count = hits[other] ?? 0;
  // Another script is the clearest sign: Latin-script chrome on an Arabic page, or the reverse.
  const letters = unquoted.match(/\p{L}/gu) ?? [];
  const arabic = letters.filter((letter) => /\p{Script=Arabic}/u.test(letter)).length;
  if ((base === 'ar') !== arabic * 2 > letters.length) return other;
  if (total <= 8) return own === 0 && count * 2 >= total ? other : null;
  return (own === 0 && count >= 2) || (count >= 4 && count >= own * 3) ? other : null;
}
