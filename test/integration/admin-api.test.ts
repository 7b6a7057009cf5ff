import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Scope } from '../../src/domain/integrations/integration.js';
import { scopes } from '../../src/domain/integrations/integration.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { multipart, plainImage } from '../support/media.js';
import { signInMember } from '../support/members.js';
import { changedTables, databaseDigest, routesOf } from '../support/route-table.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const v1 = '/api/admin/v1';
/** Last use of a token is written once a minute: not a change a refused request made. */
const quiet = ['integrations'];

/**
 * The rows as they stand once the background work of earlier uploads (image variants, which
 * record their sizes on the image) is done: a digest taken before must not see it land.
 */
async function settledDigest(site: TestSite) {
  await site.app.mediaJobs.idle();
  return databaseDigest(site, quiet);
}

/**
 * The Admin API (issue 13, decision 0047): an integration's token writes stories through the
 * newsroom's own editor — revisions, conflicts, preflight — uploads images and, with the scope
 * given by name, lists members. Over HTTP, on both databases.
 */
describeEachDatabase('the Admin API on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let owner: StaffAgent;
  let byline: string[];
  /** One token with every scope, and one per scope. */
  let full: string;
  const only = {} as Record<Scope, string>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { env: { SMTP_URL: smtp.url } });
    owner = await setupOwner(site);
    byline = await testByline(site.app.database.db);
    full = (await site.app.integrations.add({ name: 'CMS bridge', scopes: [...scopes], createdBy: null })).adminToken;
    for (const scope of scopes) {
      only[scope] = (
        await site.app.integrations.add({ name: `Only ${scope}`, scopes: [scope], createdBy: null })
      ).adminToken;
    }
    await signInMember(site, smtp, 'reader@example.org');
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const call = (
    token: string | null,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    site.app.server.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const page = (url: string) => site.app.server.inject({ method: 'GET', url });
  const draft = (extra: Record<string, unknown> = {}) => ({
    language: 'en',
    headline: 'Harbour cranes return to the old port',
    standfirst: 'Three cranes, restored, are back on the quay.',
    bodyMarkdown: 'The cranes were lifted into place on Tuesday.\n\nThey will be lit at night.',
    authorIds: byline,
    tags: ['Port'],
    ...extra,
  });

  it('lives a story’s whole life: draft, revised, refused when stale, published, scheduled, withdrawn', async () => {
    const created = await call(full, 'POST', `${v1}/stories`, draft());
    expect(created.statusCode, created.body).toBe(201);
    const story = created.json().story;
    expect(story).toMatchObject({
      status: 'draft',
      language: 'en',
      genre: 'news',
      authorIds: byline,
      tags: ['Port'],
      url: null,
    });
    expect(created.headers.etag).toBe(`"${story.revision}"`);
    const id: string = story.id;

    // The whole text, draft included, comes back to a reader of stories.
    const read = await call(only['stories:read'], 'GET', `${v1}/stories/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().story.bodyMarkdown).toContain('lifted into place');

    const revised = await call(
      full,
      'PATCH',
      `${v1}/stories/${id}`,
      { headline: 'Harbour cranes are back', genre: 'analysis' },
      {
        'if-match': created.headers.etag as string,
      },
    );
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json()).toMatchObject({
      changed: true,
      story: { headline: 'Harbour cranes are back', genre: 'analysis' },
    });
    // Fields not sent keep their values.
    expect(revised.json().story.standfirst).toBe('Three cranes, restored, are back on the quay.');
    const current: number = revised.json().story.revision;
    expect(current).toBeGreaterThan(story.revision);

    // Based on the revision before: refused, the current one named, nothing stored.
    const before = await settledDigest(site);
    const stale = await call(full, 'PATCH', `${v1}/stories/${id}`, {
      revision: story.revision,
      bodyMarkdown: 'An older text that would overwrite the new headline’s story.',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'ARTICLE_REVISION_CONFLICT', current: { revision: current } });
    expect(changedTables(before, await databaseDigest(site, quiet))).toEqual([]);

    const published = await call(full, 'POST', `${v1}/stories/${id}/publish`, { revision: current });
    expect(published.statusCode, published.body).toBe(200);
    const live = published.json().story;
    expect(live.status).toBe('published');
    expect(live.url).toBe(`${site.config.publicUrl}/en/${live.slug}`);
    const onSite = await page(`/en/${live.slug}`);
    expect(onSite.statusCode).toBe(200);
    expect(onSite.body).toContain('Harbour cranes are back');

    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const scheduled = await call(
      full,
      'POST',
      `${v1}/stories/${id}/schedule`,
      { at },
      {
        'if-match': published.headers.etag as string,
      },
    );
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json().story).toMatchObject({ status: 'scheduled', scheduledAt: at });

    const withdrawn = await call(full, 'POST', `${v1}/stories/${id}/unpublish`, {
      revision: scheduled.json().story.revision,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().story).toMatchObject({ status: 'draft', url: null });
    expect((await page(`/en/${live.slug}`)).statusCode).toBe(404);

    // Every revision names the integration; the admin's list says so.
    const savedBy = await site.app.database.db
      .selectFrom('article_revisions')
      .select('saved_by')
      .where('article_id', '=', id)
      .execute();
    const integration = (await site.app.integrations.list()).find((one) => one.name === 'CMS bridge');
    expect(new Set(savedBy.map((row) => row.saved_by))).toEqual(new Set([integration?.id]));
    const revisions = await site.app.server.inject({
      method: 'GET',
      url: `/admin/stories/${id}/revisions`,
      headers: { cookie: owner.cookie },
    });
    expect(revisions.statusCode).toBe(200);
    // The owner reads the admin in the site's default language, French: « Intégration : CMS bridge ».
    expect(revisions.body).toMatch(/<td>Int[eé]gration ?: CMS bridge<\/td>/);
    expect(revisions.body).not.toContain(`<td>${integration?.id}</td>`);
  });

  it('refuses a write without a revision, and a publication preflight refuses, as it does for staff', async () => {
    const created = (
      await call(full, 'POST', `${v1}/stories`, draft({ headline: 'No byline yet', authorIds: [] }))
    ).json().story;
    const before = await settledDigest(site);
    const unversioned = await call(full, 'PATCH', `${v1}/stories/${created.id}`, { headline: 'Changed' });
    expect(unversioned.statusCode).toBe(428);
    expect(unversioned.json().code).toBe('ADMIN_API_REVISION_REQUIRED');
    const unsigned = await call(full, 'POST', `${v1}/stories/${created.id}/publish`, { revision: created.revision });
    expect(unsigned.statusCode).toBe(422);
    expect(unsigned.json()).toMatchObject({ code: 'ARTICLE_NOT_PUBLISHABLE', findings: ['NO_BYLINE'] });
    const past = await call(full, 'POST', `${v1}/stories/${created.id}/schedule`, {
      at: '2020-01-01T00:00:00Z',
      revision: created.revision,
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().code).toBe('ARTICLE_SCHEDULE_IN_PAST');
    expect(changedTables(before, await databaseDigest(site, quiet))).toEqual([]);
    expect((await call(full, 'GET', `${v1}/stories/nope`)).json().code).toBe('ADMIN_API_STORY_NOT_FOUND');
  });

  it('uploads an image the story can then use as its hero', async () => {
    const body = await multipart(
      { alt: 'Cranes on the quay', credit: 'Port authority' },
      { name: 'cranes.png', type: 'image/png', bytes: await plainImage('png', 640, 480) },
    );
    const upload = await site.app.server.inject({
      method: 'POST',
      url: `${v1}/images`,
      headers: { authorization: `Bearer ${only['media:write']}`, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const image = upload.json().image;
    expect(image).toMatchObject({ width: 640, height: 480, alt: 'Cranes on the quay', fileName: 'cranes.png' });
    const row = await site.app.database.db
      .selectFrom('images')
      .select('uploaded_by')
      .where('id', '=', image.id)
      .executeTakeFirstOrThrow();
    expect(row.uploaded_by).toBeNull();

    const created = (await call(full, 'POST', `${v1}/stories`, draft({ headline: 'Cranes, pictured' }))).json().story;
    const withHero = await call(full, 'PATCH', `${v1}/stories/${created.id}`, {
      revision: created.revision,
      hero: { imageId: image.id, alt: 'Cranes on the quay' },
    });
    expect(withHero.statusCode, withHero.body).toBe(200);
    expect(withHero.json().story.hero).toMatchObject({ imageId: image.id });

    // Bytes that are not an image: the library's own check.
    const fake = await multipart({}, { name: 'x.png', type: 'image/png', bytes: Buffer.from('not an image') });
    const refused = await site.app.server.inject({
      method: 'POST',
      url: `${v1}/images`,
      headers: { authorization: `Bearer ${full}`, 'content-type': fake.contentType },
      payload: fake.payload,
    });
    expect(refused.statusCode).toBe(415);
    expect(refused.json().code).toBe('MEDIA_TYPE_UNSUPPORTED');
  });

  it('lists members only with members:read, never their addresses without it', async () => {
    const listed = await call(only['members:read'], 'GET', `${v1}/members?limit=10`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ total: 1, page: 1, pageCount: 1 });
    expect(listed.json().items[0]).toMatchObject({ email: 'reader@example.org', status: 'free', tier: 'free' });
    for (const token of [only['stories:read'], only['stories:write'], only['stories:publish'], only['media:write']]) {
      const refused = await call(token, 'GET', `${v1}/members`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'ADMIN_API_SCOPE_MISSING', scope: 'members:read' });
      expect(refused.body).not.toContain('reader@example.org');
      expect(refused.json().message).toContain('members:read');
    }
  });

  it('a token of one scope cannot do another scope’s work, on every Admin API route', async () => {
    const storyId = (await call(full, 'POST', `${v1}/stories`, draft({ headline: 'Scope probe' }))).json().story.id;
    const table: [method: 'GET' | 'POST' | 'PATCH', url: string, route: string, scope: Scope][] = [
      ['GET', `${v1}/stories`, `${v1}/stories`, 'stories:read'],
      ['GET', `${v1}/stories/${storyId}`, `${v1}/stories/:id`, 'stories:read'],
      ['POST', `${v1}/stories`, `${v1}/stories`, 'stories:write'],
      ['PATCH', `${v1}/stories/${storyId}`, `${v1}/stories/:id`, 'stories:write'],
      ['POST', `${v1}/stories/${storyId}/publish`, `${v1}/stories/:id/publish`, 'stories:publish'],
      ['POST', `${v1}/stories/${storyId}/schedule`, `${v1}/stories/:id/schedule`, 'stories:publish'],
      ['POST', `${v1}/stories/${storyId}/unpublish`, `${v1}/stories/:id/unpublish`, 'stories:publish'],
      ['POST', `${v1}/images`, `${v1}/images`, 'media:write'],
      ['GET', `${v1}/members`, `${v1}/members`, 'members:read'],
    ];
    // The table covers every Admin API route the server has: a new one must join it.
    const live = routesOf(site)
      .filter((route) => route.url.startsWith(`${v1}/`))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect([...new Set(table.map(([method, , route]) => `${method} ${route}`))].sort()).toEqual(live);

    const before = await settledDigest(site);
    const wrong: string[] = [];
    for (const [method, url, , needed] of table) {
      for (const scope of scopes) {
        // A body that is invalid for every route: an allowed call is refused later, never stored.
        const response = await call(only[scope], method, url, method === 'GET' ? undefined : { unknownField: 1 });
        const refused = response.statusCode === 403 && response.json().code === 'ADMIN_API_SCOPE_MISSING';
        if (refused !== (scope !== needed)) wrong.push(`${method} ${url} with ${scope}: ${response.statusCode}`);
        if (response.statusCode === 401) wrong.push(`${method} ${url} with ${scope}: 401`);
      }
    }
    expect(wrong).toEqual([]);
    expect(changedTables(before, await databaseDigest(site, quiet))).toEqual([]);
  });

  it('refuses a missing, malformed or revoked token with 401, and a staff cookie alone', async () => {
    const keys = await site.app.integrations.add({ name: 'Soon revoked', createdBy: null });
    expect((await call(keys.adminToken, 'GET', `${v1}/stories`)).statusCode).toBe(200);
    await site.app.integrations.revoke(keys.integration.id);
    const before = await settledDigest(site);
    const revoked = await call(keys.adminToken, 'POST', `${v1}/stories`, draft());
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('ADMIN_API_TOKEN_INVALID');
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer /);
    expect((await call('kqa_nope.00', 'GET', `${v1}/stories`)).json().code).toBe('ADMIN_API_TOKEN_INVALID');
    const none = await call(null, 'GET', `${v1}/stories`);
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('ADMIN_API_TOKEN_MISSING');

    // The owner's session, with its CSRF token, from the site itself: still not a token.
    for (const [method, url] of [
      ['POST', `${v1}/stories`],
      ['GET', `${v1}/members`],
    ] as const) {
      const withCookie = await call(null, method, url, method === 'POST' ? draft() : undefined, {
        cookie: owner.cookie,
        'x-csrf-token': owner.csrf,
        origin: site.config.publicUrl,
      });
      expect(withCookie.statusCode, url).toBe(401);
      expect(withCookie.json().code).toBe('ADMIN_API_TOKEN_MISSING');
    }
    expect(changedTables(before, await databaseDigest(site, quiet))).toEqual([]);
  });

  it('refuses bad input with the fields at fault, in the language asked for, and stores nothing', async () => {
    const before = await settledDigest(site);
    const cases: [payload: string, contentType: string, status: number, code: string, fields?: string[]][] = [
      [JSON.stringify({ language: 'en' }), 'application/json', 400, 'ADMIN_API_INVALID', ['headline']],
      [JSON.stringify({ ...draft(), colour: 'red' }), 'application/json', 400, 'ADMIN_API_INVALID', ['colour']],
      [JSON.stringify(draft({ access: 'everyone' })), 'application/json', 400, 'ADMIN_API_INVALID', ['access']],
      [JSON.stringify(draft({ language: 'de' })), 'application/json', 400, 'ARTICLE_INVALID', ['language']],
      [JSON.stringify(draft({ authorIds: ['aut_nobody'] })), 'application/json', 400, 'ARTICLE_INVALID', ['authorIds']],
      ['{"language": "en", ', 'application/json', 400, 'ADMIN_API_INVALID'],
      ['headline=Hello', 'application/x-www-form-urlencoded', 400, 'ADMIN_API_INVALID'],
      [
        JSON.stringify(draft({ bodyMarkdown: 'x'.repeat(5 * 1024 * 1024) })),
        'application/json',
        413,
        'ADMIN_API_TOO_LARGE',
      ],
    ];
    for (const [payload, contentType, status, code, fields] of cases) {
      const response = await site.app.server.inject({
        method: 'POST',
        url: `${v1}/stories`,
        headers: { authorization: `Bearer ${full}`, 'content-type': contentType },
        payload,
      });
      expect(response.statusCode, payload.slice(0, 80)).toBe(status);
      expect(response.json().code, payload.slice(0, 80)).toBe(code);
      if (fields) expect(response.json().fields, payload.slice(0, 80)).toEqual(fields);
    }
    const french = await call(
      full,
      'POST',
      `${v1}/stories`,
      { language: 'en' },
      { 'accept-language': 'fr-FR,fr;q=0.9' },
    );
    expect(french.json().message).toContain('La requête est mal formée');
    const english = await call(full, 'POST', `${v1}/stories`, { language: 'en' });
    expect(english.json().message).toContain('The request is malformed');
    expect(changedTables(before, await databaseDigest(site, quiet))).toEqual([]);
  });

  it('lists stories by status and language, a page at a time', async () => {
    const drafts = await call(only['stories:read'], 'GET', `${v1}/stories?status=draft&language=en&limit=2`);
    expect(drafts.statusCode).toBe(200);
    const body = drafts.json();
    expect(body.items).toHaveLength(2);
    expect(
      body.items.every(
        (item: { status: string; language: string }) => item.status === 'draft' && item.language === 'en',
      ),
    ).toBe(true);
    expect(body.pageCount).toBe(Math.ceil(body.total / 2));
    const second = (await call(full, 'GET', `${v1}/stories?status=draft&language=en&limit=2&page=2`)).json();
    expect(second.items.map((item: { id: string }) => item.id)).not.toContain(body.items[0].id);
    const french = (await call(full, 'GET', `${v1}/stories?status=published&language=fr`)).json();
    expect(french.total).toBeGreaterThan(0);
    expect(french.items.every((item: { language: string }) => item.language === 'fr')).toBe(true);
    const refused = await call(full, 'GET', `${v1}/stories?status=lost&limit=1000`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.sort()).toEqual(['limit', 'status']);
  });
});
