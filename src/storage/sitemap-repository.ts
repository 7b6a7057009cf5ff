import type { ExpressionBuilder, Kysely } from 'kysely';
import type { SitemapListing, SitemapReader } from '../domain/sitemaps/sitemap-service.js';
import { type Database, toDate } from './schema.js';
import { visibleToReaders } from './visibility.js';

const later = (a: string | Date, b: string | Date | null) => {
  const first = toDate(a);
  const second = b === null ? null : toDate(b);
  return second && second > first ? second : first;
};

/** Sitemaps on SQL: counts, pages of public stories with their translations, listings, recent stories. */
export function createSitemapRepository(db: Kysely<Database>): SitemapReader {
  function publicIn(language: string, now: Date) {
    return db.selectFrom('articles').where('articles.language', '=', language).where(visibleToReaders(now));
  }

  return {
    async countPublic(language, now, withLastModified) {
      if (!withLastModified) {
        // The count alone is answered from the listing index, without reading the stories.
        const row = await publicIn(language, now)
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow();
        return { count: Number(row.n), lastModified: null };
      }
      const row = await publicIn(language, now)
        .select((eb) => [
          eb.fn.countAll<string | number>().as('n'),
          eb.fn.max('articles.updated_at').as('updated'),
          eb.fn.max('articles.published_at').as('last_published'),
        ])
        .executeTakeFirstOrThrow();
      const count = Number(row.n);
      return {
        count,
        lastModified: count === 0 || !row.updated ? null : later(row.updated, row.last_published ?? null),
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
            .on(visibleToReaders(now, 'other')),
        )
        .select([
          'page.id',
          'page.slug',
          'page.translation_group',
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
        {
          slug: string;
          translationGroup: string;
          lastModified: Date;
          translations: { language: string; slug: string }[];
        }
      >();
      for (const row of rows) {
        let story = stories.get(row.id);
        if (!story) {
          story = {
            slug: row.slug,
            translationGroup: row.translation_group,
            lastModified: later(row.updated_at, row.published_at),
            translations: [],
          };
          stories.set(row.id, story);
        }
        if (row.other_language && row.other_slug) {
          story.translations.push({ language: row.other_language, slug: row.other_slug });
        }
      }
      return [...stories.values()];
    },

    async countListings(language, now) {
      // Counted from the language's public stories, by id only: no name or slug is read.
      const [sections, tags, authors] = await Promise.all([
        publicIn(language, now)
          .where('articles.section_id', 'is not', null)
          .select((eb) => eb.fn.count<string | number>('articles.section_id').distinct().as('n'))
          .executeTakeFirstOrThrow(),
        publicIn(language, now)
          .innerJoin('article_tags', 'article_tags.article_id', 'articles.id')
          .select((eb) => eb.fn.count<string | number>('article_tags.tag_id').distinct().as('n'))
          .executeTakeFirstOrThrow(),
        publicIn(language, now)
          .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
          .select((eb) => eb.fn.count<string | number>('article_authors.author_id').distinct().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return Number(sections.n) + Number(tags.n) + Number(authors.n);
    },

    async listListings(language, now) {
      // Grouped by id over the language's public stories, then named: one pass over the stories each.
      const newest = (eb: ExpressionBuilder<Database & { articles: Database['articles'] }, 'articles'>) => [
        eb.fn.max('articles.updated_at').as('updated'),
        eb.fn.max('articles.published_at').as('last_published'),
      ];
      const [sections, tags, authors] = await Promise.all([
        publicIn(language, now)
          .where('articles.section_id', 'is not', null)
          .groupBy('articles.section_id')
          .select((eb) => ['articles.section_id as id', ...newest(eb)])
          .execute(),
        publicIn(language, now)
          .innerJoin('article_tags', 'article_tags.article_id', 'articles.id')
          .groupBy('article_tags.tag_id')
          .select((eb) => ['article_tags.tag_id as id', ...newest(eb)])
          .execute(),
        publicIn(language, now)
          .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
          .groupBy('article_authors.author_id')
          .select((eb) => ['article_authors.author_id as id', ...newest(eb)])
          .execute(),
      ]);
      const slugs = async (table: 'sections' | 'tags' | 'authors', ids: (string | null)[]) => {
        const wanted = ids.filter((id): id is string => id !== null);
        const found = new Map<string, string>();
        // In slices: SQLite takes at most 32,766 parameters per statement.
        for (let i = 0; i < wanted.length; i += 10_000) {
          const rows = await db
            .selectFrom(table)
            .select(['id', 'slug'])
            .where('id', 'in', wanted.slice(i, i + 10_000))
            .execute();
          for (const row of rows) found.set(row.id, row.slug);
        }
        return found;
      };
      const listings: SitemapListing[] = [];
      for (const [kind, table, rows] of [
        ['section', 'sections', sections],
        ['tag', 'tags', tags],
        ['author', 'authors', authors],
      ] as const) {
        const names = await slugs(
          table,
          rows.map((row) => row.id),
        );
        const entries = rows
          .flatMap((row) => {
            const slug = row.id ? names.get(row.id) : undefined;
            return slug && row.id
              ? [{ kind, id: row.id, slug, lastModified: later(row.updated as string | Date, row.last_published) }]
              : [];
          })
          .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
        listings.push(...entries);
      }
      return listings;
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
