import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMachineTranslationRepository } from '../../src/storage/machine-translation-repository.js';
import { editHeadline, newsroom, shownStories } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { ninjsErrors } from '../support/ninjs-schema.js';
import { setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
/** The paid demo story, and words found only past its second paragraph. */
const paidSlug = 'what-the-river-sensors-found';
const heldBack = ['tannery quarter', 'Marguerite Oyelaran', 'settling basin'];

// biome-ignore lint/suspicious/noExplicitAny: a parsed ninjs document is walked by field name
type Ninjs = { [key: string]: any };

/**
 * `/api/ninjs/{lang}/{slug}` (issue 13): every public story as an IPTC ninjs 3.1 document valid
 * against IPTC's published schema, the paid one without its body, anything not public a JSON 404,
 * and an edit seen at once through the page cache. On both databases, over HTTP.
 */
describeEachDatabase('ninjs API on $kind', ({ kind }) => {
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite(kind, { clock });
  });
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  async function ninjs(lang: string, slug: string): Promise<Ninjs> {
    const response = await get(`/api/ninjs/${lang}/${slug}`);
    expect(response.statusCode, `${lang}/${slug}: ${response.body.slice(0, 300)}`).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(response.body) as Ninjs;
    expect(ninjsErrors(document), `${lang}/${slug}`).toEqual([]);
    return document;
  }

  const publicStories = () => shownStories(site);

  it('answers every public story as a valid ninjs 3.1 document', async () => {
    const stories = await publicStories();
    expect(stories.length).toBeGreaterThan(3);
    for (const story of stories) {
      const document = await ninjs(story.language, story.slug);
      expect(document.uri).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(document.language).toBe(story.language);
      expect(document.headlines[0].value).toBe(story.headline);
      expect(document.renditions).toContainEqual({
        name: 'html',
        href: `${site.url}/${story.language}/${story.slug}`,
        contentType: 'text/html',
      });
      if (story.access === 'public') expect(document.bodies?.[0]?.value, story.slug).toBeTruthy();
      else expect(document.bodies, story.slug).toBeUndefined();
    }
    // The translations of a story name each other by the ids the feeds use.
    const linked = (await Promise.all(stories.map((s) => ninjs(s.language, s.slug)))).find((d) =>
      d.associations?.some((a: Ninjs) => a.rel === 'translation'),
    );
    expect(linked, 'a demo story with a translation').toBeDefined();
    const other = linked?.associations.find((a: Ninjs) => a.rel === 'translation');
    const [, , , lang, slug] = new URL(other.renditions.find((r: Ninjs) => r.name === 'ninjs').href).pathname.split(
      '/',
    );
    expect((await ninjs(lang as string, slug as string)).uri).toBe(other.uri);
  });

  it('gives the paid story without its body', async () => {
    const story = (await publicStories()).find((s) => s.slug === paidSlug);
    expect(story?.access).toBe('paid');
    const response = await get(`/api/ninjs/${story?.language}/${paidSlug}`);
    expect(response.statusCode).toBe(200);
    const document = JSON.parse(response.body) as Ninjs;
    expect(document.bodies).toBeUndefined();
    expect(document.representationType).toBe('partial');
    for (const passage of heldBack) expect(response.body).not.toContain(passage);
  });

  it('answers a draft, an unknown slug or a language the site does not serve with the JSON 404', async () => {
    const { prepare, insert } = newsroom(site.app.database.db, clock);
    await insert(
      prepare({
        language: 'en',
        slug: 'ninjs-draft',
        headline: 'Not yet',
        bodyMarkdown: 'Secret draft.',
        status: 'draft',
      }),
    );
    for (const url of ['/api/ninjs/en/ninjs-draft', '/api/ninjs/en/no-such-story', '/api/ninjs/xx/ninjs-draft']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/json/);
      const body = JSON.parse(response.body) as { code: string; message: string };
      expect(['ARTICLE_NOT_FOUND', 'PAGE_NOT_FOUND'], url).toContain(body.code);
      expect(body.message.length, url).toBeGreaterThan(0);
      expect(response.body).not.toContain('Secret draft');
    }
  });

  it('says a reviewed machine translation was made from which story, by which provider, reviewed by whom', async () => {
    const stories = await publicStories();
    const groups = await site.app.database.db
      .selectFrom('articles')
      .select(['id', 'translation_group'])
      .where(
        'id',
        'in',
        stories.map((s) => s.id),
      )
      .execute();
    const groupOf = new Map(groups.map((row) => [row.id, row.translation_group]));
    const translated = stories.find((s) =>
      stories.some((o) => o.id !== s.id && groupOf.get(o.id) === groupOf.get(s.id) && o.language !== s.language),
    );
    const source = stories.find(
      (o) =>
        o.id !== translated?.id &&
        groupOf.get(o.id) === groupOf.get(translated?.id ?? '') &&
        o.language !== translated?.language,
    );
    expect(translated && source, 'a demo story with a translation').toBeTruthy();
    if (!translated || !source) return;
    await setupOwner(site);
    const staff = await site.app.database.db.selectFrom('staff_users').select(['id']).executeTakeFirstOrThrow();
    await createMachineTranslationRepository(site.app.database.db).save({
      articleId: translated.id,
      provider: 'deepl',
      sourceLanguage: source.language,
      translatedAt: clock.now(),
      reviewedBy: { id: staff.id, name: 'Rita Reviewer' },
      reviewedAt: clock.now(),
    });
    // Written straight into storage, without the event the translation desk sends.
    site.app.pageCache.clear();
    const document = await ninjs(translated.language, translated.slug);
    const sourceDocument = await ninjs(source.language, source.slug);
    expect(document.infoSources).toContainEqual({
      name: 'DeepL',
      role: 'machine-translator',
      literal: `translated-from:${source.language}`,
    });
    expect(document.people).toContainEqual({ name: 'Rita Reviewer', rel: 'translation-reviewer' });
    const from = document.associations.find((a: Ninjs) => a.rel === 'translated-from');
    expect(from).toMatchObject({ uri: sourceDocument.uri, language: source.language, name: source.headline });
    expect(sourceDocument.infoSources ?? []).not.toContainEqual(
      expect.objectContaining({ role: 'machine-translator' }),
    );
  });

  it('shows an edit at once, though the answer is cached', async () => {
    const story = (await publicStories()).find((s) => s.access === 'public') as {
      id: string;
      language: string;
      slug: string;
    };
    const before = await ninjs(story.language, story.slug);
    // A change written behind the site's back (no event) is not seen: the answer comes from the cache.
    await site.app.database.db
      .updateTable('articles')
      .set({ headline: 'Written behind the cache' })
      .where('id', '=', story.id)
      .execute();
    const again = await get(`/api/ninjs/${story.language}/${story.slug}`);
    expect(JSON.parse(again.body)).toEqual(before);
    await editHeadline(site, story.id, 'Edited for the agencies');
    const after = await ninjs(story.language, story.slug);
    expect(after.headlines[0].value).toBe('Edited for the agencies');
    expect(Number(after.version)).toBeGreaterThan(Number(before.version));
    expect(after.uri).toBe(before.uri);
  });
});
