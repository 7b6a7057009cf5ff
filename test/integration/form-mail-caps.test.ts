import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { formHeaders } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 11: one anonymous client made the site mail 120 addresses in 10 s (member sign-in links and
// newsletter confirmations). Every form that sends mail now takes from per-client, per-recipient
// and site-wide windows, and a refusal is a localized 429 that stores nothing.

let now = new Date('2026-07-01T09:00:00.000Z');
const clock = { now: () => now };
const nextDay = () => {
  now = new Date(now.getTime() + 24 * 3_600_000);
};

describeEachDatabase('mail caps of anonymous forms on $kind', ({ kind }) => {
  let smtp: SmtpSink;
  let site: TestSite;
  let small: TestSite;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    [site, small] = await Promise.all([
      // The shipped defaults (the test helper raises them for other suites; empty values restore them).
      startTestSite(kind, {
        clock,
        demo: false,
        env: {
          SMTP_URL: smtp.url,
          KIOSQUE_FORM_MAIL_PER_CLIENT: '',
          KIOSQUE_FORM_MAIL_PER_RECIPIENT: '',
          KIOSQUE_FORM_MAIL_GLOBAL: '',
        },
      }),
      startTestSite(kind, {
        clock,
        demo: false,
        env: {
          SMTP_URL: smtp.url,
          KIOSQUE_FORM_MAIL_PER_CLIENT: '3/10',
          KIOSQUE_FORM_MAIL_PER_RECIPIENT: '2/60',
          KIOSQUE_FORM_MAIL_GLOBAL: '5/10',
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([site?.close(), small?.close()]);
    await smtp?.close();
  });

  const signInLink = (target: TestSite, email: string, from: string, language = 'fr') =>
    target.app.server.inject({
      method: 'POST',
      url: `/${language}/account/signin`,
      remoteAddress: from,
      headers: formHeaders,
      payload: new URLSearchParams({ email }).toString(),
    });
  const newsletterSignup = (target: TestSite, email: string, from: string) =>
    target.app.server.inject({
      method: 'POST',
      url: '/en/newsletter',
      remoteAddress: from,
      headers: formHeaders,
      payload: new URLSearchParams({ email, consent: 'yes' }).toString(),
    });
  const count = async (target: TestSite, table: 'member_signin_links' | 'newsletter_signups') =>
    Number(
      (
        await target.app.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lets one client mail 10 addresses in 15 minutes, not 120, and says when to come back', async () => {
    const before = smtp.received.length;
    const statuses: number[] = [];
    let refusal = '';
    for (let i = 0; i < 120; i++) {
      const response = await signInLink(site, `target${i}@example.org`, '203.0.113.66');
      statuses.push(response.statusCode);
      if (response.statusCode === 429) refusal = response.body;
    }
    expect(statuses.filter((s) => s === 303)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(110);
    expect(smtp.received.length - before).toBe(10);
    expect(await count(site, 'member_signin_links')).toBe(10);
    // In the reader's language, with the wait.
    expect(refusal).toContain('Trop d’e-mails ont été demandés');
    expect(refusal).toMatch(/Attendez 15 minutes/);
    // The newsletter form shares the client's window: nothing stored either.
    const subscribers = await count(site, 'newsletter_signups');
    const signup = await newsletterSignup(site, 'reader@example.org', '203.0.113.66');
    expect(signup.statusCode).toBe(429);
    expect(signup.body).toContain('Too many emails were asked for');
    expect(signup.headers['retry-after']).toMatch(/^\d+$/);
    expect(await count(site, 'newsletter_signups')).toBe(subscribers);
    // Another reader elsewhere is not affected, and the client may ask again once its window passed.
    expect((await signInLink(site, 'neighbour@example.org', '198.51.100.23')).statusCode).toBe(303);
    now = new Date(now.getTime() + 15 * 60_000);
    expect((await signInLink(site, 'target0@example.org', '203.0.113.66')).statusCode).toBe(303);
  });

  it('sends one address a few mails an hour, whoever asks', async () => {
    nextDay();
    const before = smtp.countFor('victim@example.org');
    const answers = [];
    for (const [i, from] of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'].entries()) {
      answers.push(
        (i % 2 === 0
          ? await signInLink(small, 'victim@example.org', from)
          : await newsletterSignup(small, 'victim@example.org', from)
        ).statusCode,
      );
    }
    expect(answers).toEqual([303, 303, 429, 429]);
    // One sign-in link sent at once; the newsletter confirmation is queued as a job.
    expect(smtp.countFor('victim@example.org') - before).toBe(1);
    now = new Date(now.getTime() + 60 * 60_000);
    expect((await signInLink(small, 'victim@example.org', '192.0.2.5')).statusCode).toBe(303);
  });

  it('caps the whole site, however many clients share the work', async () => {
    nextDay();
    const answers = [];
    for (let i = 0; i < 8; i++)
      answers.push((await signInLink(small, `many${i}@example.org`, `192.0.2.${100 + i}`)).statusCode);
    expect(answers).toEqual([303, 303, 303, 303, 303, 429, 429, 429]);
    const links = await count(small, 'member_signin_links');
    expect((await signInLink(small, 'late@example.org', '192.0.2.200', 'en')).body).toContain('Wait 10 minutes');
    expect(await count(small, 'member_signin_links')).toBe(links);
  });

  it('still answers a malformed address with its own 400, before any cap is spent', async () => {
    nextDay();
    for (let i = 0; i < 5; i++) expect((await signInLink(small, 'not an address', '192.0.2.250')).statusCode).toBe(400);
    expect((await signInLink(small, 'fine@example.org', '192.0.2.250')).statusCode).toBe(303);
  });
});
