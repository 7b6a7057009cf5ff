import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/app.js';
import { browserAvailability, useBrowser } from '../support/browser.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const arabicStory = '/ar/awdat-qitarat-al-layl-ila-urubba';
const screenshotFolder = new URL('../../test-results/screenshots/', import.meta.url);
const arabic = loadCatalogs().get('ar')!;
/** The Arabic families the style sheet asks for first (.ci/run installs them with fonts-noto-core). */
const arabicFonts = ['Noto Naskh Arabic', 'Noto Sans Arabic'];
const { executable, skip } = browserAvailability();
/** Two full-page loads with every photo decoded: on a busy two-core machine that outlasts 30 s. */
const slow = 120_000;

/** A gallery position as the Arabic catalog writes it ("الصورة 2 من 3"). */
const position = (n: number, total: number) =>
  arabic['gallery.position'].replace('{position}', String(n)).replace('{total}', String(total));

// One site, configured with Arabic, and one browser for the file (see reading-site-browser.test.ts
// for why: every site start draws and resizes the demo photos again).
describe.skipIf(skip)('Arabic reading site in Chromium, right to left, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true, env: { KIOSQUE_LANGUAGES: 'fr,en,ar' } });
  });
  afterAll(async () => {
    await site?.close();
  });

  async function loadAllImages(page: Page): Promise<void> {
    await page.evaluate(() =>
      Promise.all(
        [...document.images].map((img) => {
          img.loading = 'eager';
          return img.decode().catch(() => {});
        }),
      ),
    );
  }

  /** The fonts Chromium really drew a node's text with (not the ones the style sheet merely lists). */
  async function renderedFonts(page: Page, selector: string): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    await cdp.detach();
    return fonts.map((font) => font.familyName);
  }

  it(
    'lays the article out right to left at phone and desktop widths, and saves screenshots',
    async () => {
      const page = await chromium.newPage({ baseURL: site.url });
      mkdirSync(screenshotFolder, { recursive: true });
      for (const { name, viewport } of [
        { name: 'phone', viewport: { width: 375, height: 812 } },
        { name: 'desktop', viewport: { width: 1280, height: 900 } },
      ]) {
        await page.setViewportSize(viewport);
        expect((await page.goto(arabicStory))?.status()).toBe(200);
        await loadAllImages(page);

        const layout = await page.evaluate(() => {
          const headline = document.querySelector('h1')!;
          const box = (element: Element) => {
            const { left, right, top } = element.getBoundingClientRect();
            return { left, right, top };
          };
          return {
            html: { lang: document.documentElement.lang, dir: document.documentElement.dir },
            headlineDirection: getComputedStyle(headline).direction,
            headlineAlign: getComputedStyle(headline).textAlign,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            list: box(document.querySelector('.share__list')!),
            links: [...document.querySelectorAll('.share__link')].map(box),
            main: box(document.querySelector('.story')!),
            body: box(document.querySelector('.story__body p')!),
          };
        });
        expect(layout.html).toEqual({ lang: 'ar', dir: 'rtl' });
        expect(layout.headlineDirection, name).toBe('rtl');
        expect(layout.headlineAlign, name).toBe('start');
        // No sideways scrolling: in a right-to-left page an overflow would stick out on the left.
        expect(layout.innerWidth).toBe(viewport.width);
        expect(layout.scrollWidth, name).toBeLessThanOrEqual(layout.innerWidth);

        // The share row starts on the right and flows leftwards: the first link sits against the
        // row's right edge, each link of the first line is left of the one before, and the first
        // link is right of the last.
        const [first, ...rest] = layout.links;
        const last = layout.links.at(-1)!;
        expect(Math.abs(first!.right - layout.list.right), `${name}: first share link on the right`).toBeLessThan(1);
        let previous = first!;
        for (const link of rest.filter((other) => other.top === first!.top)) {
          expect(link.right, name).toBeLessThanOrEqual(previous.left);
          previous = link;
        }
        expect(first!.left, `${name}: first share link right of the last`).toBeGreaterThan(last.left);
        // Text starts on the right of the column too.
        expect(
          Math.abs(layout.body.right - layout.main.right),
          `${name}: paragraph against the right edge`,
        ).toBeLessThan(1);

        const file = new URL(`article-ar-${name}.png`, screenshotFolder);
        rmSync(file, { force: true });
        await page.screenshot({ path: file.pathname, fullPage: true });
        const png = readFileSync(file);
        expect(png.readUInt32BE(16)).toBe(viewport.width);
        expect(png.readUInt32BE(20)).toBeGreaterThan(viewport.height);
      }
    },
    slow,
  );

  it(
    'draws Arabic text with an Arabic font, not a fallback box',
    async () => {
      const page = await chromium.newPage({ baseURL: site.url });
      expect((await page.goto(arabicStory))?.status()).toBe(200);
      for (const selector of ['h1', '.story__body p', '.share__title']) {
        const fonts = await renderedFonts(page, selector);
        expect(
          fonts.some((font) => arabicFonts.includes(font)),
          `${selector} drawn with ${fonts.join(', ')}: install fonts-noto-core (see .ci/run)`,
        ).toBe(true);
      }
    },
    slow,
  );

  it(
    'steps through the gallery with the arrow keys the right-to-left way: ArrowLeft is next',
    async () => {
      const page = await chromium.newPage({ baseURL: site.url });
      expect((await page.goto(arabicStory))?.status()).toBe(200);
      const shown = () => page.locator('.lightbox__position').textContent();
      await page.locator('.gallery__link').first().click();
      expect(await page.locator('dialog.lightbox').evaluate((dialog: HTMLDialogElement) => dialog.open)).toBe(true);
      expect(await shown()).toBe(position(1, 3));

      await page.keyboard.press('ArrowLeft');
      expect(await shown()).toBe(position(2, 3));
      await page.keyboard.press('ArrowLeft');
      expect(await shown()).toBe(position(3, 3));
      await page.keyboard.press('ArrowRight');
      expect(await shown()).toBe(position(2, 3));
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await shown()).toBe(position(3, 3));

      // The buttons agree: "previous" on the right, "next" to its left, each arrow pointing its way.
      const controls = await page.evaluate(() => {
        const measure = (selector: string) => {
          const button = document.querySelector(selector)!;
          const arrow = button.querySelector('span')!;
          return { left: button.getBoundingClientRect().left, transform: getComputedStyle(arrow).transform };
        };
        return { previous: measure('.lightbox__prev'), next: measure('.lightbox__next') };
      });
      expect(controls.previous.left).toBeGreaterThan(controls.next.left);
      expect(controls.previous.transform).toBe('matrix(-1, 0, 0, 1, 0, 0)');
      expect(controls.next.transform).toBe('matrix(-1, 0, 0, 1, 0, 0)');
      await page.getByRole('button', { name: arabic['gallery.next'] }).click();
      expect(await shown()).toBe(position(1, 3));
      await page.locator('.lightbox__frame img').evaluate((img: HTMLImageElement) => img.decode().catch(() => {}));
      mkdirSync(screenshotFolder, { recursive: true });
      await page.screenshot({ path: new URL('article-ar-gallery.png', screenshotFolder).pathname });

      await page.keyboard.press('Escape');
      expect(await page.locator('dialog.lightbox').evaluate((dialog: HTMLDialogElement) => dialog.open)).toBe(false);
    },
    slow,
  );
});
