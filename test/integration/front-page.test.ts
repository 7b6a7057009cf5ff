import { afterAll, beforeAll, expect, it } from 'vitest';
import { dateToZonedTime, zonedTimeToDate } from '../../src/web/routes/admin-story-routes.js';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, post, type StaffAgent } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The injected clock: the test moves it; nothing here sleeps. */
let now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };

interface Story {
  id: string;
  slug: string;
  headline: string;
  section_id: string | null;
}

/**
 * Issue 14, front-page curation (decision 0060): what staff pin is stored and shown in their order,
 * the page falls back to newest first, a pick readers may not see is never shown, the banner runs
 * until its expiry (the clock is moved, no one touches the site), a curation change drops the
 * cached page, and only editors and up may curate.
 */
describeEachDatabase('front-page curation on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let author: StaffAgent;
  let contributor: StaffAgent;
  /** The English demo stories readers see, newest first. */
  let stories: Story[];

  const get = (url: string, cookie = '') =>
    site.app.server.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'identity', ...(cookie ? { cookie } : {}) },
    });
  const act = (agent: StaffAgent, path: string, form: Record<string, string>) =>
    post(site, `/admin/front-page/en/${path}`, { _csrf: agent.csrf, ...form }, agent.cookie);
  /** Where each headline first appears on the page (-1: absent), to compare orders. */
  const at = (body: string, story: Story) => body.indexOf(`>${story.headline}</a>`);
  /** The part of the home page under a heading id (`lead-title`, `top-title`, `latest-title`). */
  function part(body: string, id: string): string {
    const start = body.indexOf(`id="${id}"`);
    if (start < 0) return '';
    const end = body.indexOf('</section>', start);
    return body.slice(start, end);
  }

  beforeAll(async () => {
    now = new Date('2026-05-04T08:00:00.000Z');
    site = await startTestSite(kind, { clock });
    await site.app.staff.createOwnerSetupLink();
    editor = await addMember(site, 'editor', 'editor@example.org');
    author = await addMember(site, 'author', 'author@example.org');
    contributor = await addMember(site, 'contributor', 'contributor@example.org');
    const shown = await site.app.database.db
      .selectFrom('articles')
      .select(['id', 'slug', 'headline', 'section_id'])
      .where('language', '=', 'en')
      .where('status', '=', 'published')
      .where('deleted_at', 'is', null)
      .where('embargo_until', 'is', null)
      .orderBy('published_at', 'desc')
      .execute();
    stories = shown;
    expect(stories.length).toBeGreaterThanOrEqual(5);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('leads with the newest story and pins nothing while staff pinned nothing', async () => {
    const home = (await get('/en/')).body;
    expect(part(home, 'lead-title')).toContain(stories[0]!.headline);
    expect(home).not.toContain('id="top-title"');
    expect(home).not.toContain('class="breaking"');
  });

  it('shows the pinned lead and top stories in the order staff gave, and keeps top stories in the latest list', async () => {
    const [newest, second, third, , fifth] = stories as [Story, Story, Story, Story, Story];
    // Cached before the change: the change must drop it.
    await get('/en/');
    expect(site.app.pageCache.has('/en/')).toBe(true);

    expect((await act(editor, 'lead', { id: fifth.id })).statusCode).toBe(303);
    expect(site.app.pageCache.has('/en/')).toBe(false);
    expect((await act(editor, 'top', { id: third.id, action: 'add' })).statusCode).toBe(303);
    expect((await act(editor, 'top', { id: second.id, action: 'add' })).statusCode).toBe(303);
    // The second added goes first: "Up" without any script.
    expect((await act(editor, 'top', { id: second.id, action: 'up' })).statusCode).toBe(303);

    const home = (await get('/en/')).body;
    expect(part(home, 'lead-title')).toContain(fifth.headline);
    const top = part(home, 'top-title');
    expect(at(top, second)).toBeGreaterThan(-1);
    expect(at(top, second)).toBeLessThan(at(top, third));
    expect(top).not.toContain(newest.headline);
    // A story may be both a top story and in the latest list (the Newspack request); the lead is shown once.
    const latest = part(home, 'latest-title');
    expect(latest).toContain(second.headline);
    expect(latest).toContain(newest.headline);
    expect(latest).not.toContain(fifth.headline);

    // The screen, in the editor's language (French), lists the picks in that order.
    const screen = await get('/admin/front-page/en', editor.cookie);
    expect(screen.statusCode).toBe(200);
    expect(screen.body).toContain('Titres du jour');
    expect(at(screen.body, second)).toBeLessThan(at(screen.body, third));

    // Stored: a second instance of the site reads the same front page from the database.
    const picks = await site.app.database.db
      .selectFrom('front_page_picks')
      .select(['slot', 'position', 'article_id'])
      .where('language', '=', 'en')
      .orderBy('slot')
      .orderBy('position')
      .execute();
    expect(picks).toEqual([
      { slot: 'lead', position: 0, article_id: fifth.id },
      { slot: 'top', position: 0, article_id: second.id },
      { slot: 'top', position: 1, article_id: third.id },
    ]);
  });

  it('skips a pinned story readers cannot see and falls back, dropping the cached home page when it is unpublished', async () => {
    const [newest, second, third, , fifth] = stories as [Story, Story, Story, Story, Story];
    await get('/en/');
    expect(site.app.pageCache.has('/en/')).toBe(true);
    const lead = await site.app.articles.get(fifth.id);
    await site.app.articles.unpublish(fifth.id, { expectedRevision: lead.revision });
    expect(site.app.pageCache.has('/en/')).toBe(false);

    const home = (await get('/en/')).body;
    expect(home).not.toContain(fifth.headline);
    expect(part(home, 'lead-title')).toContain(newest.headline);
    expect(at(part(home, 'top-title'), second)).toBeLessThan(at(part(home, 'top-title'), third));
    // The screen says the pick is skipped, and why.
    expect((await get('/admin/front-page/en', editor.cookie)).body).toContain('ignoré : brouillon');

    // An embargoed story pinned as lead is not shown before its time either.
    const embargoed = await site.app.articles.get(third.id);
    await site.app.database.db
      .updateTable('articles')
      .set({ embargo_until: new Date(now.getTime() + 3600_000).toISOString() })
      .where('id', '=', embargoed.id)
      .execute();
    expect((await act(editor, 'lead', { id: third.id })).statusCode).toBe(303);
    const embargoedHome = (await get('/en/')).body;
    expect(embargoedHome).not.toContain(third.headline);
    expect(part(embargoedHome, 'lead-title')).toContain(newest.headline);
    await site.app.database.db
      .updateTable('articles')
      .set({ embargo_until: null })
      .where('id', '=', third.id)
      .execute();
    await site.app.articles.publish(fifth.id, { expectedRevision: lead.revision + 1 });
    expect((await act(editor, 'lead', { id: '' })).statusCode).toBe(303);
  });

  it('refuses a story of another language, with the reason in the editor’s language and nothing stored', async () => {
    const french = await site.app.database.db
      .selectFrom('articles')
      .select('id')
      .where('language', '=', 'fr')
      .executeTakeFirstOrThrow();
    const before = await site.app.database.db.selectFrom('front_page_picks').selectAll().execute();
    const refused = await act(editor, 'top', { id: french.id, action: 'add' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Cet article ne peut pas être épinglé ici');
    expect(await site.app.database.db.selectFrom('front_page_picks').selectAll().execute()).toEqual(before);
  });

  it('pins a section’s lead first on its page, never twice', async () => {
    const inSection = stories.filter((story) => story.section_id === stories.find((s) => s.section_id)!.section_id);
    const sectionId = inSection[0]!.section_id!;
    const section = await site.app.database.db
      .selectFrom('sections')
      .select('slug')
      .where('id', '=', sectionId)
      .executeTakeFirstOrThrow();
    const oldest = inSection.at(-1)!;
    await get(`/en/section/${section.slug}`);
    expect((await act(editor, 'sections', { sectionId, id: oldest.id })).statusCode).toBe(303);
    const page = (await get(`/en/section/${section.slug}`)).body;
    expect(page.split(`>${oldest.headline}</a>`)).toHaveLength(2);
    if (inSection.length > 1) expect(at(page, oldest)).toBeLessThan(at(page, inSection[0]!));
  });

  it('shows the banner on home, section and story pages until its expiry, then never again without anyone touching the site', async () => {
    // Typed to the minute in the site's time zone, as the form does; stored as that instant in UTC.
    const typed = dateToZonedTime(new Date(now.getTime() + 45 * 60_000), site.config.timeZone).slice(0, 16);
    const expiry = zonedTimeToDate(typed, site.config.timeZone)!;
    const saved = await act(editor, 'banner', {
      action: 'save',
      text: 'Polls close early in the north',
      link: `/en/${stories[0]!.slug}`,
      expiresAt: typed,
    });
    expect(saved.statusCode).toBe(303);
    const stored = await site.app.database.db.selectFrom('breaking_banners').selectAll().executeTakeFirstOrThrow();
    expect(new Date(stored.expires_at).toISOString()).toBe(expiry.toISOString());
    const story = `/en/${stories[1]!.slug}`;
    const section = await site.app.database.db
      .selectFrom('sections')
      .select('slug')
      .where('id', '=', stories.find((s) => s.section_id)!.section_id!)
      .executeTakeFirstOrThrow();
    const pages = ['/en/', story, `/en/section/${section.slug}`];
    for (const url of pages) {
      const page = await get(url);
      expect(page.body).toContain('aria-label="Breaking news"');
      expect(page.body).toContain('Polls close early in the north');
      // Shared caches keep it no longer than the banner runs.
      expect(page.headers['cache-control']).toContain('s-maxage=30');
    }
    // French pages have no banner: it belongs to the English front page.
    expect((await get('/fr/')).body).not.toContain('class="breaking"');
    // Kept in the page cache…
    await get('/en/');
    expect(site.app.pageCache.has('/en/')).toBe(true);

    // …until a minute before the end: shared caches get no longer than what is left.
    now = new Date(expiry.getTime() - 20_000);
    expect((await get('/en/')).headers['cache-control']).toBe(
      'public, max-age=0, s-maxage=20, stale-while-revalidate=0',
    );
    now = new Date(expiry.getTime() + 1000);
    for (const url of pages) {
      const page = await get(url);
      expect(page.body).not.toContain('Polls close early in the north');
      expect(page.body).not.toContain('class="breaking"');
    }
    // The screen says it expired.
    expect((await get('/admin/front-page/en', editor.cookie)).body).toContain('Expiré le');
  });

  it('refuses a banner with a script link, or an expiry in the past, storing nothing', async () => {
    const before = await site.app.database.db.selectFrom('breaking_banners').selectAll().execute();
    const later = dateToZonedTime(new Date(now.getTime() + 3600_000), site.config.timeZone).slice(0, 16);
    const earlier = dateToZonedTime(new Date(now.getTime() - 3600_000), site.config.timeZone).slice(0, 16);
    for (const form of [
      { text: 'Flood warning', link: 'javascript:alert(1)', expiresAt: later },
      { text: 'Flood warning', link: '//evil.example/x', expiresAt: later },
      { text: 'Flood warning', link: '', expiresAt: earlier },
      { text: '   ', link: '', expiresAt: later },
    ]) {
      const refused = await act(editor, 'banner', { action: 'save', ...form });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Un bandeau « Dernière minute » demande');
      // What was typed is shown again.
      if (form.text.trim()) expect(refused.body).toContain('value="Flood warning"');
    }
    expect(await site.app.database.db.selectFrom('breaking_banners').selectAll().execute()).toEqual(before);
  });

  // SQLite is one process per file: there is no other instance to tell.
  it.skipIf(kind === 'sqlite')('drops the curated page on every instance sharing the database', async () => {
    const other = await startTestSite(kind, { clock, instanceOf: site });
    try {
      await other.app.server.inject({ method: 'GET', url: '/en/' });
      expect(other.app.pageCache.has('/en/')).toBe(true);
      const heard = new Promise<void>((resolve) => {
        const stop = other.app.events.subscribe((event) => {
          if (event.type !== 'frontpage.changed') return;
          stop();
          resolve();
        });
      });
      expect((await act(editor, 'top', { id: stories[3]!.id, action: 'add' })).statusCode).toBe(303);
      await heard;
      expect(other.app.pageCache.has('/en/')).toBe(false);
      const home = (await other.app.server.inject({ method: 'GET', url: '/en/' })).body;
      expect(part(home, 'top-title')).toContain(stories[3]!.headline);
    } finally {
      await other.close();
    }
  });

  it('lets authors and contributors neither see nor change the front page', async () => {
    const before = await site.app.database.db.selectFrom('front_page_picks').selectAll().execute();
    for (const agent of [author, contributor]) {
      expect((await get('/admin/front-page/en', agent.cookie)).statusCode).toBe(403);
      expect((await act(agent, 'lead', { id: stories[2]!.id })).statusCode).toBe(403);
      expect((await act(agent, 'top', { id: stories[2]!.id, action: 'add' })).statusCode).toBe(403);
      const nav = (await get('/admin/stories', agent.cookie)).body;
      expect(nav).not.toContain('href="/admin/front-page"');
    }
    expect(await site.app.database.db.selectFrom('front_page_picks').selectAll().execute()).toEqual(before);
    expect((await get('/admin/stories', editor.cookie)).body).toContain('href="/admin/front-page"');
  });
});
