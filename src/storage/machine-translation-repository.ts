import type { Kysely, Selectable } from 'kysely';
import type {
  MachineTranslationStatus,
  MachineTranslationStore,
  ReaderMachineFacts,
  ReaderMachineTranslations,
} from '../domain/translations/machine-translation.js';
import type { ArticleMachineTranslationsTable, Database } from './schema.js';
import { toDate } from './schema.js';
import { visibleToReaders } from './visibility.js';

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
export function createMachineTranslationRepository(
  db: Kysely<Database>,
): MachineTranslationStore & ReaderMachineTranslations {
  return {
    async forReaders(articleIds, now) {
      const facts = new Map<string, ReaderMachineFacts>();
      for (let i = 0; i < articleIds.length; i += 500) {
        const rows = await db
          .selectFrom('article_machine_translations as mt')
          .innerJoin('articles', 'articles.id', 'mt.article_id')
          .select([
            'mt.article_id',
            'mt.provider',
            'mt.source_language',
            'mt.reviewer_name',
            'articles.translation_group',
          ])
          .where('mt.article_id', 'in', articleIds.slice(i, i + 500))
          .execute();
        if (rows.length === 0) continue;
        // The source is the story of the group in the language it was translated from, if public.
        const sources = await db
          .selectFrom('articles')
          .select(['id', 'language', 'slug', 'headline', 'translation_group'])
          .where('translation_group', 'in', [...new Set(rows.map((row) => row.translation_group))])
          .where(visibleToReaders(now))
          .execute();
        for (const row of rows) {
          const source = sources.find(
            (s) => s.translation_group === row.translation_group && s.language === row.source_language,
          );
          facts.set(row.article_id, {
            provider: row.provider,
            sourceLanguage: row.source_language,
            reviewerName: row.reviewer_name,
            source: source
              ? { id: source.id, language: source.language, slug: source.slug, headline: source.headline }
              : null,
          });
        }
      }
      return facts;
    },
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
