import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  type ChannelStory,
  channelOf,
  contentKeyFor,
  listingsOf,
  pathsOf,
  storyChannels,
} from '../support/public-channels.js';
import { editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The injected clock: the test moves it; nothing here sleeps. */
let now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };

const slug = 'turbine-cooperative-deal-signed';
/** The embargo as the editor typed it, in the site's time zone (Paris, summer time): 10:00 UTC. */
const embargoTyped = '2026-05-04T12:00';
const embargo = new Date('2026-05-04T10:00:00.000Z');
/** A word found only in the embargoed story. */
const word = 'zephyrinequay';

/**
 * Issue 12: "an item under embargo appears on no public channel (page, feed, sitemap, search,
 * API, newsletter) before its time, and on all within one scheduler tick after." The channels
 * are the route table's, classified once in test/support/public-channels.ts (decision 0030);
 * every GET route that carries stories is walked with the embargoed story's parameters, twice
 * (so the second answer comes from the page cache), before and after the embargo. The clock is
 * injected and the scheduler is ticked by hand: nothing waits on the wall clock.
 */
describeEachDatabase('embargo on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let id: string;
  let neighbour: ArticleRecord;
  let story: ChannelStory;
  const client = staffClient(() => site);

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
  const record = async (articleId: string) => site.app.articles.get(articleId);
  /**
   * Whether the story shows: its address, which its page (canonical), lists, feeds, sitemaps and
   * search results all carry, or its headline. (Its word is what a search page repeats back.)
   */
  const shows = (body: string) => body.includes(`/en/${slug}`) || body.includes('Turbine cooperative deal signed');

  /** Every request that stands for a channel carrying stories, filled with the embargoed story. */
  async function channelPaths(): Promise<string[]> {
    const index = (await get('/sitemap.xml')).body;
    return site.app.server.routeList
      .filter((route) => route.method === 'GET')
      .filter((route) => storyChannels.includes(channelOf(route.url) ?? 'staff only'))
      .flatMap((route) => pathsOf(route.url, story, index));
  }

  /** Each path twice: the second answer is the cached page, when the route caches. */
  async function walk(): Promise<{ path: string; status: number; shows: boolean }[]> {
    const seen = [];
    for (const path of await channelPaths()) {
      for (const _time of [1, 2]) {
        const response = await get(path);
        seen.push({ path, status: response.statusCode, shows: shows(response.body) });
      }
    }
    return seen;
  }

  beforeAll(async () => {
    now = new Date('2026-05-04T08:00:00.000Z');
    site = await startTestSite(kind, { clock, demo: false, env: { KIOSQUE_TIME_ZONE: 'Europe/Paris' } });
    owner = await setupOwner(site);
    const byline = await testByline(site.app.database.db);
    // A public story on the same subject, in the same section and tag: its related list is where
    // the embargoed story appears once public. A third, unrelated one gives the terms weight.
    const created = await client.form(owner, '/admin/stories', {
      language: 'en',
      headline: 'Turbine cooperative deal signed',
      slug,
      standfirst: 'The riverside turbine cooperative signs with the city.',
      bodyMarkdown: `The riverside turbine cooperative signed the ${word} deal with the city council.\n\nThe turbines will power the harbour district from next winter.`,
      newSection: 'Energy',
      tags: 'Turbines',
      authorIds: byline,
      embargoUntil: embargoTyped,
    });
    expect(created.statusCode).toBe(303);
    id = /\/admin\/stories\/([^?]+)/.exec(String(created.headers.location))?.[1] ?? '';
    const stored = await record(id);
    neighbour = await site.app.articles.create({
      language: 'en',
      headline: 'The riverside turbine cooperative grows',
      bodyMarkdown:
        'The riverside turbine cooperative added two turbines to power the harbour district.\n\nThe city council approved.',
      status: 'published',
      publishedAt: new Date('2026-05-04T07:00:00.000Z'),
      sectionId: stored.sectionId,
      tagIds: stored.tagIds,
      authorIds: byline,
    });
    await site.app.articles.create({
      language: 'en',
      headline: 'Bakers of the old town',
      bodyMarkdown: 'Flour, water and salt: the bakers of the old town rise before dawn.\n\nBread sells out by noon.',
      status: 'published',
      publishedAt: new Date('2026-05-04T06:00:00.000Z'),
      authorIds: byline,
    });
    await site.app.related.idle();
    story = {
      id,
      lang: 'en',
      slug,
      ...(await listingsOf(site.app.database.db, id)),
      queries: [word, 'cooperative'],
      contentKey: await contentKeyFor(site),
    };
  });
  afterAll(async () => {
    await site?.close();
  });

  it('stores the embargo typed in the site’s time zone, and shows it in the editor and the story list', async () => {
    const stored = await record(id);
    expect(stored.embargoUntil?.toISOString()).toBe(embargo.toISOString());
    const editor = await client.get(`/admin/stories/${id}`, owner);
    expect(editor.body).toContain(`name="embargoUntil"`);
    expect(editor.body).toContain(`value="${embargoTyped}:00"`);
    expect(editor.body).toContain('Europe/Paris');
    const list = await client.get('/admin/stories', owner);
    expect(list.body).toContain('Sous embargo jusqu’au 4 mai 2026 à 12:00');
  });

  it('schedules a story published under embargo at the embargo’s end, and tells the editor', async () => {
    const published = await client.form(owner, `/admin/stories/${id}/publish`, {
      ...(await editorFormOf(site, await record(id))),
      expectedRevision: String((await record(id)).revision),
    });
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(`/admin/stories/${id}?done=embargoed`);
    const stored = await record(id);
    expect(stored.status).toBe('scheduled');
    expect(stored.scheduledAt?.toISOString()).toBe(embargo.toISOString());
    expect(stored.publishedAt).toBeNull();
    const editor = await client.get(`/admin/stories/${id}?done=embargoed`, owner);
    expect(editor.body).toContain('Sous embargo : l’article est programmé à la fin de son embargo');
    expect(editor.body).toContain(
      'Sous embargo jusqu’au 4 mai 2026 à 12:00 : les lecteurs ne le voient nulle part avant.',
    );
  });

  it('shows the story on no public channel before the embargo, cached or not, and the staff preview still works', async () => {
    // A scheduler pass a second before the embargo publishes nothing.
    now = new Date(embargo.getTime() - 1000);
    expect(await site.app.scheduler.tick()).toBe(0);
    const seen = await walk();
    expect(seen.length).toBeGreaterThan(40);
    expect(seen.filter((entry) => entry.shows).map((entry) => entry.path)).toEqual([]);
    expect((await get(`/en/${slug}`)).statusCode).toBe(404);
    // Related lists of the other stories do not name it.
    expect(shows((await get(`/en/${neighbour.slug}`)).body)).toBe(false);
    // Newsletters: it cannot be sent, now or in a digest.
    for (const mode of ['now', 'digest']) {
      const sent = await client.form(owner, `/admin/stories/${id}/newsletter`, { listId: 'nll_en_default', mode });
      expect(sent.statusCode, mode).not.toBe(200);
      expect(sent.statusCode, mode).toBeLessThan(500);
    }
    // Staff see it through the preview link.
    const editor = await client.get(`/admin/stories/${id}`, owner);
    const preview = /\/preview\/([A-Za-z0-9_-]+)/.exec(editor.body)?.[1];
    expect(preview).toBeDefined();
    const previewed = await get(`/preview/${preview}`);
    expect(previewed.statusCode).toBe(200);
    expect(previewed.body).toContain('Turbine cooperative deal signed');
  });

  it('shows it on every channel after one scheduler tick past the embargo, cached pages refreshed', async () => {
    now = embargo;
    expect(await site.app.scheduler.tick()).toBe(1);
    await site.app.related.idle();
    const seen = await walk();
    // Redirects (`/`, `/en`, the meter route of a public story) lead to pages walked here too.
    const missing = [
      ...new Set(seen.filter((entry) => entry.status === 200 && !entry.shows).map((entry) => entry.path)),
    ];
    // Only the pages that never list an English story: the sitemap index, robots.txt, French files,
    // the corrections page (no correction yet) and the files of static pages (issue 14).
    expect(missing.sort()).toEqual([
      '/en/corrections',
      '/robots.txt',
      '/sitemap.xml',
      '/sitemaps/en-pages.xml',
      '/sitemaps/fr-1.xml',
      '/sitemaps/fr-pages.xml',
      '/sitemaps/news-fr.xml',
    ]);
    expect(seen.filter((entry) => entry.status >= 400).map((entry) => entry.path)).toEqual([]);
    expect((await get(`/en/${slug}`)).statusCode).toBe(200);
    expect(shows((await get(`/en/${neighbour.slug}`)).body)).toBe(true);
    const stored = await record(id);
    expect(stored.status).toBe('published');
    expect(stored.publishedAt?.toISOString()).toBe(embargo.toISOString());
    // Once: the next pass has nothing to do.
    expect(await site.app.scheduler.tick()).toBe(0);
    const sent = await client.form(owner, `/admin/stories/${id}/newsletter`, {
      listId: 'nll_en_default',
      mode: 'digest',
    });
    expect(sent.statusCode).toBe(200);
  });

  it('keeps a new embargo on a live story as its pending version until the live story is updated', async () => {
    now = new Date(embargo.getTime() + 60_000);
    const later = '2026-05-05T12:00';
    const live = await record(id);
    const saved = await client.form(owner, `/admin/stories/${id}`, {
      ...(await editorFormOf(site, live, { embargoUntil: later })),
      expectedRevision: String(live.revision),
    });
    expect(saved.statusCode).toBe(303);
    expect((await record(id)).embargoUntil?.toISOString()).toBe(embargo.toISOString());
    expect((await get(`/en/${slug}`)).statusCode).toBe(200);
    const updated = await client.form(owner, `/admin/stories/${id}/update-live`, {
      expectedRevision: String((await record(id)).revision),
    });
    expect(updated.statusCode).toBe(303);
    const stored = await record(id);
    expect(stored.embargoUntil?.toISOString()).toBe('2026-05-05T10:00:00.000Z');
    expect(stored.status).toBe('scheduled');
    expect(stored.scheduledAt?.toISOString()).toBe('2026-05-05T10:00:00.000Z');
    expect((await get(`/en/${slug}`)).statusCode).toBe(404);
    expect(shows((await get('/en/rss.xml')).body)).toBe(false);
  });

  it('moves a schedule set before the embargo to its end', async () => {
    const draft = await site.app.articles.create({
      language: 'en',
      headline: 'Another embargoed story',
      bodyMarkdown: 'A paragraph.\n\nAnother.',
      authorIds: await testByline(site.app.database.db),
      embargoUntil: new Date(now.getTime() + 3_600_000),
    });
    const scheduled = await client.form(owner, `/admin/stories/${draft.id}/schedule`, {
      scheduleAtIso: new Date(now.getTime() + 60_000).toISOString(),
    });
    expect(scheduled.statusCode).toBe(303);
    expect(scheduled.headers.location).toBe(`/admin/stories/${draft.id}?done=embargoed`);
    expect((await record(draft.id)).scheduledAt?.toISOString()).toBe(new Date(now.getTime() + 3_600_000).toISOString());
  });

  it('gives a translation made under embargo the same embargo', async () => {
    const draft = await site.app.articles.create({
      language: 'en',
      headline: 'A wire story under embargo',
      bodyMarkdown: 'A paragraph.\n\nAnother.',
      authorIds: await testByline(site.app.database.db),
      embargoUntil: new Date(now.getTime() + 3_600_000),
    });
    const translated = await client.form(owner, `/admin/stories/${draft.id}/translate`, { language: 'fr' });
    expect(translated.statusCode).toBe(303);
    const translationId = /\/admin\/stories\/([^?]+)/.exec(String(translated.headers.location))?.[1] ?? '';
    expect((await record(translationId)).embargoUntil?.toISOString()).toBe(draft.embargoUntil?.toISOString());
  });

  it('refuses an embargo that names no time, pointing at the field, and stores nothing', async () => {
    const before = await site.app.database.db.selectFrom('articles').select('id').execute();
    const refused = await client.form(owner, '/admin/stories', {
      language: 'en',
      headline: 'A story with a broken embargo',
      embargoUntil: 'next tuesday',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Sous embargo jusqu’au');
    expect(refused.body).toMatch(/id="f-embargo"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-embargo"/);
    expect(await site.app.database.db.selectFrom('articles').select('id').execute()).toHaveLength(before.length);
  });
});
