import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleIdBySlug } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass } from '../support/html.js';
import { addMember, type StaffAgent } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

describeEachDatabase('the story list’s search on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let draftId: string;

  beforeAll(async () => {
    site = await startTestSite(kind);
    editor = await addMember(site, 'editor', 'list-search@example.org');
    const created = await site.app.server.inject({
      method: 'POST',
      url: '/admin/api/stories',
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({
        fields: {
          language: 'fr',
          headline: 'Le conseil municipal adopte les réformes',
          bodyMarkdown: 'Les élus ont voté les nouvelles règles du marché couvert.',
        },
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    draftId = created.json().id;
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  /** The stories a search lists, as links to their editor. */
  async function listed(query: string): Promise<string[]> {
    const page = await site.app.server.inject({
      method: 'GET',
      url: `/admin/stories?${query}`,
      headers: { cookie: editor.cookie },
    });
    expect(page.statusCode).toBe(200);
    const table = byClass(page.body, 'table', 'admin-table')[0] ?? '';
    return [...table.matchAll(/href="\/admin\/stories\/([^"]+)"/g)].map((match) => match[1]!);
  }

  const idOf = (language: string, slug: string) => articleIdBySlug(site.app.database.db, language, slug);

  it('finds a draft by a stemmed word typed without accents, in every language at once', async () => {
    // "reforme" (singular, no accent) finds "réformes"; "regle" finds "règles" in the body.
    expect(await listed('q=reforme')).toEqual([draftId]);
    expect(await listed('q=regle+marche')).toEqual([draftId]);
    // The headline-only search of before would have missed both.
    expect(await listed('q=reforme&status=draft')).toEqual([draftId]);
  });

  it('keeps the other filters working on what the engine found', async () => {
    expect(await listed('q=reforme&status=published')).toEqual([]);
    expect(await listed('q=reforme&language=en')).toEqual([]);
    expect(await listed('q=reforme&language=fr')).toEqual([draftId]);
  });

  it('searches each site language with its own stemming and merges the results', async () => {
    const found = await listed('q=trains');
    expect(found).toContain(await idOf('fr', 'le-retour-des-trains-de-nuit-en-europe'));
    expect(found).toContain(await idOf('en', 'night-trains-return-to-europe'));
    expect(await listed('q=trains&language=en')).not.toContain(
      await idOf('fr', 'le-retour-des-trains-de-nuit-en-europe'),
    );
  });
});
