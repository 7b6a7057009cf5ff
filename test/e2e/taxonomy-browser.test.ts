import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const screenshotFolder = new URL('../../test-results/screenshots/', import.meta.url);
const { executable, skip } = browserAvailability();
const slow = 180_000;

/** Whether the page is wider than the window (a phone reader would scroll sideways). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

// Issue 14: Admin → Sections and Authors, and an author page, as a staff member and a reader see them.
describe.skipIf(skip)('sections and author profiles in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, env: { KIOSQUE_LANGUAGES: 'fr,en,ar' } });
    await setupOwner(site);
  });
  afterAll(async () => {
    await site?.close();
  });

  it(
    'orders the menu without JavaScript, fills a profile, and shows it at phone and desktop widths',
    async () => {
      mkdirSync(screenshotFolder, { recursive: true });
      // No script at all: the menu order and the profile are plain forms.
      const page = await chromium.newPage({
        baseURL: site.url,
        locale: 'fr-FR',
        javaScriptEnabled: false,
        viewport: { width: 390, height: 844 },
      });
      await signInToAdmin(page, 'owner@example.org', 'owner password 123');
      await page.goto('/admin/sections?language=fr');
      expect(await overflows(page)).toBe(false);
      await page.screenshot({ path: new URL('admin-sections-390.png', screenshotFolder).pathname, fullPage: true });
      const names = async () => page.locator('.taxonomy-table tbody tr td:first-child a').allTextContents();
      const before = await names();
      await Promise.all([
        page.waitForURL(/done=moved/),
        page.getByRole('button', { name: `Descendre ${before[0]} dans le menu` }).click(),
      ]);
      expect(await names()).toEqual([before[1], before[0], ...before.slice(2)]);
      await page.goto('/fr/');
      const menu = await page.locator('nav.sections a').allTextContents();
      expect(menu.slice(1)).toEqual([before[1], before[0], ...before.slice(2)]);

      await page.goto('/admin/authors');
      await Promise.all([
        page.waitForURL(/\/admin\/authors\//),
        page.getByRole('link', { name: 'Nadia Benali' }).click(),
      ]);
      await page.locator('.author-photo-grid input[type=radio]').nth(1).check();
      await page.locator('#jobTitle-fr').fill('Correspondante Europe');
      await page.locator('#jobTitle-ar').fill('مراسلة أوروبا');
      await page.locator('#bio-ar').fill('تغطي شؤون أوروبا والنقل من بروكسل.');
      await page
        .locator('#author-links')
        .fill('https://mastodon.social/@nadia\nhttps://bsky.app/profile/nadia.example');
      expect(await overflows(page)).toBe(false);
      await page.screenshot({ path: new URL('admin-author-390.png', screenshotFolder).pathname, fullPage: true });
      await Promise.all([
        page.waitForURL(/done=saved/),
        page.getByRole('button', { name: 'Enregistrer' }).last().click(),
      ]);
      expect(await page.locator('.notice--success').textContent()).toContain('Enregistré');

      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const language of ['fr', 'ar']) {
          await page.goto(`/${language}/author/nadia-benali`);
          const photo = page.locator('.profile__photo img');
          expect(await photo.getAttribute('alt')).toBe('Nadia Benali');
          await photo.evaluate((img: HTMLImageElement) => img.decode());
          expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
          expect(await overflows(page), `${language} at ${width}`).toBe(false);
          await page.screenshot({
            path: new URL(`author-page-${language}-${width}.png`, screenshotFolder).pathname,
            fullPage: false,
          });
        }
      }
      await page.goto('/fr/author/nadia-benali');
      expect(await page.locator('.profile__title').textContent()).toBe('Correspondante Europe');
      expect(await page.locator('.profile__links a[rel="me"]').count()).toBe(2);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto('/admin/sections?language=fr');
      await page.screenshot({ path: new URL('admin-sections-1280.png', screenshotFolder).pathname, fullPage: true });
    },
    slow,
  );
});
