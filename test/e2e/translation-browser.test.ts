import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autosaved, browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { addMember } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const email = 'traductrice@example.org';
const password = 'member password 123';

// What a browser adds does not depend on the database; the HTTP suites cover both.
describe.skipIf(skip)('preflight and the translation desk in Chromium, on SQLite', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  const problemsOf = new WeakMap<Page, string[]>();

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    await addMember(site, 'editor', email, password, 'Tess Traductrice');
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  async function signIn(): Promise<Page> {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    const problems: string[] = [];
    problemsOf.set(page, problems);
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused publication (422) is an answer the editor shows.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    await signInToAdmin(page, email, password);
    return page;
  }

  it('shows the preflight findings while writing, and refuses to publish an empty story', async () => {
    const page = await signIn();
    await page.goto('/admin/stories/new');
    await page.getByLabel('Titre', { exact: true }).fill('Le pont de Valbrune rouvre');
    await page.locator('#f-body').fill('Les travaux sont finis.\n\nfrictions entre la mairie et la région.');
    await page.waitForURL(/\/admin\/stories\/art_\w+$/, { timeout: 20_000 });
    await autosaved(page);
    // The first save made the story; its editor shows the findings of what is stored.
    await page.reload();
    const finding = page.locator('#preflight-findings li', { hasText: 'Paragraphe 2' });
    await finding.waitFor();
    expect(await finding.textContent()).toContain('commence au milieu d’une phrase');
    expect(await finding.locator('q').textContent()).toBe('frictions entre la mairie et la région.');

    // Each autosave brings the findings of what it saved.
    await page.locator('#f-body').fill('');
    await page.locator('#preflight-findings li', { hasText: 'Le corps est vide' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#preflight-findings li.finding--blocking').count()).toBe(1);
    await autosaved(page);

    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Publier maintenant' }).click(),
    ]);
    await page.locator('#editor-error', { hasText: 'ne peut pas être publié' }).waitFor();
    expect(await page.locator('#editor-error').textContent()).toContain('Le corps est vide');
    expect(await page.locator('#story-status').textContent()).toBe('brouillon');
    expect(problemsOf.get(page)).toEqual([]);
  });

  it('translates a French story into English beside its source, then sees it fall out of date', async () => {
    const page = await signIn();
    const source = await site.app.database.db
      .selectFrom('articles')
      .select('id')
      .where('language', '=', 'fr')
      .where('slug', '=', 'les-cine-clubs-retrouvent-leur-public')
      .executeTakeFirstOrThrow();
    await page.goto(`/admin/stories/${source.id}`);
    await Promise.all([
      page.waitForURL(/\/admin\/stories\/art_\w+\?done=translated$/),
      page.getByRole('button', { name: 'Traduire en English' }).click(),
    ]);
    const translationUrl = new URL(page.url()).pathname;

    // Both columns, paragraph by paragraph: the French source and the English translation.
    const table = page.locator('#side-by-side table');
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Place dans le texte',
      'Source (Français)',
      'Traduction (English), telle qu’enregistrée',
    ]);
    const firstParagraph = table.locator('tr[data-kind="paragraph"]').first();
    expect(await firstParagraph.locator('td[lang="fr"]').textContent()).toMatch(/\S/);
    expect(await firstParagraph.locator('td[lang="en"]').textContent()).toBe('');
    expect(await page.locator('#side-by-side td[lang="fr"]').first().isVisible()).toBe(true);

    await page.getByLabel('Titre', { exact: true }).fill('Film clubs find their audience again');
    await page.locator('#f-body').fill('Film clubs are back.\n\nA second paragraph in English.');
    await autosaved(page);
    await page.reload();
    expect(await firstParagraph.locator('td[lang="en"]').textContent()).toBe('Film clubs are back.');
    expect(await page.locator('#translation-state').textContent()).toBe('Cette traduction est à jour de sa source.');

    // The source's second paragraph is rewritten in its own editor.
    await page.goto(`/admin/stories/${source.id}`);
    const body = await page.locator('#f-body').inputValue();
    const paragraphs = body.split(/\n\s*\n/);
    paragraphs[1] = 'Un deuxième paragraphe réécrit.';
    await page.locator('#f-body').fill(paragraphs.join('\n\n'));
    await autosaved(page);
    // The source is live: its edit waits until it is put live on purpose (issue 11).
    await Promise.all([
      page.waitForURL(/done=updated/),
      page.getByRole('button', { name: 'Mettre à jour la version en ligne' }).click(),
    ]);

    await page.goto('/admin/stories');
    await page.getByLabel('Traductions').selectOption('outdated');
    await Promise.all([page.waitForURL(/translation=outdated/), page.getByRole('button', { name: 'Filtrer' }).click()]);
    const row = page.locator('tr', { hasText: 'Film clubs find their audience again' });
    expect(await row.locator('.badge--outdated').textContent()).toBe('traduction à mettre à jour');
    await Promise.all([page.waitForURL(`**${translationUrl}`), row.getByRole('link').click()]);
    expect(await page.locator('#translation-state').textContent()).toContain('À mettre à jour');
    const changed = page.locator('#side-by-side tr.side-by-side__row--changed');
    expect(await changed.count()).toBe(1);
    expect(await changed.locator('th').textContent()).toBe('Paragraphe 2 modifié depuis');
    expect(await changed.locator('td[lang="fr"]').textContent()).toBe('Un deuxième paragraphe réécrit.');
    expect(problemsOf.get(page)).toEqual([]);
  });
});
