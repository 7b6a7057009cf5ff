import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 14, sections, tags and author profiles (decisions 0061, 0062). Sections and tags get a
 * description (they belong to one language already) and sections a place in their language's
 * menu. Authors get a photo (an image of the media library) and links; what they are called and
 * what is said about them is per language, in `author_profiles` (job title and bio), so a page
 * shows the bio in its own language or none. The one bio written so far is moved to the language
 * the author has written most in (ties: the first language code); an author with no story keeps
 * it in `authors.bio`, which nothing reads any more (it is still exported).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('sections')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('sections')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('tags')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('authors').addColumn('image_id', 'text').execute();
  // The links as a JSON array of URLs (checked against the scheme allow-list before they are stored).
  await db.schema
    .alterTable('authors')
    .addColumn('links', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .createTable('author_profiles')
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('author_profiles_pk', ['author_id', 'language'])
    .execute();

  const rows = await sql<{ author_id: string; language: string; bio: string; stories: number | string }>`
    select authors.id as author_id, articles.language as language, authors.bio as bio, count(*) as stories
    from authors
    join article_authors on article_authors.author_id = authors.id
    join articles on articles.id = article_authors.article_id
    where authors.bio <> ''
    group by authors.id, articles.language, authors.bio
  `.execute(db);
  const best = new Map<string, { language: string; bio: string; stories: number }>();
  for (const row of rows.rows) {
    const stories = Number(row.stories);
    const current = best.get(row.author_id);
    if (!current || stories > current.stories || (stories === current.stories && row.language < current.language)) {
      best.set(row.author_id, { language: row.language, bio: row.bio, stories });
    }
  }
  for (const [authorId, { language, bio }] of best) {
    await sql`insert into author_profiles (author_id, language, job_title, bio) values (${authorId}, ${language}, '', ${bio})`.execute(
      db,
    );
    await sql`update authors set bio = '' where id = ${authorId}`.execute(db);
  }
}
