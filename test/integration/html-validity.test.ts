import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
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

// Markup does not depend on the database, so SQLite alone is enough here.
describe('HTML validity (W3C Nu validator)', () => {
  let site: TestSite;
  let folder: string;
  const rendered = new Map<string, string>();

  beforeAll(async () => {
    if (javaMissing) return;
    site = await startTestSite('sqlite');
    folder = mkdtempSync(path.join(tmpdir(), 'kiosque-html-'));
    const pages: [string, InjectOptions | string, number][] = [
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
  });
  afterAll(async () => {
    await site?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it.skipIf(javaMissing)(
    'renders every page type as valid HTML',
    async () => {
      expect(rendered.size).toBe(13);
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
