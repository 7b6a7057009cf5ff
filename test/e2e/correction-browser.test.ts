import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdBySlug } from '../support/articles.js';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { addMember, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const email = 'correctrice@example.org';
const password = 'member password 123';
const slug = 'les-cine-clubs-retrouvent-leur-public';
const text = 'Le ciné-club de Lyon a été fondé en 1946, et non en 1956.';

// What a browser adds does not depend on the database; the HTTP suite (corrections.test.ts) covers both.
describe.skipIf(skip)('a correction carried to every channel, in Chromium on SQLite', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let storyId: string;
  let translationId: string;

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    const editor = await addMember(site, 'editor', email, password, 'Clara Correctrice');
    storyId = await articleIdBySlug(site.app.database.db, 'fr', slug);
    // The story has an English translation, made from it before the correction.
    const made = await staffClient(site).form(editor, `/admin/stories/${storyId}/translate`, { language: 'en' });
    translationId = String(made.headers.location).split('/')[3]!.split('?')[0]!;
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  it('is written and published in the editor, then read on the story, the corrections page, the feed and JSON-LD', async () => {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await signInToAdmin(page, email, password);

    // The editor's Corrections panel: a draft first, then published.
    await page.goto(`/admin/stories/${storyId}`);
    const panel = page.locator('#corrections');
    await panel.getByLabel('Correction', { exact: true }).check();
    await panel.getByLabel(/^Texte : ce qui était faux/).fill(text);
    await Promise.all([
      page.waitForURL(/done=correction-added/),
      panel.getByRole('button', { name: 'Ajouter en brouillon' }).click(),
    ]);
    const draft = page.locator('#corrections .corrections-panel__item--draft');
    expect(await draft.locator('.status').textContent()).toBe('Brouillon');
    await Promise.all([
      page.waitForURL(/done=correction-published/),
      draft.getByRole('button', { name: 'Publier cette correction' }).click(),
    ]);
    const published = page.locator('#corrections .corrections-panel__item--published');
    expect(await published.locator('.status').textContent()).toMatch(/^Publiée le \d{1,2} \S+ \d{4}/);
    expect(await published.locator('.corrections-panel__text').textContent()).toBe(text);
    // The English translation is out of date now.
    expect(await page.locator('#translations li[data-language="en"] .badge--outdated').textContent()).toBe(
      'à mettre à jour',
    );

    // A reader (no cookie: the cached page) sees it at the top of the story, dated in French.
    const reader = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    await reader.goto(`/fr/${slug}`);
    const top = reader.locator('aside.corrections--correction');
    expect((await top.locator('p.correction').textContent())?.replace(/\s+/g, ' ')).toMatch(
      /^Correction du \d{1,2} \S+ \d{4} : Le ciné-club de Lyon a été fondé en 1946, et non en 1956\.$/,
    );
    const above = await reader.evaluate(() => {
      const box = document.querySelector('aside.corrections--correction')!;
      const body = document.querySelector('.story__body')!;
      return Boolean(box.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(above).toBe(true);
    const jsonLd = JSON.parse((await reader.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    expect(jsonLd.correction).toMatchObject([{ '@type': 'CorrectionComment', text }]);

    // The corrections page lists it and leads to the story.
    await reader.goto('/fr/corrections');
    const entry = reader.locator('.corrections-page__list li').first();
    expect(await entry.textContent()).toContain(text);
    await Promise.all([reader.waitForURL(`**/fr/${slug}#correction-*`), entry.getByRole('link').click()]);

    // The Atom feed carries it in the story's entry.
    const atom = await (await reader.request.get('/fr/atom.xml')).text();
    const story = [...atom.matchAll(/<entry\b[\s\S]*?<\/entry>/g)]
      .map((m) => m[0])
      .find((e) => e.includes(`/fr/${slug}`));
    expect(story).toContain('<kiosque:correction kind="correction"');
    expect(story).toContain(text);

    // The English translation: "out of date", with a draft correction to finish in its editor.
    await page.goto(`/admin/stories/${translationId}`);
    const englishDraft = page.locator('#corrections .corrections-panel__item--draft');
    expect(await englishDraft.locator('.notice--warning').textContent()).toContain('encore dans sa langue');
    expect(await englishDraft.locator('textarea').inputValue()).toBe(text);
    expect(problems).toEqual([]);
  });
});
