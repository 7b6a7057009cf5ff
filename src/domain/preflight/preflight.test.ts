import { readFileSync } from 'node:fs';
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
      'The summit took place in The Hague on Monday.',
    ].join('\n\n');
    const findings = preflight({ ...clean, bodyMarkdown: body });
    expect(findings).toEqual([]);
    expect(isPublishable(findings)).toBe(true);
  });
});
