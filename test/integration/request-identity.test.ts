import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
/** The demo's paid story, and words found only past its cut: a member may read them, the cache never. */
const paidStory = '/en/what-the-river-sensors-found';
const heldBack = ['tannery quarter', 'settling basin', 'Marguerite Oyelaran'];
const pages = [paidStory, '/en/', '/en/rss.xml'];

interface Spelling {
  label: string;
  header: string;
  /** Whether the header carries a cookie of exactly this session name (RFC 6265: names are case-sensitive). */
  session: boolean;
}

/**
 * Cookie headers a browser, a proxy or an attacker may send, generated around a session cookie
 * `name=value`: whitespace, duplicates, quoting, separators, other cookies, and names that only
 * resemble the session's (case, prefixes, suffixes, percent-encoding, inside another's value).
 */
function spellings(name: string, value: string): Spelling[] {
  const carrying: [string, string][] = [
    ['plain', `${name}=${value}`],
    ['space before =', `${name} =${value}`],
    ['spaces around =', `${name} = ${value}`],
    ['tab before =', `${name}\t=${value}`],
    ['leading space', ` ${name}=${value}`],
    ['trailing ;', `${name}=${value};`],
    ['after another, ; without space', `theme=dark;${name}=${value}`],
    ['after another', `theme=dark; ${name}=${value}`],
    ['between others', `a=1; ${name}=${value}; b=2`],
    ['duplicate, real first', `${name}=${value}; ${name}=forged`],
    ['duplicate, forged first', `${name}=forged; ${name}=${value}`],
    ['quoted value', `${name}="${value}"`],
    ['percent-encoded value', `${name}=${encodeURIComponent(value).replace(/_/g, '%5F')}`],
    ['empty value', `${name}=`],
    ['after an empty pair', `; ; ${name}=${value}`],
    ['after a name without value', `lonely; ${name}=${value}`],
  ];
  const resembling: [string, string][] = [
    ['name merely containing it', `x${name}=1`],
    ['name with a suffix', `${name}x=1`],
    ['the sign-in form cookie', `${name}_form=${value}`],
    ['upper case', `${name.toUpperCase()}=${value}`],
    ['capitalised', `${name[0]?.toUpperCase()}${name.slice(1)}=${value}`],
    ['percent-encoded name', `${name.replace(/_/g, '%5F')}=${value}`],
    ['inside another cookie’s value', `note=${name}=${value}`],
    ['inside a quoted value', `note="${name}=${value}"`],
    ['without = at all', name],
    ['unrelated cookies', 'theme=dark; kiosque_meter=2026-05.art_x'],
  ];
  return [
    ...carrying.map(([label, header]) => ({ label, header, session: true })),
    ...resembling.map(([label, header]) => ({ label, header, session: false })),
  ];
}

const leaks = (body: string) => heldBack.filter((passage) => body.includes(passage));

/**
 * Issue 11: the page cache decided "anonymous" by searching the Cookie header for text while the
 * session code parsed it, so `kiosque_member =abc` was rendered for the member and stored as the
 * page everyone gets. Now one parser answers both: these walk generated spellings of both session
 * cookies over cached pages and check what a reader would notice.
 */
describeEachDatabase('who a request is, read once, on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let member: MemberAgent;
  let owner: StaffAgent;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { clock, env: { SMTP_URL: smtp.url, KIOSQUE_FREE_STORIES: '100' } });
    member = await signInMember(site, smtp, 'reader@example.org');
    owner = await setupOwner(site);
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const get = (url: string, cookie?: string) =>
    site.app.server.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'identity', ...(cookie === undefined ? {} : { cookie }) },
    });

  const sessions = () => [
    { name: 'kiosque_member', value: member.cookie.split('=')[1] as string },
    { name: 'kiosque_staff', value: owner.cookie.split('=')[1] as string },
  ];

  it('the control: the member reads the whole paid story, anonymous readers its beginning', async () => {
    expect(leaks((await get(paidStory, member.cookie)).body)).toEqual(heldBack);
    expect(leaks((await get(paidStory)).body)).toEqual([]);
  });

  it('never serves from, nor stores in, the shared cache a request carrying a session cookie, however spelled', async () => {
    let checked = 0;
    let renderedForMember = 0;
    for (const session of sessions()) {
      for (const token of [session.value, 'forged-or-expired-token']) {
        for (const spelling of spellings(session.name, token).filter((s) => s.session)) {
          for (const url of pages) {
            site.app.pageCache.clear();
            const response = await get(url, spelling.header);
            const what = `${session.name} ${spelling.label} (${JSON.stringify(spelling.header)}) GET ${url}`;
            expect(response.statusCode, what).toBe(200);
            expect(response.headers['cache-control'], what).toBe('private, no-store');
            expect(site.app.pageCache.stats().entries, `${what} filled the cache`).toBe(0);
            if (leaks(response.body).length > 0) renderedForMember++;
            // What the next anonymous reader gets holds nothing of it.
            expect(leaks((await get(url)).body), `${what}, then anonymous`).toEqual([]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The spellings the parser reads as the member's session did open the story to them.
    expect(renderedForMember).toBeGreaterThan(5);
  });

  it('serves from the shared cache every request whose cookies hold no session', async () => {
    let checked = 0;
    for (const session of sessions()) {
      for (const spelling of spellings(session.name, session.value).filter((s) => !s.session)) {
        for (const url of pages) {
          const anonymous = await get(url);
          expect(anonymous.headers['cache-control']).toMatch(/^public, /);
          const renders = site.app.pageCache.stats().renders;
          const response = await get(url, spelling.header);
          const what = `${spelling.label} (${JSON.stringify(spelling.header)}) GET ${url}`;
          expect(response.statusCode, what).toBe(200);
          expect(response.headers['cache-control'], what).toMatch(/^public, /);
          expect(response.headers.vary, what).toMatch(/\bcookie\b/i);
          expect(site.app.pageCache.stats().renders, `${what} rendered again`).toBe(renders);
          expect(response.body, what).toBe(anonymous.body);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
