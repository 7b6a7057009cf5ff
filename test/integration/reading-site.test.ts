import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

describe.each(databaseKinds(inject('postgresAvailable')))('reading site on $kind', ({ kind, skip }) => {
  let site: TestSite;
  beforeAll(async () => {
    if (skip) return;
    site = await startTestSite(kind);
  });
  afterAll(async () => {
    await site?.close();
  });

  it.skipIf(skip)('serves the seed article with its byline, date and wire credit', async () => {
    const response = await site.app.server.inject('/fr/poutine-xi-serrent-les-rangs');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1 class="story__headline">Poutine et Xi serrent les rangs');
    expect(response.body).toMatch(/Par <a href="\/fr\/author\/redaction" rel="author">Rédaction<\/a>/);
    expect(response.body).toContain('datetime="2022-02-04T18:00:00.000Z"');
    expect(response.body).toContain('Dépêche d’agence');
  });
});
