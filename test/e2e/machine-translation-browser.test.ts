import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, restoreReviewAndPublish, signInToAdmin, useBrowser } from '../support/browser.js';
import { addMember } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';
import { losingProvider } from '../support/translation.js';

const { executable, skip } = browserAvailability();
const email = 'relectrice@example.org';
const password = 'member password 123';

const lostWords = 'Mayor Marie Dupont';
const losing = losingProvider(lostWords);

// What a browser adds does not depend on the database; the HTTP suite covers both.
describe.skipIf(skip)('machine translation in Chromium, on SQLite (issue 12)', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let sourceId: string;

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, demo: false, translationProvider: losing });
    await addMember(site, 'editor', email, password, 'Marie Dupont');
    const author = await site.app.database.db.selectFrom('authors').select('id').executeTakeFirstOrThrow();
    const source = await site.app.articles.create({
      language: 'en',
      headline: 'Valbrune bridge reopens',
      bodyMarkdown: [
        'The Valbrune bridge reopened to traffic on 3 December after 14 months of repairs.',
        `${lostWords} said 10,000 vehicles a day would use it again.`,
        'The works were paid by the region and by the European Union.',
      ].join('\n\n'),
      authorIds: [author.id],
      status: 'published',
    });
    sourceId = source.id;
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  it('translates an English story into French, flags the lost paragraph, and publishes it fixed and reviewed', async () => {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused publication (422) is an answer the editor shows.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
    });
    await signInToAdmin(page, email, password);

    await page.goto(`/admin/stories/${sourceId}`);
    await Promise.all([
      page.waitForURL(/\/admin\/stories\/art_\w+\?done=translated$/),
      page.getByRole('button', { name: 'Traduire en Français' }).click(),
    ]);
    expect(await page.locator('#machine-translation-state').textContent()).toContain('pas encore relu');

    // The lost paragraph, named by its place in the source and its words, beside preflight's findings.
    const lost = page.locator('#preflight-findings li[data-code="BLOCK_DROPPED"]');
    expect(await lost.textContent()).toContain('Paragraphe source 2');
    expect(await lost.textContent()).toContain(lostWords);
    // On the side by side, the lost paragraph faces an empty cell; the next ones face their own.
    const lostRow = page.locator('#side-by-side tr[data-kind="paragraph"]', {
      has: page.locator('[data-code="BLOCK_DROPPED"]'),
    });
    expect(await lostRow.locator('td[lang="en"]').textContent()).toContain(lostWords);
    expect(await lostRow.locator('td[lang="fr"]').textContent()).toBe('');
    const third = page.locator('#side-by-side tr[data-kind="paragraph"]').nth(2);
    expect(await third.locator('td[lang="fr"]').textContent()).toContain('région');

    // Publishing now is refused, with the reason.
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Publier maintenant' }).click(),
    ]);
    await page.locator('#editor-error', { hasText: 'ne peut pas être publié' }).waitFor();
    expect(await page.locator('#editor-error').textContent()).toContain('manque dans la traduction');

    // The editor translates the lost paragraph in its place; the autosave's findings drop the flag.
    const left = await restoreReviewAndPublish(page, {
      index: 1,
      paragraph: 'La maire Marie Dupont a déclaré que 10 000 véhicules par jour l’emprunteraient à nouveau.',
      reviewer: 'Marie Dupont',
    });
    expect(left).toHaveLength(2);

    const slug = (await site.app.articles.get(new URL(page.url()).pathname.split('/')[3]!)).slug;
    await page.goto(`/fr/${slug}`);
    expect(await page.locator('#machine-translation-label').textContent()).toContain(
      'Traduit automatiquement de l’anglais, relu par Marie Dupont',
    );
    expect(await page.locator('.story__body p').count()).toBe(3);
    expect(problems).toEqual([]);
  });
});
