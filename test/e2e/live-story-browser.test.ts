import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autosaved, browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const slug = 'le-tramway-arrive-a-valbrune';
const liveText = 'Le réseau sera étendu à trois nouvelles villes en 2027.';
const typed = 'Le réseau serait étendu à';

/** Where the screenshots of the editor with pending changes are written, to be looked at. */
export const screenshotDir = process.env.KIOSQUE_SCREENSHOTS ?? tmpdir();

// Issue 11: typing into a published story changes nothing readers see until "Update the live story".
describe.skipIf(skip)('a live story in Chromium, on SQLite (issue 11)', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let storyId = '';

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    await setupOwner(site, 'olivia@example.org', 'owner password 123');
    const owner = await site.app.database.db
      .selectFrom('staff_users')
      .select('author_id')
      .where('email', '=', 'olivia@example.org')
      .executeTakeFirstOrThrow();
    const story = await site.app.articles.create({
      language: 'fr',
      headline: 'Le tramway arrive à Valbrune',
      slug,
      standfirst: 'La ligne ouvrira au printemps.',
      bodyMarkdown: `La première rame a circulé hier soir.\n\n${liveText}`,
      authorIds: [owner.author_id!],
      status: 'published',
    });
    storyId = story.id;
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  async function editorPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR', viewport });
    await signInToAdmin(page, 'olivia@example.org', 'owner password 123');
    await page.goto(`/admin/stories/${storyId}`);
    return page;
  }

  /** The public page as a reader with no cookie at all sees it. */
  async function readerText(): Promise<string> {
    const reader = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    await reader.goto(`/fr/${slug}`);
    return (await reader.locator('article').first().textContent()) ?? '';
  }

  it('keeps typed text off the public page until "Update the live story", then shows it', async () => {
    const page = await editorPage({ width: 1280, height: 800 });
    expect(await page.locator('#pending-changes').isVisible()).toBe(false);
    expect(await page.locator('#live-note').isVisible()).toBe(true);
    await page.locator('#f-body').fill(`La première rame a circulé hier soir.\n\n${typed}`);
    await autosaved(page);
    // The editor says so at once, without a reload.
    await expect.poll(() => page.locator('#pending-changes').isVisible()).toBe(true);
    expect(await page.locator('#autosave-status').textContent()).toContain('modifications non publiées');
    expect(await readerText()).toContain(liveText);
    expect(await readerText()).not.toContain(typed);

    // After a reload too, and in the story list.
    await page.reload();
    expect(await page.locator('#pending-changes').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'kiosque-pending-desktop.png'), fullPage: false });
    // The byline: one choice per place, in the order staff gave.
    await page
      .locator('fieldset', { has: page.locator('#f-authors') })
      .screenshot({ path: path.join(screenshotDir, 'kiosque-byline.png') });
    expect(await page.locator('select[name="authorIds"]').first().inputValue()).not.toBe('');
    const phone = await editorPage({ width: 390, height: 844 });
    expect(await phone.locator('#pending-changes').isVisible()).toBe(true);
    await phone.screenshot({ path: path.join(screenshotDir, 'kiosque-pending-phone.png'), fullPage: false });
    const list = await phone.context().newPage();
    await list.goto('/admin/stories');
    expect(
      await list.locator('tr', { hasText: 'Le tramway arrive à Valbrune' }).locator('.badge--pending').count(),
    ).toBe(1);

    await page.locator('#f-body').fill(`La première rame a circulé hier soir.\n\n${typed} Corbières et Lunel.`);
    await autosaved(page);
    await Promise.all([
      page.waitForURL(/done=updated/),
      page.getByRole('button', { name: 'Mettre à jour la version en ligne' }).click(),
    ]);
    expect(await page.locator('#pending-changes').isVisible()).toBe(false);
    const after = await readerText();
    expect(after).toContain(`${typed} Corbières et Lunel.`);
    expect(after).not.toContain(liveText);
  });
});
