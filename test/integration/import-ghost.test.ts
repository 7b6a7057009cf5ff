import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImporterOptions } from '../../src/app.js';
import { silentProgress } from '../../src/domain/imports/import-progress.js';
import type { ImportReport } from '../../src/domain/imports/import-report.js';
import { createImportLedger } from '../../src/storage/import-repository.js';
import { articleIdBySlug } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { databaseEnv, exited, runKiosque } from '../support/kiosque-process.js';
import { plainImage } from '../support/media.js';
import { type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const fixture = new URL('../fixtures/ghost/export.json', import.meta.url);

/**
 * The Ghost importer (issue 13) on both databases, with an export of our own making: posts from
 * HTML, Lexical and Mobiledoc, a page, a draft, a scheduled post, members-only and paid posts,
 * tags (one internal), two authors, images (one missing), members free/paid/comped with labels
 * and two newsletters.
 */
describeEachDatabase('Ghost import on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let mediaFrom: string;
  let first: ImportReport;
  const client = staffClient(() => site);
  const get = (url: string) => site.app.server.inject({ method: 'GET', url });

  async function importGhost(bytes: Uint8Array, options: ImporterOptions = { mediaFrom }) {
    const run = await site.app.imports.begin({ system: 'ghost', fileName: 'export.json', startedBy: null });
    return site.app.imports.execute(run.id, 'ghost', site.app.importers.ghost(bytes, options), silentProgress);
  }
  const count = async (table: 'articles' | 'import_ledger' | 'members' | 'newsletter_consents') =>
    Number(
      (
        await site.app.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    owner = await setupOwner(site);
    mediaFrom = await mkdtemp(path.join(tmpdir(), 'kiosque-ghost-media-'));
    await mkdir(path.join(mediaFrom, '2024/05'), { recursive: true });
    await writeFile(path.join(mediaFrom, '2024/05/hero.png'), await plainImage('png', 800, 500));
    await writeFile(path.join(mediaFrom, '2024/05/inline.png'), await plainImage('png', 600, 400));
    first = await importGhost(await readFile(fixture));
  });
  afterAll(async () => {
    await site?.close();
    if (mediaFrom) await rm(mediaFrom, { recursive: true, force: true });
  });

  it('counts what it brought in, what it left out and what a person must check', () => {
    expect(first.counts.article).toEqual({ created: 6, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.counts.page).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.counts.author.created).toBe(2);
    expect(first.counts.section.created).toBe(2);
    expect(first.counts.tag).toMatchObject({ created: 1, skipped: 1 });
    expect(first.counts.image).toMatchObject({ created: 2, skipped: 1 });
    expect(first.counts.newsletter.created).toBe(2);
    expect(first.counts.member).toEqual({ created: 3, updated: 0, unchanged: 0, skipped: 1 });
    expect(first.notImported).toEqual({ 'member-labels': 2, 'member-names': 2 });
    const skipped = first.skipped.map((n) => `${n.kind}:${n.sourceId}:${n.reason}`);
    expect(skipped).toEqual(
      expect.arrayContaining([
        'tag:6650t3:internal-tag',
        'member:6650m4:email-invalid',
        expect.stringMatching(/^image:.*missing\.png:media-not-found$/),
      ]),
    );
    const needs = first.needsHuman.map((n) => `${n.kind}:${n.sourceId}:${n.reason}`);
    expect(needs).toEqual(
      expect.arrayContaining([
        'article:6650a2:unknown-card',
        'article:6650a3:media-not-found',
        'page:6650a6:page-as-story',
        'member:6650m2:paid-member',
      ]),
    );
    expect(first.needsHuman.find((n) => n.reason === 'unknown-card')?.values).toEqual({ card: 'product' });
  });

  it('shows the imported stories on the site with their standfirst, hero, byline and section', async () => {
    const page = await get('/en/council-votes-harbour');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The council votes on the harbour');
    expect(page.body).toContain('Seven to four for the new harbour.');
    expect(page.body).toContain('The vote passed by seven to four.');
    expect(page.body).toContain('The harbour at dawn');
    expect(page.body).toContain('Ada Reporter');
    const record = await site.app.articles.get(
      await articleIdBySlug(site.app.database.db, 'en', 'council-votes-harbour'),
    );
    expect(record.hero?.alt).toBe('The harbour at dawn');
    expect(record.gallery).toHaveLength(1);
    expect(record.sectionId).not.toBeNull();
    expect(record.tagIds).toHaveLength(1);
    expect(record.publishedAt?.toISOString()).toBe('2024-05-02T09:00:00.000Z');
  });

  it('keeps an author’s Ghost bio in the language of the import, and only there (issue 14)', async () => {
    const profiles = await site.app.database.db
      .selectFrom('author_profiles')
      .innerJoin('authors', 'authors.id', 'author_profiles.author_id')
      .select(['authors.slug', 'author_profiles.language', 'author_profiles.bio'])
      .execute();
    expect(profiles).toEqual([{ slug: 'ada', language: 'en', bio: 'Covers the council.' }]);
    expect((await site.app.server.inject({ method: 'GET', url: '/en/author/ada' })).body).toContain(
      'Covers the council.',
    );
    expect((await site.app.server.inject({ method: 'GET', url: '/fr/author/ada' })).body).not.toContain(
      'Covers the council.',
    );
  });

  it('converts Lexical and Mobiledoc bodies without losing a paragraph', async () => {
    const lexical = await site.app.articles.get(
      await articleIdBySlug(site.app.database.db, 'en', 'telescope-first-light'),
    );
    expect(lexical.access).toBe('members');
    for (const words of [
      'Written in the Lexical editor',
      'What the telescope saw',
      'Second light',
      'bigger than we thought',
      'The paper itself',
      'Members read this closing paragraph.',
    ])
      expect(lexical.bodyMarkdown).toContain(words);
    const mobiledoc = await site.app.articles.get(
      await articleIdBySlug(site.app.database.db, 'en', 'from-the-old-editor'),
    );
    for (const words of ['Mobiledoc opening paragraph', 'strongly put', 'An HTML card kept as it was.', 'two'])
      expect(mobiledoc.bodyMarkdown).toContain(words);
  });

  it('keeps drafts, scheduled posts and pages in their state, and a paid body off the public page', async () => {
    const byslug = async (slug: string) =>
      site.app.articles.get(await articleIdBySlug(site.app.database.db, 'en', slug));
    expect((await byslug('notes-later-story')).status).toBe('draft');
    const scheduled = await byslug('election-night-plan');
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.scheduledAt?.toISOString()).toBe('2099-01-01T06:00:00.000Z');
    expect((await get('/en/election-night-plan')).statusCode).toBe(404);
    expect((await get('/en/about')).statusCode).toBe(200);
    expect((await byslug('budget-line-by-line')).access).toBe('paid');
    const paid = await get('/en/budget-line-by-line');
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toContain('The budget, line by line');
    expect(paid.body).not.toContain('PAID-ONLY-PARAGRAPH');
  });

  it('answers Ghost’s old addresses of posts, tags and authors with a 301', async () => {
    const moved = await get('/council-votes-harbour/');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/en/council-votes-harbour');
    for (const old of ['/tag/science/', '/tag/local-politics/', '/author/ada/', '/author/grace/', '/about/']) {
      const answer = await get(old);
      expect(answer.statusCode, old).toBe(301);
      expect((await get(String(answer.headers.location))).statusCode, old).toBe(200);
    }
    expect((await get('/tag/hash-featured/')).statusCode).toBe(404);
  });

  it('makes members (comped as complimentary) shown in the admin list, with newsletter subscriptions and an imported consent', async () => {
    const list = await client.get('/admin/members', owner);
    expect(list.statusCode).toBe(200);
    for (const email of ['alice@example.com', 'bob@example.com', 'carol@example.com'])
      expect(list.body).toContain(email);
    expect(list.body).not.toContain('not-an-address');
    const csv = (await client.get('/admin/members.csv', owner)).body.split(/\r?\n/);
    const row = (email: string) => csv.find((line) => line.startsWith(`${email},`))?.split(',');
    expect(row('alice@example.com')).toEqual([
      'alice@example.com',
      'en',
      '2023-01-10T08:00:00.000Z',
      'free',
      'free',
      '',
      '',
      '',
      '',
      'Daily Brief | Weekly Science',
    ]);
    expect(row('carol@example.com')?.slice(3, 5)).toEqual(['paid', 'complimentary']);
    expect(row('bob@example.com')?.slice(3, 5)).toEqual(['free', 'free']);
    const consents = await site.app.database.db
      .selectFrom('newsletter_consents')
      .select(['event', 'at', 'source_path'])
      .orderBy('at')
      .execute();
    expect(consents).toHaveLength(3);
    expect(consents.every((c) => c.event === 'imported' && c.source_path === 'import:ghost')).toBe(true);
    expect(new Date(consents[0]!.at).toISOString()).toBe('2023-01-10T08:00:00.000Z');
    const lists = await site.app.newsletter.lists();
    expect(lists.filter((l) => l.name === 'Daily Brief')).toMatchObject([{ confirmed: 2, pending: 0 }]);
  });

  it('changes nothing when run again on the same file', async () => {
    const before = await Promise.all([
      count('articles'),
      count('members'),
      count('newsletter_consents'),
      count('import_ledger'),
    ]);
    const again = await importGhost(await readFile(fixture));
    for (const kind of ['article', 'page', 'author', 'section', 'image', 'newsletter', 'member', 'redirect'] as const) {
      expect(again.counts[kind], kind).toMatchObject({ created: 0, updated: 0 });
    }
    expect(again.counts.article.unchanged).toBe(6);
    expect(again.counts.member.unchanged).toBe(3);
    // The report of a re-run still says what needs a person.
    expect(again.needsHuman.map((n) => `${n.sourceId}:${n.reason}`)).toEqual(
      expect.arrayContaining(['6650m2:paid-member', '6650a2:unknown-card', '6650a3:media-not-found']),
    );
    expect(
      await Promise.all([count('articles'), count('members'), count('newsletter_consents'), count('import_ledger')]),
    ).toEqual(before);
  });

  it('updates what changed in the file when run again', async () => {
    const json = JSON.parse(await readFile(fixture, 'utf8'));
    const post = json.db[0].data.posts.find((p: { id: string }) => p.id === '6650a1');
    post.title = 'The council approves the harbour';
    post.html = post.html.replace('seven to four', 'eight to three');
    const report = await importGhost(new TextEncoder().encode(JSON.stringify(json)));
    expect(report.counts.article).toMatchObject({ created: 0, updated: 1, unchanged: 5 });
    const page = await get('/en/council-votes-harbour');
    expect(page.body).toContain('The council approves the harbour');
    expect(page.body).toContain('eight to three');
  });

  it('refuses a malformed or non-JSON file with one clear error, storing nothing', async () => {
    const before = await Promise.all([count('articles'), count('import_ledger'), count('members')]);
    const broken = ['{"db":[{"meta":{},"data":{"posts":[{"id":"1","title":"x"}]}}]}', 'this is not json', '{"db":[]}'];
    for (const text of broken) {
      expect(() => site.app.importers.ghost(new TextEncoder().encode(text))).toThrow(
        expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }),
      );
    }
    expect(await Promise.all([count('articles'), count('import_ledger'), count('members')])).toEqual(before);
  });

  it('completes a run killed with kill -9 half-way, without duplicates', async () => {
    const fresh = await startTestSite(kind, { demo: false });
    const folder = await mkdtemp(path.join(tmpdir(), 'kiosque-ghost-kill-'));
    try {
      // A bigger export of the same shape, so the kill lands while stories are being written.
      const json = JSON.parse(await readFile(fixture, 'utf8'));
      const data = json.db[0].data;
      const template = data.posts[0];
      for (let i = 0; i < 120; i += 1) {
        data.posts.push({
          ...template,
          id: `bulk${i}`,
          slug: `bulk-story-${i}`,
          title: `Bulk story ${i}`,
          feature_image: null,
        });
        data.posts_authors.push({ id: `bpa${i}`, post_id: `bulk${i}`, author_id: '1', sort_order: 0 });
      }
      const file = path.join(folder, 'export.json');
      await writeFile(file, JSON.stringify(json));
      const env = { ...databaseEnv(fresh.database), KIOSQUE_DEMO: 'off' };
      const child = runKiosque(['import', 'ghost', file], env);
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          const match = /(\d+)\/(\d+)/.exec(chunk.toString());
          if (match && Number(match[1]) > 20) resolve();
        });
        child.once('exit', () => resolve());
      });
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
      const partial = Number(
        (
          await fresh.app.database.db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(partial).toBeLessThan(127);

      const rerun = runKiosque(['import', 'ghost', file], env);
      let out = '';
      rerun.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      expect((await exited(rerun)).code).toBe(0);
      // The report, in the site's default language, names the system it came from.
      expect(out).toMatch(/ghost/);
      const articles = await fresh.app.database.db.selectFrom('articles').select(['slug']).execute();
      expect(articles).toHaveLength(127);
      expect(new Set(articles.map((a) => a.slug)).size).toBe(127);
      const ledger = await createImportLedger(fresh.app.database.db).list('ghost', 'article');
      expect(ledger).toHaveLength(126);
    } finally {
      await fresh.close();
      await rm(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
