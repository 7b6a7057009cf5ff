import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublic } from '../../src/domain/articles/article.js';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { visibleToReaders } from '../../src/storage/visibility.js';
import { newsroom } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };
const minute = 60_000;

/**
 * Every state a story can be in for readers, each with a word of its own so that search, feeds
 * and sitemaps can be asked about it alone. `visible` is what readers must find: only a published
 * story whose publication time has come, that is not in the trash and whose embargo passed.
 */
const states: { name: string; visible: boolean; change: (record: ArticleRecord) => void }[] = [
  { name: 'public', visible: true, change: () => {} },
  {
    name: 'on-the-minute',
    visible: true,
    change: (r) => {
      r.publishedAt = now;
    },
  },
  {
    // Published with a time still to come: a state no save produces, but a database may hold.
    name: 'future',
    visible: false,
    change: (r) => {
      r.publishedAt = new Date(now.getTime() + minute);
    },
  },
  {
    // Its time has passed but the scheduler has not published it yet.
    name: 'scheduled-overdue',
    visible: false,
    change: (r) => {
      r.status = 'scheduled';
      r.scheduledAt = new Date(now.getTime() - minute);
      r.publishedAt = new Date(now.getTime() - minute);
    },
  },
  {
    // Withdrawn: it keeps its publication time.
    name: 'withdrawn',
    visible: false,
    change: (r) => {
      r.status = 'draft';
    },
  },
  {
    // Published, its embargo still to come (issue 12): a state no save produces (publishing under
    // embargo schedules the story at its end), but a database may hold.
    name: 'embargoed',
    visible: false,
    change: (r) => {
      r.embargoUntil = new Date(now.getTime() + minute);
    },
  },
  {
    name: 'embargo-lifted',
    visible: true,
    change: (r) => {
      r.embargoUntil = now;
    },
  },
  {
    name: 'trashed',
    visible: false,
    change: (r) => {
      r.deletedAt = new Date(now.getTime() - minute);
    },
  },
];

const codeWord = (state: string) => `zorblax${state.replace(/-/g, '')}`;

/**
 * Issue 11: "visible to readers now" was written nine times in storage and the domain's
 * `isPublic()` was used nowhere. The rule is now `isPublic()` in the domain and
 * `visibleToReaders()` in SQL; these tests hold the two to the same answers, on every channel a
 * reader can reach a story through, on both databases.
 */
describeEachDatabase('visibility to readers on $kind', ({ kind }) => {
  let site: TestSite;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    site = await startTestSite(kind, { clock, demo: false });
    const { taxonomy, prepare, insert } = newsroom(site.app.database.db, clock);
    const section = await taxonomy.ensureSection('en', 'visibility-desk', 'Visibility desk');
    const tag = await taxonomy.ensureTag('en', 'visibility-tag', 'Visibility tag');
    const author = await taxonomy.ensureAuthor({ slug: 'vera-visible', name: 'Vera Visible', bio: '' }, now);
    for (const [index, state] of states.entries()) {
      const word = codeWord(state.name);
      const english = prepare(
        {
          language: 'en',
          slug: `story-${state.name}`,
          headline: `The ${word} story`,
          standfirst: `Standfirst of ${word}.`,
          bodyMarkdown: `A paragraph about ${word}.\n\nAnother one.`,
          status: 'published',
          sectionId: section.id,
          tagIds: [tag.id],
          authorIds: [author.id],
          publishedAt: new Date(now.getTime() - (index + 2) * minute),
        },
        state.change,
      );
      await insert(english);
      ids.set(state.name, english.id);
      // A public French translation of each: its page and sitemap entry name the English one only when it is public.
      await insert(
        prepare({
          language: 'fr',
          slug: `recit-${state.name}`,
          headline: `Le récit ${word}`,
          standfirst: '',
          bodyMarkdown: `Un paragraphe sur ${word}.`,
          status: 'published',
          translationGroup: english.translationGroup,
          publishedAt: new Date(now.getTime() - 60 * minute),
        }),
      );
    }
    site.app.pageCache.clear();
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  it('selects in SQL exactly the stories isPublic() accepts', async () => {
    const db = site.app.database.db;
    const selected = await db.selectFrom('articles').select('id').where(visibleToReaders(now)).execute();
    const aliased = await db.selectFrom('articles as a').select('a.id').where(visibleToReaders(now, 'a')).execute();
    const records = await Promise.all(
      (await db.selectFrom('articles').select('id').execute()).map(({ id }) =>
        newsroom(db, clock).articles.findRecord(id),
      ),
    );
    const accepted = records
      .filter((record): record is ArticleRecord => record !== null && isPublic(record, now))
      .map((record) => record.id);
    expect(selected.map((row) => row.id).sort()).toEqual([...accepted].sort());
    expect(aliased.map((row) => row.id).sort()).toEqual([...accepted].sort());
    // Not a vacuous agreement: the English stories split as the states say.
    const english = states.filter((state) => state.visible).map((state) => ids.get(state.name));
    expect(accepted.filter((id) => [...ids.values()].includes(id)).sort()).toEqual(english.sort());
  });

  it('shows the story page, and redirects nothing, only for a public story', async () => {
    for (const state of states) {
      const page = await get(`/en/story-${state.name}`);
      expect(page.statusCode, state.name).toBe(state.visible ? 200 : 404);
      if (!state.visible) expect(page.body, state.name).not.toContain(codeWord(state.name));
    }
  });

  it('lists it on the home, section, tag and author pages and their feeds only when public', async () => {
    for (const url of [
      '/en/',
      '/en/section/visibility-desk',
      '/en/tag/visibility-tag',
      '/en/author/vera-visible',
      '/rss.xml',
      '/en/atom.xml',
      '/en/section/visibility-desk/feed.json',
      '/en/tag/visibility-tag/rss.xml',
      '/en/author/vera-visible/atom.xml',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      for (const state of states) {
        // The site's feed carries the French translations too: the English address is what counts.
        expect(response.body.includes(`/en/story-${state.name}`), `${url} ${state.name}`).toBe(state.visible);
      }
    }
  });

  it('finds it by search only when public', async () => {
    for (const state of states) {
      const results = await get(`/en/search?q=${codeWord(state.name)}`);
      expect(results.statusCode).toBe(200);
      expect(results.body.includes(`/en/story-${state.name}`), state.name).toBe(state.visible);
    }
  });

  it('names it in sitemaps, news sitemaps and translations’ alternates only when public', async () => {
    const english = await get('/sitemaps/en-1.xml');
    const news = await get('/sitemaps/news-en.xml');
    const french = await get('/sitemaps/fr-1.xml');
    for (const response of [english, news, french]) expect(response.statusCode).toBe(200);
    for (const state of states) {
      const address = `/en/story-${state.name}<`;
      expect(english.body.includes(address), `sitemap ${state.name}`).toBe(state.visible);
      expect(news.body.includes(address), `news sitemap ${state.name}`).toBe(state.visible);
      // The French translation is listed in any case; its English alternate only when public.
      expect(french.body).toContain(`/fr/recit-${state.name}<`);
      expect(french.body.includes(`/en/story-${state.name}"`), `hreflang ${state.name}`).toBe(state.visible);
      const translation = await get(`/fr/recit-${state.name}`);
      expect(translation.statusCode).toBe(200);
      expect(translation.body.includes(`/en/story-${state.name}"`), `switcher ${state.name}`).toBe(state.visible);
    }
  });
});

/**
 * The guard of issue 11: storage states "visible to readers" through `visibleToReaders()` only.
 * A file that spells the rule out again (the published status, or a comparison of the
 * publication time with now) fails here; migrations, which describe the schema at one moment,
 * are left out.
 */
describe('the visibility rule is written once', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
  const storage = path.join(root, 'storage');
  const respelled = [
    /['"`]published['"`]/,
    /status\s*=\s*'?published/i,
    /published_at['"`]?\s*,\s*['"`]<=?['"`]/,
    /published_at\s*<=?\s*\$?\{?\s*now/,
    /publishedAt\s*<=\s*now/,
    // The embargo (issue 12) compared with now, in a query or in memory.
    /embargo_until['"`]?\s*,\s*['"`](<=?|>=?|is)['"`]/,
    /embargo_until\s*(<=?|>=?|is\b)/,
    /embargoUntil(\.getTime\(\))?\s*[<>]=?\s*now\b/,
  ];
  /** The domain's copies compared a publication time with now by hand (`record.publishedAt <= now`). */
  const comparesPublicationWithNow =
    /publishedAt(\.getTime\(\))?\s*<=\s*now\b|embargoUntil(\.getTime\(\))?\s*[<>]=?\s*now\b|now(\.getTime\(\))?\s*[<>]=?\s*\w*\.?embargoUntil/;
  const offending = (source: string) => respelled.filter((pattern) => pattern.test(source)).map(String);

  function files(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === 'migrations' ? [] : files(full);
      return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
    });
  }

  it('recognises the ways the rule used to be spelled', () => {
    // The copies issue 11 removed, so that the guard below is known to catch them.
    expect(offending(".where('articles.status', '=', 'published')")).not.toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of the copy search used to hold
    const searchCopy = "parts.push(sql`a.status = 'published' and a.published_at <= ${now.toISOString()}`)";
    expect(offending(searchCopy)).not.toEqual([]);
    expect(offending(".on('other.published_at', '<=', now.toISOString())")).not.toEqual([]);
    expect(offending('visible: row.deleted_at === null && publishedAt <= now')).not.toEqual([]);
    expect(offending(".where(visibleToReaders(now, 'other'))")).toEqual([]);
    expect(comparesPublicationWithNow.test('record.publishedAt !== null &&\n        record.publishedAt <= now;')).toBe(
      true,
    );
    expect(comparesPublicationWithNow.test('isPublic(record, now)')).toBe(false);
    // Issue 12: the embargo is part of the rule; a copy of its test is one too.
    expect(offending(".where('articles.embargo_until', '<=', now.toISOString())")).not.toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a copy as raw SQL would be written
    expect(offending('sql`(a.embargo_until is null or a.embargo_until <= ${now})`')).not.toEqual([]);
    expect(offending("'a.embargo_until',")).toEqual([]);
    expect(comparesPublicationWithNow.test('record.embargoUntil.getTime() > now.getTime()')).toBe(true);
    expect(comparesPublicationWithNow.test('now < article.embargoUntil')).toBe(true);
    expect(comparesPublicationWithNow.test('isEmbargoed(record.embargoUntil, now)')).toBe(false);
  });

  it('finds no storage file but visibility.ts spelling out the rule', () => {
    const found = files(storage)
      .filter((file) => path.basename(file) !== 'visibility.ts')
      .map((file) => ({ file: path.relative(root, file), patterns: offending(readFileSync(file, 'utf8')) }))
      .filter((entry) => entry.patterns.length > 0);
    expect(found).toEqual([]);
  });

  it('finds no domain or web file but article.ts comparing a publication time or an embargo with now', () => {
    const found = [...files(path.join(root, 'domain')), ...files(path.join(root, 'web'))]
      .filter((file) => path.basename(file) !== 'article.ts')
      .filter((file) => comparesPublicationWithNow.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(found).toEqual([]);
  });
});
