import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { publicStatus } from '../domain/articles/article.js';

/**
 * "Visible to readers now" in SQL: the one expression every reader-facing query uses (lists,
 * pages, feeds, sitemaps, search, related stories, translations). It says what
 * `isPublic()` in `domain/articles/article.ts` says — published, its publication time reached,
 * not in the trash, not killed (decision 0057), its embargo passed — and a test holds the two to the same answers on both databases
 * (test/integration/visibility.test.ts), while a guard there fails when a storage file spells
 * the rule out again (issue 11).
 *
 * `alias` names the `articles` row it applies to (`articles`, `a`, `other`…). The result is a
 * plain boolean expression, so it goes into `.where()`, a join's `.on()` and raw `sql` alike.
 */
export function visibleToReaders(now: Date, alias = 'articles'): RawBuilder<SqlBool> {
  const column = (name: 'status' | 'deleted_at' | 'killed_at' | 'published_at' | 'embargo_until') =>
    sql.ref(`${alias}.${name}`);
  const at = now.toISOString();
  return sql<SqlBool>`(${column('status')} = ${publicStatus} and ${column('deleted_at')} is null and ${column('killed_at')} is null and ${column('published_at')} <= ${at} and (${column('embargo_until')} is null or ${column('embargo_until')} <= ${at}))`;
}
