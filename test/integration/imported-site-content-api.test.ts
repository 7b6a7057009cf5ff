import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import GhostContentAPI from '@tryghost/content-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentProgress } from '../../src/domain/imports/import-progress.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const wordpress = new URL('../fixtures/wordpress/', import.meta.url);
const ghost = new URL('../fixtures/ghost/', import.meta.url);

/**
 * Issue 13's proof: a site filled by importing a WordPress export and a Ghost export, then read
 * with Ghost's own Content API client, unmodified — what a static-site generator moving off
 * either system sees. On both databases, over HTTP.
 */
describeEachDatabase('an imported site read by Ghost’s client on $kind', ({ kind }) => {
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, listen: true });
    const sources = [
      ['wordpress', readFileSync(new URL('export.xml', wordpress)), fileURLToPath(new URL('uploads/', wordpress))],
      ['ghost', readFileSync(new URL('export.json', ghost)), null],
    ] as const;
    for (const [system, bytes, mediaFrom] of sources) {
      const importer = site.app.importers[system](bytes, { mediaFrom });
      const run = await site.app.imports.begin({ system, fileName: 'export', startedBy: null });
      await site.app.imports.execute(run.id, system, importer, silentProgress);
    }
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  it('lists the imported stories of both systems with their authors and tags, and none that is not public', async () => {
    const key = (await site.app.integrations.add({ name: 'Static site', createdBy: null })).contentKey;
    const api = GhostContentAPI({ url: site.url, key, version: 'v5.0' });
    const posts = await api.posts.browse({ limit: 'all', include: 'tags,authors' });
    const slugs = posts.map((post) => post.slug);
    // One story from each export, as their authors wrote them.
    expect(slugs).toContain('harbour-reopens-to-fishing-boats');
    expect(slugs).toContain('council-votes-harbour');
    // A WordPress draft and a Ghost draft stay out of sight.
    expect(slugs).not.toContain('ideas-for-the-summer-issue');
    expect(slugs).not.toContain('notes-later-story');

    const harbour = await api.posts.read({ slug: 'harbour-reopens-to-fishing-boats' }, { include: 'tags,authors' });
    expect(harbour.title).toBe('The harbour reopens to fishing boats');
    expect(harbour.primary_author?.name).toBe('Alice Martin');
    expect(harbour.custom_excerpt).toBe('After twelve years, the old harbour welcomes the fleet again.');
    expect(harbour.html).toContain('<h2>What changes for the fleet</h2>');
    expect(harbour.html).toContain('<td>2024</td>');
    expect(harbour.published_at).toBe('2024-05-12T09:30:00.000Z');
    expect(harbour.tags?.map((tag: { slug: string }) => tag.slug)).toContain('climate');

    const council = await api.posts.read({ slug: 'council-votes-harbour' }, { include: 'authors' });
    expect(council.title).toBe('The council votes on the harbour');
    expect(council.html?.length ?? 0).toBeGreaterThan(20);

    // The imported authors are the API's authors too, with their story counts.
    const authors = await api.authors.browse({ limit: 'all', include: 'count.posts' });
    const alice = authors.find((author) => author.name === 'Alice Martin');
    expect(alice?.count?.posts).toBeGreaterThan(0);
  });
});
