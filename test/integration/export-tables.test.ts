import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { excludedTables, exclusionOf, exportedTables, unaccountedTables } from '../../src/storage/export-tables.js';
import { migrateToLatest } from '../../src/storage/migrator.js';
import { exportSite, liveColumns } from '../../src/storage/site-export.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
const schemaSource = readFileSync(new URL('../../src/storage/schema.ts', import.meta.url), 'utf8');

/** The tables `src/storage/schema.ts` types: the keys of its `Database` interface. */
function typedTables(): string[] {
  const block = /export interface Database \{([^}]*)\}/.exec(schemaSource)?.[1] ?? '';
  return [...block.matchAll(/^\s*(\w+):/gm)].map((match) => match[1] as string);
}

/**
 * The export stays complete (issue 13, decision 0050): every table — typed in schema.ts or found
 * in a migrated database of either kind — is exported or left out with a reason, and a column a
 * later migration adds to an exported table is in the files without anyone listing it.
 */
it('accounts for every table schema.ts types: exported, or left out with a reason', () => {
  const tables = typedTables();
  expect(tables.length).toBeGreaterThan(30);
  expect(unaccountedTables(tables), 'export these in export-tables.ts, or list them as left out and why').toEqual([]);
  for (const entry of excludedTables) expect(entry.reason.length, entry.name).toBeGreaterThan(20);
  const exported = exportedTables.map((table) => table.name);
  expect(
    exported.filter((name) => exclusionOf(name) !== null),
    'both exported and left out',
  ).toEqual([]);
});

describeEachDatabase('the export’s table list against a migrated $kind database', ({ kind }) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const folders: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase(database.config);
    await migrateToLatest(handle.db, handle.dialect);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('finds no table in the database that the export neither writes nor leaves out with a reason', async () => {
    const live = [...(await liveColumns(handle.db)).keys()];
    expect(unaccountedTables(live), 'export these in export-tables.ts, or list them as left out and why').toEqual([]);
    for (const table of exportedTables) expect(live, table.name).toContain(table.name);
    // What another branch's migration looks like to the guard until it says what to do with it.
    await sql`create table unlisted_feature_rows (id text primary key)`.execute(handle.db);
    expect(unaccountedTables([...(await liveColumns(handle.db)).keys()])).toEqual(['unlisted_feature_rows']);
    await sql`drop table unlisted_feature_rows`.execute(handle.db);
  });

  it('writes every row in key order across pages, with a column a later migration added', async () => {
    await sql`alter table authors add column genre_note text`.execute(handle.db);
    await handle.db
      .insertInto('authors')
      .values({ id: 'aut_1', slug: 'ines', name: 'Inès', bio: '', created_at: clock.now().toISOString() })
      .execute();
    await sql`update authors set genre_note = 'opinion' where id = 'aut_1'`.execute(handle.db);
    // Enough rows to cross pages of two, on a one-column key and a three-column one.
    for (const n of [3, 2]) {
      await handle.db
        .insertInto('authors')
        .values({ id: `aut_${n}`, slug: `a${n}`, name: `A${n}`, bio: '', created_at: clock.now().toISOString() })
        .execute();
    }
    await handle.db
      .insertInto('members')
      .values({
        id: 'mem_1',
        email: 'r@example.org',
        language: 'fr',
        created_at: clock.now().toISOString(),
        last_seen_at: null,
        stripe_customer_id: null,
        complimentary: 0,
        complimentary_until: null,
      })
      .execute();
    const reads = ['2026-05/art_b', '2026-04/art_c', '2026-05/art_a', '2026-04/art_a', '2026-05/art_c'];
    for (const read of reads) {
      const [period, article] = read.split('/') as [string, string];
      await handle.db
        .insertInto('member_meter_reads')
        .values({ member_id: 'mem_1', period, article_id: article, read_at: clock.now().toISOString() })
        .execute();
    }
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'kiosque-export-columns-')), 'export');
    folders.push(path.dirname(folder));
    const manifest = await exportSite(
      { db: handle.db, dialect: handle.dialect, media: createDiskMediaStore(folder), clock, pageRows: 2 },
      folder,
    );
    const lines = (table: string) =>
      readFileSync(path.join(folder, `tables/${table}.ndjson`), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines('authors').map((row) => [row.id, row.genre_note])).toEqual([
      ['aut_1', 'opinion'],
      ['aut_2', null],
      ['aut_3', null],
    ]);
    expect(lines('member_meter_reads').map((row) => `${row.period}/${row.article_id}`)).toEqual([...reads].sort());
    const columns = await liveColumns(handle.db);
    for (const table of manifest.tables) {
      const withheld = Object.keys(exportedTables.find((entry) => entry.name === table.name)?.withheld ?? {});
      expect([...table.columns, ...withheld].sort(), table.name).toEqual([...(columns.get(table.name) ?? [])].sort());
    }
  });
});
