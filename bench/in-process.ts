import { createHash } from 'node:crypto';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import pino from 'pino';
import { renderToString } from 'preact-render-to-string';
import { type App, createApp, loadCatalogs, randomIds } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createReadingService } from '../src/domain/articles/reading-service.js';
import { systemClock } from '../src/domain/clock.js';
import { type Catalog, createTranslator } from '../src/domain/i18n/translator.js';
import { createArticleRepository } from '../src/storage/article-repository.js';
import { createFrontPageRepository } from '../src/storage/front-page-repository.js';
import { createRelatedRepository } from '../src/storage/related-repository.js';
import { createTaxonomyRepository } from '../src/storage/taxonomy-repository.js';
import { ArticlePage } from '../src/web/views/pages.js';
import type { SiteContext } from '../src/web/views/site-context.js';

/** Median, p99 and mean of a list of milliseconds. */
export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    count: sorted.length,
    median: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
  };
}
export type Stats = ReturnType<typeof stats>;

/** Kiosque in this process on a copy of a generated site, as the tests build it. */
export async function openApp(dataDir: string, databaseUrl?: string): Promise<App> {
  const config = loadConfig({
    KIOSQUE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? `sqlite:${path.join(dataDir, 'kiosque.sqlite')}`,
    KIOSQUE_DEMO: 'off',
    LOG_LEVEL: 'silent',
  });
  return createApp({ config, logger: pino({ level: 'silent' }) });
}

export interface RenderTimings {
  /** reading.article() plus the section menu: the database part of a miss. */
  data: Stats;
  /** Preact renderToString of the article page. */
  view: Stats;
  /** What the page cache does to a fresh page before serving it: sha1 + gzip level 6. */
  gzipAndHash: Stats;
  /** Brotli at quality 11, done after the response in the background, but CPU all the same. */
  brotliBackground: Stats;
  /** The whole miss through Fastify (app.server.inject), distinct URLs, cache on. */
  inject: Stats;
  /** CPU time of the same (process.cpuUsage, all threads): what the miss costs when nothing else runs. */
  injectCpu: Stats;
  htmlBytes: number;
}

/**
 * Times a cache miss of the article page inside one process, part by part, over `paths`
 * (distinct articles; the first few are JIT warm-up and not counted).
 */
export async function timeRenders(app: App, paths: string[]): Promise<RenderTimings> {
  const db = app.database.db;
  const reading = createReadingService({
    articles: createArticleRepository(db),
    taxonomy: createTaxonomyRepository(db, randomIds),
    related: createRelatedRepository(db),
    frontPage: createFrontPageRepository(db),
    clock: systemClock,
  });
  const catalogs = loadCatalogs();
  const translators = new Map(
    ['fr', 'en'].map((language) => [
      language,
      createTranslator(language, catalogs.get(language) as Catalog, 'Europe/Paris'),
    ]),
  );
  const warmUp = 10;
  // Each loop stops after a minute (slow misses), keeping at least 30 measured articles.
  const budgetMs = 60_000;
  const within = (started: number, count: number) => count < 30 || performance.now() - started < budgetMs;
  const parts = { data: [] as number[], view: [] as number[], gzipAndHash: [] as number[], brotli: [] as number[] };
  let htmlBytes = 0;
  const partsStarted = performance.now();
  for (const [index, url] of paths.entries()) {
    if (!within(partsStarted, parts.data.length)) break;
    const [, language = 'fr', slug = ''] = url.split('/');
    const t0 = performance.now();
    const [sections, story] = await Promise.all([reading.sections(language), reading.article(language, slug)]);
    const t1 = performance.now();
    if ('movedTo' in story) continue;
    const site: SiteContext = {
      name: 'Kiosque',
      tagline: null,
      navLinks: [],
      policies: [],
      logo: null,
      shareImage: null,
      publicUrl: 'http://127.0.0.1:3000',
      languages: ['fr', 'en'],
      defaultLanguage: 'fr',
      assets: {
        css: '/assets/site.css',
        js: '/assets/site.js',
        icon: '/assets/favicon.svg',
        logo: '/assets/logo.png',
      },
      followLinks: [],
      sections,
      year: 2026,
      t: translators.get(language)!,
    };
    const html = `<!DOCTYPE html>${renderToString(ArticlePage({ site, ...story }))}`;
    const t2 = performance.now();
    const identity = Buffer.from(html);
    createHash('sha1').update(identity).digest('base64url');
    gzipSync(identity, { level: 6 });
    const t3 = performance.now();
    brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    const t4 = performance.now();
    if (index < warmUp) continue;
    parts.data.push(t1 - t0);
    parts.view.push(t2 - t1);
    parts.gzipAndHash.push(t3 - t2);
    parts.brotli.push(t4 - t3);
    htmlBytes = identity.length;
  }

  const inject: number[] = [];
  const injectCpu: number[] = [];
  const injectStarted = performance.now();
  for (const [index, url] of paths.entries()) {
    if (!within(injectStarted, inject.length)) break;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const response = await app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
    if (index >= warmUp) {
      inject.push(elapsed);
      injectCpu.push((cpu.user + cpu.system) / 1000);
    }
  }
  return {
    data: stats(parts.data),
    view: stats(parts.view),
    gzipAndHash: stats(parts.gzipAndHash),
    brotliBackground: stats(parts.brotli),
    inject: stats(inject),
    injectCpu: stats(injectCpu),
    htmlBytes,
  };
}

export interface PublishTiming {
  /** app.articles.publish(): the write, its revision and the invalidation event. */
  publish: Stats;
  /** From calling publish to the first GET /fr/ whose HTML holds the headline. */
  visibleOnHome: Stats;
  /** GET /fr/ requests it took (1 means the first request after publish already showed it). */
  polls: number[];
  /** With a second instance on the same database: from publish on the first to its home page showing it. */
  visibleElsewhere?: Stats;
}

/**
 * Publishes each draft and polls the home page (in-process, app.server.inject) until its headline
 * shows; with `elsewhere` (another instance on the same PostgreSQL database), also its home page.
 */
export async function timePublishToHome(
  app: App,
  drafts: { id: string; headline: string }[],
  elsewhere?: App,
): Promise<PublishTiming> {
  const publish: number[] = [];
  const visible: number[] = [];
  const visibleElsewhere: number[] = [];
  const polls: number[] = [];
  const shows = async (instance: App, headline: string) =>
    (await instance.server.inject({ method: 'GET', url: '/fr/' })).body.includes(headline);
  for (const draft of drafts) {
    // The home page is cached and hot before the story is published, as on a live site.
    for (let i = 0; i < 3; i++) {
      await app.server.inject({ method: 'GET', url: '/fr/' });
      await elsewhere?.server.inject({ method: 'GET', url: '/fr/' });
    }
    const record = await app.articles.get(draft.id);
    const t0 = performance.now();
    await app.articles.publish(draft.id, { expectedRevision: record.revision });
    publish.push(performance.now() - t0);
    for (let attempt = 1; ; attempt++) {
      if (await shows(app, draft.headline)) {
        visible.push(performance.now() - t0);
        polls.push(attempt);
        break;
      }
      if (performance.now() - t0 > 10_000) throw new Error(`"${draft.headline}" never reached the home page`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    while (elsewhere && !(await shows(elsewhere, draft.headline))) {
      if (performance.now() - t0 > 10_000) throw new Error(`"${draft.headline}" never reached the other instance`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (elsewhere) visibleElsewhere.push(performance.now() - t0);
  }
  return {
    publish: stats(publish),
    visibleOnHome: stats(visible),
    polls,
    ...(elsewhere ? { visibleElsewhere: stats(visibleElsewhere) } : {}),
  };
}

export interface FeedSitemapTiming {
  name: string;
  path: string;
  /** The first miss: it may also make the enclosed hero variants that no one asked for yet. */
  firstMs: number;
  /** Later misses (the page cache emptied before each), milliseconds. */
  miss: Stats;
  bytes: number;
}

/**
 * Feeds and sitemaps rendered on a cache miss, through Fastify (`app.server.inject`) with the page
 * cache emptied before every request: what a crawler or feed reader costs after a story changes.
 */
export async function timeFeedsAndSitemaps(app: App, tagPath: string, repeats = 5): Promise<FeedSitemapTiming[]> {
  const targets = [
    { name: 'RSS feed, French', path: '/fr/rss.xml' },
    { name: 'Atom feed, French', path: '/fr/atom.xml' },
    { name: 'JSON Feed, French', path: '/fr/feed.json' },
    { name: 'RSS feed, whole site', path: '/rss.xml' },
    { name: 'RSS feed, busiest French tag', path: `${tagPath}/rss.xml` },
    { name: 'sitemap index', path: '/sitemap.xml' },
    { name: 'sitemap, French, file 1', path: '/sitemaps/fr-1.xml' },
    { name: 'Google News sitemap, French', path: '/sitemaps/news-fr.xml' },
  ];
  const timings: FeedSitemapTiming[] = [];
  for (const target of targets) {
    const once = async () => {
      app.pageCache.clear();
      const t0 = performance.now();
      const response = await app.server.inject({
        method: 'GET',
        url: target.path,
        headers: { 'accept-encoding': 'gzip' },
      });
      const elapsed = performance.now() - t0;
      if (response.statusCode !== 200) throw new Error(`${target.path} answered ${response.statusCode}`);
      return { elapsed, bytes: Number(response.headers['content-length'] ?? response.rawPayload.length) };
    };
    const first = await once();
    const misses: number[] = [];
    let bytes = first.bytes;
    for (let i = 0; i < repeats; i++) {
      const result = await once();
      misses.push(result.elapsed);
      bytes = result.bytes;
    }
    timings.push({ ...target, firstMs: first.elapsed, miss: stats(misses), bytes });
  }
  return timings;
}
