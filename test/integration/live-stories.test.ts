import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { decodeEntities } from '../support/html.js';
import {
  addMember,
  authorIdOf as authorIdOfStaff,
  editorFormOf,
  type FormFields,
  type StaffAgent,
  setupOwner,
  staffClient,
} from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * Issue 11, "live stories change only on purpose": an edit of a published story waits as its
 * pending version until someone presses "Update the live story"; bylines keep the order staff
 * gave; a save creates sections and tags only when it is stored, and only for taxonomy.manage.
 */

/** The byline as the editor page's form would post it back: one choice per place, in page order. */
function bylineOfEditorPage(html: string): string[] {
  return [...html.matchAll(/<select[^>]*name="authorIds"[^>]*>([\s\S]*?)<\/select>/g)].flatMap(
    (select) => /<option value="([^"]+)"\s+selected/.exec(select[1]!)?.[1] ?? [],
  );
}

describeEachDatabase('live stories on $kind (issue 11)', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let contributor: StaffAgent;
  let thomas: StaffAgent;
  let marcus: StaffAgent;
  const { api, form, get } = staffClient(() => site);
  const anonymous = (url: string) => site.app.server.inject({ method: 'GET', url });
  const story = (id: string) => site.app.articles.get(id);

  beforeAll(async () => {
    site = await startTestSite(kind);
    await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org', undefined, 'Élise Éditrice');
    contributor = await addMember(site, 'contributor', 'contributor@example.org', undefined, 'Chloé Pigiste');
    thomas = await addMember(site, 'author', 'thomas@example.org', undefined, 'Thomas Bernier');
    marcus = await addMember(site, 'author', 'marcus@example.org', undefined, 'Marcus Reid');
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  const authorIdOf = (agent: StaffAgent) => authorIdOfStaff(site, agent);

  let counter = 0;
  /** A story written and published by the editor; its slug is unique to the test. */
  async function published(fields: FormFields = {}): Promise<{ id: string; slug: string; revision: number }> {
    counter++;
    const slug = `histoire-en-ligne-${counter}-${kind}`;
    const created = await api(editor, 'POST', '/admin/api/stories', {
      fields: {
        language: 'fr',
        headline: `Histoire en ligne ${counter} ${kind}`,
        slug,
        bodyMarkdown: 'Le réseau sera étendu à trois nouvelles villes en 2027.',
        ...fields,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    const done = await form(editor, `/admin/stories/${id}/publish`, {});
    expect(done.statusCode, done.body.slice(0, 300)).toBe(303);
    return { id, slug, revision: (await story(id)).revision };
  }

  const autosave = (agent: StaffAgent, id: string, expectedRevision: number, fields: FormFields) =>
    api(agent, 'PUT', `/admin/api/stories/${id}`, { expectedRevision, fields });

  async function actionsOf(id: string): Promise<string[]> {
    const rows = await site.app.database.db
      .selectFrom('article_revisions')
      .select('action')
      .where('article_id', '=', id)
      .orderBy('revision')
      .execute();
    return rows.map((row) => row.action);
  }

  describe('pending version of a published story', () => {
    it('keeps autosaved text off the page, feeds and search until "Update the live story", then shows it everywhere', async () => {
      const { id, slug, revision } = await published();
      const page = `/fr/${slug}`;
      // Read once by readers: page and feed are now in the page cache.
      expect((await anonymous(page)).body).toContain('trois nouvelles villes');
      expect((await anonymous('/fr/feed.json')).body).toContain('trois nouvelles villes');

      const sitemaps = ['/sitemap.xml', '/sitemaps/fr-1.xml', '/sitemaps/news-fr.xml'];
      const sitemapsBefore = await Promise.all(sitemaps.map(async (url) => (await anonymous(url)).body));
      expect(sitemapsBefore[2]).toContain(slug);

      const halfTyped = 'Le réseau serait étendu à';
      const saved = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { bodyMarkdown: `${halfTyped} zanzibarique` }),
      );
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ changed: true, pending: true, status: 'published' });

      for (const url of [page, '/fr/feed.json', '/fr/rss.xml', '/fr/']) {
        const response = await anonymous(url);
        expect(response.body, url).not.toContain(halfTyped);
        expect(response.body, url).not.toContain('zanzibarique');
      }
      expect((await anonymous(page)).body).toContain('trois nouvelles villes');
      expect((await anonymous('/fr/search?q=zanzibarique')).body).not.toContain(`/fr/${slug}`);
      // The sitemaps (their lastmod included) do not move either: nothing readers see changed.
      expect(await Promise.all(sitemaps.map(async (url) => (await anonymous(url)).body))).toEqual(sitemapsBefore);
      expect((await story(id)).bodyMarkdown).toBe('Le réseau sera étendu à trois nouvelles villes en 2027.');

      // The newsroom sees it: the editor says so, the list marks it, the revisions list it.
      const editorPage = await get(`/admin/stories/${id}`, editor);
      expect(editorPage.body).toMatch(/<section id="pending-changes"(?![^>]*hidden)[^>]*>/);
      expect(editorPage.body).toContain('Modifications non publiées');
      expect(editorPage.body).toContain('Mettre à jour la version en ligne');
      expect(decodeEntities(editorPage.body)).toContain(`${halfTyped} zanzibarique`);
      const list = await get('/admin/stories', editor);
      const rowOf = (html: string) => html.split('<tr').find((tr) => tr.includes(`/admin/stories/${id}"`)) ?? '';
      expect(rowOf(list.body)).toContain('badge--pending');
      expect(await actionsOf(id)).toEqual(['create', 'publish', 'pending']);

      // The private preview shows the pending version.
      const preview = /<a href="[^"]*(\/preview\/[^"]+)"[^>]*id="pending-preview"/.exec(editorPage.body)?.[1];
      expect(preview).toBeDefined();
      expect(decodeEntities((await anonymous(preview!)).body)).toContain('zanzibarique');

      // Conflict-safe: a save based on the live revision, made elsewhere, gets both versions.
      const stale = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { bodyMarkdown: 'Une autre version.' }),
      );
      expect(stale.statusCode).toBe(409);
      expect(stale.json().current.fields.bodyMarkdown).toBe(`${halfTyped} zanzibarique`);

      // Finished, then put live on purpose.
      const finished = await autosave(
        editor,
        id,
        saved.json().revision,
        await editorFormOf(site, await story(id), {
          bodyMarkdown: 'Le réseau serait étendu à Zanzibar, une destination zanzibarique.',
        }),
      );
      expect(finished.statusCode, finished.body).toBe(200);
      const updated = await form(editor, `/admin/stories/${id}/update-live`, {
        expectedRevision: String(finished.json().revision),
      });
      expect(updated.statusCode, updated.body.slice(0, 300)).toBe(303);
      expect(updated.headers.location).toBe(`/admin/stories/${id}?done=updated`);
      expect((await anonymous(page)).body).toContain('une destination zanzibarique');
      expect((await anonymous('/fr/feed.json')).body).toContain('une destination zanzibarique');
      expect((await anonymous('/fr/search?q=zanzibarique')).body).toContain(`/fr/${slug}`);
      expect(await site.app.articles.findPending(id)).toBeNull();
      expect(await actionsOf(id)).toEqual(['create', 'publish', 'pending', 'pending', 'update']);
      const after = await get(`/admin/stories/${id}?done=updated`, editor);
      expect(after.body).toMatch(/<section id="pending-changes"[^>]*hidden/);
      expect(after.body).toContain('La version en ligne est à jour');
      expect(rowOf((await get('/admin/stories', editor)).body)).not.toContain('badge--pending');
    });

    it('runs preflight when putting the pending version live, and keeps both when it fails', async () => {
      const { id, slug, revision } = await published();
      const saved = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { bodyMarkdown: '' }),
      );
      // Not public: an empty body may wait as a pending version.
      expect(saved.statusCode, saved.body).toBe(200);
      const refused = await form(editor, `/admin/stories/${id}/update-live`, {
        expectedRevision: String(saved.json().revision),
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('ne peut pas être publié');
      expect((await anonymous(`/fr/${slug}`)).body).toContain('trois nouvelles villes');
      expect((await site.app.articles.findPending(id))?.snapshot.bodyMarkdown).toBe('');
    });

    it('discards the pending changes: readers saw nothing, the editor shows the live story', async () => {
      const { id, slug, revision } = await published();
      const saved = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { standfirst: 'Un chapô à jeter' }),
      );
      expect(saved.statusCode).toBe(200);
      const discarded = await form(editor, `/admin/stories/${id}/discard-pending`, {
        expectedRevision: String(saved.json().revision),
        standfirst: 'typed but discarded',
        headline: 'typed but discarded',
      });
      expect(discarded.statusCode, discarded.body.slice(0, 300)).toBe(303);
      expect(await site.app.articles.findPending(id)).toBeNull();
      const page = await get(`/admin/stories/${id}`, editor);
      expect(page.body).not.toContain('Un chapô à jeter');
      expect(page.body).not.toContain('typed but discarded');
      expect((await anonymous(`/fr/${slug}`)).body).not.toContain('Un chapô à jeter');
      expect(await actionsOf(id)).toEqual(['create', 'publish', 'pending', 'discard']);
      // Nothing to discard or update any more: a clear refusal, nothing stored.
      const again = await form(editor, `/admin/stories/${id}/update-live`, {});
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('aucune modification non publiée');
    });

    it('keeps an acknowledged pending save for the next process to start', async () => {
      const { id, revision } = await published();
      const saved = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { standfirst: 'Sauvé avant la panne' }),
      );
      expect(saved.statusCode).toBe(200);
      // Another process on the same database (what a restart starts) finds it.
      const next = await startTestSite(kind, { instanceOf: site });
      try {
        expect((await next.app.articles.findPending(id))?.snapshot.standfirst).toBe('Sauvé avant la panne');
        const page = await staffClient(next).get(`/admin/stories/${id}`, editor);
        expect(page.body).toContain('Sauvé avant la panne');
      } finally {
        await next.close();
      }
    });

    it('withdrawing a story with pending changes makes them the draft: nothing is lost', async () => {
      const { id, slug, revision } = await published();
      const saved = await autosave(
        editor,
        id,
        revision,
        await editorFormOf(site, await story(id), { standfirst: 'Gardé en brouillon' }),
      );
      const withdrawn = await form(editor, `/admin/stories/${id}/unpublish`, {
        expectedRevision: String(saved.json().revision),
      });
      expect(withdrawn.statusCode).toBe(303);
      expect(await story(id)).toMatchObject({ status: 'draft', standfirst: 'Gardé en brouillon' });
      expect(await site.app.articles.findPending(id)).toBeNull();
      expect((await anonymous(`/fr/${slug}`)).statusCode).toBe(404);
    });
  });

  describe('bylines', () => {
    it('keeps the order staff gave when a story is saved unchanged, and shows a new order', async () => {
      const [thomasId, marcusId] = [await authorIdOf(thomas), await authorIdOf(marcus)];
      // "Thomas Bernier" before "Marcus Reid": not the alphabetical order the form used to post.
      const { id, slug } = await published({ authorIds: [thomasId, marcusId] });
      const order = async () => {
        const html = (await anonymous(`/fr/${slug}`)).body;
        return html.indexOf('Thomas Bernier') < html.indexOf('Marcus Reid') ? 'thomas-first' : 'marcus-first';
      };
      expect((await story(id)).authorIds).toEqual([thomasId, marcusId]);
      expect(await order()).toBe('thomas-first');

      // The editor page offers the byline in its order, and posting it back changes nothing.
      const page = await get(`/admin/stories/${id}`, editor);
      expect(bylineOfEditorPage(page.body)).toEqual([thomasId, marcusId]);
      const before = await actionsOf(id);
      const same = await form(editor, `/admin/stories/${id}`, {
        ...(await editorFormOf(site, await story(id))),
        authorIds: bylineOfEditorPage(page.body),
        expectedRevision: String((await story(id)).revision),
      });
      expect(same.statusCode, same.body.slice(0, 300)).toBe(303);
      expect(await actionsOf(id)).toEqual(before);
      expect((await story(id)).authorIds).toEqual([thomasId, marcusId]);

      // Reordered on purpose: readers get the new order once the live story is updated.
      const reordered = await autosave(
        editor,
        id,
        (await story(id)).revision,
        await editorFormOf(site, await story(id), { authorIds: [marcusId, thomasId] }),
      );
      expect(reordered.statusCode).toBe(200);
      expect(await order()).toBe('thomas-first');
      await form(editor, `/admin/stories/${id}/update-live`, { expectedRevision: String(reordered.json().revision) });
      expect(await order()).toBe('marcus-first');
      const feed = (await anonymous('/fr/feed.json')).json() as {
        items: { url: string; authors: { name: string }[] }[];
      };
      const item = feed.items.find((entry) => entry.url.endsWith(`/fr/${slug}`));
      expect(item?.authors.map((author) => author.name)).toEqual(['Marcus Reid', 'Thomas Bernier']);
      const jsonLd = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(
        (await anonymous(`/fr/${slug}`)).body,
      )?.[1];
      const names = [...(jsonLd ?? '').matchAll(/"name":"(Marcus Reid|Thomas Bernier)"/g)].map((m) => m[1]);
      expect(names.slice(0, 2)).toEqual(['Marcus Reid', 'Thomas Bernier']);
      expect(bylineOfEditorPage((await get(`/admin/stories/${id}`, editor)).body)).toEqual([marcusId, thomasId]);
    });
  });

  describe('sections and tags', () => {
    const sectionsNamed = (slug: string) =>
      site.app.database.db.selectFrom('sections').select('id').where('slug', '=', slug).execute();
    const tagsNamed = (slug: string) =>
      site.app.database.db.selectFrom('tags').select('id').where('slug', '=', slug).execute();

    it('refuses a new section or tag from a contributor, by name, keeping their text', async () => {
      const response = await form(contributor, '/admin/stories', {
        language: 'fr',
        headline: `Le texte que je garde ${kind}`,
        bodyMarkdown: 'Mon paragraphe.',
        newSection: 'Rubrique fantôme',
      });
      expect(response.statusCode).toBe(403);
      const text = decodeEntities(response.body);
      expect(text).toContain('votre rôle ne permet pas de créer des rubriques');
      expect(text).toContain('« Rubrique fantôme »');
      expect(text).toContain(`Le texte que je garde ${kind}`);
      // The refused name is given back in its field, marked invalid.
      expect(text).toMatch(/id="f-new-section"[^>]*value="Rubrique fantôme"[^>]*aria-invalid="true"/);
      expect(await sectionsNamed('rubrique-fantome')).toEqual([]);
      expect((await anonymous('/fr/')).body).not.toContain('Rubrique fantôme');

      const created = await api(contributor, 'POST', '/admin/api/stories', {
        fields: { language: 'fr', headline: `Brouillon de pigiste ${kind}`, bodyMarkdown: 'Texte.' },
      });
      const { id, revision } = created.json();
      const tagged = await autosave(contributor, id, revision, {
        ...(await editorFormOf(site, await story(id))),
        tags: 'Étiquette inventée',
      });
      expect(tagged.statusCode).toBe(403);
      expect(tagged.json()).toMatchObject({ code: 'TAXON_CREATE_DENIED' });
      expect(tagged.json().message).toContain('« Étiquette inventée »');
      expect(await tagsNamed('etiquette-inventee')).toEqual([]);
      expect((await story(id)).revision).toBe(revision);

      // The form offers a new-section field, and says new tags are made, only to those who may.
      const ownPage = decodeEntities((await get(`/admin/stories/${id}`, contributor)).body);
      expect(ownPage).not.toContain('id="f-new-section"');
      expect(ownPage).toContain('choisissez parmi les mots-clés existants');
      const editorsPage = decodeEntities((await get(`/admin/stories/${id}`, editor)).body);
      expect(editorsPage).toContain('id="f-new-section"');
      expect(editorsPage).not.toContain('choisissez parmi les mots-clés existants');
    });

    it('creates nothing when the save naming a new section is refused', async () => {
      const { id, revision } = (
        await api(editor, 'POST', '/admin/api/stories', {
          fields: { language: 'fr', headline: `Refusé ${kind}`, bodyMarkdown: 'Texte.' },
        })
      ).json();
      await autosave(editor, id, revision, await editorFormOf(site, await story(id), { standfirst: 'Plus récent' }));
      // Based on a stale revision: refused, and the section it named is not created.
      const stale = await autosave(editor, id, revision, {
        ...(await editorFormOf(site, await story(id))),
        newSection: 'Rubrique du conflit',
      });
      expect(stale.statusCode).toBe(409);
      expect(await sectionsNamed('rubrique-du-conflit')).toEqual([]);
      // Refused for a taken slug: nothing either.
      const taken = await autosave(editor, id, (await story(id)).revision, {
        ...(await editorFormOf(site, await story(id))),
        slug: 'poutine-xi-serrent-les-rangs',
        newSection: 'Rubrique du slug pris',
        tags: 'Étiquette du slug pris',
      });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('ARTICLE_SLUG_TAKEN');
      expect(await sectionsNamed('rubrique-du-slug-pris')).toEqual([]);
      expect(await tagsNamed('etiquette-du-slug-pris')).toEqual([]);
      // Stored: created with it.
      const stored = await autosave(editor, id, (await story(id)).revision, {
        ...(await editorFormOf(site, await story(id))),
        newSection: 'Rubrique voulue',
      });
      expect(stored.statusCode, stored.body).toBe(200);
      const [section] = await sectionsNamed('rubrique-voulue');
      expect((await story(id)).sectionId).toBe(section?.id);
    });
  });
});
