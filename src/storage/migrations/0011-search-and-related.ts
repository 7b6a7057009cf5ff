import { type Kysely, type SqlBool, sql } from 'kysely';
import { publicStatus } from '../../domain/articles/article.js';
import { limitRelatedBacklog } from '../related-repository.js';
import type { Database, Dialect } from '../schema.js';
import { writeSearchDocument } from '../search-index.js';

/**
 * Discovery: one search row per article, with its terms already stemmed and folded by the
 * application, kept by each database's own full-text index (SQLite FTS5, PostgreSQL tsvector with
 * a GIN index) so both match the same documents; the document frequencies that related-article
 * similarity needs; and the stored "You might also enjoy" lists.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // SQLite's FTS rows are addressed by an integer that VACUUM must not renumber: an explicit key.
  await db.schema
    .createTable('article_search')
    .$call((table) =>
      dialect === 'sqlite'
        ? table
            .addColumn('doc_id', 'integer', (c) => c.primaryKey())
            .addColumn('article_id', 'text', (c) => c.notNull().unique().references('articles.id').onDelete('cascade'))
        : table
            .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
            .addColumn('document', sql`tsvector`, (c) => c.notNull()),
    )
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('excerpt_source', 'text', (c) => c.notNull())
    .addColumn('term_counts', 'text', (c) => c.notNull())
    .addColumn('blended_terms', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('related_stale', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('article_search_stale_idx').on('article_search').column('related_stale').execute();
  await db.schema.createIndex('article_search_language_idx').on('article_search').column('language').execute();

  if (dialect === 'sqlite') {
    // Terms arrive stemmed, folded and space-separated; unicode61 splits them exactly as the app did.
    await sql`create virtual table article_search_fts using fts5(headline, standfirst, tags, authors, body, tokenize = 'unicode61 remove_diacritics 0')`.execute(
      db,
    );
  } else {
    await sql`create index article_search_document_idx on article_search using gin (document)`.execute(db);
  }

  await db.schema
    .createTable('search_terms')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('documents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_terms_pk', ['language', 'term'])
    .execute();

  await db.schema
    .createTable('related_articles')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('related_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_articles_pk', ['article_id', 'related_id'])
    .execute();
  // "Which lists show this story?" is asked whenever a story changes.
  await db.schema.createIndex('related_articles_related_idx').on('related_articles').column('related_id').execute();

  // Existing articles are indexed now. The app computes related lists in the background once it
  // starts: the newest stories' now, the others' when they are next written (until then their pages
  // top up from tags and section) — an archive of 100,000 stories would otherwise keep the server
  // busy for hours after the upgrade.
  const typed = db as unknown as Kysely<Database>;
  const articles = await typed.selectFrom('articles').select('id').orderBy('id').execute();
  for (const { id } of articles) await writeSearchDocument(typed, id);
  // Visible to readers as this schema knew it: `visibleToReaders()` reads columns that later
  // migrations add (the embargo, 0020), which a database migrating from here does not have yet.
  const now = new Date();
  const visibleThen = sql<SqlBool>`(status = ${publicStatus} and deleted_at is null and published_at <= ${now.toISOString()})`;
  await limitRelatedBacklog(typed, relatedOnUpgrade, now, visibleThen);
}

/** How many of the newest stories get their related list computed right after the upgrade. */
const relatedOnUpgrade = 1_000;
