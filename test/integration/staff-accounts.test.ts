import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resetTwoFactorByEmail } from '../../src/cli/user.js';
import { describeEachDatabase } from '../support/databases.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import {
  addMember,
  cookieValue,
  csrfOf,
  openForm,
  post,
  type StaffAgent,
  setupOwner,
  staffClient,
} from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 14, staff accounts: invitations by email with a chosen role, change password, two-factor
// sign-in (decision 0054), the sessions list, and the owners' audit log (decision 0055). One site
// per database; the clock stands still unless a test moves it.

let now = new Date('2026-09-01T08:00:00.000Z');
const clock = { now: () => now };
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

/** The code an authenticator app shows for `secret` at the site's current time (or `offsetSteps` away). */
const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now.getTime() + offsetSteps * 30_000 });

describeEachDatabase('staff accounts on $kind', ({ kind }) => {
  let smtp: SmtpSink;
  let site: TestSite;
  let owner: StaffAgent;
  let admin: StaffAgent;
  let editor: StaffAgent;
  const { get, form } = staffClient(() => site);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite(kind, { clock, demo: false, env: { SMTP_URL: smtp.url } });
    owner = await setupOwner(site);
    admin = await addMember(site, 'admin', 'admin@example.org', undefined, 'Ada Admin');
    editor = await addMember(site, 'editor', 'editor@example.org', undefined, 'Eddie Editor');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const staffCount = async () => (await site.app.staff.list()).length;
  /** The newest email to `address`. */
  const latestMail = (address: string) => {
    const mail = smtp.received.filter((m) => m.to.includes(address)).at(-1);
    if (!mail) throw new Error(`no email for ${address}`);
    return mail;
  };
  const invitationPath = (address: string) => {
    const link = linksOf(latestMail(address)).find((l) => l.href.includes('/admin/invitation?token='));
    if (!link) throw new Error('no invitation link');
    return link.href.slice(site.config.publicUrl.length);
  };
  const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token') ?? '';

  /** Signs in with the password; returns the step cookie when a code is asked, or the session. */
  async function passwordStep(email: string, password: string, ip = '192.0.2.1') {
    const login = await openForm(site, '/admin/login');
    const response = await site.app.server.inject({
      method: 'POST',
      url: '/admin/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: login.cookie },
      payload: new URLSearchParams({ _csrf: login.csrf, email, password }).toString(),
    });
    const cookies = [response.headers['set-cookie'] ?? []].flat();
    return { response, login, cookies };
  }

  async function codeStep(
    step: { login: { cookie: string; csrf: string }; cookies: string[] },
    code: string,
    ip = '192.0.2.1',
  ) {
    const stepCookie = step.cookies.find((c) => c.startsWith('kiosque_signin_step='))?.split(';')[0] ?? '';
    return site.app.server.inject({
      method: 'POST',
      url: '/admin/login/code',
      remoteAddress: ip,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [step.login.cookie, stepCookie].filter(Boolean).join('; '),
      },
      payload: new URLSearchParams({ _csrf: step.login.csrf, code }).toString(),
    });
  }

  async function agentFrom(cookieHeader: string | string[] | undefined, email: string, role: StaffAgent['role']) {
    const cookie = cookieValue(cookieHeader, 'kiosque_staff');
    const page = await get('/admin/account', { cookie, csrf: '', email, role });
    return { cookie, csrf: csrfOf(page.body), email, role } satisfies StaffAgent;
  }

  it('emails an invitation in the language chosen for the invitee, with a role that must be chosen', async () => {
    const page = await get('/admin/staff', owner);
    // No role is preselected: the empty choice is, and it is disabled.
    expect(page.body).toMatch(/<select id="invite-role" name="role" required><option value selected disabled>/);

    const before = await staffCount();
    const missing = await form(owner, '/admin/staff', { name: 'Nora', email: 'nora@example.org', language: 'en' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Une invitation a besoin d’un rôle');
    expect(missing.body).toContain('value="nora@example.org"');
    const bogus = await form(owner, '/admin/staff', {
      name: 'Nora',
      email: 'nora@example.org',
      language: 'en',
      role: 'owner',
    });
    expect(bogus.statusCode).toBe(403);
    expect(await staffCount()).toBe(before);
    expect(smtp.countFor('nora@example.org')).toBe(0);

    const sent = await form(owner, '/admin/staff', {
      name: 'Nora',
      email: 'nora@example.org',
      language: 'en',
      role: 'author',
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Invitation envoyée par e-mail à Nora (nora@example.org)');
    // Mailed, so the link is not on the page.
    expect(sent.body).not.toContain('/admin/invitation?token=');
    const mail = latestMail('nora@example.org');
    // In the invitee's language (English), not the inviter's (French).
    expect(mail.parsed.subject).toBe('You are invited to the newsroom of Kiosque');
    expect(mail.parsed.text).toContain('Olivia Owner invites you to join the newsroom of Kiosque as author.');
    expect(String(mail.parsed.html)).toContain('lang="en"');

    // Resending voids the first link.
    const first = invitationPath('nora@example.org');
    const nora = (await site.app.staff.list()).find((m) => m.email === 'nora@example.org');
    const resent = await form(owner, `/admin/staff/${nora?.id}/resend`, {});
    expect(resent.statusCode).toBe(200);
    expect(resent.body).toContain('le lien précédent ne fonctionne plus');
    const second = invitationPath('nora@example.org');
    expect(second).not.toBe(first);
    expect((await get(first)).statusCode).toBe(400);

    // Accepted with the emailed link: signed in with the role chosen, and no more.
    const acceptForm = await openForm(site, second);
    const accepted = await post(
      site,
      '/admin/invitation',
      { _csrf: acceptForm.csrf, token: tokenOf(second), password: 'nora password 123' },
      acceptForm.cookie,
    );
    expect(accepted.statusCode).toBe(303);
    const noraAgent = await agentFrom(accepted.headers['set-cookie'], 'nora@example.org', 'author');
    expect((await get('/admin/stories', noraAgent)).statusCode).toBe(200);
    expect((await get('/admin/staff', noraAgent)).statusCode).toBe(403);
    expect((await form(owner, `/admin/staff/${nora?.id}/resend`, {})).statusCode).toBe(409);
  });

  it('shows the link to copy only when the invitation could not be emailed', async () => {
    const refusing = await startSmtpSink({ refuse: () => ({ code: 550, message: 'no such mailbox' }) });
    const quiet = await startTestSite(kind, { clock, demo: false, env: { SMTP_URL: refusing.url } });
    try {
      const boss = await setupOwner(quiet);
      const response = await staffClient(quiet).form(boss, '/admin/staff', {
        name: 'Paul',
        email: 'paul@example.org',
        language: 'en',
        role: 'editor',
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('n’a pas pu être envoyée par e-mail');
      expect(response.body).toMatch(/\/admin\/invitation\?token=[\w-]{40,}/);
    } finally {
      await quiet.close();
      await refusing.close();
    }
  });

  it('changes a password only with the current one, ends the other sessions and says so by email', async () => {
    const other = await passwordStep('editor@example.org', 'member password 123');
    const otherAgent = await agentFrom(other.response.headers['set-cookie'], 'editor@example.org', 'editor');
    expect((await get('/admin/stories', otherAgent)).statusCode).toBe(200);

    const wrong = await form(editor, '/admin/account/password', {
      current: 'not it at all',
      password: 'a new password 456',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Le mot de passe actuel est incorrect');
    const weak = await form(editor, '/admin/account/password', { current: 'member password 123', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('au moins 10 caractères');
    expect((await get('/admin/stories', otherAgent)).statusCode).toBe(200);

    const mails = smtp.countFor('editor@example.org');
    const done = await form(editor, '/admin/account/password', {
      current: 'member password 123',
      password: 'a new password 456',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Votre mot de passe a été changé');
    // This session goes on; the other one ended.
    expect((await get('/admin/stories', editor)).statusCode).toBe(200);
    expect((await get('/admin/stories', otherAgent)).statusCode).toBe(302);
    expect(smtp.countFor('editor@example.org')).toBe(mails + 1);
    expect(latestMail('editor@example.org').parsed.subject).toBe('Votre mot de passe sur Kiosque a été changé');
    expect((await passwordStep('editor@example.org', 'member password 123')).response.statusCode).toBe(401);
    expect((await passwordStep('editor@example.org', 'a new password 456')).response.statusCode).toBe(303);
  });

  it('lists the sessions in words and signs out one of them, or all the others', async () => {
    const login = await openForm(site, '/admin/login');
    const signedIn = await site.app.server.inject({
      method: 'POST',
      url: '/admin/login',
      remoteAddress: '198.51.100.23',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        cookie: login.cookie,
      },
      payload: new URLSearchParams({
        _csrf: login.csrf,
        email: 'admin@example.org',
        password: 'member password 123',
      }).toString(),
    });
    const phoneAgent = await agentFrom(signedIn.headers['set-cookie'], 'admin@example.org', 'admin');
    advance(10 * 60_000);
    const page = await get('/admin/account', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Safari sur iOS');
    expect(page.body).toContain('198.51.100.23');
    expect(page.body).toContain('cet appareil');
    const handles = [...page.body.matchAll(/name="session" value="([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(handles).toHaveLength(1);
    // Someone else's session cannot be ended by its handle.
    expect((await form(editor, '/admin/account/sessions/end', { session: handles[0] as string })).statusCode).toBe(404);
    expect((await get('/admin/stories', phoneAgent)).statusCode).toBe(200);
    const ended = await form(admin, '/admin/account/sessions/end', { session: handles[0] as string });
    expect(ended.statusCode).toBe(200);
    expect(ended.body).toContain('Cet appareil est déconnecté');
    expect((await get('/admin/stories', phoneAgent)).statusCode).toBe(302);
    expect((await get('/admin/stories', admin)).statusCode).toBe(200);

    const again = await passwordStep('admin@example.org', 'member password 123');
    const laptop = await agentFrom(again.response.headers['set-cookie'], 'admin@example.org', 'admin');
    const others = await form(admin, '/admin/account/sessions/end-others', {});
    expect(others.body).toContain('1 autre appareil a été déconnecté');
    expect((await get('/admin/stories', laptop)).statusCode).toBe(302);
    expect((await get('/admin/stories', admin)).statusCode).toBe(200);
  });

  it('sets up two-factor sign-in with a confirmed code, then asks for it after the password', async () => {
    const start = await form(editor, '/admin/account/two-factor/start', {});
    expect([start.statusCode, start.headers.location]).toEqual([303, '/admin/account/two-factor']);
    const enrol = await get('/admin/account/two-factor', editor);
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toMatch(/<img class="qr-code" src="data:image\/svg\+xml;base64,/);
    expect(enrol.body).not.toMatch(/style=/);
    const secret = (/<code id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(enrol.body)?.[1] ?? '').replace(
      / /g,
      '',
    );
    expect(secret).toHaveLength(32);
    // The secret is stored sealed, never as typed.
    const row = await site.app.database.db
      .selectFrom('staff_users')
      .select(['totp_pending_secret', 'totp_secret'])
      .where('email', '=', 'editor@example.org')
      .executeTakeFirstOrThrow();
    expect(row.totp_pending_secret).not.toContain(secret);
    expect(row.totp_secret).toBe('');

    const wrong = await form(editor, '/admin/account/two-factor/confirm', {
      code: '000000' === codeAt(secret) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Ce code est incorrect');
    const confirmed = await form(editor, '/admin/account/two-factor/confirm', { code: codeAt(secret) });
    expect(confirmed.statusCode).toBe(200);
    const codes = [...confirmed.body.matchAll(/<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code><\/li>/g)].map(
      (m) => m[1] as string,
    );
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await site.app.database.db.selectFrom('staff_recovery_codes').select('code_hash').execute();
    expect(stored.some((r) => codes.some((c) => r.code_hash.includes(c.replace(/-/g, ''))))).toBe(false);
    // Shown once: the account page says it is on and shows neither the secret nor the codes.
    const account = await get('/admin/account', editor);
    expect(account.body).toContain('10 codes de secours inutilisés');
    expect(account.body).not.toContain(secret);
    expect(account.body).not.toContain(codes[0]);
    expect((await get('/admin/account/two-factor', editor)).statusCode).toBe(303);

    // The password alone opens no session.
    advance(60_000);
    const step = await passwordStep('editor@example.org', 'a new password 456');
    expect([step.response.statusCode, step.response.headers.location]).toEqual([303, '/admin/login/code']);
    expect(step.cookies.some((c) => c.startsWith('kiosque_staff='))).toBe(false);
    const code = codeAt(secret);
    const done = await codeStep(step, code);
    expect(done.statusCode).toBe(303);
    expect(String(done.headers['set-cookie'])).toMatch(/kiosque_staff=[\w-]{40,}/);

    // The same code again, on a new sign-in within its 30 seconds: refused (replay).
    const replayStep = await passwordStep('editor@example.org', 'a new password 456');
    const replay = await codeStep(replayStep, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toContain('Ce code est incorrect, expiré ou déjà utilisé');
    // One step of drift either way is accepted (a phone's clock a little off), two are not.
    advance(30_000);
    expect((await codeStep(replayStep, codeAt(secret, 2))).statusCode).toBe(401);
    expect((await codeStep(replayStep, codeAt(secret, 1))).statusCode).toBe(303);

    // A recovery code works once.
    advance(60_000);
    const withRecovery = await passwordStep('editor@example.org', 'a new password 456');
    expect((await codeStep(withRecovery, (codes[0] as string).toUpperCase())).statusCode).toBe(303);
    const twice = await passwordStep('editor@example.org', 'a new password 456');
    expect((await codeStep(twice, codes[0] as string)).statusCode).toBe(401);
    expect((await get('/admin/account', editor)).body).toContain('9 codes de secours inutilisés');

    // The half-signed-in step lasts five minutes.
    advance(6 * 60_000);
    const late = await codeStep(twice, codeAt(secret));
    expect(late.statusCode).toBe(401);
    expect(late.body).toContain('a attendu son code trop longtemps');
  });

  it('throttles wrong codes like wrong passwords, without checking them during the wait', async () => {
    advance(3_600_000 * 24);
    const step = await passwordStep('editor@example.org', 'a new password 456', '203.0.113.50');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await codeStep(step, `00000${i}`, '203.0.113.50')).statusCode);
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[5]).toBe(429);
    const throttled = await codeStep(step, '123456', '203.0.113.50');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBeDefined();
    // A right password does not clear the count of wrong codes.
    const fresh = await passwordStep('editor@example.org', 'a new password 456', '203.0.113.50');
    expect((await codeStep(fresh, '999999', '203.0.113.50')).statusCode).toBe(429);
  });

  it('turns two-factor off only with the password, and lets an admin reset a colleague’s', async () => {
    const wrong = await form(editor, '/admin/account/two-factor/off', { password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect((await get('/admin/account', editor)).body).toContain('codes de secours inutilisés');
    advance(3_600_000 * 24);
    const off = await form(editor, '/admin/account/two-factor/off', { password: 'a new password 456' });
    expect(off.statusCode).toBe(200);
    expect(off.body).toContain('La connexion à deux facteurs est désactivée');
    expect((await passwordStep('editor@example.org', 'a new password 456')).response.headers.location).toBe(
      '/admin/stories',
    );

    // On again, then reset by an admin: the editor signs in with the password only.
    await form(editor, '/admin/account/two-factor/start', {});
    const secret = (
      /<code id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(
        (await get('/admin/account/two-factor', editor)).body,
      )?.[1] ?? ''
    ).replace(/ /g, '');
    expect((await form(editor, '/admin/account/two-factor/confirm', { code: codeAt(secret) })).statusCode).toBe(200);
    const staffPage = await get('/admin/staff', admin);
    const editorId = (await site.app.staff.list()).find((m) => m.email === 'editor@example.org')?.id;
    expect(staffPage.body).toContain(`/admin/staff/${editorId}/two-factor-reset`);
    expect((await form(editor, `/admin/staff/${editorId}/two-factor-reset`, {})).statusCode).toBe(403);
    const reset = await form(admin, `/admin/staff/${editorId}/two-factor-reset`, {});
    expect(reset.statusCode).toBe(200);
    expect(reset.body).toContain('désactivée pour Eddie Editor');
    expect((await passwordStep('editor@example.org', 'a new password 456')).response.headers.location).toBe(
      '/admin/stories',
    );

    // The owner's, which no one in the admin may reset, from the command line.
    await form(owner, '/admin/account/two-factor/start', {});
    const ownerSecret = (
      /<code id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(
        (await get('/admin/account/two-factor', owner)).body,
      )?.[1] ?? ''
    ).replace(/ /g, '');
    expect((await form(owner, '/admin/account/two-factor/confirm', { code: codeAt(ownerSecret) })).statusCode).toBe(
      200,
    );
    const ownerId = (await site.app.staff.list()).find((m) => m.role === 'owner')?.id;
    expect((await form(admin, `/admin/staff/${ownerId}/two-factor-reset`, {})).statusCode).toBe(403);
    expect((await passwordStep('owner@example.org', 'owner password 123')).response.headers.location).toBe(
      '/admin/login/code',
    );
    expect(await resetTwoFactorByEmail(site.app.database, 'nobody@example.org', clock)).toBe(false);
    expect(await resetTwoFactorByEmail(site.app.database, 'OWNER@example.org', clock)).toBe(true);
    expect((await passwordStep('owner@example.org', 'owner password 123')).response.headers.location).toBe(
      '/admin/stories',
    );
  });

  it('keeps an audit log in words, in the reader’s language, for the owner only', async () => {
    // A story's life, by the editor.
    const created = await site.app.server.inject({
      method: 'POST',
      url: '/admin/api/stories',
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ fields: { language: 'fr', headline: 'Le port rouvre', bodyMarkdown: 'Texte.' } }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: string };
    for (const action of ['publish', 'unpublish', 'delete', 'restore']) {
      const response = await form(editor, `/admin/stories/${id}/${action}`, {});
      expect(response.statusCode, `${action}: ${response.body.slice(0, 300)}`).toBe(303);
    }
    const integration = await form(admin, '/admin/integrations', { name: 'Agenda', scopes: 'stories:read' });
    expect(integration.statusCode).toBe(201);
    const editorId = (await site.app.staff.list()).find((m) => m.email === 'editor@example.org')?.id ?? '';
    await form(owner, `/admin/staff/${editorId}/role`, { role: 'author' });

    for (const agent of [admin, editor]) expect((await get('/admin/audit', agent)).statusCode).toBe(403);
    expect((await get('/admin/stories', admin)).body).not.toContain('href="/admin/audit"');

    const log = await get('/admin/audit', owner);
    expect(log.statusCode).toBe(200);
    const text = log.body;
    for (const sentence of [
      'A publié l’article « Le port rouvre »',
      'A dépublié l’article « Le port rouvre »',
      'A mis l’article « Le port rouvre » à la corbeille',
      'A restauré l’article « Le port rouvre » depuis la corbeille',
      'A ajouté l’intégration « Agenda »',
      'A changé le rôle de Eddie Editor en auteur',
      'A invité Nora comme auteur',
      'A accepté son invitation',
      'A changé son mot de passe',
      'A activé la connexion à deux facteurs',
      'A désactivé la connexion à deux facteurs',
      'A réinitialisé la connexion à deux facteurs de Eddie Editor',
      'A réinitialisé la connexion à deux facteurs de Olivia Owner',
      'A saisi un mauvais code à deux facteurs en se connectant',
      'S’est connecté·e',
    ]) {
      expect(text, sentence).toContain(sentence);
    }
    // Words, not ids (ids appear only as the person filter's values).
    const entries = /<ol class="audit-log">[\s\S]*<\/ol>/.exec(text)?.[0] ?? '';
    expect(entries).toContain('Eddie Editor');
    expect(entries).not.toContain(id);
    expect(entries).not.toMatch(/stf_|int_|aud_/);
    // Newest first: the role change comes before the publication.
    expect(text.indexOf('A changé le rôle de Eddie Editor')).toBeLessThan(text.indexOf('A publié l’article'));

    // Filtered by person.
    const onlyEditor = await get(`/admin/audit?actor=${editorId}`, owner);
    expect(onlyEditor.body).toContain('A publié l’article « Le port rouvre »');
    expect(onlyEditor.body).not.toContain('A ajouté l’intégration');

    // The same entries read in another language by an owner who reads English.
    await form(owner, '/admin/account/language', { language: 'en' });
    const english = await get('/admin/audit', owner);
    expect(english.body).toContain('Published the story “Le port rouvre”');
    expect(english.body).toContain('Changed the role of Eddie Editor to author');
    await form(owner, '/admin/account/language', { language: 'fr' });
  });
});
