import { type Kysely, sql } from 'kysely';
import type { SitemapListing, SitemapReader } from '../domain/sitemaps/sitemap-service.js';
import { type Database, toDate } from './schema.js';

const later = (a: string | Date, b: string | Date | null) => {
  const first = toDate(a);
  const second = b === null ? null : toDate(b);
  return second && second > first ? second : first;
};

/** Sitemaps on SQL: counts, pages of public stories with their translations, listings, recent stories. */
export function createSitemapRepository(db: Kysely<Database>): SitemapReader {
  function publicIn(language: string, now: Date) {
    return db
      .selectFrom('articles')
      .where('articles.language', '=', language)
      .where('articles.status', '=', 'published')
      .where('articles.deleted_at', 'is', null)
      .where('articles.published_at', '<=', now.toISOString());
  }

  return {
    async countPublic(language, now) {
      const row = await publicIn(language, now)
        .select((eb) => [
          eb.fn.countAll<string | number>().as('n'),
          eb.fn.max('articles.updated_at').as('updated'),
          eb.fn.max('articles.published_at').as('published'),
        ])
        .executeTakeFirstOrThrow();
      const count = Number(row.n);
      return {
        count,
        lastModified: count === 0 || !row.updated ? null : later(row.updated, row.published ?? null),
      };
    },

    async listPublic(language, now, offset, limit) {
      // The page of stories first, then their translations joined to it: one query, whatever the page size.
      const rows = await db
        .selectFrom(
          publicIn(language, now)
            .select([
              'articles.id',
              'articles.slug',
              'articles.translation_group',
              'articles.updated_at',
              'articles.published_at',
            ])
            .orderBy('articles.published_at')
            .orderBy('articles.id')
            .limit(limit)
            .offset(offset)
            .as('page'),
        )
        .leftJoin('articles as other', (join) =>
          join
            .onRef('other.translation_group', '=', 'page.translation_group')
            .on('other.language', '<>', language)
            .on('other.status', '=', 'published')
            .on('other.deleted_at', 'is', null)
            .on('other.published_at', '<=', now.toISOString()),
        )
        .select([
          'page.id',
          'page.slug',
          'page.updated_at',
          'page.published_at',
          'other.language as other_language',
          'other.slug as other_slug',
        ])
        .orderBy('page.published_at')
        .orderBy('page.id')
        .orderBy('other.language')
        .execute();
      const stories = new Map<
        string,
        { slug: string; lastModified: Date; translations: { language: string; slug: string }[] }
      >();
      for (const row of rows) {
        let story = stories.get(row.id);
        if (!story) {
          story = { slug: row.slug, lastModified: later(row.updated_at, row.published_at), translations: [] };
          stories.set(row.id, story);
        }
        if (row.other_language && row.other_slug) {
          story.translations.push({ language: row.other_language, slug: row.other_slug });
        }
      }
      return [...stories.values()];
    },

    async listListings(language, now) {
      const cutoff = now.toISOString();
      const visible = sql<boolean>`articles.status = 'published' and articles.deleted_at is null and articles.published_at <= ${cutoff}`;
      const [sections, tags, authors] = await Promise.all([
        db
          .selectFrom('sections')
          .innerJoin('articles', 'articles.section_id', 'sections.id')
          .where('sections.language', '=', language)
          .where('articles.language', '=', language)
          .where(visible)
          .groupBy('sections.slug')
          .select((eb) => [
            'sections.slug',
            eb.fn.max('articles.updated_at').as('updated'),
            eb.fn.max('articles.published_at').as('published'),
          ])
          .orderBy('sections.slug')
          .execute(),
        db
          .selectFrom('tags')
          .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
          .innerJoin('articles', 'articles.id', 'article_tags.article_id')
          .where('tags.language', '=', language)
          .where('articles.language', '=', language)
          .where(visible)
          .groupBy('tags.slug')
          .select((eb) => [
            'tags.slug',
            eb.fn.max('articles.updated_at').as('updated'),
            eb.fn.max('articles.published_at').as('published'),
          ])
          .orderBy('tags.slug')
          .execute(),
        db
          .selectFrom('authors')
          .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
          .innerJoin('articles', 'articles.id', 'article_authors.article_id')
          .where('articles.language', '=', language)
          .where(visible)
          .groupBy('authors.slug')
          .select((eb) => [
            'authors.slug',
            eb.fn.max('articles.updated_at').as('updated'),
            eb.fn.max('articles.published_at').as('published'),
          ])
          .orderBy('authors.slug')
          .execute(),
      ]);
      const listing =
        (kind: SitemapListing['kind']) =>
        (row: { slug: string; updated: string | Date | null; published: string | Date | null }): SitemapListing => ({
          kind,
          slug: row.slug,
          lastModified: later(row.updated as string | Date, row.published),
        });
      return [...sections.map(listing('section')), ...tags.map(listing('tag')), ...authors.map(listing('author'))];
    },

    async listRecent(language, since, now, limit) {
      const rows = await publicIn(language, now)
        .where('articles.published_at', '>=', since.toISOString())
        .select(['articles.slug', 'articles.headline', 'articles.published_at'])
        .orderBy('articles.published_at', 'desc')
        .orderBy('articles.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        slug: row.slug,
        headline: row.headline,
        publishedAt: toDate(row.published_at as string | Date),
      }));
    },
  };
}
