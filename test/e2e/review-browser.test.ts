import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { addMember, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const password = 'member password 123';
const headline = 'La médiathèque ouvre le dimanche';
const note = 'Précisez les horaires et citez la directrice.';
/** Where the screenshots of the list and the editor are written, to be looked at. */
const screenshotDir = process.env.KIOSQUE_SCREENSHOTS ?? tmpdir();

// Issue 14, the review loop in a browser, without a line of test-only help: a contributor writes
// and submits, the editor is emailed, opens the link, requests changes with a note; the contributor
// reads it and resubmits; the editor approves and publishes; readers see the story.
describe.skipIf(skip)('the review loop in Chromium, on SQLite (issue 14)', { timeout: 240_000 }, () => {
  const chromium = useBrowser(executable);
  let smtp: SmtpSink;
  let site: TestSite;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite('sqlite', { listen: true, demo: false, env: { SMTP_URL: smtp.url } });
    await setupOwner(site, 'olivia@example.org', 'owner password 123');
    await addMember(site, 'editor', 'edith@example.org', password, 'Édith Éditrice', 'fr');
    await addMember(site, 'contributor', 'colin@example.org', password, 'Colin Pigiste', 'fr');
  }, 180_000);
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  async function signedIn(email: string, width = 1280): Promise<Page> {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR', viewport: { width, height: 900 } });
    await signInToAdmin(page, email, email.startsWith('olivia') ? 'owner password 123' : password);
    return page;
  }
  /** Presses a button of the editor form and waits for the page it leads to. */
  const press = (page: Page, name: string, done: string) =>
    Promise.all([page.waitForURL(new RegExp(`done=${done}`)), page.getByRole('button', { name, exact: true }).click()]);
  /** Nothing wider than the screen: the page scrolls only down. */
  const fitsWidth = (page: Page) =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName}.${el.className}#${el.id} ${Math.round(el.getBoundingClientRect().right)}`);
      return document.documentElement.scrollWidth <= width ? true : wide.join(' | ');
    });
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `kiosque-review-${name}.png`), fullPage: true });

  it('goes from a contributor’s draft to a published story through review', async () => {
    // The contributor writes a draft and submits it.
    const contributor = await signedIn('colin@example.org');
    await contributor.goto('/admin/stories/new');
    await contributor.getByLabel('Titre', { exact: true }).fill(headline);
    await contributor.locator('#f-standfirst').fill('Dès janvier, les lecteurs pourront emprunter le dimanche.');
    await contributor.locator('#f-body').fill('La médiathèque ouvrira le dimanche à partir de janvier.');
    await Promise.all([contributor.waitForURL(/done=(created|saved)/), contributor.locator('#save-button').click()]);
    const storyPath = new URL(contributor.url()).pathname;
    const before = smtp.received.length;
    await press(contributor, 'Soumettre pour validation', 'submitted');
    expect(await contributor.locator('#review-state').textContent()).toBe('À valider');

    // The editor is emailed (as is the owner), in French, with a link to the story.
    await smtp.waitFor(before + 2);
    const mail = smtp.received.slice(before).find((m) => m.to.includes('edith@example.org'));
    expect(mail?.parsed.subject).toBe(`À valider : ${headline}`);
    const link = linksOf(mail!).find((l) => l.text === 'Ouvrir l’article');
    expect(link?.href).toBe(`${site.url}${storyPath}`);

    // The editor sees the count, the list, and opens the link; asks for changes with a note.
    const editor = await signedIn('edith@example.org');
    expect(await editor.locator('#nav-to-review .count').textContent()).toBe('1');
    await editor.goto('/admin/stories?view=review');
    expect(await editor.locator('.admin-table').textContent()).toContain(headline);
    for (const width of [390, 1280]) {
      await editor.setViewportSize({ width, height: 900 });
      expect(await fitsWidth(editor)).toBe(true);
      await shot(editor, `list-${width}`);
    }
    await editor.goto(link!.href);
    await editor.getByLabel('Note à l’auteur').fill(note);
    await press(editor, 'Demander des modifications', 'changes-requested');
    expect(await editor.locator('#review-state').textContent()).toBe('Modifications demandées');

    // The contributor is emailed the note, sees it in the editor and resubmits with the fix.
    await smtp.waitFor(before + 3);
    expect(smtp.received.at(-1)?.parsed.text).toContain(note);
    await contributor.reload();
    expect(await contributor.locator('#review-note').textContent()).toContain(note);
    for (const width of [390, 1280]) {
      await contributor.setViewportSize({ width, height: 900 });
      expect(await fitsWidth(contributor)).toBe(true);
      // The badge at the top says where the story stands, and leads to the review box.
      expect(await contributor.locator('#review-badge').textContent()).toBe('Modifications demandées');
      await contributor.locator('#review-badge').click();
      await contributor.screenshot({ path: path.join(screenshotDir, `kiosque-review-editor-${width}.png`) });
    }
    await contributor
      .locator('#f-body')
      .fill(
        'La médiathèque ouvrira le dimanche de 14 h à 18 h à partir de janvier.\n\n« Une attente ancienne », dit sa directrice, Anne Morel.',
      );
    await press(contributor, 'Soumettre à nouveau', 'submitted');

    // The editor approves and publishes: the story is on the site.
    await editor.goto(storyPath);
    expect(await editor.locator('#review-state').textContent()).toBe('À valider');
    await press(editor, 'Valider', 'approved');
    expect(await editor.locator('#review-state').textContent()).toBe('Validé');
    await press(editor, 'Publier maintenant', 'published');
    expect(await editor.locator('#review-state').textContent()).toBe('Non soumis');
    expect(await editor.locator('#review-history li').count()).toBe(5);

    const reader = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    await reader.goto('/fr/la-mediatheque-ouvre-le-dimanche');
    expect(await reader.locator('h1').textContent()).toBe(headline);
    expect(await reader.locator('article').first().textContent()).toContain('Anne Morel');
  });
});
