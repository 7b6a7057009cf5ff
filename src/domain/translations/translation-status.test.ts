import { describe, expect, it } from 'vitest';
import { sideBySide, sourceChanges } from './translation-status.js';

const then = { headline: 'Le titre', standfirst: 'Le chapeau', bodyMarkdown: 'Un.\n\nDeux.\n\nTrois.' };

describe('sourceChanges', () => {
  it('marks the paragraphs added or edited since, and counts the removed ones', () => {
    const now = { ...then, bodyMarkdown: 'Un.\n\nDeux, réécrit.\n\nTrois.\n\nQuatre.' };
    expect(sourceChanges(then, now)).toEqual({
      headline: false,
      standfirst: false,
      paragraphs: [false, true, false, true],
      removed: 1,
    });
  });

  it('sees a changed headline and standfirst, and nothing else when the body is the same', () => {
    const now = { ...then, headline: 'Un autre titre', standfirst: 'Un autre chapeau' };
    expect(sourceChanges(then, now)).toEqual({
      headline: true,
      standfirst: true,
      paragraphs: [false, false, false],
      removed: 0,
    });
  });
});

describe('sideBySide', () => {
  it('puts the paragraphs of both texts next to each other, the longer one setting the count', () => {
    const rows = sideBySide(then, { headline: 'The headline', standfirst: '', bodyMarkdown: 'One.' }, null);
    expect(rows.map((row) => [row.kind, row.number ?? null, row.source, row.translation])).toEqual([
      ['headline', null, 'Le titre', 'The headline'],
      ['standfirst', null, 'Le chapeau', ''],
      ['paragraph', 1, 'Un.', 'One.'],
      ['paragraph', 2, 'Deux.', ''],
      ['paragraph', 3, 'Trois.', ''],
    ]);
  });
});
