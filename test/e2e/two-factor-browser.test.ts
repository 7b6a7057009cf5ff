import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();

// Issue 14, decision 0054: a staff member sets up two-factor sign-in from Admin → Account by
// reading the key off the page (as an authenticator app would from the QR code), signs out, and
// signs in again with the password and then a code. The site's clock is held still and moved by
// hand, so the code of the sign-in is a later one than the code that confirmed the set-up.
describe.skipIf(skip)('two-factor sign-in in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let now = new Date('2026-09-01T08:00:00.000Z');

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, demo: false, clock: { now: () => now } });
    await setupOwner(site);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('sets up two-factor sign-in from the account page, then signs in with the password and a code', async () => {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    await signInToAdmin(page, 'owner@example.org', 'owner password 123');

    await page.getByRole('link', { name: 'Compte' }).click();
    await page.getByRole('button', { name: 'Configurer la connexion à deux facteurs' }).click();
    await page.waitForURL('**/admin/account/two-factor');
    // The QR code is drawn: an image the CSP lets through, with pixels.
    const qr = page.locator('img.qr-code');
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = ((await page.locator('#two-factor-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const app = new TOTP({ secret: Secret.fromBase32(secret) });

    await page.getByLabel('Code de l’application').fill(app.generate({ timestamp: now.getTime() }));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.locator('h1', { hasText: 'Vos codes de secours' }).waitFor();
    expect(await page.locator('.recovery-codes li').count()).toBe(10);

    await page.goto('/admin/account');
    expect(await page.locator('#account-two-factor + p').textContent()).toContain('Activée.');
    await Promise.all([
      page.waitForURL('**/admin/login'),
      page.getByRole('button', { name: 'Se déconnecter', exact: true }).click(),
    ]);

    // A minute later: the password, then the code the app shows then.
    now = new Date(now.getTime() + 60_000);
    await page.getByLabel('Adresse e-mail').fill('owner@example.org');
    await page.getByLabel('Mot de passe').fill('owner password 123');
    await Promise.all([
      page.waitForURL('**/admin/login/code'),
      page.getByRole('button', { name: 'Se connecter' }).click(),
    ]);
    // Nothing of the admin opens before the code.
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name === 'kiosque_staff')).toBe(false);
    await page.getByLabel('Code', { exact: true }).fill(app.generate({ timestamp: now.getTime() }));
    await Promise.all([
      page.waitForURL('**/admin/stories'),
      page.getByRole('button', { name: 'Se connecter' }).click(),
    ]);
    expect(await page.locator('.admin-account span').first().textContent()).toContain('Olivia Owner');
    // Nothing was refused by the content security policy along the way.
    expect(refused.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  });
});
