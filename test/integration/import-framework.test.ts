import { afterAll, beforeAll, expect, it } from 'vitest';
import { importHash } from '../../src/domain/imports/import-ledger.js';
import { silentProgress } from '../../src/domain/imports/import-progress.js';
import { createImportLedger } from '../../src/storage/import-repository.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * The import framework (issue 13) on both databases: an imported article and its ledger entry
 * commit together (a refused save leaves neither), a run's report is stored, and old addresses
 * answer 301 where the site would say 404 — until what they name is deleted.
 */
describeEachDatabase('import framework on $kind', ({ kind }) => {
  let site: TestSite;
  let byline: string[];

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    byline = await testByline(site.app.database.db);
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) => site.app.server.inject({ method: 'GET', url });

  it('commits an imported story with its ledger entry, and a refused one with neither', async () => {
    const { imports, articles } = site.app;
    const ledger = createImportLedger(site.app.database.db);
    const run = await imports.begin({ system: 'test', fileName: 'export.xml', startedBy: null });
    const report = await imports.execute(
      run.id,
      'test',
      async ({ runner, redirectStep }) => {
        const story = (sourceId: string, slug: string) => ({
          kind: 'article' as const,
          sourceId,
          label: slug,
          hash: importHash({ slug }),
          async write(
            _previous: unknown,
            entry: (id: string) => import('../../src/domain/imports/import-ledger.js').LedgerEntry,
          ) {
            const record = await articles.create(
              {
                language: 'en',
                slug,
                headline: `Story ${slug}`,
                bodyMarkdown: 'Words.',
                status: 'published',
                authorIds: byline,
              },
              null,
              undefined,
              entry,
            );
            return { kiosqueId: record.id, ledgerWritten: true };
          },
        });
        runner.expect(3);
        await runner.run([story('1', 'first-story'), story('2', 'first-story')]);
        const id = await runner.idOf('article', '1');
        const redirect = redirectStep('/2024/05/12/first-story/', { kind: 'article', id: id! });
        await runner.run([redirect!]);
      },
      silentProgress,
    );

    expect(report.counts.article).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 1 });
    expect(report.skipped[0]).toMatchObject({
      sourceId: '2',
      reason: 'refused',
      values: { code: 'ARTICLE_SLUG_TAKEN' },
    });
    expect(await ledger.find({ system: 'test', kind: 'article', sourceId: '1' })).toMatchObject({ importId: run.id });
    expect(await ledger.find({ system: 'test', kind: 'article', sourceId: '2' })).toBeNull();
    const stored = await imports.find(run.id);
    expect(stored).toMatchObject({ status: 'done', done: 3, total: 3 });
    expect(stored?.report?.counts.redirect.created).toBe(1);
  });

  it('answers an old address with a 301 to the story, and a 404 once the story is deleted', async () => {
    const moved = await get('/2024/05/12/first-story/');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/en/first-story');
    expect((await get('/en/first-story')).statusCode).toBe(200);
    expect((await get('/2024/05/12/other-story/')).statusCode).toBe(404);

    const id = (await createImportLedger(site.app.database.db).find({
      system: 'test',
      kind: 'article',
      sourceId: '1',
    }))!.kiosqueId;
    const story = await site.app.articles.get(id);
    await site.app.articles.remove(id, { expectedRevision: story.revision });
    expect((await get('/2024/05/12/first-story/')).statusCode).toBe(404);
  });
});
