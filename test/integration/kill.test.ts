import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { inputOf } from '../../src/domain/articles/article-service.js';
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
import { addMember, authorIdOf, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The injected clock: nothing here sleeps. */
const now = new Date('2026-06-10T08:00:00.000Z');
const clock = { now: () => now };

const oldSlug = 'harbour-crane-collapse';
const slug = 'harbour-crane-collapse-named';
const headline = 'Harbour crane collapse: the operator named';
/** A word found only in the story to be killed. */
const word = 'quillowharf';
const notice = 'This article has been removed following a court order.';

/**
 * Issue 14, kill / takedown (decision 0057): a killed story answers 410 Gone with a short notice,
 * disappears from every channel — the route table's, classified once in
 * test/support/public-channels.ts and walked as the embargo test walks them, each path twice so the
 * second answer is the cache's — and from pages cached before the kill, at once; its revisions are
 * kept. Both databases.
 */
describeEachDatabase('killing a story on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let author: StaffAgent;
  let story: ArticleRecord;
  let translation: ArticleRecord;
  let neighbour: ArticleRecord;
  let channelStory: ChannelStory;
  let previewPath: string;
  const client = staffClient(() => site);

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
  /** Its address or headline (its word is what a search page repeats back, so it is checked apart). */
  const shows = (body: string) => body.includes(`/en/${slug}`) || body.includes(headline);

  async function walk(): Promise<{ path: string; status: number; shows: boolean }[]> {
    const index = (await get('/sitemap.xml')).body;
    const paths = site.app.server.routeList
      .filter((route) => route.method === 'GET')
      .filter((route) => storyChannels.includes(channelOf(route.url) ?? 'staff only'))
      .flatMap((route) => pathsOf(route.url, channelStory, index));
    const seen = [];
    for (const path of paths) {
      for (const _time of [1, 2]) {
        const response = await get(path);
        seen.push({ path, status: response.statusCode, shows: shows(response.body) });
      }
    }
    return seen;
  }

  beforeAll(async () => {
    site = await startTestSite(kind, { clock, demo: false });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org', undefined, 'Eda Editor', 'en');
    author = await addMember(site, 'author', 'author@example.org', undefined, 'Aki Author', 'en');
    const byline = [await authorIdOf(site, author), ...(await testByline(site.app.database.db))];
    const created = await client.form(owner, '/admin/stories', {
      language: 'en',
      headline,
      slug: oldSlug,
      standfirst: 'A crane fell on the east quay.',
      bodyMarkdown: `The crane at the ${word} terminal fell on Tuesday night.\n\nThe operator was named by three witnesses.`,
      newSection: 'Port',
      tags: 'Cranes',
      authorIds: byline,
    });
    expect(created.statusCode).toBe(303);
    const id = /\/admin\/stories\/([^?]+)/.exec(String(created.headers.location))?.[1] ?? '';
    story = await site.app.articles.publish(id, { expectedRevision: 1 });
    // Renamed once published: the old address answers a 301 to the new one while the story lives.
    story = await site.app.articles.edit(id, { ...inputOf(story), slug }, { expectedRevision: story.revision });
    translation = await site.app.articles.create({
      language: 'fr',
      translationGroup: story.translationGroup,
      headline: 'Effondrement d’une grue au port',
      bodyMarkdown: 'La grue est tombée mardi soir.\n\nL’exploitant a été nommé.',
      status: 'published',
      authorIds: byline,
    });
    neighbour = await site.app.articles.create({
      language: 'en',
      headline: 'Harbour cranes to be inspected',
      bodyMarkdown: 'Every harbour crane on the east quay will be inspected.\n\nThe operator agreed.',
      status: 'published',
      publishedAt: new Date('2026-06-10T07:00:00.000Z'),
      sectionId: story.sectionId,
      tagIds: story.tagIds,
      authorIds: byline,
    });
    await site.app.related.idle();
    channelStory = {
      id,
      lang: 'en',
      slug,
      ...(await listingsOf(site.app.database.db, id)),
      queries: [word, 'crane'],
      contentKey: await contentKeyFor(site),
    };
    const page = await client.get(`/admin/stories/${id}`, owner);
    previewPath = /\/preview\/[A-Za-z0-9_-]+/.exec(page.body)?.[0] ?? '';
  });
  afterAll(async () => {
    await site?.close();
  });

  it('shows the story on its channels before the kill, its pages now in the cache', async () => {
    const seen = await walk();
    expect(seen.filter((entry) => entry.shows).length).toBeGreaterThan(20);
    expect((await get(`/en/${slug}`)).statusCode).toBe(200);
    expect((await get(`/en/${oldSlug}`)).statusCode).toBe(301);
    expect((await get(previewPath)).statusCode).toBe(200);
    // The neighbour's related list names it (the page is cached now).
    expect(shows((await get(`/en/${neighbour.slug}`)).body)).toBe(true);
  });

  it('lets no author kill, even their own story, and refuses a kill without a reason, storing nothing', async () => {
    const editorPage = await client.get(`/admin/stories/${story.id}`, author);
    expect(editorPage.statusCode).toBe(200);
    expect(editorPage.body).not.toContain('id="kill-form"');
    const denied = await client.form(author, `/admin/stories/${story.id}/kill`, {
      killReason: 'legal',
      expectedRevision: String(story.revision),
    });
    expect(denied.statusCode).toBe(403);
    const noReason = await client.form(editor, `/admin/stories/${story.id}/kill`, {
      killReason: '',
      killNotice: notice,
      expectedRevision: String(story.revision),
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatch(/id="f-kill-reason"[^>]*aria-invalid="true"/);
    expect((await site.app.articles.get(story.id)).killedAt).toBeNull();
    expect((await get(`/en/${slug}`)).statusCode).toBe(200);
  });

  it('offers the kill form to an editor, with the translation unticked', async () => {
    const page = await client.get(`/admin/stories/${story.id}`, editor);
    expect(page.body).toContain('id="kill-form"');
    expect(page.body).toContain('Kill this story');
    expect(page.body).toContain(`name="killTranslations" value="${translation.id}"`);
    expect(page.body).not.toMatch(/name="killTranslations"[^>]*checked/);
  });

  it('answers 410 with the notice at every address it had, and leaves every other channel at once, cached pages too', async () => {
    const killed = await client.form(editor, `/admin/stories/${story.id}/kill`, {
      killReason: 'legal',
      killNotice: notice,
      expectedRevision: String(story.revision),
    });
    expect(killed.statusCode).toBe(303);
    expect(killed.headers.location).toBe(`/admin/stories/${story.id}?done=killed`);
    await site.app.related.idle();

    for (const path of [`/en/${slug}`, `/en/${oldSlug}`]) {
      const gone = await get(path);
      expect(gone.statusCode, path).toBe(410);
      expect(gone.headers.location, path).toBeUndefined();
      expect(gone.headers['x-robots-tag']).toBe('noindex');
      expect(gone.body).toContain('<meta name="robots" content="noindex"/>');
      expect(gone.body).toContain('This story has been withdrawn');
      expect(gone.body).toContain(notice);
      expect(gone.body).toContain('June 10, 2026');
      // Nothing of the story: no headline, no text, and the old address does not tell the new one.
      expect(shows(gone.body), path).toBe(false);
      expect(gone.body, path).not.toContain(word);
    }

    const seen = await walk();
    const leaking = seen.filter((entry) => entry.shows).map((entry) => entry.path);
    expect(leaking).toEqual([]);
    expect(seen.filter((entry) => entry.status >= 500)).toEqual([]);
    // The neighbour's cached page no longer offers it among related stories.
    expect(shows((await get(`/en/${neighbour.slug}`)).body)).toBe(false);
    // The preview link stops working.
    expect((await get(previewPath)).statusCode).toBe(404);
  });

  it('keeps the translation, offered to be killed on its own, and the revisions for the record', async () => {
    expect((await get(`/fr/${translation.slug}`)).statusCode).toBe(200);
    const stored = await site.app.articles.get(story.id);
    expect(stored).toMatchObject({ killReason: 'legal', killNotice: notice, status: 'published' });
    expect(stored.killedAt?.toISOString()).toBe(now.toISOString());

    const editorPage = await client.get(`/admin/stories/${story.id}`, editor);
    expect(editorPage.body).toContain('This story was killed');
    expect(editorPage.body).toContain('Legal: court order or legal risk');
    expect(editorPage.body).toContain(`/admin/stories/${translation.id}#kill`);
    expect(editorPage.body).not.toContain('id="story-form"');

    const revisions = await client.get(`/admin/stories/${story.id}/revisions`, editor);
    expect(revisions.statusCode).toBe(200);
    expect(revisions.body).toContain('killed');
    // Staff still read the text as it was killed.
    expect(editorPage.body).toContain(word);
    expect(editorPage.body).toContain(headline);
  });

  it('refuses every later write: publish, save, restore, a second kill; none brings it back', async () => {
    const stored = await site.app.articles.get(story.id);
    const form = { ...(await editorFormOf(site, stored)), expectedRevision: String(stored.revision) };
    for (const action of ['publish', 'unpublish', 'delete']) {
      const refused = await client.form(owner, `/admin/stories/${story.id}/${action}`, form);
      expect(refused.statusCode, action).toBe(409);
    }
    const again = await client.form(owner, `/admin/stories/${story.id}/kill`, {
      killReason: 'error',
      expectedRevision: String(stored.revision),
    });
    expect(again.statusCode).toBe(409);
    await expect(site.app.articles.publish(story.id, { expectedRevision: stored.revision })).rejects.toMatchObject({
      code: 'ARTICLE_KILLED',
    });
    expect((await get(`/en/${slug}`)).statusCode).toBe(410);
    // Newsletters: it can no longer be sent.
    const sent = await client.form(owner, `/admin/stories/${story.id}/newsletter`, {
      listId: 'nll_en_default',
      mode: 'now',
    });
    expect(sent.statusCode).toBeGreaterThanOrEqual(400);
    expect(sent.statusCode).toBeLessThan(500);
  });

  it('kills a translation when the editor ticks it, with the same reason; a draft never published cannot be killed', async () => {
    const other = await site.app.articles.create({
      language: 'en',
      headline: 'A second story about the quay',
      bodyMarkdown: 'A paragraph.\n\nAnother.',
      status: 'published',
      authorIds: await testByline(site.app.database.db),
    });
    const french = await site.app.articles.create({
      language: 'fr',
      translationGroup: other.translationGroup,
      headline: 'Un second article sur le quai',
      bodyMarkdown: 'Un paragraphe.\n\nUn autre.',
      status: 'published',
      authorIds: await testByline(site.app.database.db),
    });
    const killed = await client.form(editor, `/admin/stories/${other.id}/kill`, {
      killReason: 'rights',
      killTranslations: french.id,
      expectedRevision: String(other.revision),
    });
    expect(killed.statusCode).toBe(303);
    expect((await get(`/fr/${french.slug}`)).statusCode).toBe(410);
    expect(await site.app.articles.get(french.id)).toMatchObject({ killReason: 'rights', killNotice: '' });

    const draft = await site.app.articles.create({
      language: 'en',
      headline: 'A draft nobody read',
      bodyMarkdown: 'Text.',
      authorIds: await testByline(site.app.database.db),
    });
    const refused = await client.form(editor, `/admin/stories/${draft.id}/kill`, {
      killReason: 'error',
      expectedRevision: String(draft.revision),
    });
    expect(refused.statusCode).toBe(409);
    expect((await site.app.articles.get(draft.id)).killedAt).toBeNull();
  });
});
