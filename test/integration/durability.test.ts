import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { answering, databaseEnv, exited, runKiosque } from '../support/kiosque-process.js';
import { editorFormOf, type FormFields, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { freePort, startTestSite, type TestSite } from '../support/test-app.js';

/**
 * "No acknowledged save is lost": a real `kiosque serve` is killed with SIGKILL the moment it
 * has answered a save, with no chance to flush or close anything; what it acknowledged must be
 * there when the site starts again.
 */
describeEachDatabase('an acknowledged save survives kill -9 on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let story: { id: string; revision: number };
  let fields: FormFields;
  /** A published demo story: its edits wait as a pending version (issue 11). */
  let live: { id: string; revision: number; slug: string; standfirst: string };
  let liveFields: FormFields;
  let child: ChildProcess | null = null;

  async function serve(): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = runKiosque(['serve'], { ...databaseEnv(site.database), PORT: String(port), KIOSQUE_DEMO: 'off' }, 'ignore');
    await answering(url, child);
    return url;
  }

  beforeAll(async () => {
    site = await startTestSite(kind);
    owner = await setupOwner(site);
    const created = await staffClient(site).api(owner, 'POST', '/admin/api/stories', {
      fields: { language: 'fr', headline: 'Le tramway arrive à Brest', bodyMarkdown: 'Première version.' },
    });
    expect(created.statusCode, created.body).toBe(201);
    story = created.json();
    fields = await editorFormOf(site, await site.app.articles.get(story.id));
    const seed = await site.app.database.db
      .selectFrom('articles')
      .select('id')
      .where('language', '=', 'fr')
      .where('slug', '=', 'poutine-xi-serrent-les-rangs')
      .executeTakeFirstOrThrow();
    const record = await site.app.articles.get(seed.id);
    live = { id: record.id, revision: record.revision, slug: record.slug, standfirst: record.standfirst };
    liveFields = await editorFormOf(site, record);
    // From here on only the child process serves this database.
    await site.app.close();
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await site?.database.drop();
  });

  /** An autosave as the editor script sends it, to the running process. */
  function autosave(url: string, id: string, expectedRevision: number, form: FormFields) {
    return fetch(new URL(`/admin/api/stories/${id}`, url), {
      method: 'PUT',
      headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ expectedRevision, fields: form }),
    });
  }

  it('keeps every autosave the killed process answered, in order, with its revision', async () => {
    const url = await serve();
    const saves = 8;
    let revision = story.revision;
    const acknowledged: number[] = [];
    for (let version = 1; version <= saves; version++) {
      const response = await autosave(url, story.id, revision, {
        ...fields,
        bodyMarkdown: `Version ${version} du texte, enregistrée.`,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      revision = ((await response.json()) as { revision: number }).revision;
      acknowledged.push(revision);
      // The last acknowledgement is the instant the process dies: nothing after it may run.
      if (version === saves) child!.kill('SIGKILL');
    }
    expect((await exited(child!)).signal).toBe('SIGKILL');

    const reopened = await startTestSite(kind, { instanceOf: site, demo: false });
    try {
      const stored = await reopened.app.articles.get(story.id);
      expect(stored.revision).toBe(revision);
      expect(stored.bodyMarkdown).toBe(`Version ${saves} du texte, enregistrée.`);
      const history = await reopened.app.database.db
        .selectFrom('article_revisions')
        .select(['revision', 'snapshot'])
        .where('article_id', '=', story.id)
        .where('revision', 'in', acknowledged)
        .orderBy('revision')
        .execute();
      expect(history.map((row) => row.revision)).toEqual(acknowledged);
      history.forEach((row, index) => {
        expect(row.snapshot).toContain(`Version ${index + 1} du texte`);
      });
    } finally {
      await reopened.app.close();
    }
  });

  it('keeps the pending version of a published story it answered, and readers still see the live one', async () => {
    const url = await serve();
    const response = await autosave(url, live.id, live.revision, {
      ...liveFields,
      standfirst: 'Un chapeau à moitié tapé, sauvé avant la panne',
    });
    expect(response.status, await response.clone().text()).toBe(200);
    child!.kill('SIGKILL');
    expect(await response.json()).toMatchObject({ pending: true, status: 'published' });
    expect((await exited(child!)).signal).toBe('SIGKILL');

    const reopened = await startTestSite(kind, { instanceOf: site, demo: false });
    try {
      const pending = await reopened.app.articles.findPending(live.id);
      expect(pending?.snapshot.standfirst).toBe('Un chapeau à moitié tapé, sauvé avant la panne');
      const page = await reopened.app.server.inject({ method: 'GET', url: `/fr/${live.slug}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('à moitié tapé');
    } finally {
      await reopened.app.close();
    }
  });
});
