import type { Kysely } from 'kysely';
import type { Author, Taxon } from '../domain/articles/article.js';
import type { TaxonomyReader } from '../domain/articles/reading-service.js';
import type { TaxonomyRenameStore } from '../domain/articles/taxonomy-editor.js';
import type { IdGenerator } from '../domain/clock.js';
import type { Database } from './schema.js';
import { visibleToReaders } from './visibility.js';

/** Authors, sections and tags on SQL. */
export function createTaxonomyRepository(db: Kysely<Database>, ids: IdGenerator) {
  async function ensureTaxon(table: 'sections' | 'tags', language: string, slug: string, name: string): Promise<Taxon> {
    const existing = await db
      .selectFrom(table)
      .selectAll()
      .where('language', '=', language)
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (existing) return existing;
    const taxon = { id: ids(table === 'sections' ? 'sec' : 'tag'), language, slug, name };
    await db
      .insertInto(table)
      .values(taxon)
      .onConflict((oc) => oc.columns(['language', 'slug']).doNothing())
      .execute();
    return await db
      .selectFrom(table)
      .selectAll()
      .where('language', '=', language)
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
  }

  const reader: TaxonomyReader = {
    async findSection(language, slug) {
      return (
        (await db
          .selectFrom('sections')
          .selectAll()
          .where('language', '=', language)
          .where('slug', '=', slug)
          .executeTakeFirst()) ?? null
      );
    },
    async findTag(language, slug) {
      return (
        (await db
          .selectFrom('tags')
          .selectAll()
          .where('language', '=', language)
          .where('slug', '=', slug)
          .executeTakeFirst()) ?? null
      );
    },
    async findAuthor(slug) {
      return (
        (await db
          .selectFrom('authors')
          .select(['id', 'slug', 'name', 'bio'])
          .where('slug', '=', slug)
          .executeTakeFirst()) ?? null
      );
    },
    async listSections(language) {
      return db.selectFrom('sections').selectAll().where('language', '=', language).orderBy('name').execute();
    },
    async listPublicSections(language, now) {
      // A section reaches readers only once it holds a public story (issue 11): none is shown empty.
      return db
        .selectFrom('sections')
        .selectAll()
        .where('language', '=', language)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('articles')
              .select('articles.id')
              .whereRef('articles.section_id', '=', 'sections.id')
              .where(visibleToReaders(now)),
          ),
        )
        .orderBy('name')
        .execute();
    },
  };

  return {
    ...reader,
    ensureSection: (language: string, slug: string, name: string) => ensureTaxon('sections', language, slug, name),
    ensureTag: (language: string, slug: string, name: string) => ensureTaxon('tags', language, slug, name),

    async ensureAuthor(author: { slug: string; name: string; bio: string }, now: Date): Promise<Author> {
      await db
        .insertInto('authors')
        .values({ id: ids('aut'), ...author, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute();
      return db
        .selectFrom('authors')
        .select(['id', 'slug', 'name', 'bio'])
        .where('slug', '=', author.slug)
        .executeTakeFirstOrThrow();
    },
  };
}

const tables = { section: 'sections', tag: 'tags', author: 'authors' } as const;

/** Renames on SQL: the address is checked, then the row written in one transaction (issue 11). */
export function createTaxonomyRenameStore(db: Kysely<Database>): TaxonomyRenameStore {
  return {
    rename(kind, id, change) {
      return db.transaction().execute(async (trx) => {
        if (kind === 'author') {
          const row = await trx.selectFrom('authors').select('id').where('id', '=', id).executeTakeFirst();
          if (!row) return 'missing' as const;
          const other = await trx
            .selectFrom('authors')
            .select('id')
            .where('slug', '=', change.slug)
            .where('id', '<>', id)
            .executeTakeFirst();
          if (other) return 'taken' as const;
          await trx.updateTable('authors').set(change).where('id', '=', id).execute();
          return { language: null };
        }
        const table = tables[kind];
        const row = await trx.selectFrom(table).select(['id', 'language']).where('id', '=', id).executeTakeFirst();
        if (!row) return 'missing' as const;
        const other = await trx
          .selectFrom(table)
          .select('id')
          .where('language', '=', row.language)
          .where('slug', '=', change.slug)
          .where('id', '<>', id)
          .executeTakeFirst();
        if (other) return 'taken' as const;
        await trx.updateTable(table).set(change).where('id', '=', id).execute();
        return { language: row.language };
      });
    },
  };
}

export type TaxonomyRepository = ReturnType<typeof createTaxonomyRepository>;
