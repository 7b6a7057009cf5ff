import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { browserAvailability, signInToAdmin, useBrowser } from '../support/browser.js';
import { phoneJpeg, plainImage } from '../support/media.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const ownerEmail = 'owner@example.org';
const ownerPassword = 'owner password 123';

// What a browser adds does not depend on the database; the HTTP suite covers both.
describe.skipIf(skip)('media library in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, demo: false, env: { KIOSQUE_MAX_UPLOAD_MB: '1' } });
    await setupOwner(site, ownerEmail, ownerPassword);
  });
  afterAll(async () => {
    await site?.close();
  });

  /** Signs in through the form, as a journalist does, and opens the library. */
  async function openLibrary(): Promise<{ page: Page; problems: string[] }> {
    const page = await chromium.newPage({ baseURL: site.url, locale: 'fr-FR' });
    // No dialog may open and nothing may break the CSP or throw: each would be a defect.
    const problems: string[] = [];
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) {
        problems.push(`console: ${message.text()}`);
      }
    });
    await signInToAdmin(page, ownerEmail, ownerPassword);
    await page.getByRole('link', { name: 'Médias' }).click();
    await page.waitForURL('**/admin/media');
    return { page, problems };
  }

  /** Drops files on the drop zone the way a browser does: a `drop` event carrying a DataTransfer. */
  async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
    await page.locator('[data-media-drop]').evaluate(
      (zone, sent) => {
        const transfer = new DataTransfer();
        for (const file of sent) {
          const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
          transfer.items.add(new File([bytes], file.name, { type: file.type }));
        }
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        }
      },
      files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') })),
    );
  }

  /** The library's card for a file name, once its thumbnail has loaded. */
  async function card(page: Page, fileName: string) {
    const found = page.locator('.media-card', { has: page.locator('.media-card__name', { hasText: fileName }) });
    await found.waitFor();
    const image = found.locator('img');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 })
      .toBe(true);
    return found;
  }

  it('uploads by the file picker and shows the image in the library, with its size', async () => {
    const { page, problems } = await openLibrary();
    expect(await page.getByText('Aucune image ne correspond.').isVisible()).toBe(true);
    await page.locator('#media-file').setInputFiles({
      name: 'marche-de-noel.jpg',
      mimeType: 'image/jpeg',
      buffer: await phoneJpeg(1200, 800),
    });
    await page.getByText('marche-de-noel.jpg : ajoutée à la médiathèque.').waitFor();
    const uploaded = await card(page, 'marche-de-noel.jpg');
    // The camera's rotation was applied: portrait, as the photographer held the phone.
    expect(await uploaded.locator('.media-card__facts').textContent()).toMatch(/^800 × 1200 px/);
    expect(await page.getByText('1 image', { exact: true }).isVisible()).toBe(true);

    // After a reload it is still there: stored, not only shown.
    await page.reload();
    await card(page, 'marche-de-noel.jpg');
    expect(problems).toEqual([]);
  });

  it('uploads by drag and drop, several files at once, and explains each refusal', async () => {
    const { page, problems } = await openLibrary();
    await dropFiles(page, [
      { name: 'port.png', type: 'image/png', bytes: await plainImage('png', 640, 480) },
      { name: 'liste.jpg', type: 'image/jpeg', bytes: Buffer.from('Pas une image, une liste de courses.') },
      {
        name: 'enorme.jpg',
        type: 'image/jpeg',
        bytes: Buffer.concat([await plainImage('jpeg'), Buffer.alloc(1024 * 1024)]),
      },
    ]);
    await page.getByText('port.png : ajoutée à la médiathèque.').waitFor();
    const refusals = page.locator('.media-progress__item--error');
    await expect.poll(() => refusals.count(), { timeout: 10_000 }).toBe(2);
    const texts = await refusals.allTextContents();
    expect(texts).toContainEqual(
      expect.stringContaining('liste.jpg : non ajoutée. Ce fichier n’est pas une image JPEG, PNG, WebP, AVIF ou GIF'),
    );
    expect(texts).toContainEqual(
      expect.stringContaining('enorme.jpg : non ajoutée. Ce fichier dépasse la limite d’envoi de 1 Mo'),
    );
    expect(await refusals.first().getAttribute('role')).toBe('alert');

    const dropped = await card(page, 'port.png');
    expect(await dropped.locator('.media-card__facts').textContent()).toMatch(/^640 × 480 px/);
    const thumbnail = await page.evaluate(
      async (src) => {
        const response = await fetch(src ?? '');
        return { type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
      },
      await dropped.locator('img').getAttribute('src'),
    );
    expect(thumbnail.type).toBe('image/webp');
    expect(thumbnail.size).toBeGreaterThan(0);
    expect(await page.locator('.media-card', { hasText: 'liste.jpg' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('saves the default alt text and caption, and finds the image by its caption', async () => {
    const { page, problems } = await openLibrary();
    const target = await card(page, 'port.png');
    await target.getByLabel('Texte alternatif').fill('Des voiliers au port');
    await target.getByLabel('Légende').fill('Le vieux port de Concarneau au petit matin');
    await Promise.all([page.waitForURL(/saved=/), target.getByRole('button', { name: 'Enregistrer' }).click()]);
    expect(
      await page.getByText('Le texte alternatif, la légende et le crédit de l’image ont été enregistrés.').isVisible(),
    ).toBe(true);

    await page.getByLabel('Texte alternatif, légende, crédit ou nom de fichier').fill('concarneau');
    await Promise.all([page.waitForURL(/q=concarneau/), page.getByRole('button', { name: 'Rechercher' }).click()]);
    const names = await page.locator('.media-card__name').allTextContents();
    expect(names).toEqual(['port.png']);
    expect(await page.locator('.media-card img').getAttribute('alt')).toBe('Des voiliers au port');
    // Two uploads succeeded; the refused ones left no row.
    const images = await site.app.database.db.selectFrom('images').select(['original_key']).execute();
    expect(images).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  it('stored what the picker sent without its camera data', async () => {
    const row = await site.app.database.db
      .selectFrom('images')
      .select(['original_key'])
      .where('file_name', '=', 'marche-de-noel.jpg')
      .executeTakeFirstOrThrow();
    const original = await createDiskMediaStore(path.join(site.config.dataDir, 'media')).get(row.original_key);
    const metadata = await sharp(original!).metadata();
    expect(metadata.exif).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([800, 1200]);
  });
});
