import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autosaved, browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { plainImage } from '../support/media.js';
import { addMember } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const ownerEmail = 'olivia@example.org';
const ownerPassword = 'owner password 123';
const headline = 'Le marché de Valbrune s’agrandit';

/** Where an element's attributes would run code: on… handlers, javascript: links. Counted in the live DOM. */
function runnableInPage(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const value = attribute.value.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
        if (attribute.name.toLowerCase().startsWith('on')) found.push(`${element.tagName} ${attribute.name}`);
        if (
          ['href', 'src', 'action', 'formaction'].includes(attribute.name) &&
          /^(javascript|vbscript|data):/.test(value)
        )
          found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
    return found;
  });
}

// The journey of one story, test after test: each step builds on the one before, as in a newsroom.
// What a browser adds does not depend on the database; the HTTP suite covers both.
// Steps wait on autosave, the scheduler and real page loads: generous limits for a busy two-core machine.
describe.skipIf(skip)('story editor in Chromium, on SQLite', { timeout: 180_000 }, () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let storyId = '';
  const problemsOf = new WeakMap<Page, string[]>();

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, env: { KIOSQUE_SCHEDULER_INTERVAL_MS: '200' } });
    // `kiosque serve` starts it; the test site is built the way serve builds it, minus the CLI.
    site.app.scheduler.start();
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  /** A page that records every dialog, uncaught error and console error: each would be a defect. */
  function watch(page: Page, options: { offlineErrors?: boolean } = {}): Page {
    const problems: string[] = [];
    problemsOf.set(page, problems);
    page.on('dialog', (dialog) => {
      problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      // A 409 (conflict) or 400 (refused save) is an answer the editor shows; offline is a test's doing.
      if (message.type() !== 'error' || /status of 4\d\d/.test(text)) return;
      if (options.offlineErrors && /ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(text)) return;
      problems.push(`console: ${text}`);
    });
    return page;
  }

  const problems = (page: Page) => problemsOf.get(page) ?? [];

  async function signIn(email = ownerEmail, password = ownerPassword, context?: BrowserContext): Promise<Page> {
    const page = watch(
      context ? await context.newPage() : await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' }),
    );
    await signInToAdmin(page, email, password);
    return page;
  }

  const story = () => site.app.articles.get(storyId);
  /** What the newsroom is editing: a published story's pending version (issue 11), else the story. */
  const working = async () => (await site.app.articles.findPending(storyId))?.snapshot ?? (await story());

  it('sets up the owner from the one-time link, then signs in', async () => {
    const token = await site.app.staff.createOwnerSetupLink();
    const page = watch(await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' }));
    await page.goto(`/admin/setup?token=${token}`);
    await page.getByLabel('Nom').fill('Olivia Owner');
    await page.getByLabel('Adresse e-mail').fill(ownerEmail);
    await page.getByLabel('Mot de passe').fill(ownerPassword);
    await Promise.all([
      page.waitForURL('**/admin/stories'),
      page.getByRole('button', { name: 'Créer le compte' }).click(),
    ]);
    const again = await signIn();
    expect(await again.getByRole('heading', { level: 1 }).textContent()).toBe('Articles');
    expect([...problems(page), ...problems(again)]).toEqual([]);
  });

  it('writes a story with a hero image and a gallery, previews it live, autosaves and finds it after a reload', async () => {
    const page = await signIn();
    await Promise.all([
      page.waitForURL('**/admin/stories/new'),
      page.getByRole('link', { name: 'Nouvel article' }).click(),
    ]);
    await page.getByLabel('Titre', { exact: true }).fill(headline);
    expect(await page.locator('#f-slug').inputValue()).toBe('le-marche-de-valbrune-s-agrandit');
    await page.locator('#f-body').fill('## Les étals\n\nUn **nouveau** marché ouvre le samedi.');
    // The live preview comes from the server's renderer, the public page's own.
    await page.locator('#body-preview h2', { hasText: 'Les étals' }).waitFor();
    expect(await page.locator('#body-preview strong').textContent()).toBe('nouveau');

    // The story exists once the first autosave has stored it; the page becomes its editor.
    await page.waitForURL(/\/admin\/stories\/art_\w+$/, { timeout: 20_000 });
    storyId = /\/admin\/stories\/(art_\w+)$/.exec(page.url())![1]!;
    await autosaved(page);

    await page.locator('#f-hero-image').selectOption({ index: 1 });
    await page.locator('#f-hero-alt').fill('La place du marché au petit matin');
    // A new photo, uploaded from the editor into the library, lands in the gallery's empty row.
    await page.locator('#gallery-upload').setInputFiles({
      name: 'etal-de-fruits.jpg',
      mimeType: 'image/jpeg',
      buffer: await plainImage('jpeg', 1200, 800),
    });
    await page.getByText('etal-de-fruits.jpg : ajoutée à la médiathèque et à l’article.').waitFor({ timeout: 30_000 });
    const uploaded = await page.locator('#f-gallery-0-image').inputValue();
    expect(uploaded).toMatch(/^img_/);
    expect(await page.locator('.gallery-row').first().locator('img.thumb').getAttribute('src')).toBe(
      `/media/${uploaded}/320.webp`,
    );
    await page.locator('#f-gallery-0-alt').fill('Un étal de fruits');
    await page.getByRole('button', { name: 'Ajouter une photo' }).click();
    await page.locator('#f-gallery-1-image').selectOption({ index: 3 });
    await page.locator('#f-gallery-1-alt').fill('Des paniers en osier');
    // The second photo goes first.
    await page.locator('.gallery-row').nth(1).getByRole('button', { name: 'Monter' }).click();
    expect(await page.locator('#f-gallery-0-alt').inputValue()).toBe('Des paniers en osier');
    await autosaved(page);
    await expect
      .poll(async () => (await story()).gallery.map((use) => use.alt), { timeout: 20_000 })
      .toEqual(['Des paniers en osier', 'Un étal de fruits']);
    const record = await story();
    expect(record.gallery[1]?.imageId).toBe(uploaded);
    expect(record.hero?.alt).toBe('La place du marché au petit matin');
    expect(record.bodyMarkdown).toBe('## Les étals\n\nUn **nouveau** marché ouvre le samedi.');

    await page.reload();
    expect(await page.getByLabel('Titre', { exact: true }).inputValue()).toBe(headline);
    expect(await page.locator('#f-body').inputValue()).toBe('## Les étals\n\nUn **nouveau** marché ouvre le samedi.');
    expect(await page.locator('#f-gallery-0-alt').inputValue()).toBe('Des paniers en osier');
    expect(await page.locator('#body-preview h2').textContent()).toBe('Les étals');
    expect(problems(page)).toEqual([]);
  });

  it('warns before leaving unsaved text, and offers back what this device kept when the network was lost', async () => {
    const context = await chromium.newContext({ baseURL: site.url, locale: 'fr-FR' });
    const page = await signIn(ownerEmail, ownerPassword, context);
    // Watched by hand here: the leave warning is the dialog this test expects.
    await page.goto(`/admin/stories/${storyId}`);
    await context.setOffline(true);
    await page.locator('#f-standfirst').fill('Écrit pendant la panne de réseau.');
    await expect
      .poll(() => page.locator('#autosave-status').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('offline');
    expect((await story()).standfirst).toBe('');
    // What this device holds (session cookie, local copy), to reopen the editor later in a context
    // of its own: closing a page with its leave warning sometimes takes its context down with it.
    const device = await context.storageState();
    page.removeAllListeners('dialog');
    const warning = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await warning;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.accept();

    const later = await chromium.newContext({ baseURL: site.url, locale: 'fr-FR', storageState: device });
    const back = watch(await later.newPage());
    await back.goto(`/admin/stories/${storyId}`);
    const banner = back.locator('#local-copy');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Cet appareil a gardé un texte que vous n’aviez pas enregistré');
    await back.getByRole('button', { name: 'Restaurer mon texte' }).click();
    expect(await back.locator('#f-standfirst').inputValue()).toBe('Écrit pendant la panne de réseau.');
    await autosaved(back);
    expect((await story()).standfirst).toBe('Écrit pendant la panne de réseau.');
    expect(problems(back)).toEqual([]);
  });

  it('schedules the story a few seconds ahead; it appears on the home page on time, once', async () => {
    const page = await signIn();
    await page.goto(`/admin/stories/${storyId}`);
    // The person types a time in their own time zone, to the second.
    // Far enough ahead for a slow machine to show the home page before it.
    const at = Date.now() + 10_000;
    const local = await page.evaluate((ms) => {
      const date = new Date(ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    }, at);
    const scheduledAt = Math.floor(at / 1000) * 1000;
    await page.locator('#f-schedule').fill(local);
    await Promise.all([
      page.waitForURL(/done=scheduled/),
      page.getByRole('button', { name: 'Programmer', exact: true }).click(),
    ]);
    expect(await page.getByText('Programmé : l’article sera publié à l’heure choisie.').isVisible()).toBe(true);
    const scheduled = await site.app.database.db
      .selectFrom('article_revisions')
      .select('snapshot')
      .where('article_id', '=', storyId)
      .where('action', '=', 'schedule')
      .executeTakeFirstOrThrow();
    expect(new Date(JSON.parse(scheduled.snapshot).scheduledAt).getTime()).toBe(scheduledAt);

    const reader = watch(await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' }));
    await reader.goto('/fr/');
    expect(await reader.getByRole('link', { name: headline }).count()).toBe(0);
    let seenAt = 0;
    for (let i = 0; i < 150 && seenAt === 0; i++) {
      await reader.goto('/fr/');
      if ((await reader.getByRole('link', { name: headline }).count()) > 0) seenAt = Date.now();
      else await reader.waitForTimeout(200);
    }
    expect(seenAt).toBeGreaterThanOrEqual(scheduledAt);
    expect(seenAt - scheduledAt).toBeLessThan(5000);
    const revisions = await site.app.database.db
      .selectFrom('article_revisions')
      .select('action')
      .where('article_id', '=', storyId)
      .execute();
    expect(revisions.filter((r) => r.action === 'publish')).toHaveLength(1);
    expect([...problems(page), ...problems(reader)]).toEqual([]);
  });

  it('edits the story from two browser contexts: the second save shows both versions, and the merge is saved', async () => {
    await addMember(site, 'editor', 'edith@example.org', 'editor password 123', 'Edith Editor');
    const owner = await signIn();
    const editor = await signIn('edith@example.org', 'editor password 123');
    await owner.goto(`/admin/stories/${storyId}`);
    await editor.goto(`/admin/stories/${storyId}`);

    await owner.locator('#f-standfirst').fill('Le chapô revu par Olivia.');
    await autosaved(owner);
    const body = `${await editor.locator('#f-body').inputValue()}\n\nUn paragraphe ajouté par Edith.`;
    await editor.locator('#f-body').fill(body);
    const conflict = editor.locator('#conflict');
    await conflict.waitFor({ timeout: 20_000 });
    expect(await editor.locator('#autosave-status').textContent()).toContain('quelqu’un d’autre a enregistré');
    expect(await conflict.locator('.conflict__who').textContent()).toContain('Olivia Owner a enregistré la révision');
    const standfirstRow = conflict.locator('tr[data-group="standfirst"]');
    expect(await standfirstRow.locator('td').nth(0).textContent()).toBe('Le chapô revu par Olivia.');
    expect(await standfirstRow.locator('td').nth(1).textContent()).toBe('Écrit pendant la panne de réseau.');
    expect(await conflict.locator('tr[data-group="bodyMarkdown"] td').nth(1).textContent()).toBe(body);
    // Nothing was overwritten while two versions are on screen.
    expect((await working()).standfirst).toBe('Le chapô revu par Olivia.');

    await standfirstRow.getByRole('button', { name: 'Reprendre la leur' }).click();
    expect(await editor.locator('#f-standfirst').inputValue()).toBe('Le chapô revu par Olivia.');
    await editor.getByRole('button', { name: 'Enregistrer la version fusionnée' }).click();
    await autosaved(editor);
    const merged = await working();
    expect(merged.standfirst).toBe('Le chapô revu par Olivia.');
    expect(merged.bodyMarkdown).toBe(body);
    expect(await conflict.isVisible()).toBe(false);
    expect([...problems(owner), ...problems(editor)]).toEqual([]);
  });

  it('restores an earlier revision from the list, with a readable diff on the way', async () => {
    const page = await signIn();
    await page.goto(`/admin/stories/${storyId}/revisions`);
    const rows = page.locator('table.revisions tbody tr');
    expect(await rows.count()).toBeGreaterThan(4);
    expect(await page.locator('.diff-field').count()).toBeGreaterThan(0);
    // The first revision: the story as the first autosave stored it.
    const first = page.locator('tr[data-revision="1"]');
    expect(await first.textContent()).toContain('création');
    await Promise.all([
      page.waitForURL(/done=reverted/),
      first.getByRole('button', { name: 'Rétablir cette version' }).click(),
    ]);
    expect(await page.getByText('La version antérieure est rétablie, comme nouvelle révision.').isVisible()).toBe(true);
    const record = await working();
    const original = await site.app.database.db
      .selectFrom('article_revisions')
      .select('snapshot')
      .where('article_id', '=', storyId)
      .where('revision', '=', 1)
      .executeTakeFirstOrThrow();
    const snapshot = JSON.parse(original.snapshot) as { standfirst: string; bodyMarkdown: string };
    expect(record.standfirst).toBe(snapshot.standfirst);
    expect(record.bodyMarkdown).toBe(snapshot.bodyMarkdown);
    expect(await page.locator('#f-standfirst').inputValue()).toBe(snapshot.standfirst);
    const actions = await site.app.database.db
      .selectFrom('article_revisions')
      .select('action')
      .where('article_id', '=', storyId)
      .orderBy('revision', 'desc')
      .executeTakeFirstOrThrow();
    // The story is published: the earlier version comes back as its pending version (issue 11).
    expect(actions.action).toBe('pending');
    expect((await story()).standfirst).not.toBe(snapshot.standfirst);
    expect(problems(page)).toEqual([]);
  });

  it('keeps hostile input inert in the newsroom and on the site: no dialog opens, no inline handler survives', async () => {
    const page = await signIn();
    await Promise.all([
      page.waitForURL('**/admin/stories/new'),
      page.getByRole('link', { name: 'Nouvel article' }).click(),
    ]);
    await page.getByLabel('Titre', { exact: true }).fill('<img src=x onerror=alert(1)>Titre piégé');
    await page.locator('#f-slug').fill('titre-piege');
    await page
      .locator('#f-body')
      .fill(
        '<script>alert(2)</script>\n\n[clic](javascript:alert(3))\n\n<img src=x onerror=alert(4)>\n\n<a href="javascript:alert(5)" onclick="alert(6)">lien</a>',
      );
    await page.waitForURL(/\/admin\/stories\/art_\w+$/, { timeout: 20_000 });
    await page.locator('#f-hero-image').selectOption({ index: 1 });
    await page.locator('#f-hero-alt').fill('" onmouseover="alert(7)');
    await page.locator('#f-hero-caption').fill('"><svg onload=alert(8)>');
    await autosaved(page);
    expect(await page.locator('#body-preview').textContent()).toContain('<script>alert(2)</script>');
    await Promise.all([
      page.waitForURL(/done=published/),
      page.getByRole('button', { name: 'Publier maintenant' }).click(),
    ]);
    const id = /\/admin\/stories\/(art_\w+)/.exec(page.url())![1]!;
    const preview = await page.locator('#preview-link').getAttribute('href');

    const visits: Page[] = [page];
    for (const url of [
      `/admin/stories/${id}`,
      `/admin/stories/${id}/revisions?from=1&to=2`,
      '/admin/stories',
      preview!,
    ]) {
      const other = watch(await page.context().newPage());
      await other.goto(url);
      visits.push(other);
    }
    const reader = watch(await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' }));
    await reader.goto('/fr/titre-piege');
    expect(await reader.locator('h1').textContent()).toBe('<img src=x onerror=alert(1)>Titre piégé');
    await reader.goto('/fr/');
    visits.push(reader);
    // Let anything that would fire (image errors, handlers) have its chance.
    await reader.waitForTimeout(500);
    for (const visited of visits) {
      await visited.locator('body').hover();
      expect(await runnableInPage(visited), visited.url()).toEqual([]);
      expect(problems(visited), visited.url()).toEqual([]);
    }
  });

  it('saves the kind of work chosen in its select by autosave (decision 0051)', async () => {
    const page = await signIn();
    await page.goto(`/admin/stories/${storyId}`);
    await page.getByLabel('Type de contenu').selectOption({ label: 'Analyse' });
    await autosaved(page);
    // Published: the change waits as the pending version, as any edit of a live story.
    await expect.poll(async () => (await working()).genre, { timeout: 20_000 }).toBe('analysis');
    await page.reload();
    expect(await page.locator('#f-genre').inputValue()).toBe('analysis');
    expect(problems(page)).toEqual([]);
  });
});
