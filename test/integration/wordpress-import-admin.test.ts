import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, multipartForm, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const fixtures = new URL('../fixtures/wordpress/', import.meta.url);

/**
 * Admin → Import (issue 13): an owner uploads a WordPress export, the import runs as a durable
 * job, the page shows the progress and then the report in the owner's language (French here);
 * a refused file is said on the page and starts nothing; an editor may not import.
 */
describeEachDatabase('admin WordPress import on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    owner = await setupOwner(site);
    site.app.jobs.start();
  });
  afterAll(async () => {
    await site?.close();
  });

  const upload = (agent: StaffAgent, name: string) => {
    const body = multipartForm(
      agent.csrf,
      [{ name, type: 'text/xml', bytes: readFileSync(new URL(name, fixtures)) }],
      'file',
    );
    return site.app.server.inject({
      method: 'POST',
      url: '/admin/import/wordpress',
      headers: { cookie: agent.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
  };

  it('imports an uploaded export in the background and shows the report in the owner’s language', async () => {
    const answer = await upload(owner, 'export.xml');
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(303);
    const location = String(answer.headers.location);
    expect(location).toMatch(/^\/admin\/import\/imp_/);

    let page = await site.app.server.inject({ method: 'GET', url: location, headers: { cookie: owner.cookie } });
    const until = Date.now() + 120_000;
    while (page.body.includes('http-equiv="refresh"') && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      page = await site.app.server.inject({ method: 'GET', url: location, headers: { cookie: owner.cookie } });
    }
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Terminé');
    expect(page.body).toContain('3 commentaires comptés, non importés');
    expect(page.body).toContain('écrit en « de »');
    expect(page.body).toContain('missing.jpg');
    expect(
      (await site.app.server.inject({ method: 'GET', url: '/en/harbour-reopens-to-fishing-boats' })).statusCode,
    ).toBe(200);
    const list = await site.app.server.inject({
      method: 'GET',
      url: '/admin/import',
      headers: { cookie: owner.cookie },
    });
    expect(list.body).toContain('export.xml');
  }, 180_000);

  it('refuses an entity bomb on the page, in the owner’s language, queuing nothing', async () => {
    const before = (await site.app.imports.list()).length;
    const answer = await upload(owner, 'entity-bomb.xml');
    expect(answer.statusCode).toBe(422);
    expect(answer.body).toContain('ne peut pas être lu comme un export WordPress');
    expect((await site.app.imports.list()).length).toBe(before);
  });

  it('keeps the import to owners and admins', async () => {
    const editor = await addMember(site, 'editor', 'editor@example.org');
    expect(
      (await site.app.server.inject({ method: 'GET', url: '/admin/import', headers: { cookie: editor.cookie } }))
        .statusCode,
    ).toBe(403);
    expect((await upload(editor, 'export.xml')).statusCode).toBe(403);
  });
});
