import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const screenshotDir = process.env.KIOSQUE_SCREENSHOTS ?? tmpdir();

// Issue 14: a settings change in Admin → Settings is seen by readers at once, in its language only.
describe.skipIf(skip)('Admin → Settings in Chromium, on SQLite (issue 14)', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    await setupOwner(site, 'olivia@example.org', 'owner password 123');
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  it('shows a new French tagline and menu link to a French reader at once, and nothing new in English', async () => {
    // A reader has read both homes: they are in the page cache.
    const reader = await chromium.newPage({
      baseURL: site.url,
      locale: 'fr-FR',
      viewport: { width: 390, height: 844 },
    });
    await reader.goto('/fr/');
    expect(await reader.locator('.brand__tagline').textContent()).not.toBe('Chaque matin, autrement');
    await reader.goto('/en/');
    const englishTagline = await reader.locator('.brand__tagline').textContent();
    const englishMenu = await reader.locator('nav.sections').textContent();

    const admin = await chromium.newPage({
      baseURL: site.url,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    await signInToAdmin(admin, 'olivia@example.org', 'owner password 123');
    await admin.goto('/admin/settings');
    await admin.locator('#tagline-fr').fill('Chaque matin, autrement');
    await admin.locator('#settings-identity button[type="submit"]').click();
    await admin.waitForURL(/saved=identity/);
    expect(await admin.locator('#settings-identity [role="status"]').textContent()).toContain('Enregistré');

    await admin.locator('#nav\\.fr-0-label').fill('Nos podcasts');
    await admin.locator('#nav\\.fr-0-url').fill('https://podcasts.example.org/');
    await admin.locator('#settings-navigation button[type="submit"]').click();
    await admin.waitForURL(/saved=navigation/);
    await admin.screenshot({ path: path.join(screenshotDir, 'kiosque-settings-1280.png'), fullPage: false });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto('/admin/settings#settings-navigation');
    await admin.screenshot({ path: path.join(screenshotDir, 'kiosque-settings-390.png'), fullPage: false });

    // A bad address is refused in the staff member's language, and readers never see it.
    await admin.locator('#nav\\.fr-1-label').fill('Piège');
    await admin.locator('#nav\\.fr-1-url').fill('javascript:alert(1)');
    await admin.locator('#settings-navigation button[type="submit"]').click();
    expect(await admin.locator('#settings-navigation [role="alert"]').textContent()).toContain(
      'ce n’est pas une adresse que les lecteurs peuvent suivre',
    );

    await reader.goto('/fr/');
    expect(await reader.locator('.brand__tagline').textContent()).toBe('Chaque matin, autrement');
    const link = reader.locator('nav.sections a', { hasText: 'Nos podcasts' });
    expect(await link.getAttribute('href')).toBe('https://podcasts.example.org/');
    expect(await reader.locator('nav.sections a', { hasText: 'Piège' }).count()).toBe(0);
    await reader.goto('/en/');
    expect(await reader.locator('.brand__tagline').textContent()).toBe(englishTagline);
    expect(await reader.locator('nav.sections').textContent()).toBe(englishMenu);

    // A static page written in Admin → Pages, as a reader sees it at both widths.
    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.goto('/admin/pages/new');
    await admin.locator('#page-title').fill('À propos');
    await admin.locator('#page-slug').fill('a-propos');
    await admin.locator('#page-description').fill('Qui nous sommes et comment nous travaillons.');
    await admin
      .locator('#page-body')
      .fill('Kiosque est un journal **indépendant**.\n\n## Notre équipe\n\nUne rédaction de douze personnes.');
    await admin.locator('form.settings-form button[type="submit"]').click();
    await admin.waitForURL(/saved=1/);
    for (const width of [390, 1280]) {
      await reader.setViewportSize({ width, height: 844 });
      await reader.goto('/fr/page/a-propos');
      expect(await reader.locator('h1').textContent()).toBe('À propos');
      // Nothing wider than the screen.
      expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await reader.screenshot({ path: path.join(screenshotDir, `kiosque-static-page-${width}.png`), fullPage: true });
    }
  });
});
