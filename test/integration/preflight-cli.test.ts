import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

// `kiosque preflight` through the CLI's entry point, on real files in a temporary folder.
const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-preflight-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const seed = path.join(folder, 'article-fr.txt');
copyFileSync(path.resolve(import.meta.dirname, '../fixtures/seed/article-fr.txt'), seed);

function file(name: string, content: string | Buffer): string {
  const at = path.join(folder, name);
  writeFileSync(at, content);
  return at;
}

interface Line {
  file: string;
  code: string;
  severity: string;
  paragraph: number | null;
  words: string | null;
}

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
});
afterEach(() => vi.restoreAllMocks());

async function preflight(...args: string[]): Promise<{ code: number; lines: Line[] }> {
  const code = await main(['preflight', ...args]);
  return { code, lines: out.map((line) => JSON.parse(line) as Line) };
}

const cleanStory = `---
headline: Poutine et Xi serrent les rangs à Pékin
language: fr
authors:
  - Marie Dupont
  - Karim Haddad
date: 2022-02-04T18:00:00Z
source: Agence Exemple
source_url: https://agence.example.org/depeches/42
image: Vladimir Poutine et Xi Jinping au palais du Peuple | Agence Exemple
---
Vladimir Poutine et Xi Jinping se sont rencontrés vendredi à Pékin, en marge des Jeux olympiques d’hiver.

Les deux dirigeants ont signé un communiqué conjoint sur l’Ukraine et Taïwan.
`;

describe('kiosque preflight', () => {
  it('prints the seed page’s defects as JSON lines, with paragraph and words, and exits 1', async () => {
    const { code, lines } = await preflight('--wire', seed);
    expect(code).toBe(1);
    expect(lines.every((line) => line.file === seed)).toBe(true);
    expect(lines).toContainEqual({
      file: seed,
      code: 'SOURCE_SITE_CHROME',
      severity: 'warning',
      paragraph: 1,
      words: 'Share Post:',
    });
    expect(lines).toContainEqual({
      file: seed,
      code: 'HEADLINE_REPEATED_IN_BODY',
      severity: 'warning',
      paragraph: 5,
      words: 'Poutine et Xi serrent les rangs face à l’Occident sur l’Ukraine et Taïwan',
    });
    const blocking = lines.filter((line) => line.severity === 'blocking').map((line) => line.code);
    expect(blocking.sort()).toEqual(['NO_BYLINE', 'NO_DATE', 'NO_ORIGINAL_URL', 'NO_SOURCE_CREDIT']);
    expect(err).toEqual([]);
  });

  it('exits 0 and prints nothing for a clean, credited wire story in Markdown', async () => {
    const { code, lines } = await preflight(file('propre.md', cleanStory));
    expect(lines).toEqual([]);
    expect(code).toBe(0);
  });

  it('blocks wire copy whose front matter gives no usable link to the original', async () => {
    const unlinked = file('sans-lien.md', cleanStory.replace(/^source_url: .*\n/m, ''));
    const scripted = file('lien-script.md', cleanStory.replace(/^source_url: .*$/m, 'source_url: javascript:alert(1)'));
    const { code, lines } = await preflight(unlinked, scripted);
    expect(code).toBe(1);
    expect(lines).toEqual([
      { file: unlinked, code: 'NO_ORIGINAL_URL', severity: 'blocking', paragraph: null, words: null },
      { file: scripted, code: 'NO_ORIGINAL_URL', severity: 'blocking', paragraph: null, words: null },
    ]);
  });

  it('exits 0 on warnings alone: the person reads them and decides', async () => {
    const { code, lines } = await preflight(
      file('avertissement.md', cleanStory.replace('Les deux dirigeants', 'Stay Connected\n\nLes deux dirigeants')),
    );
    expect(code).toBe(0);
    expect(lines.map((line) => [line.code, line.paragraph, line.words])).toEqual([
      ['SOURCE_SITE_CHROME', 2, 'Stay Connected'],
      ['PARAGRAPH_IN_OTHER_LANGUAGE', 2, 'Stay Connected'],
    ]);
  });

  it('exits 2 with a clear line for each file it cannot read, and still checks the others', async () => {
    const latin1 = file('latin1.md', Buffer.from('Caf\xe9 cr\xe8me\n', 'latin1'));
    const unclosed = file('ouvert.md', '---\nheadline: Sans fin\n\nLe texte.\n');
    const missing = path.join(folder, 'absent.md');
    const { code, lines } = await preflight(latin1, unclosed, missing, file('propre-2.md', cleanStory));
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(err).toEqual([
      `kiosque preflight: cannot read ${latin1}: it is not UTF-8 text; save it as UTF-8 and try again.`,
      `kiosque preflight: cannot read ${unclosed}: the front matter opened by "---" on line 1 is never closed.`,
      `kiosque preflight: cannot read ${missing}: no such file.`,
    ]);
  });

  it('exits 2 with its usage when no file is named', async () => {
    expect(await main(['preflight'])).toBe(2);
    expect(err.join('\n')).toContain('Usage: kiosque preflight');
  });
});
