import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { articleText, extractArticle } from '../ingest/html-extractor.js';

const usage = `Usage: kiosque wire extract FILE.html [FILE.html …]

Extracts the article of each saved HTML page (gzip files too) and prints one JSON object per
line: {"file", "headline", "articleBody", "language"}. A file that cannot be read or holds no
article is named on stderr; the others still print, and the exit code is then 1.`;

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

async function extractFile(file: string): Promise<string> {
  let bytes: Uint8Array = await readFile(file);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`it starts as gzip but cannot be uncompressed (${(error as Error).message})`);
    }
  }
  const item = extractArticle(bytes);
  const articleBody = articleText(item.body);
  if (articleBody === '') throw new Error('no article text was found in it (is it an HTML page?)');
  return JSON.stringify({ file, headline: item.headline, articleBody, language: item.language });
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

async function runExtract(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error(`kiosque wire extract: name at least one file.\n\n${usage}`);
    return 1;
  }
  let failed = 0;
  for (const file of files) {
    try {
      console.log(await extractFile(file));
    } catch (error) {
      failed++;
      console.error(`kiosque wire extract: ${file}: ${reason(error)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

/** `kiosque wire …`: the wire desk's command-line tools (`extract` for now). */
export async function runWire(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'extract') return runExtract(rest);
  if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    console.log(usage);
    return 0;
  }
  console.error(usage);
  return 1;
}
