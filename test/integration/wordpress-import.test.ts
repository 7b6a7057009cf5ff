import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKiosqueError } from '../../src/domain/errors.js';
import { silentProgress } from '../../src/domain/imports/import-progress.js';
import type { ImportReport } from '../../src/domain/imports/import-report.js';
import { articleIdBySlug } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const fixtures = new URL('../fixtures/wordpress/', import.meta.url);
const exportXml = readFileSync(new URL('export.xml', fixtures));
const uploads = fileURLToPath(new URL('uploads/', fixtures));

/**
 * Issue 13: a WordPress export of our own making (`test/fixtures/wordpress/export.xml`) covering
 * Gutenberg and classic posts, a page, a draft, a scheduled post, categories, tags, two authors,
 * an excerpt, a featured image, a gallery with captions, a table, embeds, comments, a Polylang and
 * a WPML pair, a missing image and a language the site does not publish — imported on both
 * databases, read back over HTTP, re-run (nothing changes), edited and re-run (one update).
 */
describeEachDatabase('WordPress import on $kind', ({ kind }) => {
  let site: TestSite;
  let first: ImportReport;

  async function runImport(bytes: Uint8Array = exportXml): Promise<ImportReport> {
    const importer = site.app.importers.wordpress(bytes, { mediaFrom: uploads });
    const run = await site.app.imports.begin({ system: 'wordpress', fileName: 'export.xml', startedBy: null });
    return site.app.imports.execute(run.id, 'wordpress', importer, silentProgress);
  }

  const get = (url: string) => site.app.server.inject({ method: 'GET', url });
  const db = () => site.app.database.db;
  const countOf = async (table: 'articles' | 'images' | 'sections' | 'tags' | 'authors' | 'article_revisions') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    first = await runImport();
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('counts what it created, and says what it skipped and why', () => {
    expect(first.counts.article).toEqual({ created: 8, updated: 0, unchanged: 0, skipped: 2 });
    expect(first.counts.page).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.counts.author.created).toBe(2);
    expect(first.counts.section.created).toBe(3);
    expect(first.counts.tag.created).toBe(3);
    expect(first.counts.image).toEqual({ created: 5, updated: 0, unchanged: 0, skipped: 1 });
    expect(first.notImported).toEqual({ comments: 3 });
    expect(first.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceId: '19', reason: 'language-not-published', values: { language: 'de' } }),
        expect.objectContaining({ sourceId: '27', reason: 'trashed' }),
        expect.objectContaining({ kind: 'image', sourceId: '24', reason: 'media-not-found' }),
      ]),
    );
    expect(first.needsHuman).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sourceId: '17',
          reason: 'media-not-found',
          values: expect.objectContaining({
            url: 'https://old.example.invalid/wp-content/uploads/2024/05/missing.jpg',
          }),
        }),
        expect.objectContaining({
          sourceId: '11',
          reason: 'unknown-embed',
          values: { url: 'https://embed.example.org/widget/7' },
        }),
      ]),
    );
  });

  it('shows a Gutenberg story whole: paragraphs, heading, quote, list, table, embed, standfirst, byline, section, tags, hero', async () => {
    const page = await get('/en/harbour-reopens-to-fishing-boats');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    for (const words of [
      // A link in running text keeps its address.
      'The council voted on Tuesday to <a href="https://example.org/vote" rel="noopener">reopen the old harbour</a> to fishing boats.',
      'Work on the quay starts in June.',
      '<h2>What changes for the fleet</h2>',
      'We waited twelve years for this.',
      'Marie Le Gall, skipper',
      '<li>A cold store</li>',
      '<th>Boats</th>',
      '<td>2024</td>',
      'href="https://www.youtube.com/watch?v=harbour42"',
      'After twelve years, the old harbour welcomes the fleet again.',
      'Alice Martin',
      'The quay, before the works',
    ]) {
      expect(html, words).toContain(words);
    }
    const id = await articleIdBySlug(db(), 'en', 'harbour-reopens-to-fishing-boats');
    const story = await site.app.articles.get(id);
    expect(story.status).toBe('published');
    expect(story.publishedAt?.toISOString()).toBe('2024-05-12T09:30:00.000Z');
    expect(story.hero).toMatchObject({ alt: 'A ferry leaving the harbour', caption: 'The morning ferry' });
    expect(story.gallery.map((use) => use.caption)).toEqual(['The quay, before the works']);
    expect((await get('/en/section/news')).body).toContain('The harbour reopens to fishing boats');
    expect((await get('/en/tag/climate')).body).toContain('The harbour reopens to fishing boats');
  });

  it('keeps a classic post’s paragraphs, caption shortcode, gallery with captions and ordered list', async () => {
    const id = await articleIdBySlug(db(), 'en', 'fish-prices-fall-again');
    const story = await site.app.articles.get(id);
    expect(story.bodyMarkdown.split('\n\n').slice(0, 2)).toEqual([
      'Prices at the fish market fell for the third month running.',
      'Traders blame the cold spring. They expect a better summer.',
    ]);
    expect(story.bodyMarkdown).toContain('1. Cod: down 12%');
    expect(story.bodyMarkdown).toContain('> Nobody buys cod in April.');
    expect(story.gallery.map(({ alt, caption }) => ({ alt, caption }))).toEqual([
      { alt: 'Dock workers', caption: 'Dock workers unload at dawn' },
      { alt: 'Nets drying', caption: 'Nets on the quay' },
      { alt: 'The fish market at dawn', caption: 'The fish market at dawn' },
    ]);
    const page = await get('/en/fish-prices-fall-again');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bob Durand');
    expect(page.body).toContain('The market reopens on Monday.');
  });

  it('keeps drafts and scheduled posts out of sight, scheduled for their time', async () => {
    expect((await get('/en/ideas-for-the-summer-issue')).statusCode).toBe(404);
    const draft = await site.app.articles.get(await articleIdBySlug(db(), 'en', 'ideas-for-the-summer-issue'));
    expect(draft.status).toBe('draft');
    const scheduled = await site.app.articles.get(await articleIdBySlug(db(), 'en', 'the-regatta-programme'));
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.scheduledAt?.toISOString()).toBe('2030-01-01T08:00:00.000Z');
    expect((await get('/en/the-regatta-programme')).statusCode).toBe(404);
    expect((await get('/en/about-us')).statusCode).toBe(200);
  });

  it('links Polylang and WPML translations into one translation group each, and leaves German out', async () => {
    const group = async (language: string, slug: string) =>
      (await site.app.articles.get(await articleIdBySlug(db(), language, slug))).translationGroup;
    expect(await group('fr', 'les-horaires-du-ferry-changent')).toBe(await group('en', 'ferry-timetable-changes'));
    expect(await group('fr', 'le-nouveau-pont-ouvre')).toBe(await group('en', 'the-new-bridge-opens'));
    expect(await group('en', 'ferry-timetable-changes')).not.toBe(await group('en', 'the-new-bridge-opens'));
    expect((await get('/fr/les-horaires-du-ferry-changent')).body).toContain('/en/ferry-timetable-changes');
    const german = await db()
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', 'der-hafen-oeffnet-wieder')
      .execute();
    expect(german).toEqual([]);
    // The story whose featured image was missing is published without one.
    const bridge = await site.app.articles.get(await articleIdBySlug(db(), 'en', 'the-new-bridge-opens'));
    expect(bridge).toMatchObject({ status: 'published', hero: null });
  });

  it('answers the old permalinks with a 301 to the new addresses', async () => {
    for (const [old, now] of [
      ['/2024/05/12/harbour-reopens-to-fishing-boats/', '/en/harbour-reopens-to-fishing-boats'],
      ['/?p=11', '/en/fish-prices-fall-again'],
      ['/?page_id=14', '/en/about-us'],
      ['/about-us/', '/en/about-us'],
      ['/fr/2024/05/20/les-horaires-du-ferry-changent/', '/fr/les-horaires-du-ferry-changent'],
      ['/category/news/', '/en/section/news'],
      ['/tag/ocean/', '/en/tag/ocean'],
      // Authors have no language: their page in the site's default one.
      ['/author/bob/', '/fr/author/bob'],
    ] as const) {
      const answer = await get(old);
      expect([old, answer.statusCode, answer.headers.location]).toEqual([old, 301, now]);
    }
    // A draft's old address stays a 404: no redirect to a page readers cannot see.
    expect((await get('/?p=12')).statusCode).toBe(302);
    expect((await get('/2030/01/01/the-regatta-programme/')).statusCode).toBe(404);
  });

  it('changes nothing when run again: no new rows, every thing unchanged', async () => {
    const before = {
      articles: await countOf('articles'),
      images: await countOf('images'),
      revisions: await countOf('article_revisions'),
    };
    const again = await runImport();
    for (const kind of ['article', 'page', 'author', 'section', 'tag', 'redirect'] as const) {
      expect(again.counts[kind].created + again.counts[kind].updated, kind).toBe(0);
    }
    expect(again.counts.article.unchanged).toBe(8);
    expect(again.counts.image).toEqual({ created: 0, updated: 0, unchanged: 5, skipped: 1 });
    expect({
      articles: await countOf('articles'),
      images: await countOf('images'),
      revisions: await countOf('article_revisions'),
    }).toEqual(before);
  });

  it('updates the one story whose post changed when the edited file is imported again', async () => {
    const edited = Buffer.from(
      exportXml.toString('utf8').replace('Work on the quay starts in June.', 'Work on the quay starts in July.'),
    );
    const revisions = await countOf('article_revisions');
    const report = await runImport(edited);
    expect(report.counts.article).toMatchObject({ created: 0, updated: 1, unchanged: 7 });
    expect(await countOf('article_revisions')).toBe(revisions + 1);
    const page = await get('/en/harbour-reopens-to-fishing-boats');
    expect(page.body).toContain('Work on the quay starts in July.');
    expect(page.body).not.toContain('starts in June');
  });

  it('refuses an entity bomb before reading anything, storing nothing', async () => {
    const articles = await countOf('articles');
    const bomb = readFileSync(new URL('entity-bomb.xml', fixtures));
    let refused: unknown;
    try {
      site.app.importers.wordpress(bomb);
    } catch (error) {
      refused = error;
    }
    expect(isKiosqueError(refused) && refused.code).toBe('WXR_FILE_INVALID');
    expect(isKiosqueError(refused) && refused.details.reason).toBe('entity-declaration');
    expect(await countOf('articles')).toBe(articles);
  });
});

describe('a file that is not a WordPress export', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('sqlite', { demo: false });
  });
  afterAll(async () => {
    await site?.close();
  });

  it.each([
    [
      'an RSS feed',
      '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
      'WXR_NOT_WORDPRESS',
    ],
    ['cut short', '<?xml version="1.0"?><rss version="2.0"><channel>', 'WXR_FILE_INVALID'],
    ['empty', '', 'IMPORT_FILE_MISSING'],
  ])('refuses %s with its code', (_name, text, code) => {
    expect(() => site.app.importers.wordpress(Buffer.from(text))).toThrow(expect.objectContaining({ code }));
  });
});
