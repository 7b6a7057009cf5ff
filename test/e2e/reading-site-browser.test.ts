import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/app.js';
import type { Article } from '../../src/domain/articles/article.js';
import { createArticleRepository } from '../../src/storage/article-repository.js';
import { createNewsletterRepository } from '../../src/storage/newsletter-repository.js';
import { browserAvailability, useBrowser } from '../support/browser.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const seedArticle = '/fr/poutine-xi-serrent-les-rangs';
const screenshotFolder = new URL('../../test-results/screenshots/', import.meta.url);
const english = loadCatalogs().get('en')!;
const { executable, skip } = browserAvailability();

// One site and one browser for the whole suite: every site start draws the demo photos and resizes
// their variants again, which on a two-core machine costs more than all the tests together.
// The HTTP suites cover PostgreSQL; what a browser adds does not depend on the database.
describe.skipIf(skip)('reading site in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let article: Article;
  let signups: ReturnType<typeof createNewsletterRepository>;
  beforeAll(async () => {
    site = await startTestSite('sqlite', { listen: true });
    signups = createNewsletterRepository(site.app.database.db);
    const found = await createArticleRepository(site.app.database.db).findPublished(
      'fr',
      'poutine-xi-serrent-les-rangs',
      new Date(),
    );
    if (!found) throw new Error('The demo content has no seed article: the browser tests need it.');
    article = found;
  });
  afterAll(async () => {
    await site?.close();
  });

  async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await chromium.newPage({ baseURL: site.url, ...options });
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    return page;
  }

  /**
   * Fetches every image of the page now, lazy ones included, and waits until each is decoded (or
   * failed): the page as a reader who scrolled to the end has it, and a full-page picture with photos.
   */
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

  async function canonicalUrl(page: Page): Promise<string> {
    return page.locator('link[rel="canonical"]').evaluate((link: HTMLLinkElement) => link.href);
  }

  /** What the enlarged view shows a reader right now. */
  async function lightbox(page: Page) {
    return page.locator('dialog.lightbox').evaluate((dialog: HTMLDialogElement) => {
      const img = dialog.querySelector<HTMLImageElement>('.lightbox__frame img');
      const box = dialog.getBoundingClientRect();
      return {
        open: dialog.open,
        visible: box.width > 0 && box.height > 0 && getComputedStyle(dialog).visibility === 'visible',
        position: dialog.querySelector('.lightbox__position')?.textContent ?? '',
        caption: dialog.querySelector('.lightbox__caption')?.textContent ?? '',
        src: img?.src ?? null,
        alt: img?.alt ?? null,
      };
    });
  }

  /** The thumbnails as the page lists them: the absolute URL each links to, its alt text and its caption. */
  async function thumbnails(page: Page) {
    return page.locator('.gallery__item').evaluateAll((figures) =>
      figures.map((figure) => ({
        href: figure.querySelector('a')?.href ?? '',
        alt: figure.querySelector('img')?.alt ?? '',
        caption: figure.querySelector('figcaption')?.textContent ?? '',
      })),
    );
  }

  /** Whether the element that has focus is the n-th thumbnail link (0-based). */
  function thumbnailHasFocus(page: Page, index: number) {
    return page.evaluate((n) => document.activeElement === document.querySelectorAll('.gallery__link')[n], index);
  }

  /** The article, and its "Restez connectés" box found as a reader finds it: by its heading. */
  async function openSignupForm(): Promise<{ page: Page; box: ReturnType<Page['getByRole']> }> {
    const page = await open(seedArticle);
    const box = page.getByRole('region', { name: 'Restez connectés' });
    expect(await box.isVisible()).toBe(true);
    return { page, box };
  }

  describe('seed article', () => {
    it('reads in French: language, headline, French headings, no English chrome', async () => {
      const page = await open(seedArticle);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await page.locator('h1').count()).toBe(1);
      expect((await page.locator('h1').textContent())?.trim()).toBe(article.headline);

      for (const name of ['Partager', /^Galerie photo\b/, 'Restez connectés', 'Plus d’actualités', 'À lire aussi']) {
        const heading = page.getByRole('heading', { name, exact: true });
        expect(await heading.count(), String(name)).toBe(1);
        expect(await heading.isVisible(), String(name)).toBe(true);
      }
      // innerText is what is rendered (upper-cased section titles included), so compare without case.
      // biome-ignore lint/performance/useDomNodeTextContent: only the visible text counts here, not hidden markup.
      const visibleText = (await page.locator('body').innerText()).toLocaleLowerCase('fr');
      for (const key of ['share.heading', 'newsletter.heading', 'latest.heading', 'related.heading'] as const) {
        expect(visibleText, `English "${english[key]}" on a French page`).not.toContain(english[key].toLowerCase());
      }
    });

    it('links the byline to the author page and gives machine-readable dates', async () => {
      const page = await open(seedArticle);
      const dates = await page
        .locator('.story__meta time')
        .evaluateAll((times) =>
          times.map((time) => ({ datetime: time.getAttribute('datetime') ?? '', text: time.textContent ?? '' })),
        );
      expect(dates.length).toBeGreaterThan(0);
      for (const { datetime } of dates) {
        expect(datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
        expect(new Date(datetime).toISOString()).toBe(datetime);
      }
      expect(dates[0]).toEqual({
        datetime: article.publishedAt!.toISOString(),
        text: expect.stringContaining('4 février 2022'),
      });

      const author = page.locator('.byline a');
      expect(await author.textContent()).toBe('Rédaction');
      await Promise.all([page.waitForURL('**/fr/author/redaction'), author.click()]);
      expect(await page.locator('h1').textContent()).toBe('Articles de Rédaction');
      expect(await page.getByRole('link', { name: article.headline }).count()).toBeGreaterThan(0);
    });

    it('shares the canonical address on every network, and copies it with a confirmation', async () => {
      const page = await open(seedArticle, { permissions: ['clipboard-read', 'clipboard-write'] });
      const canonical = await canonicalUrl(page);
      expect(canonical).toBe(`${site.url}${seedArticle}`);
      const encoded = encodeURIComponent(canonical);

      const hrefs = Object.fromEntries(
        await page
          .locator('.share__link')
          .evaluateAll((links) => links.map((link) => [link.getAttribute('data-network'), link.getAttribute('href')])),
      ) as Record<string, string>;
      // Where the network takes the address, and in which parameter; the text-only ones end with it.
      const expected = {
        x: { host: 'x.com', param: 'url' },
        facebook: { host: 'www.facebook.com', param: 'u' },
        linkedin: { host: 'www.linkedin.com', param: 'url' },
        whatsapp: { host: 'wa.me', param: 'text' },
        telegram: { host: 't.me', param: 'url' },
        bluesky: { host: 'bsky.app', param: 'text' },
        reddit: { host: 'www.reddit.com', param: 'url' },
      } as const;
      expect(Object.keys(hrefs).sort()).toEqual([...Object.keys(expected), 'email'].sort());
      for (const [network, { host, param }] of Object.entries(expected)) {
        const href = hrefs[network]!;
        const url = new URL(href);
        expect(url.protocol, network).toBe('https:');
        expect(url.host, network).toBe(host);
        // Percent-encoded in the link itself, so no character of the address can end the parameter early.
        expect(href, network).toContain(param === 'text' ? encoded : `${param}=${encoded}`);
        const value = url.searchParams.get(param);
        if (param === 'text') expect(value, network).toBe(`${article.headline} ${canonical}`);
        else expect(value, network).toBe(canonical);
      }
      const email = new URL(hrefs.email!);
      expect(email.protocol).toBe('mailto:');
      expect(email.searchParams.get('subject')).toBe(article.headline);
      expect(email.searchParams.get('body')).toContain(canonical);
      expect(hrefs.email).toContain(encoded);

      const copy = page.getByRole('button', { name: 'Copier le lien' });
      expect(await copy.isVisible()).toBe(true);
      await copy.click();
      const status = page.getByRole('status');
      await expect.poll(() => status.textContent()).toBe('Lien copié');
      expect(await status.isVisible()).toBe(true);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(canonical);
    });
  });

  describe('photo gallery', () => {
    it('opens the enlarged photo on click, steps through all four with buttons and arrows, and closes on Esc', async () => {
      const page = await open(seedArticle);
      const thumbs = await thumbnails(page);
      expect(thumbs).toHaveLength(4);
      for (const thumb of thumbs) expect(thumb.caption.trim()).not.toBe('');

      await page.locator('.gallery__link').first().click();
      let shown = await lightbox(page);
      expect(shown).toMatchObject({ open: true, visible: true, position: 'Photo 1 sur 4', src: thumbs[0]!.href });
      expect(shown.alt).toBe(thumbs[0]!.alt);
      expect(shown.caption).toBe(thumbs[0]!.caption);
      // The reader sees the photo itself, not a broken image.
      await expect
        .poll(() =>
          page
            .locator('.lightbox__frame img')
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        )
        .toBe(true);

      await page.getByRole('button', { name: 'Photo suivante' }).click();
      shown = await lightbox(page);
      expect(shown).toMatchObject({ position: 'Photo 2 sur 4', src: thumbs[1]!.href, caption: thumbs[1]!.caption });

      await page.getByRole('button', { name: 'Photo précédente' }).click();
      expect((await lightbox(page)).position).toBe('Photo 1 sur 4');
      await page.getByRole('button', { name: 'Photo précédente' }).click();
      shown = await lightbox(page);
      expect(shown).toMatchObject({ position: 'Photo 4 sur 4', src: thumbs[3]!.href, caption: thumbs[3]!.caption });

      await page.keyboard.press('ArrowRight');
      expect((await lightbox(page)).position).toBe('Photo 1 sur 4');
      await page.keyboard.press('ArrowRight');
      expect((await lightbox(page)).position).toBe('Photo 2 sur 4');
      await page.keyboard.press('ArrowLeft');
      expect((await lightbox(page)).position).toBe('Photo 1 sur 4');
      await page.keyboard.press('ArrowLeft');
      expect((await lightbox(page)).position).toBe('Photo 4 sur 4');

      await page.keyboard.press('Escape');
      shown = await lightbox(page);
      expect(shown).toMatchObject({ open: false, visible: false });
      expect(await thumbnailHasFocus(page, 0)).toBe(true);
    });

    it('keeps keyboard focus inside the open gallery, whichever way the reader tabs', async () => {
      const page = await open(seedArticle);
      await page.locator('.gallery__link').nth(2).click();
      expect((await lightbox(page)).open).toBe(true);
      const focusInsideDialog = () =>
        page.evaluate(() => {
          const focused = document.activeElement;
          return focused !== null && focused !== document.body && focused.closest('dialog.lightbox') !== null;
        });
      expect(await focusInsideDialog()).toBe(true);
      // Eight presses go round the three buttons more than twice, so a way out at either end shows.
      for (const key of [...Array(8).fill('Tab'), ...Array(8).fill('Shift+Tab')] as string[]) {
        await page.keyboard.press(key);
        expect(await focusInsideDialog(), `focus left the dialog after ${key}`).toBe(true);
      }
      expect((await lightbox(page)).open).toBe(true);
    });

    it('opens from the keyboard: Tab to a thumbnail, Enter, and Esc brings focus back to it', async () => {
      const page = await open(seedArticle);
      await page.locator('.gallery__link').first().focus();
      await page.keyboard.press('Tab');
      expect(await thumbnailHasFocus(page, 1)).toBe(true);

      await page.keyboard.press('Enter');
      const shown = await lightbox(page);
      expect(shown).toMatchObject({ open: true, visible: true, position: 'Photo 2 sur 4' });
      // Focus moved into the dialog, so the next key press acts on the photo viewer.
      expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);

      await page.keyboard.press('Escape');
      expect((await lightbox(page)).open).toBe(false);
      expect(await thumbnailHasFocus(page, 1)).toBe(true);
    });

    it('works without JavaScript: each thumbnail links to its full image, and script-only share buttons stay hidden', async () => {
      const page = await open(seedArticle, { javaScriptEnabled: false });
      const thumbs = await thumbnails(page);
      expect(thumbs).toHaveLength(4);
      for (const { href } of thumbs) {
        expect(new URL(href).origin).toBe(site.url);
        expect(new URL(href).pathname).toMatch(/^\/media\/[^/]+\/\d+\.jpg$/);
        const response = await page.request.get(href);
        expect(response.status(), href).toBe(200);
        expect(response.headers()['content-type'], href).toMatch(/^image\//);
      }

      expect(await page.getByRole('button', { name: 'Copier le lien' }).isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Partager…' }).isVisible()).toBe(false);

      // A click is an ordinary link: the browser shows the photo itself.
      const [navigation] = await Promise.all([
        page.waitForResponse((response) => response.request().isNavigationRequest()),
        page.locator('.gallery__link').first().click(),
      ]);
      expect(page.url()).toBe(thumbs[0]!.href);
      expect(navigation.headers()['content-type']).toMatch(/^image\//);
      expect(await page.locator('dialog.lightbox').count()).toBe(0);
    });
  });

  describe('newsletter box', () => {
    it('signs a reader up from the article and confirms in French', async () => {
      const { page, box } = await openSignupForm();
      await box.getByLabel('Votre adresse e-mail').fill('lectrice@example.org');
      await Promise.all([
        page.waitForURL('**/fr/newsletter/thanks'),
        box.getByRole('button', { name: 'Je m’inscris' }).click(),
      ]);

      expect(await page.title()).toContain('Merci pour votre inscription');
      expect(await page.locator('h1').textContent()).toBe('Merci pour votre inscription');
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await signups.findByEmail('lectrice@example.org')).toMatchObject({
        email: 'lectrice@example.org',
        language: 'fr',
        status: 'pending',
        sourcePath: seedArticle,
      });
    });

    it('refuses an invalid address with a 400 and the French explanation, and stores nothing', async () => {
      const { page, box } = await openSignupForm();
      const before = await signups.count();
      // The browser's own type=email check would stop this address first; the server must hold on its own.
      await box.locator('form').evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
      });
      await box.getByLabel('Votre adresse e-mail').fill('pas-une-adresse@');
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        box.getByRole('button', { name: 'Je m’inscris' }).click(),
      ]);
      await page.waitForLoadState();

      expect(answer.status()).toBe(400);
      expect(new URL(page.url()).pathname).toBe('/fr/newsletter');
      const alert = page.getByRole('alert');
      expect(await alert.isVisible()).toBe(true);
      expect(await alert.locator('h1').textContent()).toBe('Inscription impossible');
      expect(await alert.textContent()).toContain('Cette adresse e-mail n’est pas valide. Vérifiez-la et réessayez.');
      // The reader can correct the address on the same page.
      expect(await page.getByLabel('Votre adresse e-mail').isVisible()).toBe(true);
      expect(await signups.count()).toBe(before);
      expect(await signups.findByEmail('pas-une-adresse@')).toBeNull();
    });
  });

  describe('whole site', () => {
    it('makes no request to another site while the article loads and the gallery is browsed', async () => {
      const page = await chromium.newPage({ baseURL: site.url });
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(seedArticle);
      await loadAllImages(page);
      // Each gallery photo enlarged, and loaded before the next.
      await page.locator('.gallery__link').first().click();
      for (let step = 0; step < 4; step++) {
        await page.locator('.lightbox__frame img').evaluate((img: HTMLImageElement) => img.decode().catch(() => {}));
        await page.getByRole('button', { name: 'Photo suivante' }).click();
      }

      const paths = requested.map((url) => new URL(url).pathname);
      expect(paths).toContain(seedArticle);
      expect(paths.some((path) => /^\/assets\/site\.[\w-]+\.js$/.test(path))).toBe(true);
      expect(paths.filter((path) => path.startsWith('/media/')).length).toBeGreaterThan(4);
      expect(requested.filter((url) => new URL(url).origin !== site.url)).toEqual([]);
    });

    it.each([
      { name: 'home', path: '/fr/', status: 200 },
      { name: 'article', path: seedArticle, status: 200 },
      { name: 'section', path: '/fr/section/monde', status: 200 },
      { name: '404', path: '/fr/cette-page-n-existe-pas', status: 404 },
    ])('logs no console error and throws no page error on the $name page', async ({ path, status }) => {
      const page = await chromium.newPage({ baseURL: site.url });
      const problems: string[] = [];
      const documentUrl = new URL(path, site.url).href;
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // Chromium reports the document's own status; on the 404 page that status is the point.
        const ownStatus = message.location().url === documentUrl && message.text().includes(`status of ${status}`);
        if (!(status === 404 && ownStatus)) problems.push(`console: ${message.text()} (${message.location().url})`);
      });
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(status);
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(problems, path).toEqual([]);
    });

    it('fits phone screens 320 and 375 px wide without sideways scrolling', async () => {
      // One page throughout, so its cache spares the server from resizing the same photos again.
      const page = await chromium.newPage({ baseURL: site.url });
      for (const width of [320, 375]) {
        await page.setViewportSize({ width, height: 812 });
        for (const path of ['/fr/', seedArticle]) {
          expect((await page.goto(path))?.status(), path).toBe(200);
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          expect(innerWidth).toBe(width);
          expect(scrollWidth, `${path} at ${width}px`).toBeLessThanOrEqual(innerWidth);
        }
      }
    });

    it('saves full-page screenshots of the article at phone and desktop widths', async () => {
      const page = await chromium.newPage({ baseURL: site.url });
      mkdirSync(screenshotFolder, { recursive: true });
      for (const { name, viewport } of [
        { name: 'phone', viewport: { width: 375, height: 812 } },
        { name: 'desktop', viewport: { width: 1280, height: 900 } },
      ]) {
        await page.setViewportSize(viewport);
        expect((await page.goto(seedArticle))?.status()).toBe(200);
        await loadAllImages(page);
        const file = new URL(`article-${name}.png`, screenshotFolder);
        rmSync(file, { force: true });
        await page.screenshot({ path: file.pathname, fullPage: true });
        const png = readFileSync(file);
        // The PNG header holds the picture's size: as wide as the screen, and taller (the whole page).
        expect(png.readUInt32BE(16)).toBe(viewport.width);
        expect(png.readUInt32BE(20)).toBeGreaterThan(viewport.height);
      }
    });

    it('shows a focus outline on each link reached with Tab', async () => {
      const page = await open(seedArticle);
      const seen: string[] = [];
      for (let press = 0; press < 12; press++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement;
          const style = getComputedStyle(element);
          const box = element.getBoundingClientRect();
          return {
            tag: element.tagName,
            text: element.textContent?.trim() ?? '',
            outlineStyle: style.outlineStyle,
            outlineWidth: Number.parseFloat(style.outlineWidth),
            onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
          };
        });
        if (focused.tag !== 'A') continue;
        seen.push(focused.text);
        expect(focused.outlineStyle, focused.text).not.toBe('none');
        expect(focused.outlineWidth, focused.text).toBeGreaterThan(0);
        expect(focused.onScreen, `${focused.text} is focused but off screen`).toBe(true);
      }
      // The first stop is the skip link, and the tour reached the header's navigation.
      expect(seen[0]).toBe('Aller au contenu');
      expect(seen).toContain('Accueil');
    });
  });
});
