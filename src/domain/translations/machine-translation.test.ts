import { describe, expect, it } from 'vitest';
import { createBuiltinProvider } from '../../translation/builtin-provider.js';
import type { Block } from '../wire/wire-item.js';
import { createMachineTranslation, type MachineTranslationStore } from './machine-translation.js';
import type { TranslationProvider } from './translation-provider.js';

// Translating stores nothing: a store that fails if touched proves it.
const untouched: MachineTranslationStore = {
  find: () => Promise.reject(new Error('store used')),
  findMany: () => Promise.reject(new Error('store used')),
  save: () => Promise.reject(new Error('store used')),
};
const clock = { now: () => new Date('2026-12-03T10:00:00Z') };
const service = (provider: TranslationProvider) => createMachineTranslation({ provider, store: untouched, clock });

const wire: Block[] = [
  { kind: 'heading', level: 2, text: 'The bridge reopens' },
  { kind: 'paragraph', text: 'The mayor said that the bridge will be open on Monday.' },
  { kind: 'list', ordered: false, items: ['The market', 'The river'] },
  { kind: 'figure', src: 'https://example.org/pont.jpg', alt: 'The bridge', caption: 'The new bridge', credit: 'AFP' },
  { kind: 'quote', text: '"We kept our promise," said Marie Dupont.', cite: 'Marie Dupont' },
];

describe('the machine translation service', () => {
  it('translates a wire item block by block, each target block in its source block’s place', async () => {
    const result = await service(createBuiltinProvider()).translateBlocks(wire, 'en', 'fr');
    expect(result.blocks.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'list', 'figure', 'quote']);
    expect(result.blocks[0]).toEqual({ kind: 'heading', level: 2, text: 'Le pont rouvre' });
    expect(result.blocks[2]).toEqual({ kind: 'list', ordered: false, items: ['Le marché', 'La rivière'] });
    expect(result.blocks[3]).toMatchObject({
      src: 'https://example.org/pont.jpg',
      credit: 'AFP',
      caption: 'Le nouveau pont',
    });
    expect(result.blocks[4]).toMatchObject({ cite: 'Marie Dupont' });
    expect(result.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(result.bodyMarkdown.split('\n\n')[0]).toBe('## Le pont rouvre');
    expect(result.provider).toBe('builtin');
  });

  it('keeps what a provider that lost a text sent back, and the gate names the lost block', async () => {
    const builtin = createBuiltinProvider();
    const losing: TranslationProvider = {
      name: 'losing',
      translate: (texts, from, to) =>
        builtin.translate(
          texts.filter((t) => !t.includes('10,000')),
          from,
          to,
        ),
    };
    const story: Block[] = [
      {
        kind: 'paragraph',
        text: 'The Valbrune bridge reopened on 3 December after 14 months of works costing 12.5 million euros.',
      },
      {
        kind: 'paragraph',
        text: 'Mayor Marie Dupont said 10,000 people would use it every day, according to the city.',
      },
      { kind: 'paragraph', text: 'The works were paid by the region and by the European Union, the council said.' },
      { kind: 'paragraph', text: 'Traffic will be limited to 30 km/h until the end of March, officials said.' },
    ];
    const result = await service(losing).translateBlocks(story, 'en', 'fr');
    expect(result.blocks).toHaveLength(3);
    expect(result.findings.filter((f) => f.severity === 'blocking')).toEqual([
      expect.objectContaining({ code: 'BLOCK_DROPPED', sourceParagraph: 2 }),
    ]);
  });

  it('keeps the kinds of the blocks after a lost one, so the gate names the lost block and not a later quote', async () => {
    const builtin = createBuiltinProvider();
    const losing: TranslationProvider = {
      name: 'losing',
      translate: (texts, from, to) =>
        builtin.translate(
          texts.filter((t) => !t.includes('harbour')),
          from,
          to,
        ),
    };
    const item: Block[] = [
      { kind: 'paragraph', text: 'About forty trawlers stayed in port in Port-Aubel on Thursday.' },
      { kind: 'paragraph', text: 'The harbour master, Jean Morel, said 12 boats had not left since midnight.' },
      { kind: 'paragraph', text: 'The ministry invited the skippers to talks on Friday morning.' },
      { kind: 'quote', text: 'We want to be heard before the limits are final.', cite: 'The chair' },
      { kind: 'list', ordered: false, items: ['The market', 'The river'] },
    ];
    const result = await service(losing).translateBlocks(item, 'en', 'fr', ['The fleet ties up', '']);
    expect(result.blocks.map((block) => block.kind)).toEqual(['paragraph', 'paragraph', 'quote', 'list']);
    expect(result.blocks[3]).toEqual({ kind: 'list', ordered: false, items: ['Le marché', 'La rivière'] });
    expect(result.extra[0]).not.toBe('The fleet ties up');
    expect(result.findings.filter((f) => f.severity === 'blocking')).toEqual([
      expect.objectContaining({ code: 'BLOCK_DROPPED', sourceParagraph: 2 }),
    ]);
  });

  it('translates a story’s headline, standfirst and Markdown body, markers and images kept', async () => {
    const story = await service(createBuiltinProvider()).translateStory(
      {
        headline: 'The bridge reopens',
        standfirst: '',
        bodyMarkdown:
          '## The market\n\n![The bridge](https://example.org/p.jpg)\n\n- The river\n- The city\n\n> The mayor said.',
      },
      'en',
      'fr',
    );
    expect(story).toMatchObject({
      headline: 'Le pont rouvre',
      standfirst: '',
      bodyMarkdown:
        '## Le marché\n\n![The bridge](https://example.org/p.jpg)\n\n- La rivière\n- La ville\n\n> Le maire a dit.',
      findings: [],
    });
  });
});
