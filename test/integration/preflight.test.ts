import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { preflightOf } from '../../src/domain/articles/article-service.js';
import { isPublishable } from '../../src/domain/preflight/preflight.js';
import { newsroom } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass, textOf } from '../support/html.js';
import { addMember, type StaffAgent, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

type Fields = Record<string, string | string[]>;

describeEachDatabase('preflight in the newsroom on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let editorAuthor: string;

  beforeAll(async () => {
    site = await startTestSite(kind);
    editor = await addMember(site, 'editor', 'preflight-editor@example.org', undefined, 'Edith Editor');
    const row = await site.app.database.db
      .selectFrom('staff_users')
      .select('author_id')
      .where('email', '=', editor.email)
      .executeTakeFirstOrThrow();
    editorAuthor = row.author_id!;
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  const inject_ = (options: InjectOptions) => site.app.server.inject(options);
  const { api, form } = staffClient(() => site);
  const page = (url: string) => inject_({ method: 'GET', url, headers: { cookie: editor.cookie } });
  const story = (id: string) => site.app.articles.get(id);
  const revisionsOf = async (id: string) =>
    (
      await site.app.database.db
        .selectFrom('article_revisions')
        .select(['action', 'saved_by'])
        .where('article_id', '=', id)
        .orderBy('revision')
        .execute()
    ).map((row) => row.action);

  let counter = 0;
  async function draft(fields: Fields): Promise<{ id: string; revision: number }> {
    counter++;
    const response = await api(editor, 'POST', '/admin/api/stories', {
      fields: { language: 'fr', headline: `Contrôle numéro ${counter}`, ...fields },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  /** The editor form of a stored story, with some fields changed. */
  async function formOf(id: string, changes: Fields): Promise<Fields> {
    const record = await story(id);
    return {
      expectedRevision: String(record.revision),
      language: record.language,
      headline: record.headline,
      standfirst: record.standfirst,
      slug: record.slug,
      bodyMarkdown: record.bodyMarkdown,
      authorIds: record.authorIds,
      sourceName: record.source?.name ?? '',
      sourceUrl: record.source?.url ?? '',
      ...(record.syndicated ? { syndicated: '1' } : {}),
      ...changes,
    };
  }

  const findingsOn = (html: string) => byClass(html, 'li', 'finding').map(textOf);

  it('shows the findings in the editor, each with its paragraph and words, in the staff member’s language', async () => {
    const { id, revision } = await draft({
      bodyMarkdown: 'Le conseil a voté mardi.\n\nfrictions entre la Chine et ses voisins.\n\nLe texte reprend.',
    });
    const findings = findingsOn((await page(`/admin/stories/${id}`)).body);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain('Paragraphe 2');
    expect(findings[0]).toContain('commence au milieu d’une phrase');
    expect(findings[0]).toContain('frictions entre la Chine');
    expect(findings[0]).toContain('À vérifier');

    // The autosave answers with the findings of what it saved: the script shows them as one types.
    const saved = await api(editor, 'PUT', `/admin/api/stories/${id}`, {
      expectedRevision: revision,
      fields: { ...(await formOf(id, {})), bodyMarkdown: '', authorIds: [] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const live = saved.json().preflight as { code: string; severity: string; text: string }[];
    expect(live.map((f) => [f.code, f.severity]).sort()).toEqual([
      ['EMPTY_BODY', 'blocking'],
      ['NO_BYLINE', 'blocking'],
    ]);
    expect(live.find((f) => f.code === 'NO_BYLINE')?.text).toBe('Pas de signature : ajoutez un auteur.');
  });

  it('refuses to publish a story without a byline, and publishes nothing', async () => {
    const { id } = await draft({ bodyMarkdown: 'Un paragraphe complet.' });
    const response = await form(editor, `/admin/stories/${id}/publish`, await formOf(id, { authorIds: [] }));
    expect(response.statusCode).toBe(422);
    const alert = textOf(
      /<div class="notice notice--error" role="alert" id="editor-error">([\s\S]*?)<\/div>/.exec(response.body)![0],
    );
    expect(alert).toContain('ne peut pas être publié');
    expect(alert).toContain('Pas de signature');
    const stored = await story(id);
    expect(stored).toMatchObject({ status: 'draft', publishedAt: null, authorIds: [] });
    expect(await revisionsOf(id)).not.toContain('publish');
    expect((await inject_({ method: 'GET', url: `/fr/${stored.slug}` })).statusCode).toBe(404);
  });

  it('refuses to schedule wire copy without a source credit and its link, then schedules it once both are given', async () => {
    const { id } = await draft({ bodyMarkdown: 'Dépêche complète.', syndicated: '1' });
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await form(editor, `/admin/stories/${id}/schedule`, await formOf(id, { scheduleAtIso: at }));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('nommez la source');
    expect(refused.body).toContain('ajoutez l’adresse de la source');
    expect(await story(id)).toMatchObject({ status: 'draft', scheduledAt: null, syndicated: true });

    // Issue 12: the credit alone is not enough on wire copy; the original's URL is required too.
    const credited = await form(
      editor,
      `/admin/stories/${id}/schedule`,
      await formOf(id, { scheduleAtIso: at, sourceName: 'Agence Exemple' }),
    );
    expect(credited.statusCode).toBe(422);
    expect(credited.body).not.toContain('nommez la source');
    expect(credited.body).toContain('ajoutez l’adresse de la source');
    expect(await story(id)).toMatchObject({ status: 'draft', scheduledAt: null });

    const accepted = await form(
      editor,
      `/admin/stories/${id}/schedule`,
      await formOf(id, {
        scheduleAtIso: at,
        sourceName: 'Agence Exemple',
        sourceUrl: 'https://agence.example.org/depeches/7',
      }),
    );
    expect(accepted.statusCode, accepted.body.slice(0, 300)).toBe(303);
    expect(await story(id)).toMatchObject({
      status: 'scheduled',
      source: { name: 'Agence Exemple', url: 'https://agence.example.org/depeches/7' },
    });
  });

  it('shows the chrome of a source site and English furniture left in a French story, with their words', async () => {
    const { id } = await draft({
      bodyMarkdown: 'Le conseil a voté mardi.\n\nShare this article\n\nLe texte reprend. ABONNEZ-VOUS MAINTENANT',
    });
    const findings = findingsOn((await page(`/admin/stories/${id}`)).body);
    const second = findings.filter((text) => text.includes('Paragraphe 2'));
    expect(second.some((text) => text.includes('site source') && text.includes('Share this article'))).toBe(true);
    expect(second.some((text) => text.includes('pas dans la langue de l’article'))).toBe(true);
    const third = findings.find((text) => text.includes('Paragraphe 3'));
    expect(third).toContain('site source');
    expect(third).toContain('ABONNEZ-VOUS MAINTENANT');
    expect(third).not.toContain('Le texte reprend');
  });

  it('publishes despite warnings: the editor has read them and decides', async () => {
    const { id } = await draft({ bodyMarkdown: 'Premier paragraphe.\n\nsuite perdue du texte.' });
    const response = await form(editor, `/admin/stories/${id}/publish`, await formOf(id, {}));
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    expect((await story(id)).status).toBe('published');
  });

  it('holds every other door to the same rule: the article service refuses too', async () => {
    const { id, revision } = await draft({ bodyMarkdown: '' });
    await expect(site.app.articles.publish(id, { expectedRevision: revision })).rejects.toMatchObject({
      code: 'ARTICLE_NOT_PUBLISHABLE',
      details: { findings: [{ code: 'EMPTY_BODY', severity: 'blocking' }] },
    });
    // Nor may a published story lose its byline by an edit.
    const { id: publishedId } = await draft({ bodyMarkdown: 'Texte.' });
    const published = await site.app.articles.publish(publishedId, {
      expectedRevision: (await story(publishedId)).revision,
    });
    const { id: _id, revision: _rev, ...rest } = published;
    await expect(
      site.app.articles.edit(publishedId, { ...rest, authorIds: [] }, { expectedRevision: published.revision }),
    ).rejects.toMatchObject({ code: 'ARTICLE_NOT_PUBLISHABLE' });
    expect((await story(publishedId)).authorIds).toEqual([editorAuthor]);
  });

  it('sends a scheduled story that cannot pass preflight back to the drafts instead of publishing it', async () => {
    // A story scheduled before the checks existed (written straight to storage, without byline).
    const desk = newsroom(site.app.database.db, { now: () => new Date() });
    const record = await desk.insert(
      desk.prepare({
        language: 'fr',
        slug: 'sans-signature-programme',
        headline: 'Sans signature, programmé',
        bodyMarkdown: 'Texte.',
        status: 'scheduled',
        scheduledAt: new Date(Date.now() - 1000),
      }),
    );
    expect(await site.app.scheduler.tick()).toBe(0);
    const stored = await story(record.id);
    expect(stored).toMatchObject({ status: 'draft', publishedAt: null, scheduledAt: null });
    const last = await site.app.database.db
      .selectFrom('article_revisions')
      .select(['action', 'saved_by'])
      .where('article_id', '=', record.id)
      .orderBy('revision', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'unpublish', saved_by: null });
    expect((await inject_({ method: 'GET', url: '/fr/sans-signature-programme' })).statusCode).toBe(404);
    // The next pass has nothing left to do with it.
    expect(await site.app.scheduler.tick()).toBe(0);
  });

  it('passes the demo content, the seed article included, with nothing blocking', async () => {
    const rows = await site.app.database.db.selectFrom('articles').select('id').execute();
    const demo = await Promise.all(rows.map((row) => story(row.id)));
    const seed = demo.find((record) => record.slug === 'poutine-xi-serrent-les-rangs');
    expect(seed?.source?.name).toBeTruthy();
    expect(seed?.authorIds.length).toBeGreaterThan(0);
    expect(seed?.hero?.alt).toBeTruthy();
    for (const record of demo.filter((r) => r.status === 'published' && !r.headline.startsWith('Contrôle'))) {
      const blocking = preflightOf(record).filter((finding) => finding.severity === 'blocking');
      expect(blocking, record.slug).toEqual([]);
      expect(isPublishable(preflightOf(record)), record.slug).toBe(true);
    }
  });
});
