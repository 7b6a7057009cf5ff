import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  type Correction,
  type CorrectionListing,
  type CorrectionStore,
  forReaders,
  isCorrectionKind,
  type PublishedCorrection,
  type ReaderCorrections,
  toldToReaders,
} from '../domain/corrections/correction.js';
import type { CorrectionsTable, Database } from './schema.js';
import { toDate, toDateOrNull } from './schema.js';
import { visibleToReaders } from './visibility.js';

function correctionOf(row: Selectable<CorrectionsTable>): Correction {
  return {
    id: row.id,
    articleId: row.article_id,
    language: row.language,
    kind: isCorrectionKind(row.kind) ? row.kind : 'correction',
    text: row.text,
    status: row.status === toldToReaders ? toldToReaders : 'draft',
    sourceCorrectionId: row.source_correction_id,
    sourceRevision: row.source_revision === null ? null : Number(row.source_revision),
    needsTranslation: Number(row.needs_translation) === 1,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    publishedBy: row.published_by,
    publishedAt: toDateOrNull(row.published_at),
  };
}

function rowOf(correction: Correction) {
  return {
    id: correction.id,
    article_id: correction.articleId,
    language: correction.language,
    kind: correction.kind,
    text: correction.text,
    status: correction.status,
    source_correction_id: correction.sourceCorrectionId,
    source_revision: correction.sourceRevision,
    needs_translation: correction.needsTranslation ? 1 : 0,
    created_by: correction.createdBy,
    created_at: correction.createdAt.toISOString(),
    published_by: correction.publishedBy,
    published_at: correction.publishedAt?.toISOString() ?? null,
  };
}

/**
 * Publishes the draft `id` of `articleId` inside the story's revision transaction, and stores its
 * translations' drafts; false when it is no longer a draft of that story (the save rolls back).
 */
export async function writeCorrectionPublication(
  trx: Transaction<Database>,
  articleId: string,
  write: { publish: { id: string; by: string | null }; drafts: Correction[] },
  at: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('corrections')
    .set({ status: toldToReaders, published_at: at.toISOString(), published_by: write.publish.by })
    .where('id', '=', write.publish.id)
    .where('article_id', '=', articleId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  for (const draft of write.drafts) await trx.insertInto('corrections').values(rowOf(draft)).execute();
  return true;
}

/** Corrections and clarifications (migration 0027, decision 0056), the same on both databases. */
export function createCorrectionRepository(db: Kysely<Database>): CorrectionStore & ReaderCorrections {
  return {
    async listFor(articleId) {
      const rows = await db
        .selectFrom('corrections')
        .selectAll()
        .where('article_id', '=', articleId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(correctionOf);
    },
    async find(id) {
      const row = await db.selectFrom('corrections').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? correctionOf(row) : null;
    },
    async saveDraft(correction) {
      const existing = await db
        .selectFrom('corrections')
        .select('status')
        .where('id', '=', correction.id)
        .executeTakeFirst();
      if (!existing) {
        await db.insertInto('corrections').values(rowOf(correction)).execute();
        return true;
      }
      const result = await db
        .updateTable('corrections')
        .set({ kind: correction.kind, text: correction.text, needs_translation: correction.needsTranslation ? 1 : 0 })
        .where('id', '=', correction.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async removeDraft(id) {
      const result = await db
        .deleteFrom('corrections')
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async forArticles(articleIds) {
      const found = new Map<string, PublishedCorrection[]>();
      for (let i = 0; i < articleIds.length; i += 500) {
        const rows = await db
          .selectFrom('corrections')
          .selectAll()
          .where('article_id', 'in', articleIds.slice(i, i + 500))
          .where('status', '=', toldToReaders)
          .orderBy('published_at')
          .orderBy('id')
          .execute();
        for (const row of rows) {
          const shown = forReaders(correctionOf(row));
          if (!shown) continue;
          found.set(row.article_id, [...(found.get(row.article_id) ?? []), shown]);
        }
      }
      return found;
    },

    async page(language, now, offset, limit) {
      const base = db
        .selectFrom('corrections')
        .innerJoin('articles', 'articles.id', 'corrections.article_id')
        .where('corrections.language', '=', language)
        .where('corrections.status', '=', toldToReaders)
        .where(visibleToReaders(now));
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst(),
        base
          .selectAll('corrections')
          .select([
            'articles.slug as story_slug',
            'articles.headline as story_headline',
            'articles.language as story_language',
            'articles.translation_group as story_group',
          ])
          .orderBy('corrections.published_at', 'desc')
          .orderBy('corrections.id', 'desc')
          .offset(offset)
          .limit(limit)
          .execute(),
      ]);
      const items: CorrectionListing[] = [];
      for (const { story_slug, story_headline, story_language, story_group, ...row } of rows) {
        const correction = forReaders(correctionOf(row));
        if (!correction) continue;
        items.push({
          correction,
          story: {
            id: row.article_id,
            slug: story_slug,
            headline: story_headline,
            language: story_language,
            translationGroup: story_group,
          },
        });
      }
      return { items, total: Number(count?.total ?? 0) };
    },
  };
}
