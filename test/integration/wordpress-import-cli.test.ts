import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { databaseEnv, exited, runKiosque } from '../support/kiosque-process.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const fixtures = path.resolve(fileURLToPath(new URL('../fixtures/wordpress/', import.meta.url)));

/** A WordPress export of `count` published posts by one author, long enough to be killed halfway. */
function bulkExport(count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return `<item><title>Bulk story ${n}</title><link>https://old.example.invalid/2024/01/01/bulk-story-${n}/</link>
<dc:creator><![CDATA[desk]]></dc:creator><content:encoded><![CDATA[<p>Paragraph one of story ${n}.</p><p>Paragraph two.</p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${1000 + n}</wp:post_id><wp:post_date_gmt>2024-01-01 08:00:00</wp:post_date_gmt>
<wp:post_name>bulk-story-${n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bulk</title><link>https://old.example.invalid</link><language>en</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>desk</wp:author_login><wp:author_display_name>The Desk</wp:author_display_name></wp:author>
${items.join('\n')}
</channel></rss>`;
}

function output(child: ChildProcess) {
  const seen = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk) => {
    seen.stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    seen.stderr += chunk;
  });
  return seen;
}

/**
 * `kiosque import wordpress` as a new user runs it (the shipped command, a child process): plain
 * "n/total" progress when the output is not a terminal, the report, the stories on the site; a
 * `kill -9` in the middle of an import, then a second run that completes it with no duplicates.
 */
describeEachDatabase('kiosque import wordpress on $kind', ({ kind }) => {
  let site: TestSite;
  let folder: string;

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, env: { KIOSQUE_LANGUAGES: 'en,fr' } });
    folder = mkdtempSync(path.join(tmpdir(), 'kiosque-wxr-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const env = () => ({ ...databaseEnv(site.database), KIOSQUE_LANGUAGES: 'en,fr' });

  it('prints a plain count per item when not on a terminal, then the report; the site shows the stories', async () => {
    const child = runKiosque(
      ['import', 'wordpress', path.join(fixtures, 'export.xml'), '--media-from', path.join(fixtures, 'uploads')],
      env(),
    );
    const seen = output(child);
    expect((await exited(child)).code, seen.stderr).toBe(0);
    const lines = seen.stdout.split('\n');
    const counts = lines.filter((line) => /^\d+\/\d+$/.test(line));
    const total = Number(counts.at(-1)?.split('/')[1]);
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.at(-1)).toBe(`${total}/${total}`);
    expect(counts[0]).toBe(`1/${total}`);
    expect(seen.stdout).not.toContain('\r');
    expect(lines).toContain('Import from wordpress');
    expect(lines).toContain('  Story: 8 created, 0 updated, 0 unchanged, 2 skipped');
    expect(lines).toContain('  3 comments counted, not imported');
    expect(seen.stdout).toMatch(
      /Image 24 «missing\.jpg»: the file https:\/\/old\.example\.invalid\/wp-content\/uploads\/2024\/05\/missing\.jpg could not be fetched/,
    );
    expect(seen.stdout).toMatch(/Story 19 «Der Hafen öffnet wieder»: written in “de”/);

    const page = await site.app.server.inject({ method: 'GET', url: '/en/harbour-reopens-to-fishing-boats' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What changes for the fleet');
  }, 180_000);

  it('refuses an entity bomb with a clear message and a non-zero exit', async () => {
    const child = runKiosque(['import', 'wordpress', path.join(fixtures, 'entity-bomb.xml')], env());
    const seen = output(child);
    expect((await exited(child)).code).toBe(1);
    expect(seen.stderr).toContain('cannot be read as a WordPress export');
    expect(seen.stderr).toContain('It declares entities');
  }, 120_000);

  it('finishes after a kill -9 halfway, with every story once', async () => {
    const file = path.join(folder, `bulk-${kind}.xml`);
    writeFileSync(file, bulkExport(100));
    const first = runKiosque(['import', 'wordpress', file], env());
    const seen = output(first);
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        const done = Math.max(0, ...[...seen.stdout.matchAll(/^(\d+)\/\d+$/gm)].map((m) => Number(m[1])));
        if (done >= 25) {
          first.kill('SIGKILL');
          resolve();
        }
      };
      first.stdout?.on('data', check);
      first.once('exit', () => reject(new Error(`the import ended before it was killed: ${seen.stdout.slice(-200)}`)));
    });
    expect((await exited(first)).signal).toBe('SIGKILL');
    const stored = async () =>
      Number(
        (
          await site.app.database.db
            .selectFrom('articles')
            .select((e) => e.fn.countAll().as('n'))
            .where('slug', 'like', 'bulk-story-%')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const halfway = await stored();
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(100);

    const second = runKiosque(['import', 'wordpress', file], env());
    const rerun = output(second);
    expect((await exited(second)).code, rerun.stderr).toBe(0);
    expect(await stored()).toBe(100);
    const story = /^ {2}Story: (\d+) created, 0 updated, (\d+) unchanged, 0 skipped$/m.exec(rerun.stdout);
    expect(story, rerun.stdout.slice(-600)).not.toBeNull();
    expect(Number(story![1]) + Number(story![2])).toBe(100);
    expect(Number(story![2])).toBe(halfway);
    const distinct = await site.app.database.db
      .selectFrom('articles')
      .select('slug')
      .distinct()
      .where('slug', 'like', 'bulk-story-%')
      .execute();
    expect(distinct).toHaveLength(100);
  }, 400_000);
});
