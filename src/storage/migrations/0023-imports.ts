import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Issue 13, imports from other systems (decision 0049). `import_ledger` remembers, for each thing
 * read from a source system, the Kiosque row it became and a hash of what was imported, so a
 * re-run updates what changed, skips what did not and never duplicates. `imports` is one run
 * (queued from the admin or started by the CLI): its progress and its report. `redirects` keeps
 * old addresses of another system (`/2024/05/12/slug/`, `/?p=123`, `/category/x/`) pointing at a
 * story, section, tag or author, answered with a 301 where the site would say 404.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('import_ledger')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('kiosque_id', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text')
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_ledger_pk', ['system', 'kind', 'source_id'])
    .execute();
  await db.schema.createIndex('import_ledger_kiosque').on('import_ledger').column('kiosque_id').execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    // The report as JSON (counts, skipped, needs a human); null until the run ends.
    .addColumn('report', 'text')
    .addColumn('error_code', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('redirects')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('redirects_target').on('redirects').columns(['target_kind', 'target_id']).execute();
}
