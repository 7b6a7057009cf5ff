import type { Kysely } from 'kysely';
import { randomIds } from '../../src/app.js';
import { type ArticleInput, type ArticleRecord, prepareNewArticle } from '../../src/domain/articles/article-input.js';
import { initialRevision } from '../../src/domain/articles/article-service.js';
import type { Clock, IdGenerator } from '../../src/domain/clock.js';
import { createArticleRepository } from '../../src/storage/article-repository.js';
import type { Database } from '../../src/storage/schema.js';
import { createTaxonomyRepository } from '../../src/storage/taxonomy-repository.js';
import type { TestSite } from './test-app.js';

/**
 * Writes stories straight through the repositories, the way the newsroom's save does, so that a
 * test can set up exactly the content it asserts on. One place to follow the write API.
 */
export function newsroom(db: Kysely<Database>, clock: Clock, ids: IdGenerator = randomIds) {
  const articles = createArticleRepository(db);
  const taxonomy = createTaxonomyRepository(db, ids);
  return {
    articles,
    taxonomy,
    /** Validates and prepares a record without storing it; `change` may then set what validation refuses. */
    prepare(input: ArticleInput, change: (record: ArticleRecord) => void = () => {}): ArticleRecord {
      const record = prepareNewArticle(input, { clock, ids });
      change(record);
      return record;
    },
    async insert(record: ArticleRecord): Promise<ArticleRecord> {
      await articles.insert(record, initialRevision(record, null));
      return record;
    },
  };
}

/**
 * A byline for stories a test publishes through the article service: preflight refuses to publish
 * a story without one (the demo's own authors are absent when a test starts without the demo).
 */
export async function testByline(db: Kysely<Database>): Promise<string[]> {
  const taxonomy = createTaxonomyRepository(db, randomIds);
  const author = await taxonomy.ensureAuthor({ slug: 'desk', name: 'Desk', bio: '' }, new Date());
  return [author.id];
}

/** The id of the article at `/{language}/{slug}`, whatever its status (the test fails when there is none). */
export async function articleIdBySlug(db: Kysely<Database>, language: string, slug: string): Promise<string> {
  const row = await db
    .selectFrom('articles')
    .select('id')
    .where('language', '=', language)
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The published stories whose page the site shows (in one of its languages), by id. */
export async function shownStories(site: TestSite) {
  const stored = await site.app.database.db
    .selectFrom('articles')
    .select(['id', 'language', 'slug', 'access', 'headline', 'translation_group'])
    .where('status', '=', 'published')
    .where('deleted_at', 'is', null)
    .where('embargo_until', 'is', null)
    .orderBy('id')
    .execute();
  const shown = await Promise.all(
    stored.map(
      async (s) =>
        (await site.app.server.inject({ method: 'GET', url: `/${s.language}/${s.slug}` })).statusCode === 200,
    ),
  );
  return stored.filter((_, i) => shown[i]);
}

/** Changes a stored story's headline through the article service, as the editor's save does (with its event). */
export async function editHeadline(site: TestSite, id: string, headline: string): Promise<void> {
  const record: ArticleRecord = await site.app.articles.get(id);
  const { id: _i, bodyHtml: _b, revision: _r, createdAt: _c, updatedAt: _u, deletedAt: _d, ...input } = record;
  await site.app.articles.edit(id, { ...(input as ArticleInput), headline }, { expectedRevision: record.revision });
}
