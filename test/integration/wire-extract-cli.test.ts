import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runKiosque } from '../support/kiosque-process.js';

const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-wire-extract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const story = (headline: string, lang: string, words: string) => `<!doctype html><html lang="${lang}"><head>
<meta charset="utf-8"><title>${headline}</title></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>${headline}</h1>
<p>${words.repeat(6)}</p><p>Second paragraph: ${words.repeat(5)}</p></article>
<footer>© Agency</footer></body></html>`;

function file(name: string, content: string | Uint8Array): string {
  const target = path.join(folder, name);
  writeFileSync(target, content);
  return target;
}

/** Runs `kiosque wire extract …` through the CLI's entry point, capturing what it prints. */
async function kiosque(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  const code = await main(args);
  return { code, lines: out.join('\n').split('\n').filter(Boolean), stderr: err.join('\n') };
}

describe('kiosque wire extract', () => {
  const french = story('Le pont sera reconstruit', 'fr', 'Le conseil municipal a voté la reconstruction du pont. ');
  const english = story('The bridge will be rebuilt', 'en', 'The town council voted to rebuild the bridge. ');

  it('prints one JSON line per file, a gzip file as well as a plain one', async () => {
    const gz = file('fr.html.gz', gzipSync(french));
    const plain = file('en.html', english);
    const { code, lines, stderr } = await kiosque(['wire', 'extract', gz, plain]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        file: gz,
        headline: 'Le pont sera reconstruit',
        articleBody: `${'Le conseil municipal a voté la reconstruction du pont. '.repeat(6).trim()}\n\nSecond paragraph: ${'Le conseil municipal a voté la reconstruction du pont. '.repeat(5).trim()}`,
        language: 'fr',
      },
      expect.objectContaining({ file: plain, headline: 'The bridge will be rebuilt', language: 'en' }),
    ]);
  });

  it('names each bad file on stderr, still prints the good ones, and exits non-zero', async () => {
    const good = file('good.html', english);
    const missing = path.join(folder, 'missing.html');
    const broken = file('broken.html.gz', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const empty = file('empty.html', '');
    const { code, lines, stderr } = await kiosque(['wire', 'extract', missing, good, broken, empty]);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ file: good, headline: 'The bridge will be rebuilt' });
    expect(stderr.split('\n')).toEqual([
      `kiosque wire extract: ${missing}: no such file`,
      expect.stringMatching(
        new RegExp(`^kiosque wire extract: ${broken}: it starts as gzip but cannot be uncompressed`),
      ),
      `kiosque wire extract: ${empty}: no article text was found in it (is it an HTML page?)`,
    ]);
  });

  it('is a command of the shipped kiosque binary', { timeout: 90_000 }, async () => {
    const plain = file('shipped.html', english);
    const child = runKiosque(['wire', 'extract', plain], {});
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: plain, headline: 'The bridge will be rebuilt', language: 'en' });
  });

  it('explains its use when no file is named', async () => {
    const { code, stderr } = await kiosque(['wire', 'extract']);
    expect(code).toBe(1);
    expect(stderr).toContain('Usage: kiosque wire extract FILE.html');
  });
});
