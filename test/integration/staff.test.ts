import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasPermission, type Role, roles } from '../../src/domain/staff/roles.js';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, cookieValue, formHeaders, openForm, post, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * What each admin route requires, written down independently of the code that declares it: a
 * route added without an entry here, or declared with a different rule, fails the test above.
 */
const expectedAdminAccess: Record<string, string> = {
  'GET /admin': 'admin.enter',
  'GET /admin/stories': 'admin.enter',
  'GET /admin/stories/new': 'story.create',
  'POST /admin/stories': 'story.create',
  'GET /admin/stories/:id': 'story.create',
  'POST /admin/stories/:id': 'story.create',
  'POST /admin/stories/:id/publish': 'story.publishOwn',
  'POST /admin/stories/:id/schedule': 'story.publishOwn',
  'POST /admin/stories/:id/unpublish': 'story.publishOwn',
  'POST /admin/stories/:id/delete': 'story.publishOwn',
  'POST /admin/stories/:id/update-live': 'story.publishOwn',
  'POST /admin/stories/:id/discard-pending': 'story.publishOwn',
  'POST /admin/stories/:id/review': 'story.publishOwn',
  // Issue 14: the review loop. Submitting is for anyone who writes; answering for editors and up.
  'POST /admin/stories/:id/submit-review': 'story.create',
  'POST /admin/stories/:id/request-changes': 'story.review',
  'POST /admin/stories/:id/approve': 'story.review',
  'POST /admin/stories/:id/restore': 'story.publishOwn',
  'POST /admin/stories/:id/kill': 'story.kill',
  'GET /admin/stories/:id/revisions': 'story.create',
  'POST /admin/stories/:id/revisions/:revision/revert': 'story.create',
  'POST /admin/stories/:id/translate': 'story.create',
  // Corrections (decision 0056): the panel's forms; the story's own rights (`correct`) are checked inside.
  'POST /admin/stories/:id/corrections': 'story.publishOwn',
  'POST /admin/stories/:id/corrections/:correction/save': 'story.publishOwn',
  'POST /admin/stories/:id/corrections/:correction/publish': 'story.publishOwn',
  'POST /admin/stories/:id/corrections/:correction/discard': 'story.publishOwn',
  'POST /admin/stories/:id/link': 'story.publishOwn',
  'POST /admin/stories/:id/unlink': 'story.publishOwn',
  'POST /admin/api/stories': 'story.create',
  'PUT /admin/api/stories/:id': 'story.create',
  'POST /admin/api/preview': 'story.create',
  'PUT /admin/api/taxonomy/:kind/:id': 'taxonomy.manage',
  'GET /admin/sections': 'taxonomy.manage',
  'GET /admin/sections/:id': 'taxonomy.manage',
  'POST /admin/sections/:id': 'taxonomy.manage',
  'POST /admin/sections/:id/merge': 'taxonomy.manage',
  'POST /admin/sections/:id/move': 'taxonomy.manage',
  'GET /admin/tags': 'taxonomy.manage',
  'GET /admin/tags/:id': 'taxonomy.manage',
  'POST /admin/tags/:id': 'taxonomy.manage',
  'POST /admin/tags/:id/merge': 'taxonomy.manage',
  // Every staff member may open their own author profile (decision 0062); the handler checks whose.
  'GET /admin/authors': 'admin.enter',
  'GET /admin/authors/:id': 'admin.enter',
  'POST /admin/authors/:id': 'admin.enter',
  'GET /admin/setup': 'public',
  'POST /admin/setup': 'public',
  'GET /admin/invitation': 'public',
  'POST /admin/invitation': 'public',
  'GET /admin/login': 'public',
  'POST /admin/login': 'public',
  'GET /admin/password/forgot': 'public',
  'POST /admin/password/forgot': 'public',
  'GET /admin/password/reset': 'public',
  'POST /admin/password/reset': 'public',
  'POST /admin/logout': 'admin.enter',
  'POST /admin/logout-everywhere': 'admin.enter',
  'POST /admin/account/language': 'admin.enter',
  'GET /admin/staff': 'staff.manage',
  'POST /admin/staff': 'staff.manage',
  'POST /admin/staff/:id/role': 'staff.manage',
  'POST /admin/staff/:id/remove': 'staff.manage',
  'POST /admin/staff/:id/resend': 'staff.manage',
  'POST /admin/staff/:id/two-factor-reset': 'staff.manage',
  'GET /admin/login/code': 'public',
  'POST /admin/login/code': 'public',
  'GET /admin/account': 'admin.enter',
  'POST /admin/account/password': 'admin.enter',
  'POST /admin/account/sessions/end': 'admin.enter',
  'POST /admin/account/sessions/end-others': 'admin.enter',
  'POST /admin/account/two-factor/start': 'admin.enter',
  'GET /admin/account/two-factor': 'admin.enter',
  'POST /admin/account/two-factor/confirm': 'admin.enter',
  'POST /admin/account/two-factor/off': 'admin.enter',
  'GET /admin/audit': 'audit.read',
  'GET /admin/members': 'members.manage',
  'GET /admin/members.csv': 'members.manage',
  'GET /admin/members/:id': 'members.manage',
  'POST /admin/members/:id/complimentary': 'members.manage',
  'POST /admin/members/:id/complimentary/revoke': 'members.manage',
  'GET /admin/media': 'media.upload',
  'POST /admin/media': 'media.upload',
  'POST /admin/media/:id': 'media.upload',
  'GET /admin/api/media': 'media.upload',
  'POST /admin/api/media': 'media.upload',
  'GET /admin/newsletters': 'newsletter.manage',
  'POST /admin/newsletters/lists': 'newsletter.manage',
  'GET /admin/stories/:id/newsletter': 'newsletter.manage',
  'POST /admin/stories/:id/newsletter': 'newsletter.manage',
  'GET /admin/subscribers': 'subscribers.export',
  'GET /admin/subscribers/export': 'subscribers.export',
  'GET /admin/export': 'site.export',
  'GET /admin/export/download': 'site.export',
  'GET /admin/wire': 'wire.read',
  'POST /admin/wire/url': 'wire.use',
  'POST /admin/wire/upload': 'wire.use',
  'GET /admin/import': 'site.import',
  'GET /admin/import/:id': 'site.import',
  'POST /admin/import/wordpress': 'site.import',
  'GET /admin/wire/sources': 'wire.read',
  'POST /admin/wire/sources': 'wire.manage',
  'GET /admin/wire/sources/:id': 'wire.read',
  'POST /admin/wire/sources/:id': 'wire.manage',
  'POST /admin/wire/sources/:id/poll': 'wire.manage',
  'GET /admin/wire/items/:id': 'wire.read',
  'POST /admin/wire/items/:id/draft': 'wire.use',
  'GET /admin/settings': 'settings.manage',
  'POST /admin/settings/:section': 'settings.manage',
  'GET /admin/pages': 'pages.manage',
  'GET /admin/pages/new': 'pages.manage',
  'POST /admin/pages': 'pages.manage',
  'GET /admin/pages/:id': 'pages.manage',
  'POST /admin/pages/:id': 'pages.manage',
  'POST /admin/pages/:id/delete': 'pages.manage',
  'GET /admin/front-page': 'frontpage.manage',
  'GET /admin/front-page/:lang': 'frontpage.manage',
  'POST /admin/front-page/:lang/lead': 'frontpage.manage',
  'POST /admin/front-page/:lang/top': 'frontpage.manage',
  'POST /admin/front-page/:lang/sections': 'frontpage.manage',
  'POST /admin/front-page/:lang/banner': 'frontpage.manage',
  'GET /admin/integrations': 'integrations.manage',
  'POST /admin/integrations': 'integrations.manage',
  'GET /admin/integrations/:id': 'integrations.manage',
  'POST /admin/integrations/:id/keys': 'integrations.manage',
  'POST /admin/integrations/:id/revoke': 'integrations.manage',
  'POST /admin/integrations/:id/webhooks': 'integrations.manage',
  'POST /admin/integrations/:id/webhooks/:webhookId/delete': 'integrations.manage',
  'GET /admin/integrations/:id/deliveries': 'integrations.manage',
  'POST /admin/integrations/:id/deliveries/:deliveryId/resend': 'integrations.manage',
};

describeEachDatabase('staff accounts on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  const members = {} as Record<Role, StaffAgent>;

  beforeAll(async () => {
    site = await startTestSite(kind);
    owner = await setupOwner(site);
    members.owner = owner;
    for (const role of roles.filter((r) => r !== 'owner'))
      members[role] = await addMember(site, role, `${role}@example.org`);
  });
  afterAll(async () => {
    await site?.close();
  });

  async function freshSession(role: Role): Promise<StaffAgent> {
    const form = await openForm(site, '/admin/login');
    const email = role === 'owner' ? 'owner@example.org' : `${role}@example.org`;
    const password = role === 'owner' ? 'owner password 123' : 'member password 123';
    const response = await post(site, '/admin/login', { _csrf: form.csrf, email, password }, form.cookie);
    const cookie = cookieValue(response.headers['set-cookie'], 'kiosque_staff');
    const page = await get('/admin/staff', cookie);
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!, email, role };
  }

  const get = (url: string, cookie = '') =>
    site.app.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it('uses the setup link once: a second owner cannot be created with it or any other', async () => {
    const token = await site.app.staff.createOwnerSetupLink();
    expect((await get(`/admin/setup?token=${token}`)).statusCode).toBe(409);
    const form = await openForm(site, '/admin/login');
    const again = await post(
      site,
      '/admin/setup',
      { _csrf: form.csrf, token, name: 'Mallory', email: 'mallory@example.org', password: 'mallory password' },
      form.cookie,
    );
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Ce site a déjà un propriétaire');
    expect((await site.app.staff.list()).some((m) => m.email === 'mallory@example.org')).toBe(false);
  });

  it('refuses an unknown or used link with a clear page', async () => {
    const response = await get('/admin/setup?token=not-a-token');
    expect([400, 409]).toContain(response.statusCode);
    expect(response.headers['content-type']).toContain('text/html');
  });

  it('stores no password in clear and signs in with the right one only', async () => {
    const row = await site.app.database.db
      .selectFrom('staff_users')
      .select('password_hash')
      .where('email', '=', 'owner@example.org')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const form = await openForm(site, '/admin/login');
    const wrong = await post(
      site,
      '/admin/login',
      { _csrf: form.csrf, email: 'editor@example.org', password: 'not the password' },
      form.cookie,
    );
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('L’adresse e-mail ou le mot de passe est incorrect');
    const right = await post(
      site,
      '/admin/login',
      { _csrf: form.csrf, email: 'EDITOR@example.org ', password: 'member password 123' },
      form.cookie,
    );
    expect(right.statusCode).toBe(303);
    const cookie = String(right.headers['set-cookie']);
    expect(cookie).toMatch(/kiosque_staff=[\w-]{40,}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  // Sign-in throttling (backoff per account and per client, issue 11) is tested on a fake clock in
  // test/integration/sign-in-throttle.test.ts.

  it('refuses a state change without the session’s CSRF token, or from another site', async () => {
    const invite = { name: 'Csrf Test', email: 'csrf@example.org', role: 'author', language: 'fr' };
    const missing = await post(site, '/admin/staff', invite, owner.cookie);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Ce formulaire a expiré');
    const forged = await post(site, '/admin/staff', { ...invite, _csrf: 'forged' }, owner.cookie);
    expect(forged.statusCode).toBe(403);
    const crossSite = await site.app.server.inject({
      method: 'POST',
      url: '/admin/staff',
      headers: { ...formHeaders, cookie: owner.cookie, origin: 'https://evil.example' },
      payload: new URLSearchParams({ ...invite, _csrf: owner.csrf }).toString(),
    });
    expect(crossSite.statusCode).toBe(403);
    expect((await site.app.staff.list()).some((m) => m.email === 'csrf@example.org')).toBe(false);
    const ok = await post(site, '/admin/staff', { ...invite, _csrf: owner.csrf }, owner.cookie);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/\/admin\/invitation\?token=[\w-]{40,}/);
  });

  it('sends a visitor to the sign-in page and refuses their posts', async () => {
    const page = await get('/admin/stories');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fstories');
    const form = await openForm(site, '/admin/login');
    const postAnon = await post(
      site,
      '/admin/staff',
      { _csrf: form.csrf, name: 'x', email: 'x@example.org', role: 'author', language: 'fr' },
      form.cookie,
    );
    expect(postAnon.statusCode).toBe(401);
  });

  it('never lets the owner be removed or demoted, nor an admin name another admin', async () => {
    const ownerId = (await site.app.staff.list()).find((m) => m.role === 'owner')!.id;
    const admin = members.admin;
    const remove = await post(site, `/admin/staff/${ownerId}/remove`, { _csrf: admin.csrf }, admin.cookie);
    expect(remove.statusCode).toBe(403);
    const demote = await post(
      site,
      `/admin/staff/${ownerId}/role`,
      { _csrf: admin.csrf, role: 'editor' },
      admin.cookie,
    );
    expect(demote.statusCode).toBe(403);
    const promote = await post(
      site,
      '/admin/staff',
      { _csrf: admin.csrf, name: 'Second Admin', email: 'admin2@example.org', role: 'admin', language: 'fr' },
      admin.cookie,
    );
    expect(promote.statusCode).toBe(403);
    expect((await site.app.staff.list()).find((m) => m.id === ownerId)?.role).toBe('owner');
  });

  it('signs a member out everywhere: every one of their sessions ends', async () => {
    const form = await openForm(site, '/admin/login');
    const second = await post(
      site,
      '/admin/login',
      { _csrf: form.csrf, email: 'editor@example.org', password: 'member password 123' },
      form.cookie,
    );
    const secondCookie = cookieValue(second.headers['set-cookie'], 'kiosque_staff');
    expect((await get('/admin/stories', secondCookie)).statusCode).not.toBe(302);
    const out = await post(site, '/admin/logout-everywhere', { _csrf: members.editor.csrf }, members.editor.cookie);
    expect(out.statusCode).toBe(200);
    expect((await get('/admin/stories', secondCookie)).statusCode).toBe(302);
    expect((await get('/admin/stories', members.editor.cookie)).statusCode).toBe(302);
    members.editor = await (async () => {
      const again = await post(
        site,
        '/admin/login',
        { _csrf: form.csrf, email: 'editor@example.org', password: 'member password 123' },
        form.cookie,
      );
      const cookie = cookieValue(again.headers['set-cookie'], 'kiosque_staff');
      const page = await get('/admin/staff', cookie);
      return { ...members.editor, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
    })();
  });

  it('declares on every admin route the access rule this list expects (add new routes here)', () => {
    const declared = Object.fromEntries(
      site.app.server.adminRoutes.map((route) => [`${route.method} ${route.url}`, route.access]),
    );
    expect(declared).toEqual(expectedAdminAccess);
  });

  it('answers every admin route for every role as its permission says: allowed, or a 403 page', async () => {
    // Signing out (everywhere) ends sessions the other routes need: those go last, on sessions of their own.
    const signsOut = (url: string) => url.includes('logout');
    const routes = site.app.server.adminRoutes
      .filter((route) => route.access !== 'public')
      .sort((a, b) => Number(signsOut(a.url)) - Number(signsOut(b.url)));
    const failures: string[] = [];
    for (const route of routes) {
      for (const role of roles) {
        const agent = signsOut(route.url) ? await freshSession(role) : members[role];
        const url = route.url.replace(/:(\w+)/g, 'does-not-exist');
        const response = await site.app.server.inject({
          method: route.method as 'GET',
          url,
          headers: {
            cookie: agent.cookie,
            ...(route.method === 'GET' ? {} : { ...formHeaders, 'x-csrf-token': agent.csrf }),
          },
          payload: route.method === 'GET' ? undefined : new URLSearchParams({ _csrf: agent.csrf }).toString(),
        });
        const allowed = hasPermission(role, route.access as Parameters<typeof hasPermission>[1]);
        const denied = response.statusCode === 403 && /Accès refusé|Access denied|ACCESS_DENIED/.test(response.body);
        const signedOut =
          response.statusCode === 401 ||
          (!signsOut(route.url) && String(response.headers.location ?? '').startsWith('/admin/login'));
        if (allowed === denied || signedOut) {
          failures.push(`${route.method} ${route.url} as ${role}: ${response.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
