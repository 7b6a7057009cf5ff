import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { addMember, formHeaders, openForm, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 11: staff had no password reset. "Forgot your password?" sends a one-time link (hashed at
// rest, 30 minutes, single use, voided by a newer link and by a sign-in), whose page sets a new
// password and ends every session. The request answers the same for every address.

let now = new Date('2026-08-01T09:00:00.000Z');
const clock = { now: () => now };
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describeEachDatabase('staff password reset on $kind', ({ kind }) => {
  let smtp: SmtpSink;
  let site: TestSite;
  let editor: StaffAgent;
  let form: { cookie: string; csrf: string };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { clock, demo: false, env: { SMTP_URL: smtp.url } });
    await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org');
    form = await openForm(site, '/admin/password/forgot');
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const postForm = (url: string, fields: Record<string, string>, cookie = form.cookie) =>
    site.app.server.inject({
      method: 'POST',
      url,
      headers: { ...formHeaders, cookie },
      payload: new URLSearchParams({ _csrf: form.csrf, ...fields }).toString(),
    });
  const askReset = (email: string) => postForm('/admin/password/forgot', { email });
  const signIn = (email: string, password: string) => postForm('/admin/login', { email, password });
  /** The reset link of the newest email to `email`, as a site path. */
  function latestLink(email: string): string {
    const mail = smtp.received.filter((m) => m.to.includes(email)).at(-1);
    if (!mail) throw new Error(`no email for ${email}`);
    const link = linksOf(mail).find((l) => l.href.includes('/admin/password/reset?token='));
    if (!link) throw new Error('no reset link');
    return link.href.slice(site.config.publicUrl.length);
  }
  const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token') ?? '';
  const choose = (path: string, password: string) =>
    postForm('/admin/password/reset', { token: tokenOf(path), password });

  it('offers "Forgot your password?" on the sign-in page', async () => {
    const page = await site.app.server.inject('/admin/login');
    expect(page.body).toContain('href="/admin/password/forgot"');
    expect(page.body).toContain('Mot de passe oublié ?');
  });

  it('answers the same for a staff address and an unknown one, and mails only the first', async () => {
    const before = smtp.received.length;
    const known = await askReset('EDITOR@example.org');
    const unknown = await askReset('nobody@example.org');
    expect([known.statusCode, known.headers.location]).toEqual([303, '/admin/password/forgot?sent=1']);
    expect([unknown.statusCode, unknown.headers.location]).toEqual([known.statusCode, known.headers.location]);
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.countFor('nobody@example.org')).toBe(0);
    const mail = smtp.received.at(-1);
    expect(mail?.parsed.subject).toContain('Réinitialiser votre mot de passe');
    // Only a hash is stored: the token in the email is nowhere in the table.
    const rows = await site.app.database.db.selectFrom('staff_reset_tokens').select('token_hash').execute();
    const token = tokenOf(latestLink('editor@example.org'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === token)).toBe(false);
  });

  it('refuses a malformed address with a 400 in the person’s language', async () => {
    const response = await askReset('not an address');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('adresse');
  });

  it('sets a new password once, with the setup’s rules, and ends every session', async () => {
    advance(3_600_000);
    await askReset('editor@example.org');
    const link = latestLink('editor@example.org');
    const page = await site.app.server.inject(link);
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const weak = await choose(link, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('au moins 10 caractères');
    // The editor's open session still works until the reset.
    expect(
      (await site.app.server.inject({ url: '/admin/stories', headers: { cookie: editor.cookie } })).statusCode,
    ).toBe(200);
    const done = await choose(link, 'a brand new password');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Votre mot de passe a été changé');
    const old = await site.app.server.inject({ url: '/admin/stories', headers: { cookie: editor.cookie } });
    expect(old.statusCode).not.toBe(200);
    // Used once only.
    expect((await site.app.server.inject(link)).statusCode).toBe(400);
    expect((await choose(link, 'yet another password')).statusCode).toBe(400);
    expect((await signIn('editor@example.org', 'member password 123')).statusCode).toBe(401);
    expect((await signIn('editor@example.org', 'a brand new password')).statusCode).toBe(303);
  });

  it('voids a link after 30 minutes, when a newer one is sent, and after a sign-in', async () => {
    advance(3_600_000);
    await askReset('editor@example.org');
    const expiring = latestLink('editor@example.org');
    advance(30 * 60_000 + 1000);
    const expired = await site.app.server.inject(expiring);
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('Ce lien de réinitialisation est inconnu');

    advance(3_600_000);
    await askReset('editor@example.org');
    const first = latestLink('editor@example.org');
    advance(1000);
    await askReset('editor@example.org');
    const second = latestLink('editor@example.org');
    expect(second).not.toBe(first);
    expect((await choose(first, 'first link password')).statusCode).toBe(400);

    expect((await signIn('editor@example.org', 'a brand new password')).statusCode).toBe(303);
    expect((await choose(second, 'second link password')).statusCode).toBe(400);
    expect((await signIn('editor@example.org', 'a brand new password')).statusCode).toBe(303);
  });
});
