import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testByline } from '../support/articles.js';
import { browserAvailability, useBrowser } from '../support/browser.js';
import { signInLinkOf } from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const { executable, skip } = browserAvailability();
const paidStory = '/en/what-the-river-sensors-found';
const heldBack = 'Marguerite Oyelaran';

// What a browser adds does not depend on the database: the HTTP suites cover PostgreSQL.
describe.skipIf(skip)('members and the paywall in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let smtp: SmtpSink;
  let secondPaid: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite('sqlite', { listen: true, env: { SMTP_URL: smtp.url, KIOSQUE_FREE_STORIES: '1' } });
    const second = await site.app.articles.create({
      language: 'en',
      headline: 'Another story for subscribers',
      bodyMarkdown: 'Its first line.\n\nIts second line.\n\nIts third line, for subscribers only.',
      status: 'published',
      access: 'paid',
      publishedAt: new Date(Date.now() - 3_600_000),
      authorIds: await testByline(site.app.database.db),
    });
    secondPaid = `/en/${second.slug}`;
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const newPage = () => chromium.newPage({ baseURL: site.url });

  /** Signs in from the sign-in form, following the link of the email the SMTP server received. */
  async function signIn(page: Page, email: string) {
    await page.goto('/en/account');
    await page.getByLabel('Email address').fill(email);
    const before = smtp.received.length;
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    await smtp.waitFor(before + 1);
    const link = signInLinkOf(smtp, email);
    await page.goto(link.replace(site.config.publicUrl, site.url));
    await page.getByRole('button', { name: /^Sign in to / }).click();
    await page.waitForURL(/\/en\/account$/);
  }

  it('stops an anonymous reader at the paywall, and lets them spend the honest cookie meter once', async () => {
    const page = await newPage();
    await page.goto(paidStory);
    await expect
      .poll(() => page.getByRole('heading', { name: 'This story is for subscribers' }).isVisible())
      .toBe(true);
    expect(await page.locator('.story__body').textContent()).toContain('anchored twelve small probes');
    expect(await page.content()).not.toContain(heldBack);
    expect(await page.locator('.paywall__honest').textContent()).toContain('a soft limit');

    await page.getByRole('link', { name: /Read it now/ }).click();
    await expect.poll(() => page.locator('.story__body').textContent()).toContain(heldBack);
    expect(await page.locator('.metered').textContent()).toContain('free story 1 of 1');

    await page.goto(`/en/read/${secondPaid.split('/')[2]}`);
    expect(await page.locator('.paywall').textContent()).toContain('This browser has used its free story this month.');
    expect(await page.content()).not.toContain('for subscribers only');
    await page.getByRole('link', { name: 'See subscription offers' }).click();
    await page.waitForURL(/\/en\/subscribe$/);
    expect(await page.locator('h1').textContent()).toBe('Subscribe');
  });

  it('signs a reader in by the magic link from the email they received', async () => {
    const page = await newPage();
    await signIn(page, 'browser.reader@example.org');
    expect(await page.locator('main').textContent()).toContain('Signed in as browser.reader@example.org.');
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'kiosque_member')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
  });

  it('stops a signed-in member once the month’s free story is used', async () => {
    const page = await newPage();
    await signIn(page, 'metered.reader@example.org');
    await page.goto(paidStory);
    await expect.poll(() => page.locator('.story__body').textContent()).toContain(heldBack);
    expect(await page.locator('.metered').textContent()).toContain('free story 1 of 1');
    await page.goto(secondPaid);
    expect(await page.locator('.paywall').textContent()).toContain('You have read your free story this month.');
    expect(await page.content()).not.toContain('for subscribers only');
    // Opening the story already counted still works.
    await page.goto(paidStory);
    expect(await page.locator('.story__body').textContent()).toContain(heldBack);
  });
});
