import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import {
  changedTables,
  databaseDigest,
  fillRoute,
  isStateChanging,
  type RouteEntry,
  routesOf,
  routesWithoutSamples,
  type SampleValues,
  sampleValues,
} from '../support/route-table.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { cookieValue, openForm, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * State-changing routes that carry no session-bound CSRF token, and why. Each is still refused
 * from another origin; a route added without a token and without a line here fails the suite.
 */
const withoutToken: Record<string, string> = {
  'POST /:lang/newsletter': 'anonymous signup from cached pages: no session to bind a token to',
  'POST /:lang/newsletter/confirm': 'the signed token in the emailed link is the proof',
  'POST /:lang/account/signin': 'asks for a sign-in email: there is no session yet',
};

/**
 * The routes that take posts from other sites, as the route table declares them (with a reason).
 * The Admin API's (issue 13) read no cookie at all: a bearer token is their only proof.
 */
const acceptingOtherSites = [
  'PATCH /api/admin/v1/stories/:id',
  'POST /:lang/newsletter/unsubscribe',
  'POST /api/admin/v1/images',
  'POST /api/admin/v1/stories',
  'POST /api/admin/v1/stories/:id/publish',
  'POST /api/admin/v1/stories/:id/schedule',
  'POST /api/admin/v1/stories/:id/unpublish',
  'POST /stripe/webhook',
  'POST /webhooks/mail',
];

type Guard = 'staff' | 'pre-session' | 'member' | 'member-form' | 'none';

/** Whose token a route checks, found from its URL and the admin's access table. */
function guardOf(route: RouteEntry, publicAdminRoutes: Set<string>): Guard | undefined {
  const key = `${route.method} ${route.url}`;
  if (key in withoutToken) return 'none';
  if (route.url.startsWith('/admin')) return publicAdminRoutes.has(key) ? 'pre-session' : 'staff';
  if (route.url === '/:lang/account/verify') return 'member-form';
  if (route.url.startsWith('/:lang/account/') || route.url.startsWith('/:lang/subscribe/')) return 'member';
  return undefined;
}

/** A body that would do something on any route if nothing refused it. */
const fields = {
  email: 'victim@example.org',
  language: 'en',
  confirm: 'yes',
  plan: 'monthly',
  name: 'Mallory',
  role: 'admin',
  password: 'a long enough password 123',
  headline: 'Posted from another site',
  bodyMarkdown: 'Posted from another site.',
  listId: 'nll_en_default',
  mode: 'now',
  token: 'x',
};

/**
 * Issue 11: `Origin: null` passed the same-origin check on anonymous forms, and each family of
 * routes had its own copy of the check. This walks every state-changing route of the route table
 * (admin and public) with what a forger can send — no token, another session's token, and a
 * valid token from `Origin: null`, a foreign Origin or `Sec-Fetch-Site: cross-site` — and checks
 * each is a 403 and the database is unchanged, on both databases.
 */
describeEachDatabase('forged state changes on every route, on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let owner: StaffAgent;
  let otherStaffCsrf: string;
  let member: MemberAgent;
  let otherMember: MemberAgent;
  let values: SampleValues;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { env: { SMTP_URL: smtp.url, KIOSQUE_MAIL_RATE_PER_MINUTE: '100000' } });
    owner = await setupOwner(site);
    // A second session of the same owner: its token is valid, but not for the first session.
    const login = await openForm(site, '/admin/login');
    const second = await site.app.server.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: login.cookie },
      payload: new URLSearchParams({
        _csrf: login.csrf,
        email: owner.email,
        password: 'owner password 123',
      }).toString(),
    });
    const secondCookie = cookieValue(second.headers['set-cookie'], 'kiosque_staff');
    const page = await site.app.server.inject({
      method: 'GET',
      url: '/admin/staff',
      headers: { cookie: secondCookie },
    });
    otherStaffCsrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(otherStaffCsrf).not.toBe('');
    expect(otherStaffCsrf).not.toBe(owner.csrf);
    member = await signInMember(site, smtp, 'reader@example.org');
    otherMember = await signInMember(site, smtp, 'other-reader@example.org');
    const memberId = (
      await site.app.database.db
        .selectFrom('members')
        .select('id')
        .where('email', '=', member.email)
        .executeTakeFirstOrThrow()
    ).id;
    const staffId = (await site.app.database.db.selectFrom('staff_users').select('id').executeTakeFirstOrThrow()).id;
    values = await sampleValues(site, { memberId, staffId });
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const post = (route: RouteEntry, headers: Record<string, string>, form: Record<string, string>) =>
    site.app.server.inject({
      method: route.method as 'POST',
      url: fillRoute(route, values),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });

  const stateChanging = () => routesOf(site).filter(isStateChanging);

  it('knows every state-changing route: its guard, or why it takes other sites’ posts', () => {
    const publicAdmin = new Set(
      site.app.server.adminRoutes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`),
    );
    const open = stateChanging().filter((route) => route.crossOrigin);
    expect(open.map((route) => `${route.method} ${route.url}`).sort()).toEqual(acceptingOtherSites);
    for (const route of open) expect(route.crossOrigin?.length, route.url).toBeGreaterThan(20);
    const unknown = stateChanging().filter((route) => !route.crossOrigin && guardOf(route, publicAdmin) === undefined);
    expect(unknown.map((route) => `${route.method} ${route.url}`)).toEqual([]);
    expect(routesWithoutSamples(stateChanging(), values)).toEqual([]);
  });

  it('the control: the same post from the site’s own page does store', async () => {
    const route = { method: 'POST', url: '/:lang/newsletter' };
    const before = await databaseDigest(site);
    const response = await post(route, { origin: site.config.publicUrl, 'sec-fetch-site': 'same-origin' }, fields);
    expect(response.statusCode).toBe(303);
    expect(changedTables(before, await databaseDigest(site))).toContain('newsletter_signups');
    // A browser posting from one of our own `no-referrer` pages sends `Origin: null` and vouches
    // for it with Sec-Fetch-Site: that post is ours too (issue 11).
    const fromNoReferrerPage = await databaseDigest(site);
    const vouched = await post(
      route,
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      { ...fields, email: 'second-reader@example.org' },
    );
    expect(vouched.statusCode).toBe(303);
    expect(changedTables(fromNoReferrerPage, await databaseDigest(site))).toContain('newsletter_signups');
  });

  it('refuses with 403 and stores nothing: no token, another session’s token, and hostile origins', async () => {
    const publicAdmin = new Set(
      site.app.server.adminRoutes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`),
    );
    const failures: string[] = [];
    let requests = 0;
    for (const route of stateChanging().filter((r) => !r.crossOrigin)) {
      const guard = guardOf(route, publicAdmin) as Guard;
      let cookie = '';
      let token = '';
      let foreign = '';
      if (guard === 'staff') [cookie, token, foreign] = [owner.cookie, owner.csrf, otherStaffCsrf];
      if (guard === 'member') [cookie, token, foreign] = [member.cookie, member.csrf, otherMember.csrf];
      if (guard === 'pre-session') {
        const [mine, theirs] = [await openForm(site, '/admin/login'), await openForm(site, '/admin/login')];
        [cookie, token, foreign] = [mine.cookie, mine.csrf, theirs.csrf];
      }
      if (guard === 'member-form') [cookie, token, foreign] = ['kiosque_member_form=mine', 'mine', 'theirs'];
      const withCookie: Record<string, string> = cookie ? { cookie } : {};
      const attempts: [string, Record<string, string>, Record<string, string>][] = [
        ['Origin: null', { ...withCookie, origin: 'null' }, { ...fields, _csrf: token }],
        ['a foreign Origin', { ...withCookie, origin: 'https://evil.example' }, { ...fields, _csrf: token }],
        ['Sec-Fetch-Site: cross-site', { ...withCookie, 'sec-fetch-site': 'cross-site' }, { ...fields, _csrf: token }],
      ];
      if (guard !== 'none') {
        attempts.push(['no token', withCookie, fields]);
        attempts.push(['another session’s token', withCookie, { ...fields, _csrf: foreign }]);
        attempts.push(['another session’s token in the header', { ...withCookie, 'x-csrf-token': foreign }, fields]);
      }
      const before = await databaseDigest(site);
      for (const [label, headers, form] of attempts) {
        const response = await post(route, headers, form);
        requests++;
        if (response.statusCode !== 403) {
          failures.push(`${route.method} ${route.url} with ${label}: ${response.statusCode}`);
        }
      }
      const changed = changedTables(before, await databaseDigest(site));
      if (changed.length > 0) failures.push(`${route.method} ${route.url} stored into ${changed.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(150);
  });
});
