import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, formHeaders, openForm, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 11: five wrong passwords locked the owner out for 15 minutes, renewable forever by anyone
// who knew the address. Sign-in now slows down with a backoff per account and per client; these
// walk it on a fake clock, moved only by the waits the site itself announces.

let now = new Date('2026-06-01T09:00:00.000Z');
const clock = { now: () => now };
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

const ownerEmail = 'owner@example.org';
const ownerPassword = 'owner password 123';
const attacker = '203.0.113.9';

describeEachDatabase('sign-in throttling on $kind', ({ kind }) => {
  let site: TestSite;
  let form: { cookie: string; csrf: string };

  beforeAll(async () => {
    site = await startTestSite(kind, { clock, demo: false });
    await setupOwner(site, ownerEmail, ownerPassword);
    await addMember(site, 'editor', 'editor@example.org');
    form = await openForm(site, '/admin/login');
  });
  afterAll(async () => {
    await site?.close();
  });

  const signIn = (email: string, password: string, from: string) =>
    site.app.server.inject({
      method: 'POST',
      url: '/admin/login',
      remoteAddress: from,
      headers: { ...formHeaders, cookie: form.cookie },
      payload: new URLSearchParams({ _csrf: form.csrf, email, password }).toString(),
    });

  /** The wait a 429 page announces (in French, the site's first language), in milliseconds. */
  function announcedWait(body: string): number {
    const match = /Attendez (\d+) (seconde|minute)s?/.exec(body);
    if (!match) throw new Error(`no wait in ${body.slice(0, 400)}`);
    return Number(match[1]) * (match[2] === 'minute' ? 60_000 : 1000);
  }

  /** `count` wrong passwords from `from`, each as soon as the site lets it be checked. */
  async function guess(email: string, from: string, count: number): Promise<number[]> {
    const waits: number[] = [];
    for (let i = 0; i < count; i++) {
      let response = await signIn(email, `wrong guess ${i}`, from);
      if (response.statusCode === 429) {
        const wait = announcedWait(response.body);
        waits.push(wait);
        advance(wait);
        response = await signIn(email, `wrong guess ${i}`, from);
      }
      expect(response.statusCode, `guess ${i}`).toBe(401);
    }
    return waits;
  }

  it('lets the owner in from another address, after at most a minute, however long someone guesses', async () => {
    const waits = await guess(ownerEmail, attacker, 40);
    // The guesser slowed down more and more: the delays doubled up to the client cap.
    expect(waits.length).toBeGreaterThan(10);
    expect(Math.max(...waits)).toBe(15 * 60_000);
    // The owner, at home, is told to wait at most a minute, and then gets in.
    const first = await signIn(ownerEmail, ownerPassword, '198.51.100.7');
    if (first.statusCode === 429) {
      expect(announcedWait(first.body)).toBeLessThanOrEqual(60_000);
      advance(announcedWait(first.body));
    }
    const owner = first.statusCode === 303 ? first : await signIn(ownerEmail, ownerPassword, '198.51.100.7');
    expect(owner.statusCode).toBe(303);
    expect(String(owner.headers['set-cookie'])).toMatch(/kiosque_staff=/);
    // The guesser still waits, in minutes, even with the right password.
    const guesser = await signIn(ownerEmail, ownerPassword, attacker);
    expect(guesser.statusCode).toBe(429);
    expect(guesser.body).toMatch(/Attendez \d+ minutes/);
  });

  it('lets a right password through from a throttled client once its delay has passed', async () => {
    advance(24 * 3_600_000);
    const client = '192.0.2.44';
    await guess('editor@example.org', client, 8);
    const early = await signIn('editor@example.org', 'member password 123', client);
    expect(early.statusCode).toBe(429);
    const wait = announcedWait(early.body);
    // Attempts during the delay are refused unchecked and do not lengthen it.
    for (let i = 0; i < 20; i++) expect((await signIn('editor@example.org', `more ${i}`, client)).statusCode).toBe(429);
    advance(wait);
    const later = await signIn('editor@example.org', 'member password 123', client);
    expect(later.statusCode).toBe(303);
  });

  it('does not hold one account’s failures against another account from the same network', async () => {
    advance(24 * 3_600_000);
    const office = '192.0.2.80';
    await guess('editor@example.org', office, 6);
    expect((await signIn('editor@example.org', 'member password 123', office)).statusCode).toBe(429);
    expect((await signIn(ownerEmail, ownerPassword, office)).statusCode).toBe(303);
  });

  it('answers an unknown address exactly as a known one, and forgets failures with time', async () => {
    advance(24 * 3_600_000);
    const known = await guess('editor@example.org', '192.0.2.10', 12);
    const unknown = await guess('nobody@example.org', '192.0.2.11', 12);
    expect(unknown).toEqual(known);
    expect(unknown.length).toBeGreaterThan(0);
    // Two days later the slate is clean: a mistyped password is just a mistake again.
    advance(48 * 3_600_000);
    expect((await signIn('editor@example.org', 'typo', '192.0.2.10')).statusCode).toBe(401);
    expect((await signIn('editor@example.org', 'member password 123', '192.0.2.10')).statusCode).toBe(303);
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it does not escape', async () => {
    advance(24 * 3_600_000);
    for (let i = 0; i < 10; i++) {
      const response = await signIn(`user${i}@example.org`, 'wrong', `2001:db8:1:2::${(i + 1).toString(16)}`);
      expect(response.statusCode).toBe(401);
    }
    const next = await signIn('user99@example.org', 'wrong', '2001:db8:1:2:ffff::1');
    expect(next.statusCode).toBe(429);
    expect((await signIn('user99@example.org', 'wrong', '2001:db8:1:3::1')).statusCode).toBe(401);
  });
});
