import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Finding, isPublishable, preflight } from './preflight.js';
import { storyFromFile } from './story-file.js';

// The seed page as the site served it (test/fixtures/seed/README.md): read the way
// `kiosque preflight` reads a plain-text file, headline first. It is wire copy (a machine
// translation of an agency story) with no byline, date, credit or link to the original.
const seed = storyFromFile(
  readFileSync(new URL('../../../test/fixtures/seed/article-fr.txt', import.meta.url), 'utf8'),
);
if (!seed.ok) throw new Error(seed.reason);
const findings = preflight({ ...seed.story, syndicated: true });

/** The finding of `code` in paragraph `paragraph` that quotes `words`, if any. */
const found = (code: Finding['code'], paragraph: number | undefined, words: string) =>
  findings.find(
    (finding) => finding.code === code && finding.paragraph === paragraph && (finding.excerpt ?? '').includes(words),
  );

// Paragraphs of the seed's body: 1 "Share Post:", 2 the whole story run together, 3 "Stay
// Connected", 4 "More Updates", 5 the headline again, 6 "You might also enjoy".
// One row a defect, in the order of the README's list, so a regression names the defect.
const defects: [defect: string, code: Finding['code'], paragraph: number | undefined, words: string][] = [
  ['share row left in the body', 'SOURCE_SITE_CHROME', 1, 'Share Post:'],
  ['English chrome "Share Post:" on a French page', 'PARAGRAPH_IN_OTHER_LANGUAGE', 1, 'Share Post:'],
  [
    'the paragraph breaks of the source lost: the whole story in one paragraph',
    'PARAGRAPH_TOO_LONG',
    2,
    'Vladimir Poutine et Xi Jinping',
  ],
  ['a day capitalised mid-sentence: "ans Vendredi"', 'STRAY_CAPITAL', 2, 'ans Vendredi'],
  ['a determiner capitalised mid-sentence: "approuvé La politique"', 'STRAY_CAPITAL', 2, 'approuvé La politique'],
  [
    'guillemets without their spaces: «sérieusement préoccupées»',
    'FRENCH_QUOTE_SPACING',
    2,
    '«sérieusement préoccupées»',
  ],
  [
    'a sentence start lost at a link: ". frictions entre la Chine"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'faire. frictions entre la Chine',
  ],
  ['plural subject with a singular verb: "le Royaume-Uni se joint"', 'AGREEMENT_ERROR', 2, 'le Royaume-Uni se joint'],
  [
    'a sentence whose start (a name and a title) was lost: "Programme Asie-Pacifique, avant le sommet."',
    'SENTENCE_START_LOST',
    2,
    'Programme Asie-Pacifique, avant le sommet',
  ],
  ['a capitalised noun without elision: "du Époque de la guerre froide"', 'STRAY_CAPITAL', 2, 'du Époque'],
  [
    'a full stop that cuts a phrase: "140 milliards de dollars. année"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'dollars. année',
  ],
  [
    'a sentence start lost: ". étendu à des domaines"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'Ukraine. étendu à des domaines',
  ],
  ['a word-for-word preposition: "incite Moscou pour « accélérer"', 'WRONG_PREPOSITION', 2, 'incite Moscou pour'],
  ['the end of a cut word: "-puissances armées"', 'SENTENCE_STARTS_WITH_FRAGMENT', 2, '-puissances armées'],
  [
    'a sentence start lost: ". dans une année politique"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'commerce. dans une année politique',
  ],
  ['agreement broken: "tous nations"', 'AGREEMENT_ERROR', 2, 'tous nations'],
  [
    'a sentence start lost: ". peut maintenant avoir"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'Pékin. peut maintenant avoir',
  ],
  [
    'a full stop inside a sentence: "trop dépendante. sur son voisin"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'dépendante. sur son voisin',
  ],
  [
    'a sentence whose start was lost: "Brésil en novembre 2019, …"',
    'SENTENCE_START_LOST',
    2,
    'Brésil en novembre 2019',
  ],
  ['a noun capitalised after a preposition: "s’opposer à Discussion"', 'STRAY_CAPITAL', 2, 'à Discussion du Conseil'],
  [
    'a quote start lost: ". plus proche de la Chine"',
    'SENTENCE_BROKEN_BY_FULL_STOP',
    2,
    'déclaré. plus proche de la Chine',
  ],
  [
    'a quotation closed that was never opened: "économiquement », a déclaré Pukhov"',
    'QUOTE_CLOSED_WITHOUT_OPENING',
    2,
    'économiquement »',
  ],
  [
    'the source’s subscription pitch, subscribe button and gallery button at the end of the text',
    'SOURCE_SITE_CHROME',
    2,
    'un journalisme de qualité est plus crucial que jamais. En vous abonnant, vous pouvez nous aider à bien raconter l’histoire. ABONNEZ-VOUS MAINTENANT GALERIE PHOTO (CLIQUEZ POUR AGRANDIR)',
  ],
  ['newsletter and follow block "Stay Connected"', 'SOURCE_SITE_CHROME', 3, 'Stay Connected'],
  ['English chrome "Stay Connected" on a French page', 'PARAGRAPH_IN_OTHER_LANGUAGE', 3, 'Stay Connected'],
  ['latest-stories list heading "More Updates"', 'SOURCE_SITE_CHROME', 4, 'More Updates'],
  ['English chrome "More Updates" on a French page', 'PARAGRAPH_IN_OTHER_LANGUAGE', 4, 'More Updates'],
  ['the headline repeated as filler after the body', 'HEADLINE_REPEATED_IN_BODY', 5, 'Poutine et Xi serrent les rangs'],
  ['related-stories heading "You might also enjoy"', 'SOURCE_SITE_CHROME', 6, 'You might also enjoy'],
  ['English chrome "You might also enjoy" on a French page', 'PARAGRAPH_IN_OTHER_LANGUAGE', 6, 'You might also enjoy'],
];

describe('preflight on the seed page (issue 12: every defect found)', () => {
  it.each(defects)('flags %s', (_defect, code, paragraph, words) => {
    expect(found(code, paragraph, words), JSON.stringify(findings.filter((f) => f.code === code))).toBeDefined();
  });

  it.each([
    ['no byline', 'NO_BYLINE'],
    ['no date', 'NO_DATE'],
    ['no credit for the wire copy', 'NO_SOURCE_CREDIT'],
    ['no link to the original', 'NO_ORIGINAL_URL'],
  ] as const)('blocks it: %s', (_defect, code) => {
    expect(findings.find((finding) => finding.code === code)?.severity).toBe('blocking');
  });

  it('finds nothing else: each finding is one of the defects listed', () => {
    const listed = findings.filter(
      (finding) =>
        finding.severity === 'blocking' ||
        defects.some(([, code, paragraph, words]) => finding === found(code, paragraph, words)),
    );
    expect(findings.filter((finding) => !listed.includes(finding))).toEqual([]);
    expect(isPublishable(findings)).toBe(false);
  });
});

describe('preflight on a clean French wire story', () => {
  // Written for the test the way a careful desk edits copy: names, numbers, abbreviations, a
  // dateline, a quotation in English, a line of names, a sentence that speaks of subscribing.
  const body = [
    'PARIS, 4 février 2022 — Vladimir Poutine et Xi Jinping se sont rencontrés vendredi à Pékin, en marge des Jeux olympiques d’hiver.',
    'Les deux dirigeants ont signé un communiqué conjoint. Selon le Kremlin, Gazprom PJSC et China National Petroleum Corp. ont conclu un accord de livraison de 10 milliards de mètres cubes de gaz par an.',
    'Marseille, elle, attend toujours sa nouvelle ligne. Les abonnés du quotidien régional peuvent s’abonner maintenant à une lettre consacrée au chantier, et la rédaction les invite à lire la suite sur son site.',
    '« Nous assistons à la formation d’une alliance militaire informelle, mais réelle », a déclaré Ruslan Pukhov, du Centre d’analyse des stratégies et des technologies.',
    '« We are not going to be drawn into a new Cold War », a affirmé un diplomate européen qui a requis l’anonymat.',
    'Anastasia Pyatachkova, Higher School of Economics',
    'Lors de leur conversation de décembre, Xi a qualifié Poutine de «\u202fvieil ami\u202f». Le Conseil de sécurité des Nations unies s’est réuni le 31 janvier, à la demande des États-Unis.',
    'Wang Yi, le ministre des Affaires étrangères, a déclaré en décembre que la stabilité serait son objectif principal pour 2022.',
  ].join('\n\n');
  const clean = preflight({
    language: 'fr',
    headline: 'Poutine et Xi serrent les rangs à Pékin',
    bodyMarkdown: body,
    authorCount: 1,
    syndicated: true,
    hasSourceCredit: true,
    hasOriginalUrl: true,
    hasDate: true,
    images: [{ alt: 'Vladimir Poutine et Xi Jinping au palais du Peuple', credit: 'Agence Exemple' }],
  });

  it('gets no finding at all: no false alarm', () => {
    expect(clean).toEqual([]);
  });
});
