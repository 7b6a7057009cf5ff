import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import {
  followSignInLink,
  type MemberAgent,
  memberPost,
  requestLink,
  signInLinkOf,
  signInMember,
} from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { cookieValue, formHeaders, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

let now = new Date('2026-05-04T08:00:00.000Z');
const clock = { now: () => now };
const later = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

describeEachDatabase('members on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, {
      clock,
      env: {
        SMTP_URL: smtp.url,
        KIOSQUE_PUBLIC_URL: 'https://news.example.org',
        KIOSQUE_MAIL_FROM: 'news@example.org',
      },
    });
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const get = (url: string, cookie = '') =>
    site.app.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

  it('emails a sign-in link and answers the same for a known and an unknown address', async () => {
    const unknown = await requestLink(site, 'New.Reader@Example.org ');
    expect(unknown.statusCode).toBe(303);
    expect(unknown.headers.location).toBe('/en/account/signin/sent');
    await smtp.waitFor(1);
    const mail = mailsTo('new.reader@example.org')[0]!;
    expect(mail.parsed.subject).toContain('sign-in link');
    expect(mail.parsed.text).toContain('https://news.example.org/en/account/verify?token=');
    expect(mail.parsed.text).toContain('15 minutes');
    // No account exists until the link is used: an address typed by someone else creates nothing.
    expect(await site.app.database.db.selectFrom('members').selectAll().execute()).toHaveLength(0);
    await signInMember(site, smtp, 'known@example.org');
    const known = await requestLink(site, 'known@example.org');
    expect([known.statusCode, known.headers.location]).toEqual([unknown.statusCode, unknown.headers.location]);
  });

  it('refuses an address that is not one, in the reader’s language', async () => {
    const response = await requestLink(site, 'not-an-address', 'fr');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Cette adresse e-mail n’est pas valide');
  });

  it('signs in once per link, creates the account, and sets a private session cookie', async () => {
    const before = smtp.received.length;
    await requestLink(site, 'first@example.org', 'fr', '/fr/le-budget-de-l-eau-a-valbrune');
    await smtp.waitFor(before + 1);
    const link = signInLinkOf(smtp, 'first@example.org');
    expect(link).toContain('next=%2Ffr%2Fle-budget-de-l-eau-a-valbrune');
    // Opening the link (as a mail scanner would) does not use it.
    expect((await get(new URL(link).pathname + new URL(link).search)).statusCode).toBe(200);
    const { page, response } = await followSignInLink(site, link);
    expect(page.headers['cache-control']).toBe('private, no-store');
    // The token never leaves in a Referer, and the confirm button still posts a real Origin (issue 11).
    expect(page.headers['referrer-policy']).toBe('strict-origin');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/fr/le-budget-de-l-eau-a-valbrune');
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/kiosque_member=[\w-]{40,}/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Secure');
    const row = await site.app.database.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'first@example.org')
      .executeTakeFirstOrThrow();
    expect(row.language).toBe('fr');

    const again = await followSignInLink(site, link);
    expect(again.response.statusCode).toBe(400);
    expect(again.response.body).toContain('déjà utilisé ou expiré');
  });

  it('lets a link expire after 15 minutes', async () => {
    const before = smtp.received.length;
    await requestLink(site, 'slow@example.org');
    await smtp.waitFor(before + 1);
    const link = signInLinkOf(smtp, 'slow@example.org');
    later(16);
    const { response } = await followSignInLink(site, link);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('already used or expired');
  });

  it('refuses a sign-in confirmation without the form’s own token (login CSRF)', async () => {
    const before = smtp.received.length;
    await requestLink(site, 'victim@example.org');
    await smtp.waitFor(before + 1);
    const token = new URL(signInLinkOf(smtp, 'victim@example.org')).searchParams.get('token')!;
    const forged = await site.app.server.inject({
      method: 'POST',
      url: '/en/account/verify',
      headers: formHeaders,
      payload: new URLSearchParams({ _csrf: 'guess', token }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    const crossSite = await site.app.server.inject({
      method: 'POST',
      url: '/en/account/signin',
      headers: { ...formHeaders, 'sec-fetch-site': 'cross-site' },
      payload: 'email=victim%40example.org',
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('keeps reader and staff sessions apart', async () => {
    const reader = await signInMember(site, smtp, 'apart@example.org');
    const admin = await get('/admin/stories', reader.cookie);
    expect(admin.statusCode).toBe(302);
    expect(admin.headers.location).toContain('/admin/login');
    const owner = await setupOwner(site);
    const account = await get('/en/account', owner.cookie);
    expect(account.body).toContain('Send me a link');
  });

  it('shows the account privately and requires the session’s CSRF token for every change', async () => {
    const reader = await signInMember(site, smtp, 'careful@example.org');
    const page = await get('/en/account', reader.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('careful@example.org');
    expect(page.body).toContain('Free account');
    for (const url of ['/en/account/signout', '/en/account/delete', '/en/account/subscription/cancel']) {
      const forged = await memberPost(site, { ...reader, csrf: 'wrong' }, url, { confirm: 'yes' });
      expect(forged.statusCode, url).toBe(403);
    }
    const out = await memberPost(site, reader, '/en/account/signout');
    expect(out.statusCode).toBe(303);
    expect((await get('/en/account', reader.cookie)).body).toContain('Send me a link');
  });

  it('shows the newsletters an account receives and signs it up to another with a confirmation', async () => {
    const reader = await signInMember(site, smtp, 'letters@example.org', 'fr');
    const before = await get('/fr/account', reader.cookie);
    expect(before.body).toContain('Vous ne recevez aucune lettre d’information à cette adresse.');
    const offers = [...before.body.matchAll(/name="language" value="(\w+)"/g)].map((m) => m[1]);
    expect(offers.sort()).toEqual(['en', 'fr']);
    const sent = smtp.received.length;
    const asked = await memberPost(site, reader, '/fr/account/newsletters', { language: 'fr' });
    expect(asked.statusCode).toBe(303);
    await site.app.jobs.runUntilIdle();
    await smtp.waitFor(sent + 1);
    expect(mailsTo('letters@example.org').at(-1)?.parsed.text).toContain('/fr/newsletter/confirm?token=');
    const after = await get('/fr/account?done=newsletter', reader.cookie);
    expect(after.body).toContain('en attente de votre confirmation');
    expect([...after.body.matchAll(/name="language" value="(\w+)"/g)].map((m) => m[1])).toEqual(['en']);
  });

  it('exports the account as JSON', async () => {
    const reader = await signInMember(site, smtp, 'curious@example.org', 'fr');
    const response = await get('/fr/account/export', reader.cookie);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="account-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = JSON.parse(response.body);
    expect(data.account).toMatchObject({ email: 'curious@example.org', language: 'fr', tier: 'free', status: 'free' });
    expect(data.history.map((h: { action: string }) => h.action)).toContain('member.created');
    expect((await get('/fr/account/export')).statusCode).toBe(401);
  });

  it('deletes an account, keeping only pseudonymised payment records', async () => {
    const reader: MemberAgent = await signInMember(site, smtp, 'leaving@example.org');
    const { db } = site.app.database;
    const member = await db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'leaving@example.org')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('payment_records')
      .values({
        id: 'pay_test',
        member_id: member.id,
        holder: member.id,
        stripe_invoice_id: 'in_test_1',
        amount_minor: 800,
        currency: 'EUR',
        paid_at: now.toISOString(),
      })
      .execute();
    const notConfirmed = await memberPost(site, reader, '/en/account/delete');
    expect(notConfirmed.statusCode).toBe(400);
    const deleted = await memberPost(site, reader, '/en/account/delete', { confirm: 'yes' });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).toContain('Account deleted');
    expect(cookieValue(deleted.headers['set-cookie'], 'kiosque_member')).toBe('kiosque_member=');
    expect(await db.selectFrom('members').selectAll().where('email', '=', 'leaving@example.org').execute()).toEqual([]);
    expect(await db.selectFrom('member_sessions').selectAll().where('member_id', '=', member.id).execute()).toEqual([]);
    const payment = await db
      .selectFrom('payment_records')
      .selectAll()
      .where('id', '=', 'pay_test')
      .executeTakeFirstOrThrow();
    expect(payment.member_id).toBeNull();
    expect(payment.holder).toMatch(/^del_/);
    expect(Number(payment.amount_minor)).toBe(800);
    const trail = await db.selectFrom('member_audit_log').selectAll().where('member_id', '=', payment.holder).execute();
    expect(trail.map((entry) => entry.action).sort()).toEqual(['member.created', 'member.deleted']);
    const everything = JSON.stringify([
      ...(await db.selectFrom('member_audit_log').selectAll().execute()),
      ...(await db.selectFrom('payment_records').selectAll().execute()),
      ...(await db.selectFrom('member_signin_links').selectAll().execute()),
    ]);
    expect(everything).not.toContain('leaving@example.org');
    expect((await get('/en/account', reader.cookie)).body).toContain('Send me a link');
  });
});
