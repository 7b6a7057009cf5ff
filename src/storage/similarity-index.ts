import { type Kysely, sql } from 'kysely';
import { type ArticleStatus, isPublic } from '../domain/articles/article.js';
import type { SimilarityIndex } from '../domain/related/related-service.js';
import type { SimilarityProfile } from '../domain/related/similarity.js';
import type { Database } from './schema.js';
import { toDate, toDateOrNull } from './schema.js';
import { documentCountTerm, fullText, parseTermCounts, searchConditions } from './search-index.js';

/** What related-article similarity reads from (and keeps in) the search index. */
export function createSimilarityIndex(db: Kysely<Database>): SimilarityIndex {
  return {
    async profile(articleId: string, now: Date): Promise<(SimilarityProfile & { visible: boolean }) | null> {
      const row = await db
        .selectFrom('article_search as s')
        .innerJoin('articles as a', 'a.id', 's.article_id')
        .select([
          'a.id',
          'a.language',
          'a.translation_group',
          'a.status',
          'a.published_at',
          'a.updated_at',
          'a.deleted_at',
          'a.embargo_until',
          'a.killed_at',
          's.term_counts',
          's.blended_terms',
        ])
        .where('s.article_id', '=', articleId)
        .executeTakeFirst();
      if (!row) return null;
      const publishedAt = row.published_at ? toDate(row.published_at) : null;
      return {
        id: row.id,
        language: row.language,
        translationGroup: row.translation_group,
        publishedAt: publishedAt ?? toDate(row.updated_at),
        termCounts: parseTermCounts(row.term_counts),
        blended: row.blended_terms ? parseTermCounts(row.blended_terms) : null,
        visible: isPublic(
          {
            status: row.status as ArticleStatus,
            publishedAt,
            deletedAt: toDateOrNull(row.deleted_at),
            embargoUntil: toDateOrNull(row.embargo_until),
            killedAt: toDateOrNull(row.killed_at),
          },
          now,
        ),
      };
    },

    async candidates(profile: SimilarityProfile, terms: string[], limit: number, now: Date) {
      if (terms.length === 0) return [];
      const { from, condition, relevance } = fullText(db).matching(
        terms.map((term) => [term]),
        'any',
        true,
      );
      const result = await sql<{
        id: string;
        language: string;
        translation_group: string;
        published_at: string | Date;
        term_counts: string;
        blended_terms: string | null;
      }>`select a.id, a.language, a.translation_group, a.published_at, s.term_counts, s.blended_terms,
          ${relevance} as relevance
        from ${from}
        where ${condition} and ${searchConditions({ scope: 'public', language: profile.language }, now)}
          and a.translation_group <> ${profile.translationGroup} and a.id <> ${profile.id}
        order by relevance desc, a.id desc limit ${limit}`.execute(db);
      return result.rows.map((row) => ({
        id: row.id,
        language: row.language,
        translationGroup: row.translation_group,
        publishedAt: toDate(row.published_at),
        termCounts: parseTermCounts(row.term_counts),
        blended: row.blended_terms ? parseTermCounts(row.blended_terms) : null,
      }));
    },

    async documentFrequencies(language: string, terms: string[]) {
      const frequencies = new Map<string, number>();
      const unique = [documentCountTerm, ...new Set(terms)];
      for (let i = 0; i < unique.length; i += 2000) {
        const rows = await db
          .selectFrom('search_terms')
          .select(['term', 'documents'])
          .where('language', '=', language)
          .where('term', 'in', unique.slice(i, i + 2000))
          .execute();
        for (const row of rows) frequencies.set(row.term, Number(row.documents));
      }
      const documents = frequencies.get(documentCountTerm) ?? 0;
      frequencies.delete(documentCountTerm);
      return { documents, frequencies };
    },

    async saveBlended(articleId: string, blended: Record<string, number>) {
      await db
        .updateTable('article_search')
        .set({ blended_terms: JSON.stringify(blended) })
        .where('article_id', '=', articleId)
        .execute();
    },
  };
}
