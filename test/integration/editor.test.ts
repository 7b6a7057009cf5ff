import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { renderMarkdown } from '../../src/domain/articles/markdown.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass, decodeEntities, textOf } from '../support/html.js';
import {
  addMember,
  authorIdOf as authorIdOfStaff,
  editorFormOf,
  type StaffAgent,
  setupOwner,
  staffClient,
} from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

type Fields = Record<string, string | string[]>;

/**
 * Start tags of `html` that would run code: an attribute named on…, or a link, source or form
 * target with a javascript:, vbscript: or data: URL. Attribute values are read whole (they are
 * always double-quoted by Preact and sanitize-html), so "onerror=" typed inside a value is text.
 */
function runnableTags(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<([a-z][a-z0-9-]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    for (const attribute of tag[2]!.matchAll(/([^\s=>"'/]+)(?:="([^"]*)")?/g)) {
      const name = attribute[1]!.toLowerCase();
      const value = decodeEntities(attribute[2] ?? '')
        .replace(/[\s\p{Cc}]/gu, '')
        .toLowerCase();
      const urlAttribute = ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name);
      if (name.startsWith('on') || (urlAttribute && /^(javascript|vbscript|data):/.test(value))) found.push(tag[0]);
    }
  }
  return found;
}

const validator = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
const javaMissing =
  spawnSync('java', ['-version']).status === 0 ? null : 'Java is not installed (the Nu validator needs it).';

/** The W3C Nu validator's errors for these files, one line each (one JVM start for all). */
function htmlErrors(files: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-jar', validator, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, _out, stderr) => {
        try {
          const { messages } = JSON.parse(stderr) as { messages: { type: string; url?: string; message: string }[] };
          resolve(messages.filter((m) => m.type !== 'info').map((m) => `${path.basename(m.url ?? '')}: ${m.message}`));
        } catch {
          reject(error ?? new Error(stderr));
        }
      },
    );
  });
}

/**
 * The site's clock: the wall clock, until a test stops it at an instant (`clock.stopAt`) to move
 * time itself — the scheduling test publishes "when the time comes" without waiting for it.
 */
const clock = (() => {
  let stopped: Date | null = null;
  return {
    now: () => stopped ?? new Date(),
    stopAt(at: Date | null) {
      stopped = at;
    },
  };
})();

describeEachDatabase('the story editor on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let author: StaffAgent;
  let otherAuthor: StaffAgent;
  let contributor: StaffAgent;
  let images: { id: string }[];
  let monde: { id: string };

  beforeAll(async () => {
    site = await startTestSite(kind, { clock });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org');
    author = await addMember(site, 'author', 'author@example.org');
    otherAuthor = await addMember(site, 'author', 'author2@example.org', undefined, 'Second Author');
    contributor = await addMember(site, 'contributor', 'contributor@example.org');
    images = await site.app.database.db.selectFrom('images').select('id').orderBy('id').execute();
    monde = await site.app.database.db
      .selectFrom('sections')
      .select('id')
      .where('language', '=', 'fr')
      .where('slug', '=', 'monde')
      .executeTakeFirstOrThrow();
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  const inject_ = (options: InjectOptions) => site.app.server.inject(options);

  const { api, form, get } = staffClient(() => site);

  const story = (id: string) => site.app.articles.get(id);

  const authorIdOf = (agent: StaffAgent) => authorIdOfStaff(site, agent);

  let counter = 0;
  /** A new draft written through the editor's JSON endpoint, as the script does. */
  async function draft(agent: StaffAgent, fields: Fields = {}): Promise<{ id: string; revision: number }> {
    counter++;
    const response = await api(agent, 'POST', '/admin/api/stories', {
      fields: { language: 'fr', headline: `Brève numéro ${counter} ${kind}`, bodyMarkdown: 'Texte.', ...fields },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function autosave(agent: StaffAgent, id: string, expectedRevision: number, fields: Fields) {
    return api(agent, 'PUT', `/admin/api/stories/${id}`, { expectedRevision, fields });
  }

  /** The fields of the form for a stored story, with some changed. */
  const formOf = async (id: string, changes: Fields = {}) => editorFormOf(site, await story(id), changes);

  async function revisionsOf(id: string) {
    return site.app.database.db
      .selectFrom('article_revisions')
      .select(['revision', 'action', 'saved_by'])
      .where('article_id', '=', id)
      .orderBy('revision')
      .execute();
  }

  it('creates a draft from the plain form (no script), signed by its writer', async () => {
    const response = await form(contributor, '/admin/stories', {
      language: 'fr',
      headline: 'Les cinémas de quartier rouvrent',
      standfirst: 'Trois salles reprennent leurs séances.',
      slug: '',
      bodyMarkdown: 'Premier paragraphe.\n\nSecond paragraphe.',
      sectionId: monde.id,
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    const id = /\/admin\/stories\/([\w-]+)\?done=created/.exec(String(response.headers.location))![1]!;
    const record = await story(id);
    expect(record.status).toBe('draft');
    expect(record.slug).toBe('les-cinemas-de-quartier-rouvrent');
    expect(record.authorIds).toEqual([await authorIdOf(contributor)]);
    expect(record.sectionId).toBe(monde.id);
    const page = await get(`/admin/stories/${id}?done=created`, contributor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Les cinémas de quartier rouvrent');
    expect(page.body).toContain('Brouillon créé.');
    expect(page.body).toContain('<p>Second paragraphe.</p>');
  });

  it('creates the tags an editor names on the fly, in the story’s language', async () => {
    const { id } = await draft(editor, { tags: 'Cinéma, Quartiers' });
    const record = await story(id);
    const tags = await site.app.database.db
      .selectFrom('tags')
      .select(['name', 'language'])
      .where('id', 'in', record.tagIds)
      .execute();
    expect(tags.map((tag) => `${tag.language}:${tag.name}`).sort()).toEqual(['fr:Cinéma', 'fr:Quartiers']);
  });

  it('creates a new section on the fly from the story', async () => {
    const { id } = await draft(editor, { newSection: 'Vie locale' });
    const record = await story(id);
    const section = await site.app.database.db
      .selectFrom('sections')
      .selectAll()
      .where('id', '=', record.sectionId!)
      .executeTakeFirstOrThrow();
    expect([section.language, section.slug, section.name]).toEqual(['fr', 'vie-locale', 'Vie locale']);
  });

  it('derives the slug from the headline until someone edits the slug', async () => {
    const { id, revision } = await draft(author, { headline: 'Un premier titre', slug: '' });
    expect((await story(id)).slug).toBe('un-premier-titre');
    // The form still carries the old slug: unchanged, it follows the new headline.
    const second = await autosave(author, id, revision, await formOf(id, { headline: 'Un titre corrigé' }));
    expect(second.statusCode, second.body).toBe(200);
    expect((await story(id)).slug).toBe('un-titre-corrige');
    const third = await autosave(author, id, second.json().revision, await formOf(id, { slug: 'mon-adresse' }));
    expect((await story(id)).slug).toBe('mon-adresse');
    await autosave(author, id, third.json().revision, await formOf(id, { headline: 'Encore un autre titre' }));
    expect((await story(id)).slug).toBe('mon-adresse');
  });

  it('refuses a slug another article of the language has, in the staff member’s language', async () => {
    const { id, revision } = await draft(author);
    const taken = await autosave(author, id, revision, await formOf(id, { slug: 'poutine-xi-serrent-les-rangs' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: 'ARTICLE_SLUG_TAKEN',
      message: 'Un autre article dans cette langue utilise déjà ce slug. Choisissez-en un autre.',
      fields: ['slug'],
    });
    expect((await story(id)).slug).not.toBe('poutine-xi-serrent-les-rangs');
    // Without the script: the editor comes back with the message and the person's text.
    const page = await form(author, `/admin/stories/${id}`, {
      ...(await formOf(id, { slug: 'poutine-xi-serrent-les-rangs', standfirst: 'Mon chapô à garder' })),
      expectedRevision: String(revision),
    });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('Un autre article dans cette langue utilise déjà ce slug');
    expect(page.body).toContain('Mon chapô à garder');
    expect(page.body).toMatch(/id="f-slug"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-slug"/);
    // The same slug in another language is free.
    const english = await autosave(
      author,
      id,
      revision,
      await formOf(id, { language: 'en', sectionId: '', slug: 'poutine-xi-serrent-les-rangs' }),
    );
    expect(english.statusCode, english.body).toBe(200);
  });

  it('sends readers of an old slug to the new one after a published story is renamed', async () => {
    const { id } = await draft(editor, { headline: 'Avant le changement', slug: 'avant-le-changement' });
    const published = await form(editor, `/admin/stories/${id}/publish`, {});
    expect(published.statusCode, published.body.slice(0, 300)).toBe(303);
    expect((await get('/fr/avant-le-changement')).statusCode).toBe(200);
    const record = await story(id);
    const saved = await autosave(editor, id, record.revision, await formOf(id, { slug: 'apres-le-changement' }));
    // Issue 11: the new address waits with the other unpublished changes until the live story is updated.
    expect((await get('/fr/avant-le-changement')).statusCode).toBe(200);
    const updated = await form(editor, `/admin/stories/${id}/update-live`, {
      expectedRevision: String(saved.json().revision),
    });
    expect(updated.statusCode, updated.body.slice(0, 300)).toBe(303);
    const old = await get('/fr/avant-le-changement');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/fr/apres-le-changement');
  });

  it('previews Markdown with exactly the public page’s renderer, hostile parts removed', async () => {
    const markdown =
      '## Titre\n\nUn [lien](https://example.org) et [piège](javascript:alert(1)).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>';
    const response = await api(author, 'POST', '/admin/api/preview', { markdown });
    expect(response.statusCode).toBe(200);
    const { html } = response.json() as { html: string };
    expect(html).toBe(renderMarkdown(markdown));
    expect(html).toContain('<h2>Titre</h2>');
    expect(html).toContain('href="https://example.org"');
    expect(runnableTags(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img/);
    // Without the session's CSRF token the endpoint answers nothing.
    const forged = await inject_({
      method: 'POST',
      url: '/admin/api/preview',
      headers: { cookie: author.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ markdown }),
    });
    expect(forged.statusCode).toBe(403);
  });

  describe('rights on each story', () => {
    it('lets a contributor write drafts but never publish or schedule them', async () => {
      const { id } = await draft(contributor);
      const publish = await form(contributor, `/admin/stories/${id}/publish`, {});
      expect(publish.statusCode).toBe(403);
      expect(publish.body).toContain('Accès refusé');
      const schedule = await form(contributor, `/admin/stories/${id}/schedule`, {
        scheduleAtIso: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(schedule.statusCode).toBe(403);
      expect((await story(id)).status).toBe('draft');
      // The editor offers no publish button to a contributor.
      expect((await get(`/admin/stories/${id}`, contributor)).body).not.toContain('id="publish-button"');
    });

    it('keeps a contributor out of others’ stories and of their own once published', async () => {
      const theirs = await draft(author);
      expect((await get(`/admin/stories/${theirs.id}`, contributor)).statusCode).toBe(403);
      const edit = await autosave(contributor, theirs.id, theirs.revision, await formOf(theirs.id, { headline: 'x' }));
      expect(edit.statusCode).toBe(403);
      const own = await draft(contributor);
      expect((await form(editor, `/admin/stories/${own.id}/publish`, {})).statusCode).toBe(303);
      const after = await story(own.id);
      const late = await autosave(contributor, own.id, after.revision, await formOf(own.id, { headline: 'Trop tard' }));
      expect(late.statusCode).toBe(403);
      expect((await story(own.id)).headline).toBe(after.headline);
    });

    it('lets an author publish their own stories but not touch another author’s', async () => {
      const own = await draft(author);
      const published = await form(author, `/admin/stories/${own.id}/publish`, {});
      expect(published.statusCode).toBe(303);
      expect((await story(own.id)).status).toBe('published');
      const theirs = await draft(otherAuthor);
      expect((await get(`/admin/stories/${theirs.id}`, author)).statusCode).toBe(403);
      expect((await get(`/admin/stories/${theirs.id}/revisions`, author)).statusCode).toBe(403);
      const edit = await autosave(author, theirs.id, theirs.revision, await formOf(theirs.id, { headline: 'Volé' }));
      expect(edit.statusCode).toBe(403);
      expect(edit.json().code).toBe('ACCESS_DENIED');
      for (const action of ['publish', 'delete', 'unpublish']) {
        const response = await form(author, `/admin/stories/${theirs.id}/${action}`, {});
        expect(response.statusCode, action).toBe(403);
      }
      expect(await story(theirs.id)).toMatchObject({ status: 'draft', deletedAt: null });
    });

    it('signs an author’s stories with their byline only; an editor chooses any byline', async () => {
      const mine = await authorIdOf(author);
      const other = await authorIdOf(otherAuthor);
      const own = await draft(author, { authorIds: [other] });
      expect((await story(own.id)).authorIds).toEqual([mine]);
      await autosave(author, own.id, own.revision, await formOf(own.id, { authorIds: [other] }));
      expect((await story(own.id)).authorIds).toEqual([mine]);
      const byEditor = await draft(editor, { authorIds: [mine, other] });
      expect((await story(byEditor.id)).authorIds).toEqual([mine, other]);
    });

    it('lets an editor edit, publish and withdraw anyone’s story', async () => {
      const theirs = await draft(contributor);
      const edit = await autosave(
        editor,
        theirs.id,
        theirs.revision,
        await formOf(theirs.id, { headline: 'Relu par la rédaction en chef' }),
      );
      expect(edit.statusCode).toBe(200);
      expect((await form(editor, `/admin/stories/${theirs.id}/publish`, {})).statusCode).toBe(303);
      expect((await story(theirs.id)).status).toBe('published');
      expect((await form(editor, `/admin/stories/${theirs.id}/unpublish`, {})).statusCode).toBe(303);
      expect((await story(theirs.id)).status).toBe('draft');
    });
  });

  describe('saving', () => {
    it('answers a stale autosave with 409 and both versions, and overwrites nothing', async () => {
      const { id, revision } = await draft(editor, { bodyMarkdown: 'Version commune.' });
      const first = await autosave(
        editor,
        id,
        revision,
        await formOf(id, { headline: 'Titre de la rédactrice', bodyMarkdown: 'Version de la rédactrice.' }),
      );
      expect(first.statusCode).toBe(200);
      expect(first.json().revision).toBe(revision + 1);
      const stale = await autosave(
        owner,
        id,
        revision,
        await formOf(id, { headline: 'Titre de la propriétaire', bodyMarkdown: 'Version de la propriétaire.' }),
      );
      expect(stale.statusCode).toBe(409);
      const conflict = stale.json();
      expect(conflict.code).toBe('ARTICLE_REVISION_CONFLICT');
      expect(conflict.current.revision).toBe(revision + 1);
      expect(conflict.current.savedBy).toBe('Member editor');
      expect(conflict.current.fields.headline).toBe('Titre de la rédactrice');
      expect(conflict.yours.headline).toBe('Titre de la propriétaire');
      expect(conflict.differences.map((d: { group: string }) => d.group)).toEqual(['headline', 'bodyMarkdown']);
      expect(conflict.differences[1]).toMatchObject({
        theirs: 'Version de la rédactrice.',
        yours: 'Version de la propriétaire.',
        fields: { bodyMarkdown: 'Version de la rédactrice.' },
      });
      expect((await story(id)).headline).toBe('Titre de la rédactrice');
      // The merge, based on the stored revision, is accepted.
      const merged = await autosave(
        owner,
        id,
        conflict.current.revision,
        await formOf(id, { bodyMarkdown: 'Version de la rédactrice.\n\nAjout de la propriétaire.' }),
      );
      expect(merged.statusCode).toBe(200);
      expect((await story(id)).bodyMarkdown).toBe('Version de la rédactrice.\n\nAjout de la propriétaire.');
    });

    it('shows both versions on a stale plain form post too, keeping the person’s text', async () => {
      const { id, revision } = await draft(editor);
      await autosave(editor, id, revision, await formOf(id, { standfirst: 'Le chapô enregistré' }));
      const page = await form(owner, `/admin/stories/${id}`, {
        ...(await formOf(id, { standfirst: 'Mon chapô à moi' })),
        expectedRevision: String(revision),
      });
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('Deux versions de cet article');
      expect(page.body).toContain('Le chapô enregistré');
      expect(page.body).toContain('Mon chapô à moi');
      expect(page.body).toContain(`name="expectedRevision" value="${revision + 1}"`);
      expect((await story(id)).standfirst).toBe('Le chapô enregistré');
    });

    it('stores no revision for an autosave that changes nothing', async () => {
      const { id, revision } = await draft(author);
      const same = await autosave(author, id, revision, await formOf(id));
      expect(same.statusCode).toBe(200);
      expect(same.json()).toMatchObject({ revision, changed: false });
      expect(await revisionsOf(id)).toHaveLength(1);
    });

    it('applies an edit on top of a publication made meanwhile: no text was lost', async () => {
      const { id, revision } = await draft(author);
      expect((await form(editor, `/admin/stories/${id}/publish`, {})).statusCode).toBe(303);
      const save = await autosave(author, id, revision, await formOf(id, { standfirst: 'Ajouté après' }));
      expect(save.statusCode, save.body).toBe(200);
      // Kept as the published story's pending version (issue 11), then put live on purpose.
      expect(save.json()).toMatchObject({ pending: true });
      expect((await site.app.articles.findPending(id))?.snapshot.standfirst).toBe('Ajouté après');
      const updated = await form(author, `/admin/stories/${id}/update-live`, {
        expectedRevision: String(save.json().revision),
      });
      expect(updated.statusCode, updated.body.slice(0, 300)).toBe(303);
      expect(await story(id)).toMatchObject({ status: 'published', standfirst: 'Ajouté après' });
    });
  });

  describe('images', () => {
    it('refuses to publish while an image has no alt text, listing which ones', async () => {
      const [hero, first, second] = images;
      const { id } = await draft(author, {
        'hero.imageId': hero!.id,
        'hero.alt': '',
        'hero.caption': 'La place du marché',
        'gallery.0.imageId': first!.id,
        'gallery.0.alt': 'Un étal de fruits',
        'gallery.1.imageId': second!.id,
        'gallery.1.alt': ' ',
      });
      const response = await form(author, `/admin/stories/${id}/publish`, {});
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Texte alternatif manquant : l’image principale, la photo 2 de la galerie.');
      expect((await story(id)).status).toBe('draft');
      const schedule = await form(author, `/admin/stories/${id}/schedule`, {
        scheduleAtIso: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(schedule.statusCode).toBe(400);
      expect((await story(id)).status).toBe('draft');
      // The publish button carries the form: alt text written there is saved, then published.
      const fixed = await form(author, `/admin/stories/${id}/publish`, {
        ...(await formOf(id)),
        expectedRevision: String((await story(id)).revision),
        'hero.imageId': hero!.id,
        'hero.alt': 'La place du marché un matin',
        'gallery.0.imageId': first!.id,
        'gallery.0.alt': 'Un étal de fruits',
        'gallery.0.position': '2',
        'gallery.1.imageId': second!.id,
        'gallery.1.alt': 'Des paniers en osier',
        'gallery.1.position': '1',
      });
      expect(fixed.statusCode, fixed.body.slice(0, 400)).toBe(303);
      const record = await story(id);
      expect(record.status).toBe('published');
      // Reordered by the position fields (how one reorders without the script).
      expect(record.gallery.map((use) => use.imageId)).toEqual([second!.id, first!.id]);
    });

    it('refuses an image that is not in the library', async () => {
      const { id, revision } = await draft(author);
      const response = await autosave(
        author,
        id,
        revision,
        await formOf(id, { 'hero.imageId': 'img_nope', 'hero.alt': 'x' }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().fields).toEqual(['hero']);
    });
  });

  describe('publication', () => {
    it('unpublishes, moves to the trash and restores, with the site following', async () => {
      const { id } = await draft(author, { headline: 'Une histoire à retirer', slug: 'une-histoire-a-retirer' });
      expect((await form(author, `/admin/stories/${id}/publish`, {})).statusCode).toBe(303);
      expect((await get('/fr/une-histoire-a-retirer')).statusCode).toBe(200);
      expect((await form(author, `/admin/stories/${id}/unpublish`, {})).statusCode).toBe(303);
      expect((await get('/fr/une-histoire-a-retirer')).statusCode).toBe(404);
      expect((await form(author, `/admin/stories/${id}/publish`, {})).statusCode).toBe(303);
      expect((await form(author, `/admin/stories/${id}/delete`, {})).statusCode).toBe(303);
      expect((await get('/fr/une-histoire-a-retirer')).statusCode).toBe(404);
      expect((await get('/admin/stories?status=deleted', author)).body).toContain('Une histoire à retirer');
      expect((await get('/admin/stories', author)).body).not.toContain('Une histoire à retirer');
      expect((await form(author, `/admin/stories/${id}/restore`, {})).statusCode).toBe(303);
      expect((await get('/fr/une-histoire-a-retirer')).statusCode).toBe(200);
      expect((await revisionsOf(id)).map((r) => r.action)).toEqual([
        'create',
        'publish',
        'unpublish',
        'publish',
        'delete',
        'restore',
      ]);
    });

    it('refuses a schedule in the past, and reads a time typed without the script in the site’s zone', async () => {
      const { id } = await draft(author);
      const past = await form(author, `/admin/stories/${id}/schedule`, {
        scheduleAtIso: new Date(Date.now() - 60_000).toISOString(),
      });
      expect(past.statusCode).toBe(400);
      expect(past.body).toContain('Une publication programmée doit avoir lieu dans le futur');
      // 1 July 2030, 09:30 in Paris is 07:30 UTC (summer time).
      const typed = await form(author, `/admin/stories/${id}/schedule`, { scheduleAt: '2030-07-01T09:30' });
      expect(typed.statusCode).toBe(303);
      expect((await story(id)).scheduledAt?.toISOString()).toBe('2030-07-01T07:30:00.000Z');
      expect((await story(id)).status).toBe('scheduled');
    });

    it('publishes on time exactly once when two instances race, and keeps the schedule over a restart', async () => {
      // Both instances read the same stopped clock; the test moves it, and ticks the schedulers
      // by hand: a story is published by the first pass at or after its time, never before.
      const start = new Date();
      clock.stopAt(start);
      const second: App = await createApp({ config: site.config, logger: pino({ level: 'silent' }), clock });
      let secondOpen = true;
      try {
        const stories = [];
        for (let i = 0; i < 3; i++) {
          const { id } = await draft(author, {
            headline: `Programmée ${i} ${kind}`,
            slug: `programmee-${i}-${kind}`,
          });
          stories.push(id);
        }
        const at = new Date(start.getTime() + 60_000);
        for (const id of stories) {
          const response = await form(author, `/admin/stories/${id}/schedule`, { scheduleAtIso: at.toISOString() });
          expect(response.statusCode).toBe(303);
        }
        // Before the time — up to its last millisecond — nothing is published, whoever looks.
        for (const moment of [start, new Date(at.getTime() - 1)]) {
          clock.stopAt(moment);
          expect(await Promise.all([site.app.scheduler.tick(), second.scheduler.tick()])).toEqual([0, 0]);
          expect((await get('/fr/')).body).not.toContain(`Programmée 0 ${kind}`);
          for (const id of stories) expect((await story(id)).status).toBe('scheduled');
        }
        clock.stopAt(at);
        // Both instances find the same due stories at the same moment, several times over.
        const [here, there] = await Promise.all([site.app.scheduler.tick(), second.scheduler.tick()]);
        expect(here + there).toBe(3);
        expect(await Promise.all([site.app.scheduler.tick(), second.scheduler.tick()])).toEqual([0, 0]);
        for (const id of stories) {
          expect((await story(id)).status).toBe('published');
          expect((await story(id)).publishedAt?.toISOString()).toBe(at.toISOString());
          const actions = (await revisionsOf(id)).map((r) => r.action);
          expect(actions.filter((action) => action === 'publish')).toHaveLength(1);
        }
        expect((await get('/fr/')).body).toContain(`Programmée 0 ${kind}`);

        // A story whose time comes while no instance runs is published by the next one to start.
        const { id } = await draft(author, { headline: `Pendant la panne ${kind}` });
        const due = new Date(at.getTime() + 500);
        await form(author, `/admin/stories/${id}/schedule`, { scheduleAtIso: due.toISOString() });
        await second.close();
        secondOpen = false;
        clock.stopAt(new Date(due.getTime() + 200));
        const restarted = await createApp({ config: site.config, logger: pino({ level: 'silent' }), clock });
        try {
          expect((await story(id)).status).toBe('scheduled');
          expect(await restarted.scheduler.tick()).toBe(1);
          expect((await story(id)).status).toBe('published');
        } finally {
          await restarted.close();
        }
      } finally {
        clock.stopAt(null);
        if (secondOpen) await second.close();
      }
    });
  });

  describe('revisions', () => {
    it('lists every revision with who, when and what, and shows a field-by-field diff', async () => {
      const { id, revision } = await draft(author, {
        bodyMarkdown: 'Premier jet.\n\nLa Russie a approuvé La politique.',
      });
      await autosave(
        author,
        id,
        revision,
        await formOf(id, {
          headline: 'Titre révisé',
          bodyMarkdown: 'Premier jet.\n\nLa Russie a approuvé la politique.\n\nNouveau paragraphe.',
        }),
      );
      const page = await get(`/admin/stories/${id}/revisions`, author);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('révision 1');
      expect(page.body).toContain('révision 2');
      expect(page.body).toContain('Member author');
      expect(page.body).toContain('création');
      expect(page.body).toContain('modification');
      // The default diff is the last change: the headline, and the body word by word.
      expect(page.body).toContain('data-field="headline"');
      expect(page.body).toContain('<del>La</del><ins>la</ins>');
      expect(page.body).toContain('<ins>Nouveau paragraphe.</ins>');
      // The slug followed the headline; what did not change is not shown.
      expect(page.body).toContain('data-field="slug"');
      expect(page.body).not.toContain('data-field="standfirst"');
      const explicit = await get(`/admin/stories/${id}/revisions?from=2&to=1`, author);
      expect(explicit.body).toContain('<del>la</del><ins>La</ins>');
    });

    it('restores an earlier revision as a new revision, pruning nothing', async () => {
      const { id, revision } = await draft(author, { headline: 'La version d’origine', bodyMarkdown: 'Origine.' });
      const changed = await autosave(
        author,
        id,
        revision,
        await formOf(id, { headline: 'Une version ratée', bodyMarkdown: 'Ratée.' }),
      );
      const current = changed.json().revision as number;
      const stale = await form(author, `/admin/stories/${id}/revisions/1/revert`, { expectedRevision: '1' });
      expect(stale.statusCode).toBe(409);
      const reverted = await form(author, `/admin/stories/${id}/revisions/1/revert`, {
        expectedRevision: String(current),
      });
      expect(reverted.statusCode).toBe(303);
      expect(reverted.headers.location).toBe(`/admin/stories/${id}?done=reverted`);
      expect(await story(id)).toMatchObject({
        headline: 'La version d’origine',
        bodyMarkdown: 'Origine.',
        revision: current + 1,
      });
      expect((await revisionsOf(id)).map((r) => r.action)).toEqual(['create', 'edit', 'revert']);
      const missing = await form(author, `/admin/stories/${id}/revisions/99/revert`, {
        expectedRevision: String(current + 1),
      });
      expect(missing.statusCode).toBe(404);
      // Someone who may not edit the story may not revert it either.
      const denied = await form(otherAuthor, `/admin/stories/${id}/revisions/2/revert`, {
        expectedRevision: String(current + 1),
      });
      expect(denied.statusCode).toBe(403);
    });
  });

  describe('private preview', () => {
    it('shows a draft as readers will see it, by an unguessable link, never cached or indexed', async () => {
      const { id } = await draft(author, {
        headline: 'Un brouillon à relire',
        slug: 'un-brouillon-a-relire',
        bodyMarkdown: 'Texte **important**.',
        sectionId: monde.id,
      });
      expect((await get('/fr/un-brouillon-a-relire')).statusCode).toBe(404);
      const editorPage = await get(`/admin/stories/${id}`, author);
      const link = /href="https?:\/\/[^/"]+(\/preview\/[\w-]+)"/.exec(editorPage.body)?.[1];
      expect(link).toMatch(/^\/preview\/[\w-]{40,}$/);
      const preview = await get(link!);
      expect(preview.statusCode).toBe(200);
      expect(preview.headers['x-robots-tag']).toContain('noindex');
      expect(preview.headers['cache-control']).toBe('private, no-store');
      expect(preview.headers['referrer-policy']).toBe('no-referrer');
      expect(preview.body).toContain('<h1 class="story__headline">Un brouillon à relire</h1>');
      expect(preview.body).toContain('<strong>important</strong>');
      expect(preview.body).toContain('href="/fr/section/monde"');
      expect(site.app.pageCache.has(link!)).toBe(false);
      // The same link keeps working; a wrong key shows nothing; a deleted story is gone.
      expect((await get(`/admin/stories/${id}`, author)).body).toContain(link!);
      expect((await get('/preview/not-the-right-key-but-long-enough-to-try')).statusCode).toBe(404);
      expect((await form(author, `/admin/stories/${id}/delete`, {})).statusCode).toBe(303);
      expect((await get(link!)).statusCode).toBe(404);
    });
  });

  describe('story list', () => {
    it('filters by section and by author', async () => {
      const { id } = await draft(otherAuthor, { headline: 'Filtrée par rubrique', sectionId: monde.id });
      const bySection = await get(`/admin/stories?section=${monde.id}`, editor);
      expect(bySection.body).toContain('Filtrée par rubrique');
      expect(bySection.body).toContain('Poutine et Xi serrent les rangs');
      expect(bySection.body).not.toContain('Night trains return to Europe');
      const byAuthor = await get(`/admin/stories?author=${await authorIdOf(otherAuthor)}`, editor);
      expect(byAuthor.body).toContain('Filtrée par rubrique');
      expect(byAuthor.body).not.toContain('Poutine et Xi serrent les rangs');
      expect(byAuthor.body).toContain(`/admin/stories/${id}`);
      const contradiction = await get(`/admin/stories?section=${monde.id}&language=en`, editor);
      expect(contradiction.body).toContain('Aucun article ne correspond.');
      expect((await get(`/admin/stories?section=${monde.id}&language=fr`, editor)).body).toContain(
        'Filtrée par rubrique',
      );
    });
  });

  // Markup does not depend on the database: one validator run is enough.
  it.skipIf(kind !== 'sqlite' || javaMissing !== null)(
    'writes valid HTML on every editor page: new, edit, conflict, revisions, preview, list, translation',
    async () => {
      const [hero, first] = images;
      const { id, revision } = await draft(editor, {
        headline: 'Une page à valider',
        bodyMarkdown: '## Intertitre\n\nUn [lien](https://example.org).',
        sectionId: monde.id,
        tags: 'Chine, Russie',
        'hero.imageId': hero!.id,
        'hero.alt': 'Une place',
        'gallery.0.imageId': first!.id,
        'gallery.0.alt': 'Un étal',
      });
      await autosave(editor, id, revision, await formOf(id, { standfirst: 'Enregistré' }));
      const conflict = await form(owner, `/admin/stories/${id}`, {
        ...(await formOf(id, { standfirst: 'Le mien' })),
        expectedRevision: String(revision),
      });
      expect(conflict.statusCode).toBe(409);
      const link = /href="https?:\/\/[^/"]+(\/preview\/[\w-]+)"/.exec(
        (await get(`/admin/stories/${id}`, editor)).body,
      )?.[1];
      // A translation whose source moved on: side by side with changes marked, and the list's badge.
      const translated = await form(editor, `/admin/stories/${id}/translate`, { language: 'en' });
      expect(translated.statusCode).toBe(303);
      await autosave(
        editor,
        id,
        (await story(id)).revision,
        await formOf(id, { bodyMarkdown: '## Intertitre\n\nUn autre [lien](https://example.org).' }),
      );
      // A published story with unpublished changes (issue 11): the notice and its buttons.
      const live = await draft(editor, { headline: 'Une page en ligne à valider' });
      await form(editor, `/admin/stories/${live.id}/publish`, {});
      const pendingSave = await autosave(
        editor,
        live.id,
        (await story(live.id)).revision,
        await formOf(live.id, { standfirst: 'En attente' }),
      );
      expect(pendingSave.json()).toMatchObject({ pending: true });
      const pages: Record<string, string> = {
        'pending.html': (await get(`/admin/stories/${live.id}`, editor)).body,
        'new.html': (await get('/admin/stories/new', editor)).body,
        'edit.html': (await get(`/admin/stories/${id}?done=saved`, editor)).body,
        'edit-contributor.html': (await get(`/admin/stories/${(await draft(contributor)).id}`, contributor)).body,
        'conflict.html': conflict.body,
        'revisions.html': (await get(`/admin/stories/${id}/revisions`, editor)).body,
        'preview.html': (await get(link!)).body,
        'list.html': (await get(`/admin/stories?section=${monde.id}`, editor)).body,
        'translation.html': (await get(String(translated.headers.location), editor)).body,
        'list-outdated.html': (await get('/admin/stories?translation=outdated', editor)).body,
      };
      expect(pages['translation.html']).toContain('side-by-side__row--changed');
      expect(pages['list-outdated.html']).toContain('badge--outdated');
      expect(pages['pending.html']).toContain('update-live-button');
      const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-editor-html-'));
      try {
        const files = Object.entries(pages).map(([name, html]) => {
          const file = path.join(folder, name);
          writeFileSync(file, html);
          return file;
        });
        expect(await htmlErrors(files)).toEqual([]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('stores hostile input safely and never lets it run, on the site or in the newsroom', async () => {
    const hostile = {
      headline: '<script>alert("titre")</script> & <img src=x onerror=alert(1)>',
      standfirst: '"><svg onload=alert(2)>',
      bodyMarkdown: [
        '<script>alert(3)</script>',
        '[clic](javascript:alert(4)) [autre](JAVASCRIPT:alert(5)) [data](data:text/html,<script>alert(6)</script>)',
        '<a href="javascript:alert(7)" onclick="alert(8)">lien</a>',
        '<img src=x onerror=alert(9)>',
        '<div onmouseover="alert(10)">survol</div>',
      ].join('\n\n'),
      'hero.imageId': images[0]!.id,
      'hero.alt': '" onerror="alert(11)',
      'hero.caption': '<script>alert(12)</script>',
      'hero.credit': '<b onclick=alert(13)>AFP</b>',
      seoTitle: '</title><script>alert(14)</script>',
      seoDescription: '"><script>alert(15)</script>',
      sourceName: '<img src=x onerror=alert(16)>',
    };
    const { id } = await draft(editor, { ...hostile, slug: 'texte-hostile' });
    const record = await story(id);
    expect(record.headline).toBe(hostile.headline);
    expect(record.bodyHtml).not.toMatch(/<(script|img|div|svg)/i);
    expect(runnableTags(record.bodyHtml)).toEqual([]);
    const badUrl = await autosave(editor, id, record.revision, await formOf(id, { sourceUrl: 'javascript:alert(17)' }));
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().fields).toEqual(['sourceUrl']);
    expect((await form(editor, `/admin/stories/${id}/publish`, {})).statusCode).toBe(303);
    const link = /href="https?:\/\/[^/"]+(\/preview\/[\w-]+)"/.exec(
      (await get(`/admin/stories/${id}`, editor)).body,
    )?.[1];
    const pages = {
      public: (await get('/fr/texte-hostile')).body,
      home: (await get('/fr/')).body,
      editor: (await get(`/admin/stories/${id}`, editor)).body,
      revisions: (await get(`/admin/stories/${id}/revisions?from=1&to=2`, editor)).body,
      list: (await get('/admin/stories', editor)).body,
      preview: (await get(link!)).body,
    };
    for (const [name, html] of Object.entries(pages)) {
      expect(html, name).not.toMatch(/<script>alert|<svg|<img src=x/i);
      expect(runnableTags(html), name).toEqual([]);
    }
    // What was typed is shown as text, every character of it.
    expect(textOf(byClass(pages.public, 'h1', 'story__headline')[0]!)).toBe(hostile.headline);
    expect(textOf(byClass(pages.public, 'p', 'story__standfirst')[0]!)).toBe(hostile.standfirst);
  });
});
