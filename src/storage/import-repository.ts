import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ImportKind, ImportLedger, LedgerEntry } from '../domain/imports/import-ledger.js';
import { parseReport } from '../domain/imports/import-report.js';
import type { ImportRun, ImportRunStore, ImportStatus } from '../domain/imports/import-runs.js';
import type { RedirectStore } from '../domain/imports/redirects.js';
import { type Database, type ImportLedgerTable, type ImportsTable, toDate } from './schema.js';
import { visibleToReaders } from './visibility.js';

/**
 * Writes a ledger entry inside the caller's transaction: the article store calls it with the
 * article's own write, so an imported article and its entry commit together or not at all.
 */
export async function writeLedgerEntry(
  db: Kysely<Database> | Transaction<Database>,
  entry: LedgerEntry,
  now: Date,
): Promise<void> {
  const values = {
    kiosque_id: entry.kiosqueId,
    hash: entry.hash,
    import_id: entry.importId,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('import_ledger')
    .values({ system: entry.system, kind: entry.kind, source_id: entry.sourceId, ...values })
    .onConflict((oc) => oc.columns(['system', 'kind', 'source_id']).doUpdateSet(values))
    .execute();
}

function entryOf(row: Selectable<ImportLedgerTable>): LedgerEntry {
  return {
    system: row.system,
    kind: row.kind as ImportKind,
    sourceId: row.source_id,
    kiosqueId: row.kiosque_id,
    hash: row.hash,
    importId: row.import_id,
  };
}

/** The import ledger on SQL. */
export function createImportLedger(db: Kysely<Database>): ImportLedger {
  return {
    async find(key) {
      const row = await db
        .selectFrom('import_ledger')
        .selectAll()
        .where('system', '=', key.system)
        .where('kind', '=', key.kind)
        .where('source_id', '=', key.sourceId)
        .executeTakeFirst();
      return row ? entryOf(row) : null;
    },
    record: (entry, now) => writeLedgerEntry(db, entry, now),
    async list(system, kind) {
      const rows = await db
        .selectFrom('import_ledger')
        .selectAll()
        .where('system', '=', system)
        .where('kind', '=', kind)
        .orderBy('source_id')
        .execute();
      return rows.map((row) => entryOf(row));
    },
  };
}

/** Import runs on SQL: progress and report, read by the admin page. */
export function createImportRunStore(db: Kysely<Database>): ImportRunStore {
  function runOf(row: Selectable<ImportsTable>): ImportRun {
    return {
      id: row.id,
      system: row.system,
      fileName: row.file_name,
      status: row.status as ImportStatus,
      startedBy: row.started_by,
      done: Number(row.done),
      total: Number(row.total),
      report: parseReport(row.report),
      errorCode: row.error_code,
      createdAt: toDate(row.created_at),
      updatedAt: toDate(row.updated_at),
    };
  }
  return {
    async create(run) {
      await db
        .insertInto('imports')
        .values({
          id: run.id,
          system: run.system,
          file_name: run.fileName,
          status: run.status,
          started_by: run.startedBy,
          done: run.done,
          total: run.total,
          report: run.report ? JSON.stringify(run.report) : null,
          error_code: run.errorCode,
          created_at: run.createdAt.toISOString(),
          updated_at: run.updatedAt.toISOString(),
        })
        .execute();
    },
    async find(id) {
      const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? runOf(row) : null;
    },
    async list(limit) {
      const rows = await db.selectFrom('imports').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(runOf);
    },
    async update(id, change, now) {
      await db
        .updateTable('imports')
        .set({
          ...(change.status !== undefined ? { status: change.status } : {}),
          ...(change.done !== undefined ? { done: change.done } : {}),
          ...(change.total !== undefined ? { total: change.total } : {}),
          ...(change.report !== undefined ? { report: change.report ? JSON.stringify(change.report) : null } : {}),
          ...(change.errorCode !== undefined ? { error_code: change.errorCode } : {}),
          updated_at: now.toISOString(),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}

/** Old addresses on SQL; a target that no longer exists (deleted story) resolves to nothing. */
export function createRedirectStore(db: Kysely<Database>): RedirectStore {
  return {
    async put(key, target, now) {
      const values = { target_kind: target.kind, target_id: target.id };
      await db
        .insertInto('redirects')
        .values({ path: key, ...values, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('path').doUpdateSet(values))
        .execute();
    },
    async resolve(key, now) {
      const row = await db.selectFrom('redirects').selectAll().where('path', '=', key).executeTakeFirst();
      if (!row) return null;
      switch (row.target_kind) {
        case 'article': {
          const article = await db
            .selectFrom('articles')
            .select(['language', 'slug'])
            .where('id', '=', row.target_id)
            // Only a story readers may see: a draft's old address stays a 404 (never a 301 to a 404).
            .where(visibleToReaders(now))
            .executeTakeFirst();
          return article ? { kind: 'article', ...article } : null;
        }
        case 'section':
        case 'tag': {
          const table = row.target_kind === 'section' ? 'sections' : 'tags';
          const taxon = await db
            .selectFrom(table)
            .select(['language', 'slug'])
            .where('id', '=', row.target_id)
            .executeTakeFirst();
          return taxon ? { kind: row.target_kind, ...taxon } : null;
        }
        case 'author': {
          const author = await db
            .selectFrom('authors')
            .select('slug')
            .where('id', '=', row.target_id)
            .executeTakeFirst();
          return author ? { kind: 'author', language: null, slug: author.slug } : null;
        }
        default:
          return null;
      }
    },
  };
}
