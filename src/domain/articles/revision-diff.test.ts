import { describe, expect, it } from 'vitest';
import { prepareNewArticle } from './article-input.js';
import { diffRecords, diffSequences, diffText, diffWords } from './revision-diff.js';

const sideOf = (ops: { op: string; token: string }[], side: 'before' | 'after') =>
  ops.filter((o) => o.op === 'same' || o.op === (side === 'before' ? 'removed' : 'added')).map((o) => o.token);

/** Length of the longest common subsequence, by the textbook table: the reference for minimality. */
function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
  return table[a.length]![b.length]!;
}

describe('diffSequences', () => {
  it('rebuilds both versions and keeps as much in common as possible', () => {
    // A fixed pseudo-random sequence: exact and repeatable.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const b = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const ops = diffSequences(a, b);
      expect(sideOf(ops, 'before')).toEqual(a);
      expect(sideOf(ops, 'after')).toEqual(b);
      expect(ops.filter((o) => o.op === 'same').length).toBe(lcsLength(a, b));
    }
  });

  it('stays fast and correct when two long texts have nothing in common', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`);
    const started = performance.now();
    const ops = diffSequences(a, b);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(sideOf(ops, 'before')).toEqual(a);
    expect(sideOf(ops, 'after')).toEqual(b);
  });
});

describe('diffWords and diffText', () => {
  it('marks the words that changed inside a sentence', () => {
    expect(diffWords('La Russie a approuvé La politique', 'La Russie a approuvé la politique')).toEqual([
      { op: 'same', text: 'La Russie a approuvé ' },
      { op: 'removed', text: 'La' },
      { op: 'added', text: 'la' },
      { op: 'same', text: ' politique' },
    ]);
  });

  it('shows added and removed paragraphs as lines, and a rewritten one word by word', () => {
    const before = 'Premier paragraphe.\n\nDeuxième paragraphe trop dépendante. sur son voisin.\n\nFin.';
    const after = 'Premier paragraphe.\n\nDeuxième paragraphe trop dépendante de son voisin.\n\nFin.\n\nAjout.';
    const lines = diffText(before, after);
    expect(lines.filter((line) => line.op === 'same').map((line) => (line as { text: string }).text)).toEqual([
      'Premier paragraphe.',
      '',
      '',
      'Fin.',
    ]);
    const changed = lines.find((line) => line.op === 'changed');
    expect(changed).toEqual({
      op: 'changed',
      parts: [
        { op: 'same', text: 'Deuxième paragraphe trop dépendante' },
        { op: 'removed', text: '. sur' },
        { op: 'added', text: ' de' },
        { op: 'same', text: ' son voisin.' },
      ],
    });
    expect(lines.filter((line) => line.op === 'added')).toEqual([
      { op: 'added', text: '' },
      { op: 'added', text: 'Ajout.' },
    ]);
  });
});

describe('diffRecords', () => {
  it('compares two versions field by field, in words a person reads', () => {
    const deps = { clock: { now: () => new Date('2026-01-01T00:00:00Z') }, ids: (p: string) => `${p}_1` };
    const before = prepareNewArticle(
      { language: 'fr', headline: 'Titre', bodyMarkdown: 'Un.', sectionId: 'sec_1', tagIds: ['tag_1'] },
      deps,
    );
    const after = { ...before, headline: 'Nouveau titre', tagIds: ['tag_1', 'tag_2'] };
    const names = {
      section: (id: string) => `section ${id}`,
      tag: (id: string) => ({ tag_1: 'Chine', tag_2: 'Russie' })[id] ?? id,
      author: (id: string) => id,
      date: (date: Date) => date.toISOString(),
      genre: (genre: string) => `genre ${genre}`,
    };
    const changes = diffRecords(before, after, names).filter((change) => change.changed);
    expect(changes.map((change) => [change.field, change.before, change.after])).toEqual([
      ['headline', 'Titre', 'Nouveau titre'],
      ['tags', 'Chine', 'Chine, Russie'],
    ]);
  });
});
