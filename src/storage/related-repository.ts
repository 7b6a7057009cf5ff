import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { RelatedReader } from '../domain/articles/reading-service.js';
import type { RelatedEntry, RelatedLists, RelatedQueue } from '../domain/related/related-service.js';
import type { Database } from './schema.js';
import { visibleToReaders } from './visibility.js';

/** Stored related lists, and the queue of articles whose list is due (marked by the search index). */
export function createRelatedRepository(db: Kysely<Database>): RelatedLists & RelatedQueue & RelatedReader {
  return {
    async listsContaining(articleId) {
      const rows = await db
        .selectFrom('related_articles')
        .select('article_id')
        .where('related_id', '=', articleId)
        .execute();
      return [...new Set(rows.map((row) => row.article_id))].sort();
    },

    async lists(articleIds) {
      const lists = new Map<string, RelatedEntry[]>();
      const unique = [...new Set(articleIds)];
      for (let i = 0; i < unique.length; i += 500) {
        const rows = await db
          .selectFrom('related_articles')
          .select(['article_id', 'related_id', 'score'])
          .where('article_id', 'in', unique.slice(i, i + 500))
          .orderBy('article_id')
          .orderBy('position')
          .execute();
        for (const row of rows) {
          const list = lists.get(row.article_id) ?? [];
          list.push({ relatedId: row.related_id, score: Number(row.score) });
          lists.set(row.article_id, list);
        }
      }
      return lists;
    },

    async save(articleId, entries) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('related_articles').where('article_id', '=', articleId).execute();
        if (entries.length === 0) return;
        await trx
          .insertInto('related_articles')
          .values(
            entries.map((entry, position) => ({
              article_id: articleId,
              related_id: entry.relatedId,
              position,
              score: entry.score,
            })),
          )
          .execute();
      });
    },

    async due(limit, after) {
      const rows = await db
        .selectFrom('article_search')
        .select(['article_id', 'revision'])
        .where('related_stale', '=', 1)
        .$if(after !== undefined, (qb) => qb.where('article_id', '>', after!))
        .orderBy('article_id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: row.article_id, revision: Number(row.revision) }));
    },

    async done(articleId, revision) {
      await db
        .updateTable('article_search')
        .set({ related_stale: 0 })
        .where('article_id', '=', articleId)
        .where('revision', '=', revision)
        .execute();
    },

    async relatedIds(articleId) {
      const rows = await db
        .selectFrom('related_articles')
        .select('related_id')
        .where('article_id', '=', articleId)
        .orderBy('position')
        .execute();
      return rows.map((row) => row.related_id);
    },
  };
}

/**
 * Leaves only the newest `count` public stories' related lists due; the others are computed
 * when they are next written (their pages top up from tags and section meanwhile). Used where an
 * archive is indexed in bulk, which would otherwise give the server hours of background work.
 * `now` defaults to the wall clock: the migration that calls it has no other. `visible` is
 * `visibleToReaders(now)`, except for a migration, which passes the rule as its schema stood
 * (migration 0011 ran before the embargo column of 0020 existed).
 */
export async function limitRelatedBacklog(
  db: Kysely<Database>,
  count: number,
  now = new Date(),
  visible: RawBuilder<SqlBool> = visibleToReaders(now),
): Promise<void> {
  const newest = await db
    .selectFrom('articles')
    .select('id')
    .where(visible)
    .orderBy('published_at', 'desc')
    .limit(count)
    .execute();
  const keep = newest.map((row) => row.id);
  await db
    .updateTable('article_search')
    .set({ related_stale: 0 })
    .$if(keep.length > 0, (update) => update.where('article_id', 'not in', keep))
    .execute();
}
