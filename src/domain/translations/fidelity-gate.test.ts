import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paragraphsOf } from '../preflight/preflight.js';
import { datesIn, fidelityOfMarkdown, namesIn, numbersIn, passesGate } from './fidelity-gate.js';
import { blocksToMarkdown, markdownBlocks } from './markdown-blocks.js';

// An English wire story and a faithful French translation, block for block.
const english = [
  '## Valbrune bridge reopens',
  'The Valbrune bridge reopened to traffic on 3 December after 14 months of repairs costing 12.5 million euros.',
  'Mayor Marie Dupont said 10,000 vehicles a day would use it again, according to the city.',
  '> "We kept our promise," said Marie Dupont.',
  'The works were paid by the region and by the European Union.',
  'Details of the project are at https://valbrune.example/pont and in the council report.',
  '- Pedestrians: from 6 a.m.\n- Cyclists: 24 hours a day',
  'Traffic will be limited to 30 km/h until the end of March.',
];
const french = [
  '## Le pont de Valbrune rouvre',
  'Le pont de Valbrune a rouvert à la circulation le 3 décembre après 14 mois de travaux d’un coût de 12,5 millions d’euros.',
  'La maire Marie Dupont a déclaré que 10 000 véhicules par jour l’emprunteraient à nouveau, selon la ville.',
  '> « Nous avons tenu notre promesse », a dit Marie Dupont.',
  'Les travaux ont été payés par la région et par l’Union européenne.',
  'Le détail du projet est sur https://valbrune.example/pont et dans le rapport du conseil.',
  '- Piétons : à partir de 6 h\n- Cyclistes : 24 heures sur 24',
  'La circulation sera limitée à 30 km/h jusqu’à la fin du mois de mars.',
];
const md = (blocks: string[]) => blocks.join('\n\n');
const gate = (target: string[], source = english) =>
  fidelityOfMarkdown(md(source), md(target), { from: 'en', to: 'fr' });
const blockingOf = (target: string[]) =>
  gate(target)
    .filter((finding) => finding.severity === 'blocking')
    .map(({ code, paragraph, sourceParagraph }) => ({ code, paragraph, sourceParagraph }));

describe('the fidelity gate', () => {
  it('passes a faithful translation', () => {
    const findings = gate(french);
    expect(findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(passesGate(findings)).toBe(true);
  });

  it('catches a paragraph the provider lost, and says which source paragraph is missing', () => {
    const lost = french.filter((_, index) => index !== 2);
    expect(blockingOf(lost)).toEqual([{ code: 'BLOCK_DROPPED', paragraph: undefined, sourceParagraph: 3 }]);
    expect(gate(lost).find((f) => f.code === 'BLOCK_DROPPED')?.excerpt).toContain('Mayor Marie Dupont');
  });

  it('catches two paragraphs merged into one', () => {
    const merged = [...french.slice(0, 4), `${french[4]} ${french[5]}`, ...french.slice(6)];
    expect(blockingOf(merged)).toEqual([{ code: 'BLOCKS_MERGED', paragraph: 5, sourceParagraph: 5 }]);
  });

  it('catches a paragraph cut short', () => {
    const truncated = [...french];
    truncated[1] = 'Le pont de Valbrune a rouvert à la circulation le 3 décembre après';
    expect(blockingOf(truncated)).toEqual([{ code: 'BLOCK_TRUNCATED', paragraph: 2, sourceParagraph: 2 }]);
    // What went missing with the end is named too.
    expect(
      gate(truncated)
        .filter((f) => f.paragraph === 2 && f.code === 'NUMBER_MISSING')
        .map((f) => f.excerpt),
    ).toEqual(['14', '12.5']);
  });

  it('catches a duplicated paragraph', () => {
    const duplicated = [...french.slice(0, 5), french[4]!, ...french.slice(5)];
    expect(blockingOf(duplicated)).toEqual([{ code: 'BLOCK_DUPLICATED', paragraph: 6, sourceParagraph: 5 }]);
  });

  it('catches a lost, a merged and a truncated paragraph in the same translation', () => {
    const broken = [
      french[0]!,
      'Le pont de Valbrune a rouvert à la circulation le 3 décembre après',
      // paragraph 3 lost
      french[3]!,
      `${french[4]} ${french[5]}`,
      french[6]!,
      french[7]!,
    ];
    expect(blockingOf(broken)).toEqual([
      { code: 'BLOCK_TRUNCATED', paragraph: 2, sourceParagraph: 2 },
      { code: 'BLOCK_DROPPED', paragraph: undefined, sourceParagraph: 3 },
      { code: 'BLOCKS_MERGED', paragraph: 4, sourceParagraph: 5 },
    ]);
  });

  it('flags an empty block, a changed kind, a start mid-sentence and a lost link as such', () => {
    const target = [...french];
    target[0] = 'Le pont de Valbrune rouvre';
    target[2] =
      'la maire Marie Dupont a déclaré que 10 000 véhicules par jour l’emprunteraient à nouveau, selon la ville.';
    target[5] = 'Le détail du projet est sur le site de la ville et dans le rapport du conseil.';
    const findings = gate(target);
    expect(findings.map(({ code, paragraph }) => ({ code, paragraph }))).toEqual([
      { code: 'BLOCK_KIND_CHANGED', paragraph: 1 },
      { code: 'STARTS_MID_SENTENCE', paragraph: 3 },
      { code: 'LINK_MISSING', paragraph: 6 },
    ]);
    const emptied = md(french).replace(french[4]!, '   \u00a0');
    expect(fidelityOfMarkdown(md(english), emptied, { from: 'en', to: 'fr' }).map((f) => f.code)).toContain(
      'BLOCK_DROPPED',
    );
  });

  it('names the number, date and name that did not come through', () => {
    const target = [...french];
    target[1] =
      'Le pont de Valbrune a rouvert à la circulation le 4 décembre après 14 mois de travaux d’un coût de 12,5 millions d’euros.';
    target[2] = 'La maire a déclaré que 1 000 véhicules par jour l’emprunteraient à nouveau, selon la ville.';
    const findings = gate(target).map(({ code, paragraph, excerpt }) => ({ code, paragraph, excerpt }));
    expect(findings).toEqual([
      { code: 'NUMBER_MISSING', paragraph: 2, excerpt: '3' },
      { code: 'DATE_MISSING', paragraph: 2, excerpt: '12-3' },
      { code: 'NUMBER_MISSING', paragraph: 3, excerpt: '10000' },
      { code: 'NAME_MISSING', paragraph: 3, excerpt: 'Marie Dupont' },
    ]);
  });

  it('reads numbers in each language’s notation', () => {
    expect(numbersIn('10,000 people and 1.5 points', 'en')).toEqual(['10000', '1.5']);
    expect(numbersIn('10 000 personnes et 1,5 point, 10\u202f000 ou 10.000', 'fr')).toEqual([
      '10000',
      '1.5',
      '10000',
      '10000',
    ]);
    expect(numbersIn('١٢٫٥ مليون', 'ar')).toEqual(['12.5']);
    expect(numbersIn('see https://example.org/2024/5 now', 'en')).toEqual([]);
    expect(datesIn('on December 3 and 14 janvier, 2026-05-01')).toEqual(['1-14', '12-3', '5-1']);
    expect(namesIn('Mayor Marie Dupont met «Le Monde» on Monday.')).toEqual(['Marie Dupont', 'Le Monde']);
  });
});

describe('the fidelity gate, for any story', () => {
  const word = fc.constantFrom('pont', 'ville', 'travaux', 'maire', 'région', 'circulation', 'rapport', 'marché');
  const sentence = fc
    .tuple(fc.array(word, { minLength: 3, maxLength: 14 }), fc.option(fc.integer({ min: 2, max: 99_999 })))
    .map(([words, number]) => {
      const text = words.join(' ');
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}${number === null ? '' : ` ${number}`}.`;
    });
  const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((sentences) => sentences.join(' '));
  const story = fc.array(paragraph, { minLength: 2, maxLength: 12 });

  it('never blocks a translation that keeps every block and number', () => {
    fc.assert(
      fc.property(story, fc.double({ min: 0.8, max: 1.3, noNaN: true }), (blocks, stretch) => {
        // A "translation": each block keeps its numbers, its length changes by a steady ratio.
        const translated = blocks.map((block) => {
          const words = block.split(' ');
          const wanted = Math.max(1, Math.round(words.length * stretch));
          const out = Array.from({ length: wanted }, (_, i) => words[i % words.length]);
          const numbers = block.match(/\d+/g) ?? [];
          return `${out
            .join(' ')
            .replace(/\d+\.?/g, '')
            .replace(/\.$/, '')} ${numbers.join(' ')}.`
            .replace(/\s+/g, ' ')
            .replace(/^./, (c) => c.toUpperCase());
        });
        expect(passesGate(fidelityOfMarkdown(md(blocks), md(translated), { from: 'fr', to: 'fr' }))).toBe(true);
      }),
    );
  });

  it('always blocks when any one block is removed', () => {
    fc.assert(
      fc.property(
        story.chain((blocks) => fc.tuple(fc.constant(blocks), fc.nat({ max: blocks.length - 1 }))),
        ([blocks, removed]) => {
          const target = blocks.filter((_, index) => index !== removed);
          expect(passesGate(fidelityOfMarkdown(md(blocks), md(target), { from: 'fr', to: 'fr' }))).toBe(false);
        },
      ),
    );
  });

  it('splits Markdown into the blocks preflight numbers', () => {
    const block = fc.oneof(
      paragraph,
      paragraph.map((p) => `## ${p}`),
      paragraph.map((p) => `> ${p}`),
      fc.array(sentence, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `- ${i}`).join('\n')),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 10 }), (blocks) => {
        const markdown = blocks.join('\n\n');
        expect(markdownBlocks(markdown)).toHaveLength(paragraphsOf(markdown).length);
        expect(paragraphsOf(blocksToMarkdown(markdownBlocks(markdown)))).toEqual(paragraphsOf(markdown));
      }),
    );
  });
});
