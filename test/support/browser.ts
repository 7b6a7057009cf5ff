import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Debian's real binary: launching it directly skips the wrapper script's ~1 s of shell work. */
const debianChromium = '/usr/lib/chromium/chromium';

/** Exactly these switches: no sandbox (tests run as root), and nothing that phones home or updates itself. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export const chromiumMissing =
  'Chromium not found, install it with apt-get install chromium or set CHROMIUM_PATH to its binary';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium to drive: CHROMIUM_PATH, then Debian's binary, then `chromium` or `chromium-browser` on the PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  if (isExecutable(debianChromium)) return debianChromium;
  for (const name of ['chromium', 'chromium-browser']) {
    for (const folder of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(folder, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * Whether this file's browser tests run. Outside CI a missing Chromium skips them with a loud
 * warning; under CI=true they run anyway and fail in `useBrowser`, so a machine without a browser
 * can never pass CI by silently testing less.
 */
export function browserAvailability(env: NodeJS.ProcessEnv = process.env): {
  executable: string | null;
  skip: boolean;
} {
  const executable = findChromium(env);
  if (executable || env.CI === 'true') return { executable, skip: false };
  const badPath = env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file)` : '';
  console.warn(`\n⚠ SKIPPED: ${chromiumMissing}${badPath}. The browser tests of test/e2e/ did not run.\n`);
  return { executable, skip: true };
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...chromiumArgs] });
}

/**
 * One headless Chromium for the calling describe block, launched before its tests and closed after.
 * `newPage` opens the page in a fresh context, closed after the test, so no cookie, permission or
 * storage leaks from one test into the next.
 */
export function useBrowser(executable: string | null): {
  newPage(options?: BrowserContextOptions): Promise<Page>;
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
} {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    if (!executable) throw new Error(`${chromiumMissing}. Under CI=true the browser tests must run, not skip.`);
    browser = await launchChromium(executable);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  async function newContext(options: BrowserContextOptions = {}) {
    if (!browser) throw new Error('The browser is not running: call useBrowser() inside a describe block.');
    const context = await browser.newContext(options);
    contexts.push(context);
    return context;
  }
  return {
    newContext,
    async newPage(options = {}) {
      return (await newContext(options)).newPage();
    },
  };
}

/** Signs in on the admin's login form (French labels: the pages are opened with a French locale). */
export async function signInToAdmin(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/admin/login');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await Promise.all([page.waitForURL('**/admin/stories'), page.getByRole('button', { name: 'Se connecter' }).click()]);
}

/** Waits until the editor says its last change is saved. */
export const autosaved = (page: Page) =>
  expect.poll(() => page.locator('#autosave-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');

/**
 * In the editor of a machine translation (French interface): puts `paragraph` back at `index` of
 * the body, waits for the autosave, then marks the text reviewed and publishes it. Returns the
 * body's paragraphs as the machine left them, for the caller to assert on.
 */
export async function restoreReviewAndPublish(
  page: Page,
  { index, paragraph, reviewer }: { index: number; paragraph: string; reviewer: string },
): Promise<string[]> {
  const body = page.locator('#f-body');
  const left = (await body.inputValue()).split(/\n\s*\n/);
  await body.fill([...left.slice(0, index), paragraph, ...left.slice(index)].join('\n\n'));
  await autosaved(page);
  await expect
    .poll(() => page.locator('#preflight-findings li[data-code="BLOCK_DROPPED"]').count(), { timeout: 20_000 })
    .toBe(0);
  await Promise.all([
    page.waitForURL(/done=reviewed/),
    page.getByRole('button', { name: 'Marquer comme relu' }).click(),
  ]);
  expect(await page.locator('#machine-translation-state').textContent()).toContain(`relu par ${reviewer}`);
  await Promise.all([
    page.waitForURL(/done=published/),
    page.getByRole('button', { name: 'Publier maintenant' }).click(),
  ]);
  return left;
}
