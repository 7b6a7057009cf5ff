import type { Kysely, Selectable } from 'kysely';
import { KiosqueError } from '../domain/errors.js';
import type { StaticPage, StaticPageStore } from '../domain/pages/static-pages.js';
import { isUniqueViolation } from './article-repository.js';
import type { Database, StaticPagesTable } from './schema.js';
import { toDate } from './schema.js';

function pageOf(row: Selectable<StaticPagesTable>): StaticPage {
  return {
    id: row.id,
    group: row.page_group,
    language: row.language,
    slug: row.slug,
    title: row.title,
    description: row.description,
    bodyMarkdown: row.body_markdown,
    bodyHtml: row.body_html,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** Static pages (migration 0029, decision 0059). */
export function createStaticPageRepository(db: Kysely<Database>): StaticPageStore {
  const select = () => db.selectFrom('static_pages').selectAll();
  return {
    async list(language) {
      let query = select();
      if (language) query = query.where('language', '=', language);
      return (await query.orderBy('language').orderBy('title').orderBy('id').execute()).map(pageOf);
    },
    async find(id) {
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row ? pageOf(row) : null;
    },
    async findBySlug(language, slug) {
      const row = await select().where('language', '=', language).where('slug', '=', slug).executeTakeFirst();
      return row ? pageOf(row) : null;
    },
    async inGroup(group) {
      return (await select().where('page_group', '=', group).orderBy('language').execute()).map(pageOf);
    },
    async save(page) {
      const values = {
        page_group: page.group,
        language: page.language,
        slug: page.slug,
        title: page.title,
        description: page.description,
        body_markdown: page.bodyMarkdown,
        body_html: page.bodyHtml,
        updated_at: page.updatedAt.toISOString(),
      };
      try {
        await db
          .insertInto('static_pages')
          .values({ id: page.id, ...values, created_at: page.createdAt.toISOString() })
          .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
          .execute();
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const taken = await select()
          .where('language', '=', page.language)
          .where('slug', '=', page.slug)
          .where('id', '!=', page.id)
          .executeTakeFirst();
        throw new KiosqueError(taken ? 'STATIC_PAGE_SLUG_TAKEN' : 'STATIC_PAGE_LANGUAGE_TAKEN', { slug: page.slug });
      }
    },
    async remove(id) {
      await db.deleteFrom('static_pages').where('id', '=', id).execute();
    },
  };
}
