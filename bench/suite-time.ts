/**
 * Times the whole test suite (`npm test`, i.e. `vitest run`) on this machine and writes
 * bench/SUITE.md — total wall time, counts, and the slowest files — which `npm run bench` folds
 * into RESULTS.md. Issue 11: the suite must stay under 10 minutes on the 2-core machine.
 *
 * Run with `npm run bench:suite` (CI=true so nothing is skipped for a missing server or browser).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-suite-'));
const output = path.join(folder, 'vitest.json');
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${output}`],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true' } },
);
const wallSeconds = (Date.now() - started) / 1000;
const report = JSON.parse(readFileSync(output, 'utf8')) as VitestJson;
rmSync(folder, { recursive: true, force: true });

const files = report.testResults
  .map((file) => ({
    file: path.relative(root, file.name),
    seconds: (file.endTime - file.startTime) / 1000,
    tests: file.assertionResults.length,
  }))
  .sort((a, b) => b.seconds - a.seconds);
const failed = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((test) => test.status === 'failed')
    .map((test) => `${path.relative(root, file.name)} › ${test.fullName}`),
);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const minutes = (wallSeconds / 60).toFixed(1);

const lines = [
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:suite\` at commit \`${commit}\`, on ${cpus().length} cores (the machine CI runs on), with \`CI=true\`.`,
  '',
  '| what | figure |',
  '| --- | --- |',
  `| wall time of \`npm test\` (budget: 10 min) | **${minutes} min** (${wallSeconds.toFixed(0)} s)${wallSeconds > 600 ? ' — **over budget**' : ''} |`,
  `| tests | ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped, in ${files.length} files |`,
  `| exit code | ${run.status} |`,
  ...(failed.length > 0 ? ['', 'Failed:', '', ...failed.map((name) => `- ${name}`)] : []),
  '',
  'Slowest files (time from the file’s first test to its last, workers run two files at once):',
  '',
  '| file | tests | seconds |',
  '| --- | --- | --- |',
  ...files.slice(0, 15).map((file) => `| \`${file.file}\` | ${file.tests} | ${file.seconds.toFixed(1)} |`),
  '',
];
writeFileSync(path.join(root, 'bench/SUITE.md'), lines.join('\n'));
spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', 'bench/SUITE.md'],
  {
    cwd: root,
    stdio: 'ignore',
  },
);
console.log(
  `npm test: ${minutes} min, ${report.numPassedTests} passed, ${report.numFailedTests} failed (bench/SUITE.md)`,
);
process.exitCode = run.status ?? 1;
