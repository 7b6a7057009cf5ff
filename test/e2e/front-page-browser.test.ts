import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { addMember } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();

/** Where the screenshots of Admin → Front page and the curated home page are written, to be looked at. */
export const screenshotDir = process.env.KIOSQUE_SCREENSHOTS ?? tmpdir();

// Issue 14: an editor curates the English front page in the admin (French interface, no script
// needed), and a reader's home page shows exactly that, in that order, under the banner.
describe.skipIf(skip)('front-page curation in Chromium, on SQLite (issue 14)', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  /** Three English demo stories, not the newest (so the page visibly changes): lead, then two top stories. */
  let picks: { headline: string }[];

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    await site.app.staff.createOwnerSetupLink();
    await addMember(site, 'editor', 'edith@example.org', 'editor password 123', 'Edith Editor');
    picks = await site.app.database.db
      .selectFrom('articles')
      .select('headline')
      .where('language', '=', 'en')
      .where('status', '=', 'published')
      .where('deleted_at', 'is', null)
      .orderBy('published_at', 'desc')
      .offset(2)
      .limit(3)
      .execute();
    expect(picks).toHaveLength(3);
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  async function find(page: Page, headline: string) {
    await page.getByLabel('Mots du titre ou du texte').fill(headline);
    await Promise.all([page.waitForURL(/\?q=/), page.getByRole('button', { name: 'Rechercher' }).click()]);
  }

  async function press(page: Page, name: string) {
    await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name }).click()]);
  }

  it('pins a lead and two top stories and sets a banner; the reader’s home page shows them in that order', async () => {
    const [lead, first, second] = picks as [{ headline: string }, { headline: string }, { headline: string }];
    const admin = await chromium.newPage({
      baseURL: site.url,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    await signInToAdmin(admin, 'edith@example.org', 'editor password 123');
    await Promise.all([
      admin.waitForURL('**/admin/front-page/fr'),
      admin.getByRole('link', { name: 'Une', exact: true }).click(),
    ]);
    // The screen opens on the editor's language (French); the front page edited is the English one.
    await Promise.all([
      admin.waitForURL('**/admin/front-page/en'),
      admin.getByRole('navigation', { name: 'Une par langue' }).getByRole('link', { name: 'English' }).click(),
    ]);
    await expect.poll(() => admin.getByRole('heading', { level: 1 }).textContent()).toContain('Une — English');

    await find(admin, lead.headline);
    await press(admin, `Mettre « ${lead.headline} » en article principal`);
    await find(admin, second.headline);
    await press(admin, `Ajouter « ${second.headline} » aux titres du jour`);
    await find(admin, first.headline);
    await press(admin, `Ajouter « ${first.headline} » aux titres du jour`);
    // Added last, put first: the order is staff's, not the order of adding.
    await press(admin, `Monter « ${first.headline} »`);

    await admin
      .getByLabel('Texte (dans cette langue, 200 caractères au plus)')
      .fill('Storm warning for the whole coast');
    await admin.getByLabel('Lien (facultatif)').fill('https://example.org/storm');
    await press(admin, 'Afficher le bandeau');
    await expect.poll(() => admin.locator('.notice--success').textContent()).toContain('Enregistré');
    await admin.screenshot({ path: path.join(screenshotDir, 'front-page-admin-1280.png'), fullPage: true });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.screenshot({ path: path.join(screenshotDir, 'front-page-admin-390.png'), fullPage: true });
    // Nothing wider than the phone's screen.
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // A reader with no cookie at all.
    const reader = await chromium.newPage({
      baseURL: site.url,
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    await reader.goto('/en/');
    const banner = reader.getByRole('region', { name: 'Breaking news' });
    await expect.poll(() => banner.textContent()).toContain('Storm warning for the whole coast');
    expect(await banner.getByRole('link').getAttribute('href')).toBe('https://example.org/storm');
    expect(await reader.locator('.lead .card__title').first().textContent()).toBe(lead.headline);
    expect(await reader.locator('.top-stories .card__title').allTextContents()).toEqual([
      first.headline,
      second.headline,
    ]);
    // The banner comes before the main content, in the page as sent: nothing moves under the reader.
    const bannerBox = await banner.boundingBox();
    const mainBox = await reader.locator('main').boundingBox();
    expect(bannerBox!.y + bannerBox!.height).toBeLessThanOrEqual(mainBox!.y + 1);
    await reader.screenshot({ path: path.join(screenshotDir, 'front-page-home-1280.png'), fullPage: false });
    await reader.setViewportSize({ width: 390, height: 844 });
    await reader.screenshot({ path: path.join(screenshotDir, 'front-page-home-390.png'), fullPage: false });
    expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
