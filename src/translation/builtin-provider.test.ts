import { describe, expect, it } from 'vitest';
import { fidelityOfMarkdown, passesGate } from '../domain/translations/fidelity-gate.js';
import { createBuiltinProvider } from './builtin-provider.js';

const provider = createBuiltinProvider();

describe('the built-in (demo) translation provider', () => {
  it('turns common English into rough French, keeping numbers, links, names and quotations', async () => {
    const [text] = await provider.translate(
      [
        'The mayor said that the bridge will be open on Monday, according to Marie Dupont: "We kept our promise" (10,000.5 euros, see https://example.org/a.b).',
      ],
      'en',
      'fr',
    );
    // "see" is not in the small dictionary: it stays, as a rough draft would leave it.
    expect(text).toBe(
      'Le maire a dit que le pont sera ouvert lundi, selon Marie Dupont: « We kept our promise » (10\u202f000,5 euros, see https://example.org/a.b).',
    );
  });

  it('reads French back into English', async () => {
    expect(await provider.translate(['Le maire a dit que le pont est ouvert, selon la ville.'], 'fr', 'en')).toEqual([
      'The mayor said that the bridge is open, according to the city.',
    ]);
  });

  it('answers one text for each text, the same every time, and leaves other languages as they are', async () => {
    const texts = ['The market reopens.', '', 'Traffic on the bridge.'];
    const first = await provider.translate(texts, 'en', 'fr');
    expect(first).toHaveLength(3);
    expect(await provider.translate(texts, 'en', 'fr')).toEqual(first);
    expect(first[1]).toBe('');
    expect(await provider.translate(texts, 'en', 'ar')).toEqual(texts);
  });

  it('gives a draft the fidelity gate passes', async () => {
    const source = [
      'The Valbrune bridge reopened on 3 December after 14 months of works costing 12.5 million euros.',
      'Mayor Marie Dupont said 10,000 people would use it every day.',
    ];
    const translated = await provider.translate(source, 'en', 'fr');
    expect(passesGate(fidelityOfMarkdown(source.join('\n\n'), translated.join('\n\n'), { from: 'en', to: 'fr' }))).toBe(
      true,
    );
    expect(translated[0]).toContain('12,5');
    expect(translated[1]).toContain('10\u202f000');
  });
});
