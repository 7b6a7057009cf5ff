import type { Kysely, Transaction } from 'kysely';
import type { Author, Image, Taxon } from '../domain/articles/article.js';
import type { AuthorProfileStore } from '../domain/articles/author-profile-editor.js';
import type { TaxonomyReader } from '../domain/articles/reading-service.js';
import type { TaxonomyStore } from '../domain/articles/taxonomy-editor.js';
import type { Clock, IdGenerator } from '../domain/clock.js';
import type { Database } from './schema.js';
import { visibleToReaders } from './visibility.js';

/** Authors, sections and tags on SQL. */
export function createTaxonomyRepository(db: Kysely<Database>, ids: IdGenerator) {
  async function ensureTaxon(table: 'sections' | 'tags', language: string, slug: string, name: string): Promise<Taxon> {
    const existing = await db
      .selectFrom(table)
      .select(['id', 'language', 'slug', 'name'])
      .where('language', '=', language)
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (existing) return existing;
    const taxon = { id: ids(table === 'sections' ? 'sec' : 'tag'), language, slug, name };
    if (table === 'sections') {
      // A new section goes to the end of its language's menu (decision 0061).
      const last = await db
        .selectFrom('sections')
        .select(({ fn }) => fn.max('position').as('position'))
        .where('language', '=', language)
        .executeTakeFirst();
      await db
        .insertInto('sections')
        .values({ ...taxon, position: Number(last?.position ?? 0) + 1 })
        .onConflict((oc) => oc.columns(['language', 'slug']).doNothing())
        .execute();
    } else {
      await db
        .insertInto(table)
        .values(taxon)
        .onConflict((oc) => oc.columns(['language', 'slug']).doNothing())
        .execute();
    }
    return await db
      .selectFrom(table)
      .select(['id', 'language', 'slug', 'name'])
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
    async findAuthor(slug, language) {
      return (await authorsIn(db, language, { slug }))[0] ?? null;
    },
    async listSections(language) {
      return db
        .selectFrom('sections')
        .selectAll()
        .where('language', '=', language)
        .orderBy('position')
        .orderBy('name')
        .execute();
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
        .orderBy('position')
        .orderBy('name')
        .execute();
    },
  };

  return {
    ...reader,
    ensureSection: (language: string, slug: string, name: string) => ensureTaxon('sections', language, slug, name),
    ensureTag: (language: string, slug: string, name: string) => ensureTaxon('tags', language, slug, name),

    /**
     * The author with this address, made when missing. A bio is kept in `language` (the language
     * it was written in) if the author has none there yet; without a language it is not kept.
     */
    async ensureAuthor(
      author: { slug: string; name: string; bio: string },
      now: Date,
      language?: string,
    ): Promise<Author> {
      await db
        .insertInto('authors')
        .values({ id: ids('aut'), slug: author.slug, name: author.name, bio: '', created_at: now.toISOString() })
        .onConflict((oc) => oc.column('slug').doNothing())
        .execute();
      const row = await db.selectFrom('authors').select('id').where('slug', '=', author.slug).executeTakeFirstOrThrow();
      const bio = author.bio.trim();
      if (language && bio) {
        await db
          .insertInto('author_profiles')
          .values({ author_id: row.id, language, job_title: '', bio })
          .onConflict((oc) => oc.columns(['author_id', 'language']).doNothing())
          .execute();
      }
      return (await authorsIn(db, language ?? '', { slug: author.slug }))[0] as Author;
    },
  };
}

const tables = { section: 'sections', tag: 'tags', author: 'authors' } as const;

type Db = Kysely<Database> | Transaction<Database>;

/** An image row as pages lay it out. */
function imageOf(row: {
  image_id: string | null;
  width: number | null;
  height: number | null;
  mime: string | null;
  variant_formats: string | null;
}): Image | null {
  if (!row.image_id || row.width === null || row.height === null) return null;
  return {
    id: row.image_id,
    width: Number(row.width),
    height: Number(row.height),
    mime: row.mime ?? 'image/jpeg',
    ...((row.variant_formats ?? '').split(',').includes('avif') ? { avif: true } : {}),
  };
}

/** Stored links, read back defensively (only what the editor would have accepted is shown). */
export function linksOf(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter((link): link is string => typeof link === 'string' && /^https?:\/\//.test(link))
      : [];
  } catch {
    return [];
  }
}

/** Authors with their profile in `language` (title and bio of that language only, or empty). */
export async function authorsIn(db: Db, language: string, where: { slug?: string; ids?: string[] }): Promise<Author[]> {
  let query = db
    .selectFrom('authors')
    .leftJoin('author_profiles', (join) =>
      join.onRef('author_profiles.author_id', '=', 'authors.id').on('author_profiles.language', '=', language),
    )
    .leftJoin('images', 'images.id', 'authors.image_id')
    .select([
      'authors.id',
      'authors.slug',
      'authors.name',
      'authors.links',
      'authors.image_id',
      'author_profiles.bio',
      'author_profiles.job_title',
      'images.width',
      'images.height',
      'images.mime',
      'images.variant_formats',
    ]);
  if (where.slug !== undefined) query = query.where('authors.slug', '=', where.slug);
  if (where.ids !== undefined) {
    if (where.ids.length === 0) return [];
    query = query.where('authors.id', 'in', where.ids);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    bio: row.bio ?? '',
    jobTitle: row.job_title ?? '',
    image: imageOf(row),
    links: linksOf(row.links),
  }));
}

/** One row of the management screens: the section or tag and how many stories it holds (trash aside). */
export interface TaxonRow extends Taxon {
  description: string;
  stories: number;
}

/** Sections, tags and authors as staff manage them, on SQL (decisions 0061, 0062). */
export function createTaxonomyStore(
  db: Kysely<Database>,
  clock: Clock,
): TaxonomyStore & {
  list(kind: 'section' | 'tag', language: string): Promise<TaxonRow[]>;
  find(kind: 'section' | 'tag', id: string): Promise<TaxonRow | null>;
} {
  async function counted(kind: 'section' | 'tag', where: { language?: string; id?: string }): Promise<TaxonRow[]> {
    const stories =
      kind === 'section'
        ? db
            .selectFrom('articles')
            .select(({ fn }) => ['articles.section_id as taxon_id', fn.countAll<number>().as('stories')])
            .where('articles.deleted_at', 'is', null)
            .groupBy('articles.section_id')
        : db
            .selectFrom('article_tags')
            .innerJoin('articles', 'articles.id', 'article_tags.article_id')
            .select(({ fn }) => ['article_tags.tag_id as taxon_id', fn.countAll<number>().as('stories')])
            .where('articles.deleted_at', 'is', null)
            .groupBy('article_tags.tag_id');
    let query = db
      .selectFrom(tables[kind])
      .leftJoin(stories.as('counts'), 'counts.taxon_id', `${tables[kind]}.id`)
      .select([
        `${tables[kind]}.id as id`,
        `${tables[kind]}.language as language`,
        `${tables[kind]}.slug as slug`,
        `${tables[kind]}.name as name`,
        `${tables[kind]}.description as description`,
        'counts.stories',
      ]);
    if (where.language !== undefined) query = query.where(`${tables[kind]}.language`, '=', where.language);
    if (where.id !== undefined) query = query.where(`${tables[kind]}.id`, '=', where.id);
    const ordered =
      kind === 'section'
        ? query.orderBy('sections.position').orderBy('sections.name')
        : query.orderBy(`${tables[kind]}.name`);
    const rows = await ordered.execute();
    return rows.map((row) => ({
      id: row.id,
      language: row.language,
      slug: row.slug,
      name: row.name,
      description: row.description,
      stories: Number(row.stories ?? 0),
    }));
  }

  async function keepOldAddresses(
    trx: Transaction<Database>,
    keys: string[],
    target: { kind: 'section' | 'tag' | 'author'; id: string },
  ) {
    const now = clock.now().toISOString();
    for (const key of keys) {
      await trx
        .insertInto('redirects')
        .values({ path: key, target_kind: target.kind, target_id: target.id, created_at: now })
        .onConflict((oc) => oc.column('path').doUpdateSet({ target_kind: target.kind, target_id: target.id }))
        .execute();
    }
  }

  return {
    list: (kind, language) => counted(kind, { language }),
    async find(kind, id) {
      return (await counted(kind, { id }))[0] ?? null;
    },

    rename(kind, id, change, oldAddresses) {
      return db.transaction().execute(async (trx) => {
        if (kind === 'author') {
          const row = await trx.selectFrom('authors').select(['id', 'slug']).where('id', '=', id).executeTakeFirst();
          if (!row) return 'missing' as const;
          const other = await trx
            .selectFrom('authors')
            .select('id')
            .where('slug', '=', change.slug)
            .where('id', '<>', id)
            .executeTakeFirst();
          if (other) return 'taken' as const;
          await trx.updateTable('authors').set(change).where('id', '=', id).execute();
          if (row.slug !== change.slug) await keepOldAddresses(trx, oldAddresses(row.slug, null), { kind, id });
          return { language: null };
        }
        const table = tables[kind];
        const row = await trx
          .selectFrom(table)
          .select(['id', 'language', 'slug'])
          .where('id', '=', id)
          .executeTakeFirst();
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
        if (row.slug !== change.slug) await keepOldAddresses(trx, oldAddresses(row.slug, row.language), { kind, id });
        return { language: row.language };
      });
    },

    async describe(kind, id, description) {
      const row = await db.selectFrom(tables[kind]).select('language').where('id', '=', id).executeTakeFirst();
      if (!row) return 'missing';
      await db.updateTable(tables[kind]).set({ description }).where('id', '=', id).execute();
      return { language: row.language };
    },

    merge(kind, fromId, intoId, oldAddresses) {
      return db.transaction().execute(async (trx) => {
        const table = tables[kind];
        const from = await trx
          .selectFrom(table)
          .select(['id', 'language', 'slug'])
          .where('id', '=', fromId)
          .executeTakeFirst();
        const into = await trx.selectFrom(table).select(['id', 'language']).where('id', '=', intoId).executeTakeFirst();
        if (!from || !into) return 'missing' as const;
        if (from.language !== into.language) return 'mismatch' as const;
        if (kind === 'section') {
          await trx.updateTable('articles').set({ section_id: intoId }).where('section_id', '=', fromId).execute();
        } else {
          // A story holding both keeps the target where it was; the others keep the place they gave it.
          await trx
            .deleteFrom('article_tags')
            .where('tag_id', '=', fromId)
            .where('article_id', 'in', (eb) =>
              eb.selectFrom('article_tags as both').select('both.article_id').where('both.tag_id', '=', intoId),
            )
            .execute();
          await trx.updateTable('article_tags').set({ tag_id: intoId }).where('tag_id', '=', fromId).execute();
        }
        // Old addresses that named it now name the target, and so does its own.
        await trx
          .updateTable('redirects')
          .set({ target_id: intoId })
          .where('target_kind', '=', kind)
          .where('target_id', '=', fromId)
          .execute();
        await keepOldAddresses(trx, oldAddresses(from.slug, from.language), { kind, id: intoId });
        await trx.deleteFrom(table).where('id', '=', fromId).execute();
        return { language: from.language };
      });
    },

    moveSection(id, direction) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('sections').select('language').where('id', '=', id).executeTakeFirst();
        if (!row) return 'missing' as const;
        const order = (
          await trx
            .selectFrom('sections')
            .select('id')
            .where('language', '=', row.language)
            .orderBy('position')
            .orderBy('name')
            .execute()
        ).map((section) => section.id);
        const at = order.indexOf(id);
        const to = direction === 'up' ? at - 1 : at + 1;
        if (to >= 0 && to < order.length) [order[at], order[to]] = [order[to] as string, order[at] as string];
        for (const [index, sectionId] of order.entries()) {
          await trx
            .updateTable('sections')
            .set({ position: index + 1 })
            .where('id', '=', sectionId)
            .execute();
        }
        return { language: row.language };
      });
    },
  };
}

/** Author profiles on SQL: the author row and one row per language, written together (decision 0062). */
export function createAuthorProfileStore(db: Kysely<Database>): AuthorProfileStore & {
  list(): Promise<{ id: string; slug: string; name: string; stories: number }[]>;
} {
  return {
    async list() {
      const rows = await db
        .selectFrom('authors')
        .leftJoin(
          db
            .selectFrom('article_authors')
            .innerJoin('articles', 'articles.id', 'article_authors.article_id')
            .select(({ fn }) => ['article_authors.author_id', fn.countAll<number>().as('stories')])
            .where('articles.deleted_at', 'is', null)
            .groupBy('article_authors.author_id')
            .as('counts'),
          'counts.author_id',
          'authors.id',
        )
        .select(['authors.id', 'authors.slug', 'authors.name', 'counts.stories'])
        .orderBy('authors.name')
        .execute();
      return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, stories: Number(row.stories ?? 0) }));
    },

    async find(authorId) {
      const author = await db
        .selectFrom('authors')
        .select(['id', 'slug', 'name', 'image_id', 'links'])
        .where('id', '=', authorId)
        .executeTakeFirst();
      if (!author) return null;
      const profiles = await db.selectFrom('author_profiles').selectAll().where('author_id', '=', authorId).execute();
      return {
        authorId: author.id,
        name: author.name,
        slug: author.slug,
        imageId: author.image_id,
        links: linksOf(author.links),
        languages: Object.fromEntries(
          profiles.map((profile) => [profile.language, { jobTitle: profile.job_title, bio: profile.bio }]),
        ),
      };
    },

    save(profile) {
      return db.transaction().execute(async (trx) => {
        const author = await trx
          .selectFrom('authors')
          .select('id')
          .where('id', '=', profile.authorId)
          .executeTakeFirst();
        if (!author) return 'missing' as const;
        if (profile.imageId) {
          const image = await trx
            .selectFrom('images')
            .select('id')
            .where('id', '=', profile.imageId)
            .executeTakeFirst();
          if (!image) return 'no-image' as const;
        }
        await trx
          .updateTable('authors')
          .set({ image_id: profile.imageId, links: JSON.stringify(profile.links) })
          .where('id', '=', profile.authorId)
          .execute();
        for (const [language, { jobTitle, bio }] of Object.entries(profile.languages)) {
          if (!jobTitle && !bio) {
            await trx
              .deleteFrom('author_profiles')
              .where('author_id', '=', profile.authorId)
              .where('language', '=', language)
              .execute();
            continue;
          }
          await trx
            .insertInto('author_profiles')
            .values({ author_id: profile.authorId, language, job_title: jobTitle, bio })
            .onConflict((oc) => oc.columns(['author_id', 'language']).doUpdateSet({ job_title: jobTitle, bio }))
            .execute();
        }
        return 'saved' as const;
      });
    },
  };
}

export type TaxonomyRepository = ReturnType<typeof createTaxonomyRepository>;
