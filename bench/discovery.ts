import { type Kysely, sql } from 'kysely';
import type { App } from '../src/app.js';
import { systemClock } from '../src/domain/clock.js';
import { createLocalEventBus } from '../src/domain/events.js';
import { createRelatedService } from '../src/domain/related/related-service.js';
import { createRelatedRepository, limitRelatedBacklog } from '../src/storage/related-repository.js';
import type { Database } from '../src/storage/schema.js';
import { writeSearchDocument } from '../src/storage/search-index.js';
import { createSimilarityIndex } from '../src/storage/similarity-index.js';
import { type Stats, stats } from './in-process.js';

/**
 * Discovery on a generated site (issue #5): the search index and the stored related lists that a
 * live site builds story by story, built here in bulk; then search latency and the related work a
 * publication costs, measured in-process.
 */

export interface DiscoveryBuild {
  indexedInS: number;
  /** Building the lists of the newest `relatedBuilt` stories. */
  relatedInS: number;
  lists: number;
}

/** How many of the newest stories get a related list when a site is generated. */
export const relatedBuilt = 50;

/** Indexes every article for search (as each write does) and computes every related list. */
export async function buildDiscovery(db: Kysely<Database>, log: (line: string) => void): Promise<DiscoveryBuild> {
  const started = performance.now();
  const ids = (await db.selectFrom('articles').select('id').orderBy('id').execute()).map((row) => row.id);
  for (let i = 0; i < ids.length; i += 500) {
    await db.transaction().execute(async (trx) => {
      for (const id of ids.slice(i, i + 500)) await writeSearchDocument(trx, id);
    });
  }
  const indexedInS = (performance.now() - started) / 1000;
  log(`  search index: ${ids.length.toLocaleString('en')} articles in ${indexedInS.toFixed(1)} s`);
  // A live database has statistics (SQLite's connection gathers them when Kysely opens it,
  // PostgreSQL's autovacuum); without them a bulk-loaded one plans the related queries badly
  // (minutes per list instead of ~0.2 s at 100,000 articles on SQLite).
  await sql`analyze`.execute(db);

  // Every list of a large site would take hours to build one story at a time, as a live site does
  // over years. The newest stories get theirs (the ones readers open and publications touch); the
  // older ones keep the generator's lists (four stories sharing a tag), and the server has no
  // backlog to work through while it is measured.
  await limitRelatedBacklog(db, relatedBuilt);
  const relatedStarted = performance.now();
  const repository = createRelatedRepository(db);
  const related = createRelatedService({
    index: createSimilarityIndex(db),
    lists: repository,
    queue: repository,
    events: createLocalEventBus(),
    clock: systemClock,
    onError: (error, articleId) => log(`  related list of ${articleId} failed: ${(error as Error).message}`),
  });
  await related.refresh();
  related.stop();
  const relatedInS = (performance.now() - relatedStarted) / 1000;
  const lists = Number(
    (
      await db
        .selectFrom('related_articles')
        .select((eb) => eb.fn.count<number>('article_id').distinct().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  log(`  related lists: ${lists.toLocaleString('en')} in ${relatedInS.toFixed(1)} s`);
  return { indexedInS, relatedInS, lists };
}

/** What readers type: common and rare words, two words, a phrase, accents left out, a miss. */
export const searchQueries: { language: string; q: string; kind: string }[] = [
  { language: 'fr', q: 'budget', kind: 'common word' },
  { language: 'fr', q: 'piétonnisation', kind: 'rarer word' },
  { language: 'fr', q: 'reseau de chaleur', kind: 'three words, no accents' },
  { language: 'fr', q: '"réunion publique"', kind: 'phrase' },
  { language: 'fr', q: 'transports Lyon', kind: 'two words' },
  { language: 'en', q: 'harbour renovation', kind: 'two words' },
  { language: 'en', q: 'council', kind: 'common word' },
  { language: 'en', q: 'zeppelin', kind: 'no match' },
];

export interface SearchTiming {
  /** app.search.search(): the whole reader search (query, count, summaries, snippets), ms. */
  all: Stats;
  p95: number;
  perQuery: { language: string; q: string; kind: string; median: number; total: number }[];
}

/**
 * Each query `rounds` times (the first round warms up and is not counted), every time on the
 * index: kept results are forgotten before each call, or this would time the search cache.
 */
export async function timeSearches(app: App, rounds = 12): Promise<SearchTiming> {
  const all: number[] = [];
  const perQuery: SearchTiming['perQuery'] = [];
  for (const query of searchQueries) {
    const times: number[] = [];
    let total = 0;
    for (let round = 0; round < rounds; round++) {
      app.searchCache.clear();
      const t0 = performance.now();
      const page = await app.search.search({ language: query.language, q: query.q });
      const elapsed = performance.now() - t0;
      total = page.total;
      if (round > 0) times.push(elapsed);
    }
    all.push(...times);
    perQuery.push({ ...query, median: stats(times).median, total });
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { all: stats(all), p95: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? Number.NaN, perQuery };
}

/**
 * The related work one publication causes: from calling `publish()` (which writes the search
 * document in its transaction) to the story's list, and the lists it joined, being stored.
 */
export async function timeRelatedPerPublish(app: App, drafts: { id: string }[]): Promise<Stats> {
  const times: number[] = [];
  for (const draft of drafts) {
    const record = await app.articles.get(draft.id);
    const t0 = performance.now();
    await app.articles.publish(draft.id, { expectedRevision: record.revision });
    await app.related.refresh();
    times.push(performance.now() - t0);
  }
  return stats(times);
}
