import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import type { TranslationProvider } from '../../src/domain/translations/translation-provider.js';
import { articleIdBySlug } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass, decodeEntities, textOf } from '../support/html.js';
import { addMember, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const desk = staffClient;

/** hreflang values a public page declares. */
const hreflangs = (html: string) => [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((m) => m[1]);

/** The side by side's rows: [kind, changed?, source cell, translation cell]. */
function sideBySideRows(html: string) {
  const table = byClass(html, 'table', 'side-by-side__table')[0] ?? '';
  return [...table.matchAll(/<tr( class="side-by-side__row--changed")? data-kind="([a-z]+)">([\s\S]*?)<\/tr>/g)].map(
    (row) => {
      const cells = [...row[3]!.matchAll(/<td lang="([a-z]+)"[^>]*>([\s\S]*?)<\/td>/g)];
      return {
        kind: row[2],
        changed: row[1] !== undefined,
        source: { lang: cells[0]?.[1], text: decodeEntities(cells[0]?.[2] ?? '') },
        translation: { lang: cells[1]?.[1], text: decodeEntities(cells[1]?.[2] ?? '') },
      };
    },
  );
}

describeEachDatabase('the translation desk on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let englishEditor: StaffAgent;
  let http: ReturnType<typeof desk>;
  let source: ArticleRecord;
  let translationId: string;
  const story = (id: string) => site.app.articles.get(id);
  const bySlug = async (language: string, slug: string) =>
    story(await articleIdBySlug(site.app.database.db, language, slug));
  const actions = async (id: string) =>
    (
      await site.app.database.db
        .selectFrom('article_revisions')
        .select('action')
        .where('article_id', '=', id)
        .orderBy('revision')
        .execute()
    ).map((row) => row.action);

  beforeAll(async () => {
    site = await startTestSite(kind);
    http = desk(site);
    editor = await addMember(site, 'editor', 'translation-editor@example.org', undefined, 'Rédactrice');
    englishEditor = await addMember(site, 'editor', 'english-editor@example.org', undefined, 'Editor', 'en');
    source = await bySlug('fr', 'les-cine-clubs-retrouvent-leur-public');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('creates a linked English draft from a French story and shows the source beside it', async () => {
    const before = await http.get(`/admin/stories/${source.id}`, englishEditor);
    expect(textOf(byClass(before.body, 'button', 'translate-into')[0] ?? '')).toBe('Translate into English');

    const response = await http.form(editor, `/admin/stories/${source.id}/translate`, { language: 'en' });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    const location = String(response.headers.location);
    expect(location).toMatch(/^\/admin\/stories\/[^/?]+\?done=translated$/);
    translationId = location.split('/')[3]!.split('?')[0]!;

    const translation = await story(translationId);
    const culture = await site.app.database.db
      .selectFrom('sections')
      .select('id')
      .where('language', '=', 'en')
      .where('slug', '=', 'culture')
      .executeTakeFirstOrThrow();
    expect(translation).toMatchObject({
      language: 'en',
      status: 'draft',
      translationGroup: source.translationGroup,
      translationOf: { articleId: source.id, revision: source.revision },
      sectionId: culture.id,
      hero: source.hero,
      gallery: source.gallery,
      source: source.source,
      authorIds: source.authorIds,
      bodyMarkdown: '',
    });

    const page = await http.get(location, englishEditor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Translation draft created.');
    const rows = sideBySideRows(page.body);
    const paragraphs = rows.filter((row) => row.kind === 'paragraph');
    expect(paragraphs.length).toBeGreaterThan(2);
    expect(rows[0]).toMatchObject({ kind: 'headline', source: { lang: 'fr', text: source.headline } });
    expect(paragraphs[0]!.source).toEqual({
      lang: 'fr',
      text: source.bodyMarkdown
        .split(/\n\s*\n/)[0]!
        .replace(/\s+/g, ' ')
        .trim(),
    });
    expect(paragraphs.every((row) => row.translation.lang === 'en' && row.translation.text === '')).toBe(true);
    expect(page.body).toContain('Source (Français)');
    expect(page.body).toContain('Translation (English), as saved');
    // Both stories list each other; nothing is left to translate into on a French and English site.
    expect(byClass(page.body, 'button', 'translate-into')).toEqual([]);
    const sourcePage = await http.get(`/admin/stories/${source.id}`, editor);
    const listed = byClass(sourcePage.body, 'ul', 'translations__list')[0] ?? '';
    expect(textOf(listed)).toContain('English');
    expect(textOf(listed)).toContain('à jour');
  });

  it('marks the translation out of date when the source’s words change, with the paragraphs that changed', async () => {
    const translated = await story(translationId);
    const englishBody = source.bodyMarkdown
      .split(/\n\s*\n/)
      .map((_, index) => `English paragraph ${index + 1}.`)
      .join('\n\n');
    const saved = await http.api(englishEditor, 'PUT', `/admin/api/stories/${translationId}`, {
      expectedRevision: translated.revision,
      fields: await editorFormOf(site, translated, {
        headline: 'Film clubs find their audience again',
        bodyMarkdown: englishBody,
      }),
    });
    expect(saved.statusCode, saved.body).toBe(200);

    // Publishing, withdrawing and publishing the source again changes no words: still up to date.
    const current = await story(source.id);
    const withdrawn = await site.app.articles.unpublish(source.id, { expectedRevision: current.revision });
    await site.app.articles.publish(source.id, { expectedRevision: withdrawn.revision });
    const outdatedList = () => http.get('/admin/stories?translation=outdated', editor);
    expect((await outdatedList()).body).not.toContain(translationId);

    // The source's second paragraph is rewritten.
    const sourceNow = await story(source.id);
    const paragraphs = sourceNow.bodyMarkdown.split(/\n\s*\n/);
    paragraphs[1] = 'Un deuxième paragraphe entièrement réécrit par la rédaction.';
    const edit = await http.api(editor, 'PUT', `/admin/api/stories/${source.id}`, {
      expectedRevision: sourceNow.revision,
      fields: await editorFormOf(site, sourceNow, { bodyMarkdown: paragraphs.join('\n\n') }),
    });
    expect(edit.statusCode, edit.body).toBe(200);
    // The source is live: its edit waits as a pending version (issue 11), which readers, and so
    // translators, do not have yet. Once it is put live the translation is out of date.
    expect((await outdatedList()).body).not.toContain(translationId);
    const updated = await site.app.articles.updateLive(source.id, { expectedRevision: edit.json().revision });
    expect(updated.bodyMarkdown).toContain('entièrement réécrit');

    const list = await outdatedList();
    const rows = byClass(list.body, 'table', 'admin-table')[0] ?? '';
    expect(rows).toContain(`/admin/stories/${translationId}`);
    expect(rows).not.toContain(`/admin/stories/${source.id}"`);
    expect(textOf(rows)).toContain('traduction à mettre à jour');

    const page = await http.get(`/admin/stories/${translationId}`, englishEditor);
    expect(textOf(page.body)).toContain('Out of date: the source changed since this translation was last saved');
    const changed = sideBySideRows(page.body).map((row) => [row.kind, row.changed]);
    expect(changed.slice(0, 5)).toEqual([
      ['headline', false],
      ['standfirst', false],
      ['paragraph', false],
      ['paragraph', true],
      ['paragraph', false],
    ]);
    expect(sideBySideRows(page.body)[3]!.source.text).toBe(paragraphs[1]);

    // Saving the translation against the source as it is now makes it up to date.
    const translation = await story(translationId);
    const resaved = await http.api(englishEditor, 'PUT', `/admin/api/stories/${translationId}`, {
      expectedRevision: translation.revision,
      fields: await editorFormOf(site, translation, {
        bodyMarkdown: translation.bodyMarkdown.replace('English paragraph 2.', 'A second paragraph, rewritten.'),
      }),
    });
    expect(resaved.statusCode, resaved.body).toBe(200);
    expect((await outdatedList()).body).not.toContain(translationId);
    expect(textOf((await http.get(`/admin/stories/${translationId}`, englishEditor)).body)).toContain(
      'This translation is up to date with its source.',
    );
  });

  it('unlinks and links again without losing a word, and the public pages follow', async () => {
    const translation = await story(translationId);
    const published = await http.form(
      englishEditor,
      `/admin/stories/${translationId}/publish`,
      await editorFormOf(site, translation, { expectedRevision: String(translation.revision) }),
    );
    expect(published.statusCode, published.body.slice(0, 300)).toBe(303);
    const sourcePath = `/fr/${source.slug}`;
    expect(hreflangs((await http.get(sourcePath)).body)).toContain('en');
    expect(site.app.pageCache.has(sourcePath)).toBe(true);

    const unlinked = await http.form(englishEditor, `/admin/stories/${translationId}/unlink`, {});
    expect(unlinked.statusCode, unlinked.body.slice(0, 300)).toBe(303);
    const alone = await story(translationId);
    expect(alone.translationGroup).not.toBe(source.translationGroup);
    expect(alone.bodyMarkdown).toBe(translation.bodyMarkdown);
    expect((await actions(translationId)).at(-1)).toBe('unlink');
    // The revisions say what moved: the last change is the translation group, nothing else.
    const diff = (await http.get(`/admin/stories/${translationId}/revisions`, englishEditor)).body;
    expect([...diff.matchAll(/<div class="diff-field" data-field="([a-zA-Z]+)">/g)].map((m) => m[1])).toEqual([
      'translationGroup',
    ]);
    expect(hreflangs((await http.get(sourcePath)).body)).not.toContain('en');
    expect(textOf((await http.get(`/admin/stories/${source.id}`, editor)).body)).not.toContain(translation.headline);

    const linked = await http.form(englishEditor, `/admin/stories/${translationId}/link`, {
      target: `${site.url}/admin/stories/${source.id}`,
    });
    expect(linked.statusCode, linked.body.slice(0, 300)).toBe(303);
    expect((await story(translationId)).translationGroup).toBe(source.translationGroup);
    expect((await actions(translationId)).slice(-2)).toEqual(['unlink', 'link']);
    expect(hreflangs((await http.get(sourcePath)).body)).toContain('en');
  });

  it('never puts two stories of one language in a group, in the editor or the database', async () => {
    const other = await bySlug('fr', 'le-budget-de-l-eau-a-valbrune');
    const refused = await http.form(editor, `/admin/stories/${other.id}/link`, { target: translationId });
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain('Ces traductions comptent déjà un article dans cette langue');
    expect((await story(other.id)).translationGroup).toBe(other.translationGroup);
    expect(await actions(other.id)).not.toContain('link');

    const again = await http.form(editor, `/admin/stories/${source.id}/translate`, { language: 'en' });
    expect(again.statusCode).toBe(409);

    const unknown = await http.form(editor, `/admin/stories/${other.id}/link`, { target: 'art_nobody' });
    expect(unknown.statusCode).toBe(400);
    expect(textOf(unknown.body)).toContain('Aucun autre article ne porte cet identifiant');

    // Past the editor's check, the unique index holds the rule.
    await expect(
      site.app.articles.relink(other.id, source.translationGroup, 'link', { expectedRevision: other.revision }),
    ).rejects.toMatchObject({ code: 'TRANSLATION_LANGUAGE_TAKEN' });
    expect((await story(other.id)).translationGroup).toBe(other.translationGroup);
  });
});

describeEachDatabase('a translation provider plugged into the composition root on $kind', ({ kind }) => {
  let site: TestSite;
  const calls: { paragraphs: string[]; from: string; to: string }[] = [];
  // A stand-in: no machine translation service runs here. It marks each paragraph it "translates".
  const provider: TranslationProvider = {
    name: 'stand-in',
    async translate(paragraphs, from, to) {
      calls.push({ paragraphs, from, to });
      return paragraphs.map((paragraph) => (paragraph === '' ? '' : `[${to}] ${paragraph}`));
    },
  };

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, translationProvider: provider });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('prefills the "Translate into…" draft with what the provider returns', async () => {
    const owner = await setupOwner(site);
    const http = desk(site);
    const created = await http.api(owner, 'POST', '/admin/api/stories', {
      fields: { language: 'fr', headline: 'Le marché couvert rouvre', bodyMarkdown: 'Premier.\n\nSecond.' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    const response = await http.form(owner, `/admin/stories/${id}/translate`, { language: 'en' });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    expect(calls).toEqual([
      // Headline, then the body block by block; an empty standfirst is not sent.
      { paragraphs: ['Le marché couvert rouvre', 'Premier.', 'Second.'], from: 'fr', to: 'en' },
    ]);
    const draftId = String(response.headers.location).split('/')[3]!.split('?')[0]!;
    expect(await site.app.articles.get(draftId)).toMatchObject({
      language: 'en',
      headline: '[en] Le marché couvert rouvre',
      bodyMarkdown: '[en] Premier.\n\n[en] Second.',
      status: 'draft',
    });
  });
});
