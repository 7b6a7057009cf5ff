import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSite, type TestSite } from '../support/test-app.js';

const validator = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
const javaMissing =
  spawnSync('java', ['-version']).status === 0
    ? null
    : 'Java is not installed: the W3C Nu validator needs it (apt-get install default-jre-headless).';
if (javaMissing && process.env.CI === 'true') throw new Error(javaMissing);

interface NuMessage {
  type: string;
  url?: string;
  lastLine?: number;
  firstColumn?: number;
  message: string;
  extract?: string;
}

/** Runs the validator once over every file: the JVM takes seconds to start. */
function validate(files: string[]): Promise<NuMessage[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-jar', validator, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        // Exit status 1 means "errors found"; the report is on stderr either way.
        try {
          resolve((JSON.parse(stderr) as { messages: NuMessage[] }).messages);
        } catch {
          reject(error ?? new Error(`The validator wrote no JSON report: ${stderr}`));
        }
      },
    );
  });
}

/** Signs up, lets the job worker write the confirmation to the outbox, and reads its links. */
async function newsletterLinks(site: TestSite): Promise<{ confirm: string; unsubscribe: string }> {
  await site.app.server.inject({
    method: 'POST',
    url: '/fr/newsletter',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'email=valide%40example.org',
  });
  await site.app.jobs.runUntilIdle();
  const outbox = path.join(site.config.dataDir, 'outbox');
  // Other features write to the outbox too: the confirmation is the email to this address.
  const file = readdirSync(outbox).find((name) =>
    readFileSync(path.join(outbox, name), 'utf8').includes('valide@example.org'),
  );
  const { text = '' } = await simpleParser(readFileSync(path.join(outbox, file as string)));
  const link = (kind: string) => {
    const found = new RegExp(`https?://\\S+/fr/newsletter/${kind}\\?token=\\S+`).exec(text)?.[0];
    if (!found) throw new Error(`no ${kind} link in the confirmation email`);
    const url = new URL(found);
    return `${url.pathname}${url.search}`;
  };
  return { confirm: link('confirm'), unsubscribe: link('unsubscribe') };
}

// Markup does not depend on the database, so SQLite alone is enough here.
describe('HTML validity (W3C Nu validator)', () => {
  let site: TestSite;
  let folder: string;
  const rendered = new Map<string, string>();

  beforeAll(async () => {
    if (javaMissing) return;
    site = await startTestSite('sqlite');
    folder = mkdtempSync(path.join(tmpdir(), 'kiosque-html-'));
    const links = await newsletterLinks(site);
    const pages: [string, InjectOptions | string, number][] = [
      ['newsletter-confirm', links.confirm, 200],
      ['newsletter-confirmed', { method: 'POST', url: links.confirm }, 200],
      ['newsletter-unsubscribe', links.unsubscribe, 200],
      ['newsletter-unsubscribed', { method: 'POST', url: links.unsubscribe }, 200],
      ['home-fr', '/fr/', 200],
      ['home-en', '/en/', 200],
      ['article-seed', '/fr/poutine-xi-serrent-les-rangs', 200],
      ['article-en', '/en/night-trains-return-to-europe', 200],
      ['section', '/fr/section/monde', 200],
      ['tag', '/en/tag/cities', 200],
      ['author', '/fr/author/thomas-bernier', 200],
      ['newsletter', '/fr/newsletter', 200],
      ['newsletter-thanks', '/en/newsletter/thanks', 200],
      ['subscribe', '/en/subscribe', 200],
      ['search', '/fr/search?q=trains+de+nuit&section=monde', 200],
      ['search-empty', '/en/search', 200],
      ['search-none', '/en/search?q=zzzz&from=2020-01-01', 200],
      ['article-paid-gated', '/en/what-the-river-sensors-found', 200],
      ['article-members-gated', '/fr/le-budget-de-l-eau-a-valbrune', 200],
      ['article-metered', '/en/read/what-the-river-sensors-found', 200],
      ['signin', '/en/account', 200],
      ['signin-sent', '/fr/account/signin/sent', 200],
      ['subscribe-welcome', '/en/subscribe/welcome', 200],
      [
        'signin-invalid-email',
        {
          method: 'POST',
          url: '/fr/account/signin',
          payload: 'email=nope',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        400,
      ],
      ['not-found', '/fr/cette-page-n-existe-pas', 404],
      [
        'newsletter-invalid-email',
        {
          method: 'POST',
          url: '/en/newsletter',
          payload: 'email=nope',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        400,
      ],
      [
        'bad-request',
        {
          method: 'POST',
          url: '/fr/newsletter',
          payload: 'source=%2F',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        400,
      ],
    ];
    for (const [name, request, status] of pages) {
      const response = await site.app.server.inject(request);
      expect(response.statusCode, name).toBe(status);
      const file = path.join(folder, `${name}.html`);
      writeFileSync(file, response.body);
      rendered.set(`file:${file}`, name);
    }
    // The signed-in pages: a sign-in link from the outbox (no SMTP_URL), its confirmation page, the account.
    await site.app.server.inject({
      method: 'POST',
      url: '/fr/account/signin',
      payload: 'email=lectrice%40example.org',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const outbox = path.join(site.database.dataDir, 'outbox');
    const email = readdirSync(outbox)
      .map((name) => readFileSync(path.join(outbox, name), 'utf8'))
      .find((text) => text.includes('lectrice@example.org'));
    const text = (await simpleParser(email ?? '')).text ?? '';
    const token = /account\/verify\?token=([\w-]+)/.exec(text)?.[1];
    const verify = await site.app.server.inject(`/fr/account/verify?token=${token}`);
    expect(verify.statusCode, 'verify').toBe(200);
    const formCookie = String(verify.headers['set-cookie']).split(';')[0] as string;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(verify.body)?.[1] ?? '';
    const signedIn = await site.app.server.inject({
      method: 'POST',
      url: '/fr/account/verify',
      payload: new URLSearchParams({ _csrf: csrf, token: token ?? '' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
    });
    const member = String(signedIn.headers['set-cookie']).split(';')[0] as string;
    const signedInPages: [string, string][] = [
      ['signin-verify', verify.body],
      ['account', (await site.app.server.inject({ url: '/fr/account', headers: { cookie: member } })).body],
      ['subscribe-member', (await site.app.server.inject({ url: '/en/subscribe', headers: { cookie: member } })).body],
    ];
    for (const [name, body] of signedInPages) {
      expect(body, name).toContain('<!DOCTYPE html>');
      const file = path.join(folder, `${name}.html`);
      writeFileSync(file, body);
      rendered.set(`file:${file}`, name);
    }
  });
  afterAll(async () => {
    await site?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it.skipIf(javaMissing)(
    'renders every page type as valid HTML',
    async () => {
      expect(rendered.size).toBe(30);
      const messages = await validate([...rendered.keys()].map((url) => url.slice('file:'.length)));
      const errors = messages
        .filter((m) => m.type === 'error' || m.type === 'non-document-error')
        .map((m) => {
          const page = rendered.get(m.url ?? '') ?? m.url ?? '?';
          return `${page}.html:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'} ${m.message}${m.extract ? `\n    …${m.extract}…` : ''}`;
        });
      expect(errors, `The validator found errors:\n${errors.join('\n')}`).toEqual([]);
    },
    120_000,
  );
});
