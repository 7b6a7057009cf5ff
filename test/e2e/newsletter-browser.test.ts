import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticleRepository } from '../../src/storage/article-repository.js';
import { createNewsletterRepository } from '../../src/storage/newsletter-repository.js';
import { browserAvailability, useBrowser } from '../support/browser.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { formHeaders, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const seedArticle = '/fr/poutine-xi-serrent-les-rangs';
const reader = 'lectrice.e2e@example.org';
const { executable, skip } = browserAvailability();

// A reader's whole journey, with a real SMTP server and the real job worker: sign up from the
// seed article, confirm from the email, receive a story, unsubscribe from the email.
describe.skipIf(skip)('newsletter in Chromium, on SQLite', () => {
  const chromium = useBrowser(executable);
  let site: TestSite;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    site = await startTestSite('sqlite', {
      listen: true,
      env: { SMTP_URL: smtp.url, KIOSQUE_MAIL_RATE_PER_MINUTE: '100000' },
    });
    site.app.jobs.start();
  });
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const link = (index: number, text: RegExp) => {
    const mail = smtp.received[index]!;
    const found = linksOf(mail).find((l) => text.test(l.text));
    if (!found) throw new Error(`no link ${text} in message ${index}`);
    expect(found.href.startsWith(`${site.url}/`)).toBe(true);
    return found.href;
  };

  it('signs up from the seed article, confirms from the email, receives a story and unsubscribes in one click', async () => {
    const page = await chromium.newPage({ baseURL: site.url });
    await page.goto(seedArticle);
    const box = page.locator('section.newsletter');
    await box.getByLabel('Votre adresse e-mail').fill(reader);
    await Promise.all([
      page.waitForURL('**/fr/newsletter/thanks'),
      box.getByRole('button', { name: 'Je m’inscris' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Merci pour votre inscription');

    // The confirmation arrives; its link opens a page whose button confirms.
    await smtp.waitFor(1);
    expect(smtp.received[0]!.to).toEqual([reader]);
    await page.goto(link(0, /Je confirme/));
    expect(await page.locator('h1').textContent()).toBe('Confirmez votre inscription');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Je confirme mon inscription' }).click(),
    ]);
    await page.locator('h1', { hasText: 'Inscription confirmée' }).waitFor();
    const repo = createNewsletterRepository(site.app.database.db);
    expect((await repo.findByEmail(reader))?.status).toBe('confirmed');

    // The newsroom sends the seed story to the French list; the reader receives it.
    const owner = await setupOwner(site);
    const story = await createArticleRepository(site.app.database.db).findPublished(
      'fr',
      'poutine-xi-serrent-les-rangs',
      new Date(),
    );
    const sent = await site.app.server.inject({
      method: 'POST',
      url: `/admin/stories/${story!.id}/newsletter`,
      headers: { ...formHeaders, cookie: owner.cookie },
      payload: new URLSearchParams({ _csrf: owner.csrf, listId: 'nll_fr_default', mode: 'now' }).toString(),
    });
    expect(sent.statusCode).toBe(200);
    await smtp.waitFor(2);
    const newsletter = smtp.received[1]!;
    expect(newsletter.to).toEqual([reader]);
    expect(newsletter.parsed.subject).toBe(story!.headline);

    // The reader follows the email's link to the story, then unsubscribes from the email.
    await page.goto(link(1, /Lire sur le site/));
    expect(new URL(page.url()).pathname).toBe(seedArticle);
    await page.goto(link(1, /Se désinscrire/));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Me désinscrire' }).click()]);
    await page.locator('h1', { hasText: 'Vous êtes désinscrit·e' }).waitFor();
    expect((await repo.findByEmail(reader))?.status).toBe('unsubscribed');
  }, 90_000);
});
