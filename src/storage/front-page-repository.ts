import type { Kysely } from 'kysely';
import type { ArticleStatus } from '../domain/articles/article.js';
import type { BreakingBanner, FrontPagePicks } from '../domain/frontpage/front-page.js';
import type {
  BannerStore,
  FrontPageStore,
  PickableStories,
  PickedStory,
} from '../domain/frontpage/front-page-editor.js';
import { type Database, toDate, toDateOrNull } from './schema.js';

/**
 * The curated front page on SQL (migration 0030, decision 0060): picks per language, section leads,
 * banners. Picks are stored by id only; which of them readers see is decided where stories are
 * read, by the one visibility rule (`visibleToReaders` in the article repository's lists).
 */
export function createFrontPageRepository(db: Kysely<Database>): FrontPageStore & BannerStore & PickableStories {
  return {
    async picks(language: string): Promise<FrontPagePicks> {
      const rows = await db
        .selectFrom('front_page_picks')
        .select(['slot', 'position', 'article_id'])
        .where('language', '=', language)
        .orderBy('slot')
        .orderBy('position')
        .execute();
      return {
        leadId: rows.find((row) => row.slot === 'lead')?.article_id ?? null,
        topIds: rows.filter((row) => row.slot === 'top').map((row) => row.article_id),
      };
    },

    async savePicks(language, picks) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('front_page_picks').where('language', '=', language).execute();
        const rows = [
          ...(picks.leadId ? [{ language, slot: 'lead' as const, position: 0, article_id: picks.leadId }] : []),
          ...picks.topIds.map((id, position) => ({ language, slot: 'top' as const, position, article_id: id })),
        ];
        if (rows.length > 0) await trx.insertInto('front_page_picks').values(rows).execute();
      });
    },

    async sectionLeads(sectionIds) {
      if (sectionIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('section_leads')
        .select(['section_id', 'article_id'])
        .where('section_id', 'in', [...sectionIds])
        .execute();
      return new Map(rows.map((row) => [row.section_id, row.article_id]));
    },

    async setSectionLead(sectionId, articleId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('section_leads').where('section_id', '=', sectionId).execute();
        if (articleId)
          await trx.insertInto('section_leads').values({ section_id: sectionId, article_id: articleId }).execute();
      });
    },

    async banner(language) {
      const row = await db
        .selectFrom('breaking_banners')
        .selectAll()
        .where('language', '=', language)
        .executeTakeFirst();
      if (!row) return null;
      return { language: row.language, text: row.text, link: row.link, expiresAt: toDate(row.expires_at) };
    },

    async saveBanner(language, banner: BreakingBanner | null, by, at) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('breaking_banners').where('language', '=', language).execute();
        if (!banner) return;
        await trx
          .insertInto('breaking_banners')
          .values({
            language,
            text: banner.text,
            link: banner.link,
            expires_at: banner.expiresAt.toISOString(),
            updated_at: at.toISOString(),
            updated_by: by,
          })
          .execute();
      });
    },

    async describe(ids): Promise<PickedStory[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('articles')
        .select([
          'id',
          'language',
          'slug',
          'headline',
          'section_id',
          'status',
          'published_at',
          'deleted_at',
          'embargo_until',
          'killed_at',
        ])
        .where('id', 'in', [...ids])
        .execute();
      return rows.map((row) => ({
        id: row.id,
        language: row.language,
        slug: row.slug,
        headline: row.headline,
        sectionId: row.section_id,
        status: row.status as ArticleStatus,
        publishedAt: toDateOrNull(row.published_at),
        deletedAt: toDateOrNull(row.deleted_at),
        embargoUntil: toDateOrNull(row.embargo_until),
        killedAt: toDateOrNull(row.killed_at),
      }));
    },
  };
}
