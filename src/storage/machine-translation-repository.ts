import type { Kysely, Selectable } from 'kysely';
import type { MachineTranslationStatus, MachineTranslationStore } from '../domain/translations/machine-translation.js';
import type { ArticleMachineTranslationsTable, Database } from './schema.js';
import { toDate } from './schema.js';

function statusOf(row: Selectable<ArticleMachineTranslationsTable>): MachineTranslationStatus {
  return {
    articleId: row.article_id,
    provider: row.provider,
    sourceLanguage: row.source_language,
    translatedAt: toDate(row.translated_at),
    reviewedBy: row.reviewed_by ? { id: row.reviewed_by, name: row.reviewer_name ?? '' } : null,
    reviewedAt: row.reviewed_at ? toDate(row.reviewed_at) : null,
  };
}

/** Articles' machine-translation statuses (migration 0019), the same on both databases. */
export function createMachineTranslationRepository(db: Kysely<Database>): MachineTranslationStore {
  return {
    async find(articleId) {
      const row = await db
        .selectFrom('article_machine_translations')
        .selectAll()
        .where('article_id', '=', articleId)
        .executeTakeFirst();
      return row ? statusOf(row) : null;
    },
    async findMany(articleIds) {
      const found = new Map<string, MachineTranslationStatus>();
      // Feeds and lists ask for a page of stories; chunks keep the parameter count small.
      for (let i = 0; i < articleIds.length; i += 500) {
        const chunk = articleIds.slice(i, i + 500);
        const rows = await db
          .selectFrom('article_machine_translations')
          .selectAll()
          .where('article_id', 'in', chunk)
          .execute();
        for (const row of rows) found.set(row.article_id, statusOf(row));
      }
      return found;
    },
    async save(status) {
      const values = {
        provider: status.provider,
        source_language: status.sourceLanguage,
        translated_at: status.translatedAt.toISOString(),
        reviewed_by: status.reviewedBy?.id ?? null,
        reviewer_name: status.reviewedBy?.name ?? null,
        reviewed_at: status.reviewedAt?.toISOString() ?? null,
      };
      await db
        .insertInto('article_machine_translations')
        .values({ article_id: status.articleId, ...values })
        .onConflict((oc) => oc.column('article_id').doUpdateSet(values))
        .execute();
    },
  };
}
