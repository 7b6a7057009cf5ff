/**
 * `npm run bench:extraction`: the HTML extractor against the article-extraction development split
 * (120 pages, read in place from ../shared/extraction or KIOSQUE_EXTRACTION_DATA), scored as the
 * data's README defines it (bench/extraction-score.ts), beside every anchor extractor scored the
 * same way. The pages are split by a fixed hash of their id into a tuning part (the only failures
 * looked at while improving the extractor) and a held-out part; all three figures are reported.
 * Writes bench/EXTRACTION.md, which bench/results.ts folds into bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { articleText, extractArticle } from '../src/ingest/html-extractor.js';
import { type PageScore, pageF1, type Score, scorePage, summarize } from './extraction-score.js';

const root = path.resolve(import.meta.dirname, '..');
const data = path.resolve(root, process.env.KIOSQUE_EXTRACTION_DATA ?? '../shared/extraction');

/** Fixed split: the first byte of sha256("kiosque-extraction-split:" + id); a third goes to held-out. */
export function isHeldOut(id: string): boolean {
  return createHash('sha256').update(`kiosque-extraction-split:${id}`).digest()[0]! < 86;
}

interface Truth {
  articleBody: string;
  url: string;
}

function main(): void {
  if (!existsSync(path.join(data, 'ground-truth.json'))) {
    console.error(`bench:extraction: no data at ${data} (set KIOSQUE_EXTRACTION_DATA).`);
    process.exitCode = 1;
    return;
  }
  const truth = JSON.parse(readFileSync(path.join(data, 'ground-truth.json'), 'utf8')) as Record<string, Truth>;
  const ids = Object.keys(truth).sort();
  const parts = {
    tuning: ids.filter((id) => !isHeldOut(id)),
    'held-out': ids.filter((id) => isHeldOut(id)),
    all: ids,
  };

  const extracted: Record<string, string> = {};
  const started = performance.now();
  for (const id of ids) {
    const bytes = gunzipSync(readFileSync(path.join(data, 'html', `${id}.html.gz`)));
    try {
      extracted[id] = articleText(extractArticle(bytes, { url: truth[id]!.url }).body);
    } catch (error) {
      console.error(`${id}: ${(error as Error).message}`);
      extracted[id] = '';
    }
  }
  const elapsedMs = performance.now() - started;

  const systems: { name: string; texts: Record<string, string> }[] = [{ name: 'Kiosque', texts: extracted }];
  for (const file of readdirSync(path.join(data, 'anchors')).sort()) {
    const anchor = JSON.parse(readFileSync(path.join(data, 'anchors', file), 'utf8')) as Record<
      string,
      { articleBody?: string }
    >;
    systems.push({
      name: file.replace(/\.json$/, ''),
      texts: Object.fromEntries(ids.map((id) => [id, anchor[id]?.articleBody ?? ''])),
    });
  }

  const perPage: Record<string, PageScore> = Object.fromEntries(
    ids.map((id) => [id, scorePage(truth[id]!.articleBody, extracted[id]!)]),
  );
  const rows = systems.map((system) => {
    const scores = Object.fromEntries(
      Object.entries(parts).map(([part, members]) => [
        part,
        summarize(members.map((id) => scorePage(truth[id]!.articleBody, system.texts[id] ?? ''))),
      ]),
    ) as Record<keyof typeof parts, Score>;
    return { name: system.name, scores };
  });
  rows.sort((a, b) => (a.name === 'Kiosque' ? -1 : b.name === 'Kiosque' ? 1 : b.scores.all.f1 - a.scores.all.f1));

  const f = (value: number) => value.toFixed(3);
  for (const row of rows) {
    const cells = Object.entries(row.scores).map(
      ([part, s]) => `${part} P ${f(s.precision)} R ${f(s.recall)} F1 ${f(s.f1)}`,
    );
    console.log(`${row.name.padEnd(16)} ${cells.join('  |  ')}`);
  }
  console.log(`Kiosque: ${ids.length} pages in ${(elapsedMs / 1000).toFixed(1)} s`);

  if (process.env.EXTRACTION_WORST) {
    const worst = parts.tuning
      .map((id) => ({ id, f1: pageF1(perPage[id]!), s: perPage[id]! }))
      .sort((a, b) => a.f1 - b.f1)
      .slice(0, Number(process.env.EXTRACTION_WORST));
    for (const w of worst)
      console.log(`${w.f1.toFixed(3)} P ${f(w.s.precision ?? 0)} R ${f(w.s.recall ?? 0)} ${w.id} ${truth[w.id]!.url}`);
  }
  if (process.env.EXTRACTION_DUMP) {
    writeFileSync(process.env.EXTRACTION_DUMP, JSON.stringify(extracted));
  }

  writeReport(rows, parts, elapsedMs);
}

function writeReport(
  rows: { name: string; scores: Record<string, Score> }[],
  parts: Record<string, string[]>,
  elapsedMs: number,
): void {
  const f = (value: number) => value.toFixed(3);
  const partNames = Object.keys(parts);
  const lines = [
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC by \`npm run bench:extraction\` on the development split of the Zyte article-extraction benchmark (${parts.all!.length} pages, \`../shared/extraction\`); ${(elapsedMs / 1000).toFixed(1)} s for Kiosque to extract them all.`,
    '',
    `Score as the data's README defines it: 4-word shingles of Unicode \`\\w+\` runs, per-page normalised counts, mean precision and mean recall over pages, F1 of the two means. The pages are split by a fixed hash of their id (\`bench/extraction.ts\`): ${parts.tuning!.length} **tuning** pages, the only ones whose failures were looked at while improving the extractor, and ${parts['held-out']!.length} **held-out** pages, never looked at, so that their figure estimates pages the extractor was not tuned on. The anchors are the other extractors' published outputs, scored by the same code.`,
    '',
    `| extractor | ${partNames.map((p) => `${p} P / R / **F1**`).join(' | ')} |`,
    `| --- | ${partNames.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${row.name === 'Kiosque' ? '**Kiosque**' : row.name} | ${partNames
          .map((p) => {
            const s = row.scores[p]!;
            return `${f(s.precision)} / ${f(s.recall)} / **${f(s.f1)}**`;
          })
          .join(' | ')} |`,
    ),
    '',
  ];
  writeFileSync(path.join(root, 'bench/EXTRACTION.md'), lines.join('\n'));
  foldIntoResults(lines.join('\n'));
  // Formatted as the linter wants it (tables aligned), so a fresh run leaves `npm run lint` clean.
  spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@biomejs/biome/bin/biome'),
      'format',
      '--write',
      'bench/EXTRACTION.md',
      'bench/RESULTS.md',
    ],
    { cwd: root, stdio: 'ignore' },
  );
}

const SECTION = '## Article extraction from HTML pages (issue 12)';

/**
 * Puts the new figures into bench/RESULTS.md now, where `npm run bench` (bench/results.ts) puts
 * bench/EXTRACTION.md: after the test suite's time, before the analysis.
 */
function foldIntoResults(section: string): void {
  const file = path.join(root, 'bench/RESULTS.md');
  if (!existsSync(file)) return;
  const results = readFileSync(file, 'utf8');
  const block = `${SECTION}\n\n${section.trim()}\n\n`;
  const start = results.indexOf(SECTION);
  if (start >= 0) {
    const next = results.indexOf('\n## ', start + SECTION.length);
    writeFileSync(file, results.slice(0, start) + block + (next >= 0 ? results.slice(next + 1) : ''));
    return;
  }
  const analysis = results.indexOf('## Analysis');
  writeFileSync(
    file,
    analysis >= 0 ? results.slice(0, analysis) + block + results.slice(analysis) : `${results.trimEnd()}\n\n${block}`,
  );
}

main();
