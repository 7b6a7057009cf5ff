import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileRow } from './cpu-profile.js';
import type { DiscoveryBuild, SearchTiming } from './discovery.js';
import type { Stats } from './in-process.js';
import { root } from './processes.js';
import type { BenchResults, Measured, SizeResult } from './run.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number, digits = 1) => `${value.toFixed(digits)} ms`;
const n = (value: number) => Math.round(value).toLocaleString('en');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const failures = (result: Measured) => result.errors + result.timeouts;

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

function target(
  name: string,
  figure: string,
  pass: boolean | null,
  miss: string,
): { name: string; figure: string; verdict: string; miss: string } {
  return {
    name,
    figure,
    verdict: pass === null ? 'not measured' : pass ? '**pass**' : '**FAIL**',
    miss: pass ? '' : miss,
  };
}

function targets(results: BenchResults) {
  const largest = results.sizes.at(-1);
  const at = largest ? `${n(largest.size)} articles` : '';
  const full = largest?.size === 100_000 ? '' : ' (100,000 not measured in this run)';
  const rows = [];
  for (const size of results.sizes) {
    const hot = size.pages[0]!;
    rows.push(
      target(
        `Hot article ≥ 0.7× ceiling req/s (${n(size.size)} articles)`,
        `${size.ratio.toFixed(2)}× (${n(hot.requestsPerSecond)} vs ${n(size.ceiling.requestsPerSecond)} req/s)${hot.serverCpuUsPerRequest ? `; by server CPU per request ${(size.ceiling.serverCpuUsPerRequest / hot.serverCpuUsPerRequest).toFixed(2)}×` : ''}`,
        size.ratio >= 0.7,
        `${((0.7 - size.ratio) * 100).toFixed(0)} points short: ${n(0.7 * size.ceiling.requestsPerSecond - hot.requestsPerSecond)} req/s more needed`,
      ),
      target(
        `Hot article p99 < 20 ms at 50 connections, zero errors (${n(size.size)} articles)`,
        `p99 ${hot.latencyP99} ms, ${failures(hot)} errors, ${hot.non2xx} non-2xx`,
        hot.latencyP99 < 20 && failures(hot) === 0 && hot.non2xx === 0,
        `p99 ${hot.latencyP99 - 20} ms over / ${failures(hot) + hot.non2xx} failed requests`,
      ),
    );
  }
  if (largest) {
    rows.push(
      target(
        `Cache-miss render < 5 ms median at ${at}${full}`,
        `${ms(largest.missSequential.median)} over HTTP (in-process ${ms(largest.render.inject.median, 2)}${largest.render.injectCpu ? `, of which CPU ${ms(largest.render.injectCpu.median, 2)}` : ''})`,
        largest.missSequential.median < 5,
        `${(largest.missSequential.median / 5).toFixed(1)}× the budget (${ms(largest.missSequential.median - 5)} over)`,
      ),
      target(
        `Publish → visible on home < 100 ms (${at})`,
        `median ${ms(largest.publish.visibleOnHome.median)}, worst ${ms(largest.publish.visibleOnHome.max)}`,
        largest.publish.visibleOnHome.max < 100,
        `${ms(largest.publish.visibleOnHome.max - 100)} over at worst`,
      ),
      target(
        `Start-up < 2 s at ${at}${full}`,
        `first /health ${ms(median(largest.startup.healthMs), 0)}, first home page ${ms(median(largest.startup.homeMs), 0)} (median of 3)${largest.startup.homeCpuMs ? `; the server's own CPU time to the home page ${ms(median(largest.startup.homeCpuMs), 0)}` : ''}`,
        median(largest.startup.homeMs) < 2000,
        `${ms(median(largest.startup.homeMs) - 2000, 0)} over`,
      ),
      target(
        `Resident memory < 250 MB at ${at}${full}`,
        `${largest.rssMb.afterWarmUp.toFixed(0)} MB after warm-up, ${largest.rssMb.afterMisses.toFixed(0)} MB with the page cache filled by misses`,
        largest.rssMb.afterWarmUp < 250 && largest.rssMb.afterMisses < 250,
        `${(Math.max(largest.rssMb.afterWarmUp, largest.rssMb.afterMisses) - 250).toFixed(0)} MB over`,
      ),
    );
    const w = results.lighthouse?.weight ?? largest.weight;
    const brotli = w.html.brotli + w.css.brotli + w.js.brotli;
    const gzip = w.html.gzip + w.css.gzip + w.js.gzip;
    rows.push(
      target(
        'Article page HTML + CSS + JS < 40 KB compressed',
        `${kb(brotli)} Brotli, ${kb(gzip)} gzip (${results.lighthouse?.weight ? 'demo seed article' : 'generated article'})`,
        gzip < 40 * 1024,
        `${kb(gzip - 40 * 1024)} over`,
      ),
      target(
        'No third-party request, no render-blocking script',
        `${w.thirdParty.length} third-party, ${w.blockingScripts} blocking scripts`,
        w.thirdParty.length === 0 && w.blockingScripts === 0,
        w.thirdParty.join(', '),
      ),
    );
  }
  const lh = results.lighthouse;
  rows.push(
    target(
      'Lighthouse performance ≥ 95 (mobile, demo seed article)',
      lh?.ok ? String(lh.performance) : (lh?.reason ?? 'skipped'),
      lh?.ok ? (lh.performance ?? 0) >= 95 : null,
      `${95 - (lh?.performance ?? 0)} points short`,
    ),
    target(
      'Lighthouse accessibility = 100',
      lh?.ok ? String(lh.accessibility) : (lh?.reason ?? 'skipped'),
      lh?.ok ? lh.accessibility === 100 : null,
      `${100 - (lh?.accessibility ?? 0)} points short: ${(lh?.failedAccessibility ?? []).join('; ')}`,
    ),
  );
  return rows;
}

function loadTable(size: SizeResult): string {
  const rows = [size.ceiling, ...size.pages].map((result) => [
    result.name,
    `\`${result.path}\``,
    n(result.requestsPerSecond),
    result.latencyP50,
    result.latencyP99,
    result.latencyMax,
    failures(result),
    result.non2xx,
    (result.requestsPerSecond / size.ceiling.requestsPerSecond).toFixed(2),
    result.serverCpuUsPerRequest === undefined ? '' : result.serverCpuUsPerRequest.toFixed(0),
    result.foreignCores.toFixed(2),
  ]);
  return table(
    [
      'page',
      'path',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'non-2xx',
      '× ceiling',
      'server CPU µs/request',
      'other work (cores)',
    ],
    rows,
  );
}

/** Issue #5's figures: search latency and related work, per database, and building them in bulk. */
function discoverySection(results: BenchResults): string[] {
  const measured: { name: string; search?: SearchTiming; related?: Stats; build?: DiscoveryBuild | null }[] = [
    ...results.sizes.map((size) => ({
      name: `SQLite, ${n(size.size)} articles`,
      search: size.search,
      related: size.relatedPerPublish,
      build: size.discoveryBuild,
    })),
    ...(results.postgres?.ok
      ? [
          {
            name: `PostgreSQL, ${n(results.postgres.size)} articles`,
            search: results.postgres.search,
            related: results.postgres.relatedPerPublish,
            build: results.postgres.discoveryBuild,
          },
        ]
      : []),
  ].filter((row) => row.search);
  if (measured.length === 0) return [];
  const queries = measured[0]!.search!.perQuery;
  return [
    '## Discovery (issue #5): search and related stories',
    '',
    'In-process: `app.search.search()` is the whole reader search (match, count, summaries, snippets), each query 11 times after one warm-up, every time on the index (the search cache is emptied before each call); "publish → related stored" runs from calling `publish()` (which writes the search document in its transaction) to the story\'s list and the lists it joined being stored, over 5 drafts. The build columns are the generator indexing every story, then computing the lists of the newest 50 one story at a time as publications would (the others keep the generator’s lists of four stories sharing a tag), once per generated site. HTTP search load is in the per-size tables: everyone asking `/fr/search?q=budget` (answered from the search cache after the first), then a different word of the generated vocabulary on every request (each runs on the index).',
    '',
    table(
      [
        'database, size',
        'search p50 ms',
        'search p95 ms',
        'publish → related stored, median / max ms',
        'index build s',
        'related lists build s (lists)',
      ],
      measured.map((row) => [
        row.name,
        row.search!.all.median.toFixed(1),
        row.search!.p95.toFixed(1),
        row.related ? `${row.related.median.toFixed(0)} / ${row.related.max.toFixed(0)}` : '',
        row.build ? row.build.indexedInS.toFixed(0) : '',
        row.build ? `${row.build.relatedInS.toFixed(0)} (${n(row.build.lists)})` : '',
      ]),
    ),
    '',
    'Median ms per query, and how many stories it finds:',
    '',
    table(
      ['query', 'kind', ...measured.map((row) => row.name)],
      queries.map((query, i) => [
        `\`${query.language}: ${query.q}\``,
        query.kind,
        ...measured.map((row) => {
          const q = row.search!.perQuery[i]!;
          return `${q.median.toFixed(1)} (${n(q.total)})`;
        }),
      ]),
    ),
    '',
  ];
}

function statsCells(s: Stats, digits = 2) {
  return [s.median.toFixed(digits), s.p99.toFixed(digits)];
}

function profileTable(rows: ProfileRow[], withWhere: boolean): string {
  return table(
    withWhere ? ['self ms', 'share', 'function', 'where'] : ['self ms', 'share', 'module'],
    rows.map((row) =>
      withWhere
        ? [
            row.selfMs.toFixed(0),
            `${(row.share * 100).toFixed(1)}%`,
            `\`${row.name}\``,
            row.where ? `\`${row.where}\`` : '',
          ]
        : [row.selfMs.toFixed(0), `${(row.share * 100).toFixed(1)}%`, `\`${row.name}\``],
    ),
  );
}

function comparison(results: BenchResults, baseline: BenchResults): string {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    const before = baseline.sizes.find((s) => s.size === size.size);
    if (!before) continue;
    const pair = (name: string, a: number, b: number, unit: string, digits = 1) => [
      `${n(size.size)}: ${name}`,
      `${a.toFixed(digits)} ${unit}`,
      `${b.toFixed(digits)} ${unit}`,
    ];
    rows.push(
      pair('cache-miss article, median (HTTP)', before.missSequential.median, size.missSequential.median, 'ms'),
    );
    rows.push(pair('cache-miss article, p99 (HTTP)', before.missSequential.p99, size.missSequential.p99, 'ms'));
    rows.push(
      pair(
        'cache misses at 50 connections',
        before.missConcurrent.requestsPerSecond,
        size.missConcurrent.requestsPerSecond,
        'req/s',
        0,
      ),
    );
    rows.push(pair('first home page after spawn', median(before.startup.homeMs), median(size.startup.homeMs), 'ms', 0));
    rows.push(pair('publish → on home, worst', before.publish.visibleOnHome.max, size.publish.visibleOnHome.max, 'ms'));
    rows.push(pair('hot article', before.pages[0]!.requestsPerSecond, size.pages[0]!.requestsPerSecond, 'req/s', 0));
  }
  return table(
    ['figure', `before (${baseline.date.slice(0, 16)}Z, ${baseline.commit})`, `after (${results.date.slice(0, 16)}Z)`],
    rows,
  );
}

/** Writes bench/RESULTS.md (for people) and bench/results.json (for the next run's comparison). */
export function writeResults(results: BenchResults, baseline: BenchResults | null): void {
  writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const out: string[] = [];
  out.push('# Kiosque benchmark results', '');
  out.push(
    `Measured ${results.date.replace('T', ' ').slice(0, 19)} UTC by \`npm run bench\` (${(results.elapsedS / 60).toFixed(1)} min) at commit \`${results.commit}\`${results.dirty.length > 0 ? `, with uncommitted changes in the tree under src/ (${results.dirty.length} files, other work in progress)` : ''}.${results.buildOk ? '' : ' `npm run build` reported type errors elsewhere in the tree; the emitted dist/ was measured.'} Figures in \`bench/results.json\`.`,
    '',
  );
  out.push('## Machine', '', table(['', ''], Object.entries(results.machine)), '');
  out.push(
    '## How',
    '',
    `- Sites of ${results.sizes.map((s) => n(s.size)).join(', ')} articles (French and English, most in translation pairs; sections, skewed tags, authors, hero images on 90 %, galleries on 10 %, 1 % drafts, 0.5 % deleted, one or two revisions each) generated straight into SQLite through Kysely and cached in \`bench/.cache/\`.`,
    '- Kiosque runs compiled (`node dist/cli/main.js serve`, `LOG_LEVEL=warn`, `KIOSQUE_DEMO=off`) in its own process on a copy of the database; autocannon runs in another process (`bench/load.ts`); both on this machine over loopback, in the same run.',
    `- Every measurement: ${results.connections} connections, ${results.durationS} s, \`Accept-Encoding: br, gzip\`, after a warm-up (each page requested until its Brotli body is cached, then 2 s of load). The ceiling and the hot article are measured alternately, twice each (mean req/s, worst latencies).`,
    `- This machine is shared (other sessions build and test on it at the same time). ${results.niceLevel < 0 ? `The server, the ceiling, the load generator and the harness ran at nice ${results.niceLevel} (process and autogroup), so that they get the CPU first, as on a machine of their own; other work still takes what they leave, and its wake-ups interrupt them.` : 'The processes ran at normal priority.'}`,
    '- Each measurement waits (up to 30 s) for the machine to be quiet, and the column "other work (cores)" says how much CPU other processes took during it, from /proc/stat less the server, the harness and its load generators. A figure taken with other work above ~0.3 cores is pessimistic.',
    '- Ceiling: `bench/ceiling-server.ts`, a bare `node:http` server answering with the bytes and headers Kiosque sent for the hot article (Brotli), from memory.',
    '- Cache miss: distinct published articles, each requested once, one at a time over a kept-alive connection (median, p99), and at 50 connections; in-process, the same work timed part by part.',
    '- Publish → home: in-process (`createApp` on the same database copy; `app.articles.publish` then `GET /fr/` through `app.server.inject` until the headline appears), the home page hot in the cache beforehand.',
    '',
  );

  out.push('## Targets (issue #7)', '');
  out.push(
    table(
      ['target', 'measured', 'verdict', 'short by'],
      targets(results).map((t) => [t.name, t.figure, t.verdict, t.miss]),
    ),
    '',
  );

  for (const size of results.sizes) {
    out.push(`## ${n(size.size)} articles`, '');
    out.push(
      `${n(size.publishedArticles)} published; database ${size.databaseMb.toFixed(0)} MB${size.generatedInS !== null ? `, generated in ${size.generatedInS.toFixed(1)} s` : ' (from the cache)'}.`,
      '',
    );
    out.push(loadTable(size), '');
    const hot = size.pages[0]!;
    const cpuRatio =
      hot.serverCpuUsPerRequest && size.ceiling.serverCpuUsPerRequest
        ? size.ceiling.serverCpuUsPerRequest / hot.serverCpuUsPerRequest
        : null;
    out.push(
      `Kiosque/ceiling for the hot article: **${size.ratio.toFixed(2)}** in requests per second${cpuRatio ? `; **${cpuRatio.toFixed(2)}** in server CPU time per request (${hot.serverCpuUsPerRequest.toFixed(0)} µs against ${size.ceiling.serverCpuUsPerRequest.toFixed(0)} µs), a measure other work on the machine does not skew` : ''}.`,
      '',
    );
    out.push('Cache misses (article page, distinct articles):', '');
    out.push(
      table(
        ['measure', 'median ms', 'p99 ms'],
        [
          ['over HTTP, one at a time (first request of each article)', ...statsCells(size.missSequential, 1)],
          ['in-process: whole request (`app.server.inject`)', ...statsCells(size.render.inject)],
          ...(size.render.injectCpu
            ? [['in-process: CPU time of the whole request (all threads)', ...statsCells(size.render.injectCpu)]]
            : []),
          ['in-process: data (`reading.article()` + section menu)', ...statsCells(size.render.data)],
          ['in-process: view (`renderToString(ArticlePage)`)', ...statsCells(size.render.view)],
          ['in-process: gzip level 6 + sha1 before the first response', ...statsCells(size.render.gzipAndHash)],
          [
            'in-process: Brotli quality 11, after the response (background)',
            ...statsCells(size.render.brotliBackground),
          ],
        ],
      ),
      '',
    );
    const mc = size.missConcurrent;
    out.push(
      `At ${results.connections} connections, misses only: **${n(mc.requestsPerSecond)} req/s**, p50 ${mc.latencyP50} ms, p99 ${mc.latencyP99} ms, ${failures(mc)} errors, ${mc.non2xx} non-2xx (${n(mc.requestsTotal)} requests, other work on the machine meanwhile ${mc.foreignCores.toFixed(2)} cores). Article HTML ${kb(size.render.htmlBytes)} uncompressed.`,
      '',
    );
    out.push(
      table(
        ['start-up and memory', 'value'],
        [
          ['spawn → first 200 on /health (3 starts)', size.startup.healthMs.map((v) => ms(v, 0)).join(', ')],
          ['spawn → first 200 on /fr/ (3 starts)', size.startup.homeMs.map((v) => ms(v, 0)).join(', ')],
          ...(size.startup.homeCpuMs
            ? [
                [
                  "server's CPU time to first /health, to first /fr/",
                  `${size.startup.healthCpuMs.map((v) => ms(v, 0)).join(', ')}; ${size.startup.homeCpuMs.map((v) => ms(v, 0)).join(', ')}`,
                ],
              ]
            : []),
          ['RSS after start', `${size.rssMb.afterStart.toFixed(0)} MB`],
          ['RSS after warm-up', `${size.rssMb.afterWarmUp.toFixed(0)} MB`],
          ['RSS after the hot-page loads', `${size.rssMb.afterHotLoad.toFixed(0)} MB`],
          ['RSS after the cache-miss runs (page cache full, 64 MB bound)', `${size.rssMb.afterMisses.toFixed(0)} MB`],
          [
            'publish → on home (5 drafts)',
            `median ${ms(size.publish.visibleOnHome.median)}, worst ${ms(size.publish.visibleOnHome.max)}; the publish call itself ${ms(size.publish.publish.median)}; home requests needed: ${size.publish.polls.join(', ')}`,
          ],
        ],
      ),
      '',
    );
  }

  const discovered = [
    ...results.sizes.map((size) => ({ name: `SQLite, ${n(size.size)} articles`, timings: size.feedsAndSitemaps })),
    ...(results.postgres?.ok
      ? [{ name: `PostgreSQL, ${n(results.postgres.size)} articles`, timings: results.postgres.feedsAndSitemaps }]
      : []),
  ].filter((entry) => entry.timings && entry.timings.length > 0);
  if (discovered.length > 0) {
    out.push(
      '## Feeds and sitemaps (cache miss, in-process)',
      '',
      'Each requested through `app.server.inject` with the page cache emptied first: once (which may also make the hero variants a feed encloses), then five times; gzip size as served.',
      '',
    );
    for (const entry of discovered) {
      out.push(
        `### ${entry.name}`,
        '',
        table(
          ['document', 'path', 'miss median', 'miss max', 'first miss', 'gzip'],
          (entry.timings ?? []).map((timing) => [
            timing.name,
            `\`${timing.path}\``,
            ms(timing.miss.median),
            ms(timing.miss.max),
            ms(timing.firstMs, 0),
            `${(timing.bytes / 1024).toFixed(0)} KB`,
          ]),
        ),
        '',
      );
    }
  }

  const weights: [string, import('./page-weight.js').PageWeight][] = results.sizes.length
    ? [[`generated article (${n(results.sizes.at(-1)!.size)} site)`, results.sizes.at(-1)!.weight]]
    : [];
  if (results.lighthouse?.weight) weights.unshift(['demo seed article', results.lighthouse.weight]);
  if (weights.length > 0) {
    out.push('## Article page weight (first visit)', '');
    out.push(
      table(
        [
          'page',
          'HTML br / gzip / raw',
          'CSS br / gzip / raw',
          'JS br / gzip / raw',
          'HTML+CSS+JS br / gzip',
          'eager images',
          'requests',
        ],
        weights.map(([name, w]) => [
          `${name} \`${new URL(w.url).pathname}\``,
          `${kb(w.html.brotli)} / ${kb(w.html.gzip)} / ${kb(w.html.identity)}`,
          `${kb(w.css.brotli)} / ${kb(w.css.gzip)} / ${kb(w.css.identity)}`,
          `${kb(w.js.brotli)} / ${kb(w.js.gzip)} / ${kb(w.js.identity)}`,
          `${kb(w.html.brotli + w.css.brotli + w.js.brotli)} / ${kb(w.html.gzip + w.css.gzip + w.js.gzip)}`,
          `${w.eagerImages.count} (${kb(w.eagerImages.bytes)})`,
          `${w.requests} (+ favicon)`,
        ]),
      ),
      '',
    );
  }

  out.push('## Lighthouse', '');
  const lh = results.lighthouse;
  if (!lh) out.push('Skipped in this run (BENCH_LIGHTHOUSE=off).', '');
  else if (!lh.ok) out.push(`Lighthouse could not run: ${lh.reason}`, '');
  else {
    out.push(
      `Lighthouse ${lh.lighthouseVersion}, default mobile configuration (simulated throttling), system Chromium headless (started by the harness at its priority, Lighthouse attached to it with \`--port\`), on the demo seed article \`/fr/poutine-xi-serrent-les-rangs\` of a fresh demo site (its image variants requested once beforehand, as a live site's would be).`,
      '',
      table(
        ['category / metric', 'value'],
        [
          [
            'Performance (median of the runs)',
            `**${lh.performance}** (runs: ${(lh.runs ?? []).join(', ')}; other work during the median run: ${(lh.foreignCores ?? 0).toFixed(2)} cores)`,
          ],
          ['Accessibility', `**${lh.accessibility}**`],
          ...Object.entries(lh.metrics ?? {}),
          ['Accessibility audits failed', (lh.failedAccessibility ?? []).join('; ') || 'none'],
          ['Performance audits under 0.9', (lh.weakPerformance ?? []).join('; ') || 'none'],
        ],
      ),
      '',
    );
  }

  const pg = results.postgres;
  if (pg) {
    out.push(`## PostgreSQL (${n(pg.size)} articles, in-process)`, '');
    if (!pg.ok || !pg.render || !pg.publish) out.push(`Not measured: ${pg.reason}`, '');
    else {
      const sqlite = results.sizes.find((s) => s.size === pg.size);
      out.push(
        `The same generated site written into a throwaway PostgreSQL database (${pg.generatedInS?.toFixed(1)} s, then \`ANALYZE\`), Kiosque built in-process by \`createApp\` on it. HTTP load was measured on SQLite only, the embedded default; these are the per-database figures of a cache miss and of publishing.`,
        '',
        table(
          ['measure (median / p99 ms)', 'PostgreSQL', ...(sqlite ? ['SQLite (same size)'] : [])],
          [
            ['cache miss, whole request (inject)', pg.render.inject, sqlite?.render.inject],
            ['cache miss, data', pg.render.data, sqlite?.render.data],
            ['cache miss, view', pg.render.view, sqlite?.render.view],
            ['publish → on home', pg.publish.visibleOnHome, sqlite?.publish.visibleOnHome],
            ...(pg.publish.visibleElsewhere
              ? [['publish → on a second instance’s home (LISTEN/NOTIFY)', pg.publish.visibleElsewhere, null]]
              : []),
          ].map(([name, a, b]) => [
            name as string,
            `${(a as Stats).median.toFixed(2)} / ${(a as Stats).p99.toFixed(2)}`,
            ...(b
              ? [`${(b as Stats).median.toFixed(2)} / ${(b as Stats).p99.toFixed(2)}`]
              : sqlite
                ? ['— (one process)']
                : []),
          ]),
        ),
        '',
      );
    }
  }

  out.push(...discoverySection(results));

  if (results.profiles.length > 0) {
    out.push('## CPU profiles of the server (`node --cpu-prof`, summarized by `bench/cpu-profile.ts`)', '');
    for (const { title, summary } of results.profiles) {
      out.push(
        `### ${title}`,
        '',
        `${ms(summary.totalMs / 1000, 1).replace(' ms', ' s')} profiled, ${((summary.idleMs / summary.totalMs) * 100).toFixed(0)} % idle. Self time by module:`,
        '',
        profileTable(summary.byModule.slice(0, 12), false),
        '',
        'Top functions by self time:',
        '',
        profileTable(summary.topFunctions.slice(0, 20), true),
        '',
      );
    }
  }

  if (baseline) {
    out.push('## Before and after the product changes of this run', '', comparison(results, baseline), '');
  }

  const suite = path.join(root, 'bench/SUITE.md');
  if (existsSync(suite)) {
    out.push('## The test suite’s time (issue 11)', '', readFileSync(suite, 'utf8').trim(), '');
  }

  const extraction = path.join(root, 'bench/EXTRACTION.md');
  if (existsSync(extraction)) {
    // The heading is also bench/extraction.ts's, which updates this section in place between runs.
    out.push('## Article extraction from HTML pages (issue 12)', '', readFileSync(extraction, 'utf8').trim(), '');
  }

  const analysis = path.join(root, 'bench/ANALYSIS.md');
  if (existsSync(analysis)) {
    out.push(
      '## Analysis',
      '',
      '_Written by hand from the figures above (bench/ANALYSIS.md); check it against them after a new run._',
      '',
      readFileSync(analysis, 'utf8').trim(),
      '',
    );
  }
  writeFileSync(path.join(root, 'bench/RESULTS.md'), out.join('\n'));
  // Formatted as the linter wants it (tables aligned), so a fresh run leaves `npm run lint` clean.
  spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', 'bench/RESULTS.md'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
}
