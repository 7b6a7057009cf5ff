import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPublishable, preflight } from './preflight.js';

// The seed article exactly as the demo keeps it: the product was born from its defects.
const seedFile = readFileSync(
  new URL('../../../demo/articles/fr-poutine-xi-serrent-les-rangs.md', import.meta.url),
  'utf8',
);
const seedBody = seedFile.split('\n---\n')[1] as string;
const seedHeadline = 'Poutine et Xi serrent les rangs face à l’Occident sur l’Ukraine et Taïwan';

const clean = {
  language: 'fr',
  headline: 'Un titre',
  bodyMarkdown: 'Premier paragraphe complet.\n\nSecond paragraphe, lui aussi complet.',
  authorCount: 1,
  syndicated: false,
  hasSourceCredit: false,
  images: [{ alt: 'Une photo' }],
};

describe('preflight on the seed article', () => {
  const findings = preflight({ ...clean, headline: seedHeadline, bodyMarkdown: seedBody });
  const quoted = (code: string) => findings.filter((f) => f.code === code).map((f) => f.excerpt ?? '');

  it('flags the paragraphs that start mid-sentence where text was lost', () => {
    const starts = quoted('PARAGRAPH_STARTS_MID_SENTENCE').join('\n');
    for (const lost of [
      'frictions entre la Chine',
      'étendu à des domaines',
      'dans une année politique',
      'peut maintenant avoir',
      'plus proche de la Chine',
    ]) {
      expect(starts).toContain(lost);
    }
  });

  it('flags the fragment of a hyphenated word left at a paragraph start', () => {
    expect(quoted('PARAGRAPH_STARTS_WITH_FRAGMENT').join()).toContain('-puissances armées');
  });

  it('flags broken sentences and stray capitals from the naive translation', () => {
    expect(quoted('SENTENCE_BROKEN_BY_FULL_STOP').join('\n')).toContain('dépendante. sur son voisin');
    expect(quoted('SENTENCE_BROKEN_BY_FULL_STOP').join('\n')).toContain('dollars. année');
    const capitals = quoted('STRAY_CAPITAL').join('\n');
    expect(capitals).toContain('approuvé La politique');
    expect(capitals).toContain('ans Vendredi');
  });

  it('flags the headline repeated as filler after the body', () => {
    const findingsWithFiller = preflight({
      ...clean,
      headline: seedHeadline,
      bodyMarkdown: `${seedBody}\n\n${seedHeadline}`,
    });
    expect(findingsWithFiller.some((f) => f.code === 'HEADLINE_REPEATED_IN_BODY')).toBe(true);
  });

  it('blocks wire copy without byline or credit, and images without alt text', () => {
    const bare = preflight({
      ...clean,
      authorCount: 0,
      syndicated: true,
      hasSourceCredit: false,
      images: [{ alt: ' ' }],
    });
    expect(bare.map((f) => f.code).sort()).toEqual(['IMAGE_WITHOUT_ALT', 'NO_BYLINE', 'NO_SOURCE_CREDIT']);
    expect(isPublishable(bare)).toBe(false);
  });
});

describe('preflight on clean copy', () => {
  it('finds nothing in well-formed text, abbreviations and proper nouns included', () => {
    const body = [
      'Le sommet s’est tenu à La Haye, p. ex. lors de la visite du ministre.',
      'Elle a lu Le Monde, etc. puis elle est partie lundi 4 février.',
      '- une liste\n- de points',
    ].join('\n\n');
    const findings = preflight({ ...clean, bodyMarkdown: body });
    expect(findings).toEqual([]);
    expect(isPublishable(findings)).toBe(true);
    // In its own language; in a French story, an English paragraph is flagged (seed-page.test.ts).
    const english = 'The summit took place in The Hague on Monday.';
    expect(preflight({ ...clean, language: 'en', bodyMarkdown: english })).toEqual([]);
  });
});

describe('preflight on wire copy (issue 12)', () => {
  const wire = { ...clean, syndicated: true, hasSourceCredit: true, hasOriginalUrl: true };

  it('blocks wire copy without a link to the original, and passes it once linked', () => {
    const unlinked = preflight({ ...wire, hasOriginalUrl: false });
    expect(unlinked).toEqual([{ code: 'NO_ORIGINAL_URL', severity: 'blocking' }]);
    expect(isPublishable(unlinked)).toBe(false);
    expect(preflight(wire)).toEqual([]);
    // A story of the newsroom's own needs neither.
    expect(preflight({ ...clean, hasOriginalUrl: false })).toEqual([]);
  });

  it('blocks a story that says it has no date, and flags an image without credit', () => {
    const findings = preflight({ ...clean, hasDate: false, images: [{ alt: 'Une photo', credit: ' ' }] });
    expect(findings).toEqual([
      { code: 'NO_DATE', severity: 'blocking' },
      { code: 'IMAGE_WITHOUT_CREDIT', severity: 'warning', excerpt: '#1' },
    ]);
  });
});

describe('chrome of the source site left in the body', () => {
  const chromeOf = (language: string, bodyMarkdown: string) =>
    preflight({ ...clean, language, bodyMarkdown })
      .filter((finding) => finding.code === 'SOURCE_SITE_CHROME')
      .map((finding) => [finding.paragraph, finding.excerpt]);

  it.each([
    ['en', 'Share this article'],
    ['en', 'Sign up for our newsletter'],
    ['en', 'Follow us on Twitter'],
    ['en', 'Click here to enlarge'],
    ['en', '© 2022 The Japan Times. All rights reserved.'],
    ['en', 'Please enable JavaScript'],
    ['fr', 'À lire aussi :'],
    ['fr', 'Abonnez-vous maintenant'],
    ['fr', 'GALERIE PHOTO (CLIQUEZ POUR AGRANDIR)'],
    ['ar', 'اشترك الآن'],
    ['ar', 'اقرأ أيضاً'],
    ['es', 'Síguenos en Instagram'],
    ['de', 'Das könnte Sie auch interessieren'],
    ['it', 'Leggi anche'],
    ['pt', 'Leia também'],
  ])('flags a paragraph of %s chrome: %s', (language, chrome) => {
    expect(chromeOf(language, `Premier paragraphe complet.\n\n${chrome}`)).toEqual([[2, chrome]]);
  });

  it('flags chrome at the start or the end of a paragraph, with the words', () => {
    expect(chromeOf('en', 'Read more: Putin and Xi close ranks on Ukraine. The summit ended late.')).toEqual([
      [1, 'Read more:'],
    ]);
    expect(chromeOf('fr', 'Le sommet s’est achevé tard. Partager cet article. Laisser un commentaire')).toEqual([
      [1, 'Partager cet article. Laisser un commentaire'],
    ]);
  });

  it('leaves alone an ordinary sentence that uses the words', () => {
    const body = [
      'Readers who subscribe now get a discount, the company said.',
      'Share prices fell sharply on Monday after the latest news from the central bank.',
      'She told him to read more, and to follow us on the road to the coast.',
      '« Abonnez-vous maintenant », répétait la publicité sur les murs de la ville.',
    ].join('\n\n');
    expect(chromeOf('en', body)).toEqual([]);
  });
});

describe('a paragraph in another language than the story', () => {
  const foreign = (language: string, bodyMarkdown: string) =>
    preflight({ ...clean, language, bodyMarkdown })
      .filter((finding) => finding.code === 'PARAGRAPH_IN_OTHER_LANGUAGE')
      .map((finding) => finding.paragraph);

  it('flags short English page furniture on a French page even when the table does not know it', () => {
    expect(foreign('fr', 'Le sommet a eu lieu vendredi.\n\nBack to the homepage\n\nLoad more stories')).toEqual([2, 3]);
  });

  it('flags an English sentence in a French story, and French chrome on an Arabic page', () => {
    expect(
      foreign('fr', 'Le sommet a eu lieu.\n\nThe talks were held in Beijing before the opening ceremony.'),
    ).toEqual([2]);
    expect(foreign('ar', 'عقدت القمة في بكين يوم الجمعة.\n\nLire la suite de l’article')).toEqual([2]);
  });

  it('leaves quotations, lines of names and credits alone', () => {
    const body = [
      'Le sommet a eu lieu vendredi.',
      '« We are not going to be drawn into a new Cold War », a affirmé un diplomate européen.',
      'Anastasia Pyatachkova, Higher School of Economics',
      'Photo : Reuters',
      '> The summit was a show of unity.',
    ].join('\n\n');
    expect(foreign('fr', body)).toEqual([]);
  });
});

describe('preflight on the demo stories', () => {
  const folder = new URL('../../../demo/articles/', import.meta.url);
  const stories = readdirSync(folder)
    .filter((name) => name.endsWith('.md') && name !== 'fr-poutine-xi-serrent-les-rangs.md')
    .map((name) => {
      const [, meta = '', ...body] = readFileSync(new URL(name, folder), 'utf8').split(/^---$/m);
      const { language, headline } = JSON.parse(meta) as { language: string; headline: string };
      return [name, { ...clean, language, headline, bodyMarkdown: body.join('---') }] as const;
    });

  it.each(stories)('finds nothing to flag in %s: no false alarm in any language', (_name, story) => {
    expect(preflight(story)).toEqual([]);
  });
});
