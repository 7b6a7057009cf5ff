import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, setPriority, totalmem } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrator.js';
import { createTestDatabase, postgresAdminUrl } from '../test/support/databases.js';
import { type ProfileSummary, summarizeProfile } from './cpu-profile.js';
import {
  buildDiscovery,
  type DiscoveryBuild,
  type SearchTiming,
  timeRelatedPerPublish,
  timeSearches,
} from './discovery.js';
import { cacheFolder, ensureSite, fillSite, sitePaths, vocabularyWords } from './generate-site.js';
import {
  type FeedSitemapTiming,
  openApp,
  type PublishTiming,
  type RenderTimings,
  type Stats,
  stats,
  timeFeedsAndSitemaps,
  timePublishToHome,
  timeRenders,
} from './in-process.js';
import { type LighthouseResult, runLighthouse } from './lighthouse.js';
import { measurePageWeight, type PageWeight } from './page-weight.js';
import {
  cpuMs,
  get,
  type LoadResult,
  load,
  niceLevel,
  type RunningServer,
  residentMb,
  root,
  sleep,
  startCeiling,
  startKiosque,
  waitForQuiet,
  withForeignCpu,
} from './processes.js';
import { writeResults } from './results.js';

/**
 * `npm run bench`: generates sites of 1,000, 10,000 and 100,000 articles, serves each with the
 * compiled Kiosque in its own process and measures it with autocannon against a minimal
 * node:http server sending the same bytes; then writes bench/RESULTS.md.
 *
 * BENCH_SIZES=1000,10000 picks sizes; BENCH_DURATION=5 shortens each measurement (seconds);
 * BENCH_LIGHTHOUSE=off and BENCH_PROFILE=off skip those parts; BENCH_BASELINE=<results.json>
 * adds a before/after table; BENCH_PORT (default 4310, and the next one for the ceiling).
 */
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map((size) => Number(size.trim()));
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = 50;
// Two harnesses on one machine (two worktrees) must not measure each other's server: BENCH_PORT.
const port = Number(process.env.BENCH_PORT ?? 4310);
const ceilingPort = port + 1;
const quietWaitMs = Number(process.env.BENCH_QUIET_WAIT ?? 30) * 1000;
const log = (line: string) => console.log(line);

/** One autocannon run, started when the machine is quiet, with the CPU other work took meanwhile. */
async function measure(
  name: string,
  pagePath: string,
  pids: number[],
  input: Parameters<typeof load>[0],
): Promise<Measured> {
  await waitForQuiet(quietWaitMs, log);
  // The first pid is the server under test.
  const cpuBefore = cpuMs(pids[0]!);
  const result = await withForeignCpu(pids, () => load(input));
  const serverCpuUsPerRequest = ((cpuMs(pids[0]!) - cpuBefore) * 1000) / Math.max(1, result.requestsTotal);
  return { name, path: pagePath, ...result, serverCpuUsPerRequest };
}

/** Two runs of the same page as one figure: mean req/s, worst latencies, all errors. */
function combine(runs: Measured[]): Measured {
  const worst = (pick: (run: Measured) => number) => Math.max(...runs.map(pick));
  const sum = (pick: (run: Measured) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    ...runs[0]!,
    requestsPerSecond: sum((run) => run.requestsPerSecond) / runs.length,
    requestsTotal: sum((run) => run.requestsTotal),
    latencyP50: worst((run) => run.latencyP50),
    latencyP99: worst((run) => run.latencyP99),
    latencyMax: worst((run) => run.latencyMax),
    latencyMean: sum((run) => run.latencyMean) / runs.length,
    bytesPerSecond: sum((run) => run.bytesPerSecond) / runs.length,
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    non2xx: sum((run) => run.non2xx),
    duration: sum((run) => run.duration),
    foreignCores: worst((run) => run.foreignCores),
    serverCpuUsPerRequest:
      sum((run) => run.serverCpuUsPerRequest * run.requestsTotal) /
      Math.max(
        1,
        sum((run) => run.requestsTotal),
      ),
  };
}

export interface Measured extends LoadResult {
  name: string;
  path: string;
  /** Cores' worth of CPU other work on the machine took during the measurement. */
  foreignCores: number;
  /** CPU time the server under test spent per request served (µs): what contention does not change. */
  serverCpuUsPerRequest: number;
}

export interface SizeResult {
  size: number;
  databaseMb: number;
  generatedInS: number | null;
  publishedArticles: number;
  /** Wall-clock from spawn, and the server's own CPU time (unaffected by other work on the machine). */
  startup: { healthMs: number[]; homeMs: number[]; healthCpuMs: number[]; homeCpuMs: number[] };
  rssMb: { afterStart: number; afterWarmUp: number; afterHotLoad: number; afterMisses: number };
  ceiling: Measured;
  pages: Measured[];
  ratio: number;
  missSequential: Stats & { htmlRequests: number };
  missConcurrent: Measured;
  render: RenderTimings;
  publish: PublishTiming;
  /** In-process reader searches, and the related work one publication causes (issue #5). */
  search?: SearchTiming;
  relatedPerPublish?: Stats;
  /** Building the search index and every related list of the generated site, in bulk. */
  discoveryBuild?: DiscoveryBuild | null;
  /** Feeds and sitemaps on a cache miss (absent from runs made before they existed). */
  feedsAndSitemaps?: FeedSitemapTiming[];
  weight: PageWeight;
  hotPath: string;
}

export interface BenchResults {
  date: string;
  label: string;
  machine: Record<string, string>;
  commit: string;
  dirty: string[];
  buildOk: boolean;
  /** Nice level of the server, load generator and harness (negative: ahead of other work). */
  niceLevel: number;
  durationS: number;
  connections: number;
  sizes: SizeResult[];
  profiles: { title: string; summary: ProfileSummary }[];
  lighthouse: LighthouseResult | null;
  postgres: PostgresResult | null;
  elapsedS: number;
}

function machine(): Record<string, string> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? process.platform;
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  return {
    CPU: `${model} (${cpus().length} logical cores)`,
    Memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    Node: process.version,
    OS: `${os}, Linux ${kernel}`,
  };
}

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout.trim();
}

function build(): boolean {
  if (process.env.BENCH_SKIP_BUILD === '1') return true;
  log('npm run build…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    // tsc still emits; a type error elsewhere in the tree need not stop the measurement, but it is recorded.
    log(
      `  build reported errors (measuring the emitted dist/ all the same):\n${result.stdout.split('\n').slice(-6).join('\n')}`,
    );
  }
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('npm run build produced no dist/cli/main.js');
  return result.status === 0;
}

/** Requests a page until it is served from the cache with Brotli (made in the background after the first render). */
async function warm(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await get(url, { 'accept-encoding': 'br, gzip' });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (response.headers['content-encoding'] === 'br') {
      await get(url, { 'accept-encoding': 'br, gzip' });
      return;
    }
    await sleep(10);
  }
  throw new Error(`${url} never came with Brotli`);
}

function row(name: string, result: LoadResult): string {
  return `  ${name.padEnd(26)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${String(result.latencyP50).padStart(4)} ms  p99 ${String(result.latencyP99).padStart(4)} ms  errors ${result.errors + result.timeouts}  non-2xx ${result.non2xx}${'foreignCores' in result ? `  (other work ${(result as Measured).foreignCores.toFixed(2)} cores)` : ''}`;
}

async function measureSize(size: number): Promise<SizeResult> {
  const site = await ensureSite(size, log);
  // The server writes (WAL, migrations check): it gets a copy, the cache stays pristine.
  const runDir = path.join(cacheFolder, `run-${size}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  cpSync(site.dataDir, runDir, { recursive: true });
  const paths = sitePaths(path.join(runDir, 'kiosque.sqlite'));
  log(`\n== ${size.toLocaleString('en')} articles (${paths.articles.length.toLocaleString('en')} published) ==`);

  // Start-up: three cold starts of the process; the last one stays up for the measurements.
  const startup = {
    healthMs: [] as number[],
    homeMs: [] as number[],
    healthCpuMs: [] as number[],
    homeCpuMs: [] as number[],
  };
  let server: RunningServer | null = null;
  for (let i = 0; i < 3; i++) {
    if (server) await server.stop();
    server = await startKiosque({ dataDir: runDir, port });
    const home = await get(`${server.url}/fr/`);
    if (home.status !== 200) throw new Error(`/fr/ answered ${home.status}`);
    startup.homeMs.push(performance.now() - server.startedAt);
    startup.homeCpuMs.push(cpuMs(server.process.pid!));
    startup.healthMs.push(server.healthMs);
    startup.healthCpuMs.push(server.healthCpuMs);
  }
  const kiosque = server!;
  const pid = kiosque.process.pid!;
  const rssAfterStart = residentMb(pid);
  log(
    `  start-up: /health ${startup.healthMs.map((ms) => ms.toFixed(0)).join(', ')} ms; /fr/ ${startup.homeMs.map((ms) => ms.toFixed(0)).join(', ')} ms (server CPU to /fr/: ${startup.homeCpuMs.join(', ')} ms)`,
  );

  const targets = [
    { name: 'article page (hot)', path: paths.hot },
    { name: 'home page', path: '/fr/' },
    { name: 'tag page', path: paths.tag },
    { name: 'RSS feed', path: '/fr/rss.xml' },
  ];
  for (const target of targets) await warm(`${kiosque.url}${target.path}`);
  // A few seconds of load on every page before anything is measured, so the JIT has settled.
  for (const target of targets) await load({ url: `${kiosque.url}${target.path}`, connections, duration: 2 });
  const rssAfterWarmUp = residentMb(pid);

  // The ceiling and the hot article alternate twice, so a change in the machine's load hits both.
  const ceilingServer = await startCeiling(`${kiosque.url}${paths.hot}`, ceilingPort);
  const ceilingRuns: Measured[] = [];
  const hotRuns: Measured[] = [];
  for (let round = 0; round < 2; round++) {
    ceilingRuns.push(
      await measure('ceiling (node:http, same bytes)', paths.hot, [ceilingServer.pid, pid], {
        url: `${ceilingServer.url}${paths.hot}`,
        connections,
        duration,
      }),
    );
    log(row(`ceiling, run ${round + 1}`, ceilingRuns.at(-1)!));
    hotRuns.push(
      await measure(targets[0]!.name, paths.hot, [pid, ceilingServer.pid], {
        url: `${kiosque.url}${paths.hot}`,
        connections,
        duration,
      }),
    );
    log(row(`hot article, run ${round + 1}`, hotRuns.at(-1)!));
  }
  await ceilingServer.stop();
  const ceiling = combine(ceilingRuns);

  const pages: Measured[] = [combine(hotRuns)];
  for (const target of targets.slice(1)) {
    const result = await measure(target.name, target.path, [pid], {
      url: `${kiosque.url}${target.path}`,
      connections,
      duration,
    });
    pages.push(result);
    log(row(target.name, result));
  }
  // Search pages are not in the page cache; what the index found for a query is kept until a story
  // of the language changes. Everyone asking the same common word (results kept), then a different
  // word on every request (each one runs on the index: words of the generated vocabulary, common first).
  const searchPath = '/fr/search?q=budget';
  const searched = await get(`${kiosque.url}${searchPath}`);
  if (searched.status !== 200) throw new Error(`${searchPath} answered ${searched.status}`);
  await load({ url: `${kiosque.url}${searchPath}`, connections, duration: 2 });
  const searchLoad = await measure('search, one common word (kept)', searchPath, [pid], {
    url: `${kiosque.url}${searchPath}`,
    connections,
    duration,
  });
  pages.push(searchLoad);
  log(row('search, one common word (kept)', searchLoad));
  const searchPaths = vocabularyWords(20_000).map((word) => `/fr/search?q=${word}`);
  const distinctSearch = await measure('search, a new word each request', '/fr/search?q=…', [pid], {
    url: kiosque.url,
    connections,
    duration,
    paths: searchPaths,
  });
  pages.push(distinctSearch);
  log(row('search, a new word each request', distinctSearch));
  const rssAfterHotLoad = residentMb(pid);
  const ratio = pages[0]!.requestsPerSecond / ceiling.requestsPerSecond;
  log(`  Kiosque/ceiling (hot article): ${ratio.toFixed(2)}`);

  // Cache misses over HTTP: distinct articles, each requested once. Every page measured above is
  // left out, and the sequential and concurrent runs use disjoint sets.
  const used = new Set(targets.map((target) => target.path));
  const fresh = paths.articles.filter((url) => !used.has(url));
  const step = Math.max(1, Math.floor(fresh.length / 300));
  const sequentialPaths = fresh.filter((_, index) => index % step === 0).slice(0, 300);
  const sequentialSet = new Set(sequentialPaths);
  await waitForQuiet(quietWaitMs, log);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const sequentialStarted = performance.now();
  for (const url of sequentialPaths) {
    // Slow misses would make this run for many minutes: a minute is enough for a median and a p99.
    if (latencies.length >= 30 && performance.now() - sequentialStarted > 60_000) break;
    const t0 = performance.now();
    const response = await get(`${kiosque.url}${url}`, { 'accept-encoding': 'br, gzip' }, agent);
    latencies.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  }
  agent.destroy();
  const missSequential = { ...stats(latencies.slice(10)), htmlRequests: latencies.length };
  log(
    `  cache miss, one at a time:  median ${missSequential.median.toFixed(1)} ms  p99 ${missSequential.p99.toFixed(1)} ms (${latencies.length} distinct articles)`,
  );
  const concurrentPaths = fresh.filter((url) => !sequentialSet.has(url));
  // Each article at most once: aim at about `duration` seconds from the sequential rate on all cores.
  const expectedRate = (cpus().length * 1000) / Math.max(0.5, missSequential.median);
  const missConcurrent = await measure('cache miss, 50 connections', '(distinct articles)', [pid], {
    url: kiosque.url,
    connections,
    duration,
    paths: concurrentPaths,
    amount: Math.max(connections, Math.min(concurrentPaths.length, Math.round(expectedRate * duration))),
  });
  log(row(missConcurrent.name, missConcurrent));
  const rssAfterMisses = residentMb(pid);

  const weight = await measurePageWeight(`${kiosque.url}${paths.hot}`);
  await kiosque.stop();

  // In-process: the same database copy, Kiosque built by createApp in this process.
  const app = await openApp(runDir);
  let render: RenderTimings;
  let publish: PublishTiming;
  let search: SearchTiming;
  let relatedPerPublish: Stats;
  let feedsAndSitemaps: FeedSitemapTiming[];
  try {
    render = await timeRenders(app, sequentialPaths.slice(0, 220));
    publish = await timePublishToHome(app, paths.drafts.slice(0, 5));
    search = await timeSearches(app);
    relatedPerPublish = await timeRelatedPerPublish(app, paths.drafts.slice(5, 10));
    feedsAndSitemaps = await timeFeedsAndSitemaps(app, paths.tag);
  } finally {
    await app.close();
  }
  for (const timing of feedsAndSitemaps) {
    log(
      `  ${timing.name.padEnd(30)} miss median ${timing.miss.median.toFixed(1)} ms, max ${timing.miss.max.toFixed(1)} ms (first ${timing.firstMs.toFixed(0)} ms), ${(timing.bytes / 1024).toFixed(0)} KB gzip`,
    );
  }
  log(
    `  search (in-process): p50 ${search.all.median.toFixed(1)} ms, p95 ${search.p95.toFixed(1)} ms; publish → related lists stored: median ${relatedPerPublish.median.toFixed(0)} ms`,
  );
  log(
    `  in-process miss: data ${render.data.median.toFixed(2)} ms + view ${render.view.median.toFixed(2)} ms + gzip/hash ${render.gzipAndHash.median.toFixed(2)} ms; inject ${render.inject.median.toFixed(2)} ms (median)`,
  );
  log(
    `  publish → on home: median ${publish.visibleOnHome.median.toFixed(1)} ms, max ${publish.visibleOnHome.max.toFixed(1)} ms`,
  );

  return {
    size,
    databaseMb: site.bytes / 1e6,
    generatedInS: site.generatedInMs === null ? null : site.generatedInMs / 1000,
    publishedArticles: paths.articles.length,
    startup,
    rssMb: {
      afterStart: rssAfterStart,
      afterWarmUp: rssAfterWarmUp,
      afterHotLoad: rssAfterHotLoad,
      afterMisses: rssAfterMisses,
    },
    ceiling,
    pages,
    ratio,
    missSequential,
    missConcurrent,
    render,
    publish,
    search,
    relatedPerPublish,
    discoveryBuild: readDiscoveryBuild(site.dataDir),
    feedsAndSitemaps,
    weight,
    hotPath: paths.hot,
  };
}

/** Figures written by the generator when it built the site's search index and related lists. */
function readDiscoveryBuild(dataDir: string): DiscoveryBuild | null {
  const file = path.join(dataDir, 'discovery.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DiscoveryBuild) : null;
}

export interface PostgresResult {
  size: number;
  ok: boolean;
  reason?: string;
  generatedInS?: number;
  render?: RenderTimings;
  publish?: PublishTiming;
  search?: SearchTiming;
  relatedPerPublish?: Stats;
  discoveryBuild?: DiscoveryBuild;
  feedsAndSitemaps?: FeedSitemapTiming[];
}

/**
 * The same site in a throwaway PostgreSQL database, measured in-process (cache-miss render and
 * publish → home): the per-database figures. The HTTP figures are SQLite's, the embedded default.
 */
async function measurePostgres(size: number): Promise<PostgresResult> {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  try {
    database = await createTestDatabase('postgres');
  } catch (error) {
    return { size, ok: false, reason: `no PostgreSQL at ${postgresAdminUrl()}: ${(error as Error).message}` };
  }
  try {
    if (database.config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
    log(`\n== PostgreSQL, ${size.toLocaleString('en')} articles ==`);
    const started = performance.now();
    const handle = await openDatabase(database.config);
    await migrateToLatest(handle.db, 'postgres');
    await fillSite(handle.db, size, path.join(database.dataDir, 'media'));
    // A live database has statistics (autovacuum gathers them); a bulk-loaded one needs them now.
    await sql`analyze`.execute(handle.db);
    const discoveryBuild = await buildDiscovery(handle.db, log);
    await sql`analyze`.execute(handle.db);
    await handle.close();
    const generatedInS = (performance.now() - started) / 1000;
    log(`  generated in ${generatedInS.toFixed(1)} s`);
    // Same generator, same size: the same slugs and drafts as the SQLite site.
    const paths = sitePaths((await ensureSite(size)).file);
    const step = Math.max(1, Math.floor(paths.articles.length / 220));
    const sample = paths.articles.filter((_, index) => index % step === 0).slice(0, 220);
    const app = await openApp(database.dataDir, database.config.url);
    // A second instance on the same database hears the publication through LISTEN/NOTIFY.
    const other = await openApp(database.dataDir, database.config.url);
    try {
      const render = await timeRenders(app, sample);
      const publish = await timePublishToHome(app, paths.drafts.slice(0, 5), other);
      const search = await timeSearches(app);
      const relatedPerPublish = await timeRelatedPerPublish(app, paths.drafts.slice(5, 10));
      const feedsAndSitemaps = await timeFeedsAndSitemaps(app, paths.tag);
      for (const timing of feedsAndSitemaps)
        log(
          `  ${timing.name}: miss median ${timing.miss.median.toFixed(1)} ms (first ${timing.firstMs.toFixed(0)} ms)`,
        );
      log(
        `  search (in-process): p50 ${search.all.median.toFixed(1)} ms, p95 ${search.p95.toFixed(1)} ms; publish → related lists stored: median ${relatedPerPublish.median.toFixed(0)} ms`,
      );
      log(
        `  in-process miss: data ${render.data.median.toFixed(2)} ms + view ${render.view.median.toFixed(2)} ms; inject ${render.inject.median.toFixed(2)} ms (median)`,
      );
      log(
        `  publish → on home: median ${publish.visibleOnHome.median.toFixed(1)} ms, max ${publish.visibleOnHome.max.toFixed(1)} ms`,
      );
      if (publish.visibleElsewhere)
        log(
          `  publish → on the other instance's home: median ${publish.visibleElsewhere.median.toFixed(1)} ms, max ${publish.visibleElsewhere.max.toFixed(1)} ms`,
        );
      return {
        size,
        ok: true,
        generatedInS,
        render,
        publish,
        search,
        relatedPerPublish,
        discoveryBuild,
        feedsAndSitemaps,
      };
    } finally {
      await other.close();
      await app.close();
    }
  } catch (error) {
    return { size, ok: false, reason: (error as Error).message };
  } finally {
    await database.drop();
  }
}

/** CPU profiles of the server (node --cpu-prof) under the hot-article load and under cache misses. */
async function profile(size: number): Promise<{ title: string; summary: ProfileSummary }[]> {
  const runDir = path.join(cacheFolder, `run-${size}`);
  const paths = sitePaths(path.join(runDir, 'kiosque.sqlite'));
  const profiles: { title: string; summary: ProfileSummary }[] = [];
  for (const kind of ['hot article page', 'cache misses (distinct articles)'] as const) {
    const dir = path.join(cacheFolder, 'profiles', kind.startsWith('hot') ? 'hot' : 'miss');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const server = await startKiosque({ dataDir: runDir, port, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    await waitForQuiet(quietWaitMs, log);
    if (kind.startsWith('hot')) await warm(`${server.url}${paths.hot}`);
    const skipMs = performance.now() - server.startedAt;
    if (kind.startsWith('hot')) {
      await load({ url: `${server.url}${paths.hot}`, connections, duration: Math.min(duration, 5) });
    } else {
      // Distinct articles the measurements did not ask for (their pages are not in this fresh process's cache anyway).
      await load({ url: server.url, connections, duration: Math.min(duration, 5), paths: paths.articles.slice(10) });
    }
    await server.stop();
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) {
      log(`  no profile written for ${kind}`);
      continue;
    }
    profiles.push({
      title: `${kind}, ${size.toLocaleString('en')} articles`,
      summary: summarizeProfile(path.join(dir, file), root, 20, skipMs),
    });
    log(`  profiled ${kind}`);
  }
  return profiles;
}

const baselineFile = process.env.BENCH_BASELINE;
const baseline = baselineFile ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as BenchResults) : null;
if (process.argv.includes('--write-only')) {
  // Rewrites RESULTS.md from results.json (after editing ANALYSIS.md), measuring nothing.
  writeResults(JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as BenchResults, baseline);
  log('wrote bench/RESULTS.md from bench/results.json');
  process.exit(0);
}
if (process.argv.includes('--lighthouse-only')) {
  // Re-measures Lighthouse alone into results.json, keeping every other figure.
  raisePriority();
  const previous = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as BenchResults;
  previous.lighthouse = await runLighthouse(port, log);
  const lh = previous.lighthouse;
  log(lh.ok ? `  performance ${lh.performance}, accessibility ${lh.accessibility}` : `  could not run: ${lh.reason}`);
  writeResults(previous, baseline);
  process.exit(0);
}
const started = performance.now();
raisePriority();
function raisePriority() {
  if (niceLevel >= 0) return;
  // The in-process measurements run here: this thread gets the same priority as the servers.
  setPriority(niceLevel);
  // With autogroup scheduling, nice only orders processes within one session; this session's
  // group (the harness and every process it starts) gets the same priority against the others.
  try {
    writeFileSync('/proc/self/autogroup', String(niceLevel));
  } catch {
    // No autogroup on this kernel: the per-process nice level is what counts.
  }
}
const buildOk = build();
const results: BenchResults = {
  date: new Date().toISOString(),
  label: process.env.BENCH_LABEL ?? '',
  machine: machine(),
  // BENCH_COMMIT names the commit when the tree measured is an export of it (no .git).
  commit: process.env.BENCH_COMMIT ?? git(['rev-parse', '--short', 'HEAD']),
  dirty: git(['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean),
  buildOk,
  niceLevel,
  durationS: duration,
  connections,
  sizes: [],
  profiles: [],
  lighthouse: null,
  postgres: null,
  elapsedS: 0,
};
for (const size of sizes) results.sizes.push(await measureSize(size));
if (process.env.BENCH_POSTGRES !== 'off') {
  const size = Number(process.env.BENCH_POSTGRES_SIZE ?? Math.min(10_000, Math.max(...sizes)));
  results.postgres = await measurePostgres(size);
  if (!results.postgres.ok) log(`  PostgreSQL not measured: ${results.postgres.reason}`);
}
if (process.env.BENCH_PROFILE !== 'off') {
  log('\n== profiles ==');
  results.profiles = await profile(Math.max(...sizes));
}
if (process.env.BENCH_LIGHTHOUSE !== 'off') {
  log('\n== Lighthouse (demo site) ==');
  try {
    results.lighthouse = await runLighthouse(port, log);
  } catch (error) {
    results.lighthouse = { ok: false, reason: (error as Error).message };
  }
  const lh = results.lighthouse;
  log(lh.ok ? `  performance ${lh.performance}, accessibility ${lh.accessibility}` : `  could not run: ${lh.reason}`);
}
results.elapsedS = (performance.now() - started) / 1000;
writeResults(results, baseline);
log(`\nwrote bench/RESULTS.md and bench/results.json in ${(results.elapsedS / 60).toFixed(1)} min`);
