import { afterAll, beforeAll, expect, it } from 'vitest';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { cookieValue, post, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

let now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };

const paidStory = '/en/what-the-river-sensors-found';
const membersStory = '/fr/le-budget-de-l-eau-a-valbrune';
/** Sentences of the paid demo story: the first two paragraphs are its teaser, the rest is held back. */
const teaserText = 'anchored twelve small probes under its bridges';
const heldBack = [
  'night-time oxygen dip downstream of the tannery quarter',
  'storm drain near the old sawmill',
  'Marguerite Oyelaran',
];

describeEachDatabase('paywall on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let secondPaid: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { clock, env: { SMTP_URL: smtp.url, KIOSQUE_FREE_STORIES: '1' } });
    const second = await site.app.articles.create({
      language: 'en',
      headline: 'A second story for subscribers',
      bodyMarkdown: 'Opening line.\n\nSecond line.\n\nThe well-kept secret of the second story.',
      status: 'published',
      access: 'paid',
      publishedAt: new Date(now.getTime() - 3_600_000),
      authorIds: await testByline(site.app.database.db),
    });
    secondPaid = `/en/${second.slug}`;
    // The new story's related lists are recomputed in the background and announcing them drops
    // the pages that show them: settled first, so a later page drop is one the test caused.
    await site.app.related.idle();
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const get = (url: string, cookie = '') =>
    site.app.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  function expectGated(html: string) {
    expect(html).toContain(teaserText);
    for (const sentence of heldBack) expect(html).not.toContain(sentence);
  }
  function expectWhole(html: string) {
    for (const sentence of heldBack) expect(html).toContain(sentence);
  }

  it('serves anonymous readers the beginning and the way in, the same cached page for all', async () => {
    const first = await get(paidStory);
    expect(first.statusCode).toBe(200);
    expectGated(first.body);
    expect(first.body).toContain('This story is for subscribers');
    expect(first.body).toContain('href="/en/subscribe"');
    expect(first.body).toContain('class="paywall"');
    expect(first.headers['cache-control']).toMatch(/^public/);
    // A reader with a meter cookie gets the very same cached page: the meter lives on another route.
    const renders = site.app.pageCache.stats().renders;
    const withMeter = await get(paidStory, 'kiosque_meter=2026-05');
    expect(withMeter.body).toBe(first.body);
    expect(site.app.pageCache.stats().renders).toBe(renders);
  });

  it('keeps members-only stories for signed-in readers', async () => {
    const anonymous = await get(membersStory);
    expect(anonymous.body).toContain('Cet article est réservé aux membres');
    expect(anonymous.body).not.toContain('station d’épuration des Prés-Bas');
    const reader = await signInMember(site, smtp, 'member@example.org', 'fr');
    const signedIn = await get(membersStory, reader.cookie);
    expect(signedIn.headers['cache-control']).toBe('private, no-store');
    expect(signedIn.body).toContain('station d’épuration des Prés-Bas');
    // The paywall box is not there; the withheld part is, in the element the JSON-LD names (issue 11).
    expect(signedIn.body).not.toContain('class="paywall"');
    expect(signedIn.body).toContain('class="story__paywalled"');
  });

  it('opens paid stories to a free member up to the monthly allowance, counted in the database', async () => {
    const reader: MemberAgent = await signInMember(site, smtp, 'metered@example.org');
    const first = await get(paidStory, reader.cookie);
    expectWhole(first.body);
    expect(first.body).toContain('You are reading free story 1 of 1 this month.');
    // The same story again costs nothing.
    expectWhole((await get(paidStory, reader.cookie)).body);
    const past = await get(secondPaid, reader.cookie);
    expect(past.body).not.toContain('well-kept secret');
    expect(past.body).toContain('You have read your free story this month.');
    expect(past.body).toContain('href="/en/subscribe"');
    const reads = await site.app.database.db.selectFrom('member_meter_reads').selectAll().execute();
    expect(reads.filter((r) => r.period === '2026-05')).toHaveLength(1);
    // A new month, a new allowance.
    now = new Date('2026-06-02T08:00:00.000Z');
    expect((await get(secondPaid, reader.cookie)).body).toContain('well-kept secret');
    now = new Date('2026-05-04T08:00:00.000Z');
  });

  it('lets an anonymous reader spend a cookie meter that says it is a soft limit', async () => {
    const page = await get(paidStory);
    expect(page.body).toContain('href="/en/read/what-the-river-sensors-found"');
    expect(page.body).toContain('counted in a cookie in this browser only');
    const read = await get('/en/read/what-the-river-sensors-found');
    expect(read.statusCode).toBe(200);
    expect(read.headers['cache-control']).toBe('private, no-store');
    expect(read.headers['x-robots-tag']).toBe('noindex');
    expectWhole(read.body);
    expect(read.body).toContain(`<link rel="canonical" href="${site.config.publicUrl}${paidStory}"/>`);
    const meter = cookieValue(read.headers['set-cookie'], 'kiosque_meter');
    expect(meter).toMatch(/^kiosque_meter=2026-05\.art_/);
    expectWhole((await get('/en/read/what-the-river-sensors-found', meter)).body);
    const spent = await get(`/en/read/${secondPaid.split('/')[2]}`, meter);
    expect(spent.body).not.toContain('well-kept secret');
    expect(spent.body).toContain('This browser has used its free story this month.');
    const publicStory = await get('/en/read/night-trains-return-to-europe');
    expect([publicStory.statusCode, publicStory.headers.location]).toEqual([303, '/en/night-trains-return-to-europe']);
  });

  it('opens everything to a member staff gave complimentary access, without using the meter', async () => {
    const reader = await signInMember(site, smtp, 'guest@example.org');
    const owner = await setupOwner(site);
    const member = await site.app.database.db
      .selectFrom('members')
      .select('id')
      .where('email', '=', 'guest@example.org')
      .executeTakeFirstOrThrow();
    const granted = await post(
      site,
      `/admin/members/${member.id}/complimentary`,
      { _csrf: owner.csrf, until: '' },
      owner.cookie,
    );
    expect(granted.statusCode).toBe(200);
    expectWhole((await get(paidStory, reader.cookie)).body);
    expect((await get(secondPaid, reader.cookie)).body).toContain('well-kept secret');
    const reads = await site.app.database.db
      .selectFrom('member_meter_reads')
      .selectAll()
      .where('member_id', '=', member.id)
      .execute();
    expect(reads).toEqual([]);
    expect((await get('/en/account', reader.cookie)).body).toContain('Offered access');
  });
});
