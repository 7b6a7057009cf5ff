import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measurePageWeight, type PageWeight } from './page-weight.js';
import { get, root, spawnNiced, startKiosque, waitForQuiet, withForeignCpu } from './processes.js';

export const seedArticle = '/fr/poutine-xi-serrent-les-rangs';
const chromePath = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';
const chromeFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LighthouseResult {
  ok: boolean;
  /** Why it could not run, when it could not. */
  reason?: string;
  performance?: number;
  accessibility?: number;
  metrics?: Record<string, string>;
  /** Accessibility audits that failed, by id and title. */
  failedAccessibility?: string[];
  /** Performance audits with a score under 0.9, by id and display value. */
  weakPerformance?: string[];
  lighthouseVersion?: string;
  /** Performance score of each run (the median run is reported). */
  runs?: number[];
  /** Cores' worth of CPU other work took during the reported run. */
  foreignCores?: number;
  weight?: PageWeight;
}

/**
 * Chromium started here rather than by Lighthouse: chrome-launcher detaches it into a session of
 * its own, which on a shared machine leaves it at normal priority behind the harness's nice level.
 */
async function startChromium(port: number, profileDir: string) {
  const chrome = spawnNiced(
    [chromePath, ...chromeFlags, `--remote-debugging-port=${port}`, `--user-data-dir=${profileDir}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => chrome.once('exit', () => resolve()));
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await get(`http://127.0.0.1:${port}/json/version`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: chrome.pid!,
    async stop() {
      chrome.kill('SIGTERM');
      await exited;
    },
  };
}

function runCli(url: string, output: string, chromePort: number): Promise<{ stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnNiced(
      [
        process.execPath,
        path.join(root, 'node_modules/lighthouse/cli/index.js'),
        url,
        '--output=json',
        `--output-path=${output}`,
        '--only-categories=performance,accessibility',
        `--port=${chromePort}`,
        '--quiet',
      ],
      { cwd: root, env: { ...process.env, CHROME_PATH: chromePath }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', () => resolve({ stderr }));
  });
}

interface LighthouseReport {
  lighthouseVersion: string;
  runtimeError?: { message: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<
    string,
    { title: string; score: number | null; scoreDisplayMode: string; displayValue?: string; numericValue?: number }
  >;
}

/** The demo site (default demo content, fresh data folder) and Lighthouse's mobile run on the seed article. */
export async function runLighthouse(port: number, log: (line: string) => void): Promise<LighthouseResult> {
  if (!existsSync(chromePath)) return { ok: false, reason: `no Chromium at ${chromePath}` };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kiosque-lighthouse-'));
  const server = await startKiosque({ dataDir, port, demo: true });
  const url = `${server.url}${seedArticle}`;
  try {
    // A live site has served its images before: the first request of a variant resizes it.
    const html = (await get(url)).body.toString();
    for (const match of html.matchAll(/\/media\/[^\s"',]+/g)) await get(`${server.url}${match[0]}`);
    for (let i = 0; i < 3; i++) await get(url, { 'accept-encoding': 'br, gzip' });
    const weight = await measurePageWeight(url);

    // Lighthouse's own advice: scores move between runs, take the median of several.
    const reports: { report: LighthouseReport; foreignCores: number }[] = [];
    let lastError = '';
    for (let run = 0; run < 3; run++) {
      await waitForQuiet(30_000, log);
      const output = path.join(dataDir, `lighthouse-${run}.json`);
      log(`  lighthouse on ${url} (run ${run + 1} of 3)…`);
      const chromium = await startChromium(9333, path.join(dataDir, `chromium-${run}`));
      const { stderr, foreignCores } = await withForeignCpu([server.process.pid!, chromium.pid], () =>
        runCli(url, output, 9333),
      );
      await chromium.stop();
      if (!existsSync(output)) {
        lastError = `lighthouse wrote no report: ${stderr.trim().slice(-600)}`;
        continue;
      }
      const report = JSON.parse(readFileSync(output, 'utf8')) as LighthouseReport;
      if (report.runtimeError) {
        lastError = report.runtimeError.message;
        continue;
      }
      reports.push({ report, foreignCores });
    }
    if (reports.length === 0) return { ok: false, reason: lastError, weight };
    reports.sort(
      (a, b) => (a.report.categories.performance?.score ?? 0) - (b.report.categories.performance?.score ?? 0),
    );
    const { report, foreignCores } = reports[Math.floor(reports.length / 2)]!;
    const audit = (id: string) => report.audits[id]?.displayValue ?? 'n/a';
    const failed = (category: string, below: number) =>
      (report.categories[category]?.auditRefs ?? [])
        .map((ref) => ({ ref, audit: report.audits[ref.id]! }))
        .filter(
          ({ audit }) =>
            audit.score !== null &&
            audit.score < below &&
            !['notApplicable', 'manual', 'informative'].includes(audit.scoreDisplayMode),
        )
        .map(
          ({ ref, audit }) =>
            `${ref.id} (${audit.displayValue ?? audit.title}${ref.weight ? `, weight ${ref.weight}` : ''})`,
        );
    return {
      ok: true,
      lighthouseVersion: report.lighthouseVersion,
      performance: Math.round((report.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((report.categories.accessibility?.score ?? 0) * 100),
      metrics: {
        'First Contentful Paint': audit('first-contentful-paint'),
        'Largest Contentful Paint': audit('largest-contentful-paint'),
        'Total Blocking Time': audit('total-blocking-time'),
        'Cumulative Layout Shift': audit('cumulative-layout-shift'),
        'Speed Index': audit('speed-index'),
      },
      failedAccessibility: failed('accessibility', 1),
      weakPerformance: failed('performance', 0.9),
      runs: reports.map(({ report: r }) => Math.round((r.categories.performance?.score ?? 0) * 100)),
      foreignCores,
      weight,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
