import type { Kysely, Selectable } from 'kysely';
import {
  type ReviewState,
  type ReviewStep,
  type ReviewStepKind,
  type ReviewStore,
  reviewStates,
  reviewStepKinds,
} from '../domain/articles/story-review.js';
import type { ArticleReviewStepsTable, Database } from './schema.js';
import { toDate } from './schema.js';

function stepOf(row: Selectable<ArticleReviewStepsTable>): ReviewStep {
  const state = (reviewStates as readonly string[]).includes(row.state) ? (row.state as ReviewState) : 'none';
  const kind = (reviewStepKinds as readonly string[]).includes(row.kind) ? (row.kind as ReviewStepKind) : 'closed';
  return {
    articleId: row.article_id,
    seq: Number(row.seq),
    kind,
    state,
    note: row.note,
    actorId: row.actor_id,
    at: toDate(row.at),
    revision: Number(row.revision),
  };
}

/** Stories' review steps and current states (migration 0025), the same on both databases. */
export function createReviewRepository(db: Kysely<Database>): ReviewStore {
  return {
    async current(articleId) {
      const row = await db
        .selectFrom('article_review_steps')
        .selectAll()
        .where('article_id', '=', articleId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? stepOf(row) : null;
    },

    async history(articleId) {
      const rows = await db
        .selectFrom('article_review_steps')
        .selectAll()
        .where('article_id', '=', articleId)
        .orderBy('seq', 'desc')
        .execute();
      return rows.map(stepOf);
    },

    async append(step) {
      return db.transaction().execute(async (trx) => {
        // The step's number is the lock: of two answers based on the same step, the second
        // inserts nothing (on PostgreSQL it waits for the first to commit, then does nothing).
        const inserted = await trx
          .insertInto('article_review_steps')
          .values({
            article_id: step.articleId,
            seq: step.seq,
            kind: step.kind,
            state: step.state,
            note: step.note,
            actor_id: step.actorId,
            at: step.at.toISOString(),
            revision: step.revision,
          })
          .onConflict((oc) => oc.columns(['article_id', 'seq']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await trx
          .insertInto('article_reviews')
          .values({ article_id: step.articleId, state: step.state, seq: step.seq })
          .onConflict((oc) => oc.column('article_id').doUpdateSet({ state: step.state, seq: step.seq }))
          .execute();
        return true;
      });
    },

    async countReady() {
      const row = await db
        .selectFrom('article_reviews')
        .innerJoin('articles', 'articles.id', 'article_reviews.article_id')
        .where('article_reviews.state', '=', 'ready')
        .where('articles.deleted_at', 'is', null)
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
