import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalEventBus } from '../../src/domain/events.js';
import { createRelatedService, type SimilarityIndex } from '../../src/domain/related/related-service.js';
import { createRelatedRepository, limitRelatedBacklog } from '../../src/storage/related-repository.js';
import { createSimilarityIndex } from '../../src/storage/similarity-index.js';
import { newsroom, testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { cardLinks, sectionLabelledBy } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

interface Fixture {
  key: string;
  topic: string;
  language: 'fr' | 'en';
  translationKey?: string;
  headline: string;
  standfirst: string;
  body: string;
  tags: string[];
}

const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/related/articles.json', import.meta.url), 'utf8'),
) as Fixture[];
const now = new Date('2026-03-10T12:00:00.000Z');
const clock = { now: () => now };
const slugOf = (fixture: Fixture) => fixture.key;
/**
 * Over two months, each topic's stories ten days apart and the topics interleaved: stories of
 * different topics sit closer in time than stories of one, so time cannot stand in for topic.
 */
const publishedAt = (index: number) => {
  const inLanguage = index % 36;
  const slot = (inLanguage % 6) * 6 + Math.floor(inLanguage / 6);
  return new Date(now.getTime() - slot * 40 * 3_600_000 - 3_600_000);
};
/** The quality bar of issue 5: at least this share of the four suggestions share the story's topic. */
const requiredPrecision = 0.8;

describeEachDatabase('related articles on $kind', ({ kind }) => {
  let site: TestSite;
  const idOf = new Map<string, string>();
  const fixtureOf = new Map<string, Fixture>();

  async function relatedOf(key: string): Promise<string[]> {
    const ids = await createRelatedRepository(site.app.database.db).relatedIds(idOf.get(key)!);
    const keys = new Map([...idOf].map(([k, id]) => [id, k]));
    return ids.slice(0, 4).map((id) => keys.get(id) ?? id);
  }

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, clock });
    const desk = newsroom(site.app.database.db, clock);
    const sections = new Map<string, string>();
    for (const [index, fixture] of fixtures.entries()) {
      const sectionKey = `${fixture.language}:${fixture.topic}`;
      if (!sections.has(sectionKey)) {
        sections.set(
          sectionKey,
          (await desk.taxonomy.ensureSection(fixture.language, fixture.topic, fixture.topic)).id,
        );
      }
      const tags = await Promise.all(
        fixture.tags.map((tag) =>
          desk.taxonomy.ensureTag(fixture.language, tag.toLowerCase().replace(/[^a-z0-9]+/g, '-'), tag),
        ),
      );
      const record = await desk.insert(
        desk.prepare({
          language: fixture.language,
          slug: slugOf(fixture),
          translationGroup: fixture.translationKey ? `grp_${fixture.translationKey}` : undefined,
          headline: fixture.headline,
          standfirst: fixture.standfirst,
          bodyMarkdown: fixture.body,
          status: 'published',
          sectionId: sections.get(sectionKey)!,
          tagIds: tags.map((tag) => tag.id),
          publishedAt: publishedAt(index),
        }),
      );
      idOf.set(fixture.key, record.id);
      fixtureOf.set(fixture.key, fixture);
    }
    // Stories written straight to storage are marked due; the service computes their lists.
    await site.app.related.refresh();
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('suggests four stories of the same language, never the story itself nor its translation', async () => {
    for (const fixture of fixtures) {
      const related = await relatedOf(fixture.key);
      expect(related, fixture.key).toHaveLength(4);
      expect(new Set(related).size, fixture.key).toBe(4);
      for (const key of related) {
        const other = fixtureOf.get(key)!;
        expect(other.language, fixture.key).toBe(fixture.language);
        expect(key, fixture.key).not.toBe(fixture.key);
        if (fixture.translationKey) expect(other.translationKey, fixture.key).not.toBe(fixture.translationKey);
      }
    }
  });

  it(`picks stories of the same topic: precision@4 of at least ${requiredPrecision} per language`, async () => {
    const byLanguage = new Map<string, number[]>();
    const misses: string[] = [];
    for (const fixture of fixtures) {
      const related = await relatedOf(fixture.key);
      const same = related.filter((key) => fixtureOf.get(key)!.topic === fixture.topic).length;
      byLanguage.set(fixture.language, [...(byLanguage.get(fixture.language) ?? []), same / 4]);
      if (same < 4) misses.push(`${fixture.key} → ${related.filter((key) => !key.includes(fixture.topic)).join(', ')}`);
    }
    const precision = Object.fromEntries(
      [...byLanguage].map(([language, values]) => [language, values.reduce((a, b) => a + b, 0) / values.length]),
    );
    console.log(
      `related articles on ${kind}: precision@4 ${Object.entries(precision)
        .map(([language, value]) => `${language} ${value.toFixed(3)}`)
        .join(', ')} (${fixtures.length} stories, 6 topics); off-topic picks: ${misses.join('; ') || 'none'}`,
    );
    for (const [language, value] of Object.entries(precision)) {
      expect(value, language).toBeGreaterThanOrEqual(requiredPrecision);
    }
  });

  it('serves the stored list on the article page, without computing it', async () => {
    const html = (await site.app.server.inject('/en/en-space-1')).body;
    const shown = cardLinks(sectionLabelledBy(html, 'related-title'));
    expect(shown).toEqual((await relatedOf('en-space-1')).map((key) => `/en/${key}`));
    // Whatever the table says is what readers get: nothing is recomputed on the way.
    const db = site.app.database.db;
    const before = await db
      .selectFrom('related_articles')
      .selectAll()
      .where('article_id', '=', idOf.get('en-space-1')!)
      .execute();
    await db.deleteFrom('related_articles').where('article_id', '=', idOf.get('en-space-1')!).execute();
    await db
      .insertInto('related_articles')
      .values({ article_id: idOf.get('en-space-1')!, related_id: idOf.get('en-football-4')!, position: 0, score: 0.5 })
      .execute();
    site.app.pageCache.clear();
    const replaced = cardLinks(
      sectionLabelledBy((await site.app.server.inject('/en/en-space-1')).body, 'related-title'),
    );
    // The stored story comes first; a list this short is topped up from stories sharing tags or section.
    expect(replaced[0]).toBe('/en/en-football-4');
    expect(replaced.slice(1)).not.toContain('/en/en-football-4');
    expect(replaced).not.toContain('/en/en-space-1');
    await db.deleteFrom('related_articles').where('article_id', '=', idOf.get('en-space-1')!).execute();
    await db.insertInto('related_articles').values(before).execute();
    site.app.pageCache.clear();
  });

  it('updates only the lists a publication touches, not every list', async () => {
    const db = site.app.database.db;
    const calls = { candidates: 0, profiles: 0 };
    const inner = createSimilarityIndex(db);
    const counting: SimilarityIndex = {
      profile: (...args) => {
        calls.profiles++;
        return inner.profile(...args);
      },
      candidates: (...args) => {
        calls.candidates++;
        return inner.candidates(...args);
      },
      documentFrequencies: (...args) => inner.documentFrequencies(...args),
      saveBlended: (...args) => inner.saveBlended(...args),
    };
    const lists = createRelatedRepository(db);
    const events = createLocalEventBus();
    const announced: string[][] = [];
    events.subscribe((event) => {
      if (event.type === 'related.changed') announced.push(event.articleIds);
    });
    const service = createRelatedService({ index: counting, lists, queue: lists, events, clock });
    service.stop();

    const desk = newsroom(db, clock);
    const section = await desk.taxonomy.ensureSection('en', 'space', 'space');
    const record = await desk.insert(
      desk.prepare({
        language: 'en',
        slug: 'en-space-7',
        headline: 'Private lander reaches the Moon with NASA instruments',
        standfirst: 'The spacecraft will study the lunar surface near the south pole for two weeks.',
        bodyMarkdown:
          'A private robotic lander carrying NASA instruments touched down on the Moon, the first commercial spacecraft to land on the lunar surface. Its instruments will study moon dust and radiation near the south pole before the lunar night. Space agencies see such missions as a cheaper way to prepare for astronauts returning to the Moon.',
        status: 'published',
        sectionId: section.id,
        publishedAt: new Date(now.getTime() - 60_000),
      }),
    );
    fixtureOf.set('en-space-7', { ...fixtureOf.get('en-space-5')!, key: 'en-space-7' });
    idOf.set('en-space-7', record.id);
    await service.refresh();

    // One profile and candidate search for the new story; other lists take it in by merging.
    expect(calls.candidates).toBeLessThanOrEqual(3);
    expect(calls.profiles).toBeLessThanOrEqual(3);
    const own = await relatedOf('en-space-7');
    expect(own).toHaveLength(4);
    expect(own.every((key) => key.startsWith('en-space-'))).toBe(true);
    const containing = await lists.listsContaining(record.id);
    expect(containing.length).toBeGreaterThan(0);
    const keys = new Map([...idOf].map(([k, id]) => [id, k]));
    expect(containing.map((id) => keys.get(id)!).every((key) => key.startsWith('en-space-'))).toBe(true);
    expect(announced.flat()).toEqual(expect.arrayContaining([record.id]));
  });

  it('drops a story from every list the moment it is unpublished, and refills the lists', async () => {
    const target = idOf.get('fr-health-3')!;
    const showing = await createRelatedRepository(site.app.database.db).listsContaining(target);
    expect(showing.length).toBeGreaterThan(0);
    const keys = new Map([...idOf].map(([k, id]) => [id, k]));
    const pages = showing.map((id) => `/fr/${keys.get(id)}`);
    for (const path of pages) expect((await site.app.server.inject(path)).statusCode).toBe(200);
    for (const path of pages) expect(site.app.pageCache.has(path), path).toBe(true);

    const before = new Map<string, string[]>();
    for (const path of pages) {
      before.set(path, cardLinks(sectionLabelledBy((await site.app.server.inject(path)).body, 'related-title')));
    }
    const record = await site.app.articles.get(target);
    await site.app.articles.unpublish(target, { expectedRevision: record.revision });
    await site.app.related.idle();

    expect(await createRelatedRepository(site.app.database.db).listsContaining(target)).toEqual([]);
    let refilled = 0;
    for (const path of pages) {
      expect(site.app.pageCache.has(path), path).toBe(false);
      const shown = cardLinks(sectionLabelledBy((await site.app.server.inject(path)).body, 'related-title'));
      expect(shown, path).not.toContain('/fr/fr-health-3');
      // What the page showed still shows, moved up; a story that did not make the list before takes the place.
      expect(shown.slice(0, 2), path).toEqual(
        before
          .get(path)!
          .filter((link) => link !== '/fr/fr-health-3')
          .slice(0, 2),
      );
      if (shown.some((link) => !before.get(path)!.includes(link))) refilled++;
    }
    expect(refilled).toBeGreaterThan(0);
    expect(await relatedOf('fr-health-3')).toEqual([]);
  });

  it('moves a story between lists when an edit changes its subject', async () => {
    const id = idOf.get('fr-football-6')!;
    const record = await site.app.articles.get(id);
    const section = await newsroom(site.app.database.db, clock).taxonomy.ensureSection('fr', 'space', 'space');
    await site.app.articles.edit(
      id,
      {
        language: 'fr',
        slug: record.slug,
        headline: 'Une fusée réutilisable se pose après un vol orbital',
        standfirst: 'Le premier étage du lanceur est revenu se poser sur sa plateforme.',
        bodyMarkdown:
          'Le premier étage de la fusée est revenu se poser verticalement après avoir placé des satellites en orbite. Les agences spatiales veulent réduire le coût des lancements grâce aux lanceurs réutilisables, comme le fait SpaceX.',
        sectionId: section.id,
        authorIds: await testByline(site.app.database.db),
      },
      { expectedRevision: record.revision },
    );
    await site.app.related.idle();
    const own = await relatedOf('fr-football-6');
    expect(own.filter((key) => key.startsWith('fr-space-')).length).toBeGreaterThanOrEqual(3);
    const containing = await createRelatedRepository(site.app.database.db).listsContaining(id);
    const keys = new Map([...idOf].map(([k, value]) => [value, k]));
    expect(containing.map((other) => keys.get(other)!).filter((key) => key.startsWith('fr-football-'))).toEqual([]);
  });
  it('after indexing an archive in bulk, leaves only the newest stories’ lists due', async () => {
    const db = site.app.database.db;
    await site.app.related.idle();
    await db.updateTable('article_search').set({ related_stale: 1 }).execute();
    await limitRelatedBacklog(db, 3);
    const lists = createRelatedRepository(db);
    const newest = await db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('deleted_at', 'is', null)
      .orderBy('published_at', 'desc')
      .limit(3)
      .execute();
    expect((await lists.due(100)).map((item) => item.id).sort()).toEqual(newest.map((row) => row.id).sort());
    await site.app.related.refresh();
    expect(await lists.due(100)).toEqual([]);
  });
});
