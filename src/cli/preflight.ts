import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isPublishable, preflight } from '../domain/preflight/preflight.js';
import { storyFromFile } from '../domain/preflight/story-file.js';

const usage = `Usage: kiosque preflight [--wire] FILE.md [FILE.md …]

Runs the newsroom's preflight checks on stories kept as files: Markdown with an optional front
matter (headline, language, authors, date, source, source_url, syndicated, image: alt | credit),
or plain text with the headline first (paragraphs separated by blank lines). Prints one JSON
object a finding: {"file", "code", "severity", "paragraph", "words"}. A fact a file does not give
is reported missing, as the editor would. --wire checks every file as wire copy.

Exit status: 0 nothing blocks, 1 a finding blocks publication, 2 a file could not be read.`;

/** The file's text, or why it cannot be checked. */
async function textOf(file: string): Promise<{ text: string } | { reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'it is a folder, not a file',
      EACCES: 'permission denied',
    };
    return { reason: reasons[code ?? ''] ?? (error as Error).message };
  }
  if (bytes.includes(0)) return { reason: 'it is not a text file (it holds NUL bytes)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { reason: 'it is not UTF-8 text; save it as UTF-8 and try again' };
  }
}

/** `kiosque preflight FILE…`: the editor's checks, on files, for scripts and the wire desk. */
export async function runPreflight(args: string[]): Promise<number> {
  let parsed: { values: { wire?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { wire: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`kiosque preflight: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    console.error(`kiosque preflight: name at least one file.\n\n${usage}`);
    return 2;
  }
  let status = 0;
  for (const file of parsed.positionals) {
    const read = await textOf(file);
    const story = 'text' in read ? storyFromFile(read.text) : { ok: false as const, reason: read.reason };
    if (!story.ok) {
      console.error(`kiosque preflight: cannot read ${file}: ${story.reason}.`);
      status = 2;
      continue;
    }
    const findings = preflight(parsed.values.wire ? { ...story.story, syndicated: true } : story.story);
    for (const finding of findings) {
      console.log(
        JSON.stringify({
          file,
          code: finding.code,
          severity: finding.severity,
          paragraph: finding.paragraph ?? null,
          words: finding.excerpt ?? null,
        }),
      );
    }
    if (!isPublishable(findings) && status === 0) status = 1;
  }
  return status;
}
