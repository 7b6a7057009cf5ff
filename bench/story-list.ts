/**
 * The newsroom's story list on a generated site: the plain first page, the out-of-date
 * translations filter, and the search box through the search engine (both site languages,
 * merged). Run: `node --import tsx bench/story-list.ts [size]` (default 10,000 articles).
 *
 * It works on a copy of the cached site (bench/.cache/), which it changes: English stories of
 * translated pairs become translations of their French story, one pair in ten out of date, and
 * every story gets its search document (the generator writes none). The copy is kept beside the
 * site (`…-story-list/`), so later runs skip that work.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { listStories, storyListPageSize } from '../src/domain/articles/story-list.js';
import { createSearchService } from '../src/domain/search/search-service.js';
import { createArticleRepository } from '../src/storage/article-repository.js';
import type { Database } from '../src/storage/schema.js';
import { createSearchIndex, writeSearchDocument } from '../src/storage/search-index.js';
import { ensureSite } from './generate-site.js';

const size = Number(process.argv[2] ?? 10_000);
const runs = 15;

const site = await ensureSite(size, console.log);
const file = path.join(`${site.dataDir}-story-list`, 'kiosque.sqlite');
if (!existsSync(file)) await prepare(site.file, file);
const sqlite = new SqliteDatabase(file);
sqlite.pragma('journal_mode = WAL');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });

async function prepare(from: string, to: string) {
  const work = `${to}.tmp`;
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, work);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(work) }) });
  const started = performance.now();
  // English stories of a pair are translations of the French one; one pair in ten is out of date.
  await sql`update articles set translation_source_id = (
      select fr.id from articles fr where fr.translation_group = articles.translation_group and fr.language = 'fr'),
    translation_source_revision = 1
    where language = 'en'`.execute(db);
  await sql`update articles set text_revision = 2
    where language = 'fr' and abs(substr(translation_group, 10)) % 10 = 3`.execute(db);
  const ids = await db.selectFrom('articles').select('id').execute();
  for (let i = 0; i < ids.length; i += 500) {
    await db.transaction().execute(async (trx) => {
      for (const row of ids.slice(i, i + 500)) await writeSearchDocument(trx, row.id);
    });
  }
  console.log(`prepared ${ids.length} articles in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await db.destroy();
  renameSync(work, to);
}

try {
  const stories = createArticleRepository(db);
  const clock = { now: () => new Date() };
  const search = createSearchService({
    index: createSearchIndex(db),
    summaries: { summaries: async () => [] },
    sections: { findSection: async () => null, listSections: async () => [] },
    clock,
  });
  const page = { limit: storyListPageSize, offset: 0 };
  const cases: [string, () => Promise<{ total: number }>][] = [
    ['first page, no filter', () => stories.listForNewsroom(page)],
    [
      'the engine alone: searchNewsroom "elections" (fr, 1,000 ids)',
      () => search.searchNewsroom('elections', { language: 'fr', limit: 1000 }),
    ],
    ['translations out of date', () => stories.listForNewsroom({ ...page, outOfDate: true })],
    [
      'search "elections" (fr + en, merged)',
      () => listStories({ stories, search }, { ...page, text: 'elections', searchLanguages: ['fr', 'en'] }),
    ],
    [
      'search "elections", drafts only',
      () =>
        listStories(
          { stories, search },
          { ...page, status: 'draft', text: 'elections', searchLanguages: ['fr', 'en'] },
        ),
    ],
  ];
  console.log(`\n${size.toLocaleString('en')} articles, SQLite, median of ${runs} warm runs:`);
  for (const [name, run] of cases) {
    const { total } = await run();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${name}: ${times[Math.floor(runs / 2)]!.toFixed(1)} ms (${total} matches)`);
  }
} finally {
  await db.destroy();
}
