import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type ErrorCode, isKiosqueError } from '../../src/domain/errors.js';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { openDatabase } from '../../src/storage/database.js';
import type { ExportManifest } from '../../src/storage/site-export.js';
import { firstNonEmptyTable, importSite } from '../../src/storage/site-import.js';
import { createTestDatabase, type DatabaseKind, describeEachDatabase } from '../support/databases.js';
import { databaseEnv, finished, runKiosque } from '../support/kiosque-process.js';
import { exportFolders, exportTestSite, filesOf } from '../support/site-export.js';
import { addMember, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };

const folders = exportFolders();
afterAll(() => folders.remove());

async function exportOf(site: TestSite): Promise<string> {
  const folder = path.join(folders.make(), 'export');
  await exportTestSite(site, folder, clock);
  return folder;
}

/** A copy of an export folder with `change` applied; `resign` writes the manifest's checksums anew. */
function alteredCopy(folder: string, change: (dir: string, manifest: ExportManifest) => void, resign = false): string {
  const copy = path.join(folders.make(), 'altered');
  cpSync(folder, copy, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8')) as ExportManifest;
  change(copy, manifest);
  if (resign) {
    for (const file of manifest.files) {
      const bytes = readFileSync(path.join(copy, file.path));
      file.bytes = bytes.length;
      file.sha256 = createHash('sha256').update(bytes).digest('hex');
    }
  }
  writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(manifest));
  return copy;
}

/** Imports into a new, empty database of `kind`; resolves with the refusal's code, or null when it imported. */
async function importInto(kind: DatabaseKind, folder: string): Promise<{ code: ErrorCode | null; empty: boolean }> {
  const database = await createTestDatabase(kind);
  const handle = await openDatabase(database.config);
  try {
    let code: ErrorCode | null = null;
    await importSite(
      { db: handle.db, dialect: handle.dialect, media: createDiskMediaStore(path.join(database.dataDir, 'media')) },
      folder,
    ).catch((error: unknown) => {
      code = isKiosqueError(error) ? error.code : 'INTERNAL';
    });
    return { code, empty: (await firstNonEmptyTable(handle.db)) === null };
  } finally {
    await handle.close();
    await database.drop();
  }
}

/**
 * What an import refuses, writing nothing (issue 13): a database that holds a site, a damaged
 * file, a dump of a newer format or schema, and a dump whose rows the database rejects halfway.
 */
describeEachDatabase('import refusals on $kind', ({ kind }) => {
  let site: TestSite;
  let folder: string;

  beforeAll(async () => {
    site = await startTestSite(kind, { clock });
    folder = await exportOf(site);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('refuses a database that already holds a site, and changes nothing in it', async () => {
    const db = site.app.database.db;
    const before = await db.selectFrom('articles').select(['id', 'revision']).orderBy('id').execute();
    const error = await importSite(
      { db, dialect: site.app.database.dialect, media: createDiskMediaStore(folders.make()) },
      folder,
    ).catch((caught: unknown) => caught);
    expect(isKiosqueError(error) && error.code).toBe('IMPORT_KIOSQUE_TARGET_NOT_EMPTY');
    expect(isKiosqueError(error) && error.details.table).toBe('authors');
    expect(await db.selectFrom('articles').select(['id', 'revision']).orderBy('id').execute()).toEqual(before);
  });

  it('refuses a file changed after the export (its checksum), writing nothing', async () => {
    const damaged = alteredCopy(folder, (dir) => {
      const file = path.join(dir, 'tables/articles.ndjson');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"published"', '"draft"    '));
    });
    expect(await importInto(kind, damaged)).toEqual({ code: 'IMPORT_KIOSQUE_DAMAGED', empty: true });
    const cut = alteredCopy(folder, (dir) => rmSync(path.join(dir, 'tables/members.ndjson')));
    expect(await importInto(kind, cut)).toEqual({ code: 'IMPORT_KIOSQUE_DAMAGED', empty: true });
  });

  it('refuses an export of a newer format or a newer schema, and a folder without a manifest', async () => {
    const newerFormat = alteredCopy(folder, (_dir, manifest) => {
      manifest.formatVersion = 2;
    });
    expect(await importInto(kind, newerFormat)).toEqual({ code: 'IMPORT_KIOSQUE_FORMAT_NEWER', empty: true });
    const newerSchema = alteredCopy(folder, (_dir, manifest) => {
      manifest.migrations.push('0099-from-the-future');
    });
    expect(await importInto(kind, newerSchema)).toEqual({ code: 'IMPORT_KIOSQUE_SCHEMA_NEWER', empty: true });
    expect(await importInto(kind, folders.make())).toEqual({ code: 'IMPORT_KIOSQUE_MANIFEST_INVALID', empty: true });
  });

  it('leaves the database empty when a row is refused halfway through the import', async () => {
    // Checksums right, but the last table holds one row twice: every table before it was written
    // in the same transaction, and none of it stays.
    const broken = alteredCopy(
      folder,
      (dir) => {
        const row = `${JSON.stringify({ id: 'evt_1', type: 'invoice.paid', created_at: '2026-05-04T08:00:00.000Z', received_at: '2026-05-04T08:00:00.000Z', outcome: 'applied' })}\n`;
        writeFileSync(path.join(dir, 'tables/billing_events.ndjson'), row + row);
      },
      true,
    );
    expect(await importInto(kind, broken)).toEqual({ code: 'IMPORT_KIOSQUE_ROWS_REFUSED', empty: true });
  });
});

/** The files of a .tar.gz, by name. */
async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await pipeline(Readable.from([bytes]), createGunzip(), extract);
  return files;
}

const target: DatabaseKind = inject('postgresAvailable') === 'yes' ? 'postgres' : 'sqlite';

/**
 * The admin's download and the command line give the same export; the command line imports it
 * into another database (SQLite → PostgreSQL when a server runs), as a newsroom moving would.
 */
describeEachDatabase(
  'export download and command line from $kind',
  { skip: { postgres: 'the command line is the same code on both; SQLite → PostgreSQL is the move it exists for' } },
  ({ kind }) => {
    let site: TestSite;
    let download: Buffer;

    beforeAll(async () => {
      site = await startTestSite(kind, { clock });
    });
    afterAll(async () => {
      await site?.close();
    });

    it('streams the export to the owner as a .tar.gz, and refuses an editor', async () => {
      const owner = await setupOwner(site);
      const editor = await addMember(site, 'editor', 'editor@example.org');
      const page = await site.app.server.inject({
        method: 'GET',
        url: '/admin/export',
        headers: { cookie: owner.cookie },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/admin/export/download"');
      const answer = await site.app.server.inject({
        method: 'GET',
        url: '/admin/export/download',
        headers: { cookie: owner.cookie },
      });
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
      expect(answer.headers['content-type']).toBe('application/gzip');
      expect(answer.headers['content-disposition']).toBe(
        'attachment; filename="kiosque-export-2026-05-04T08-00-00-000Z.tar.gz"',
      );
      expect(answer.headers['cache-control']).toBe('private, no-store');
      download = answer.rawPayload;
      // The copy written to stream it is gone once sent.
      await expect.poll(() => readdirSync(path.join(site.config.dataDir, 'exports'))).toEqual([]);
      for (const url of ['/admin/export', '/admin/export/download']) {
        const refused = await site.app.server.inject({ method: 'GET', url, headers: { cookie: editor.cookie } });
        expect(refused.statusCode, url).toBe(403);
      }
    });

    it('gives the same files from the command line, which imports them into another database', async () => {
      const archive = await untar(download);
      expect([...archive.keys()][0]).toBe('manifest.json');
      // A second process reads the same SQLite file while the site runs, as an operator's would.
      const folder = path.join(folders.make(), 'cli-export');
      const exported = await finished(runKiosque(['export', '--to', folder], databaseEnv(site.database)));
      expect(exported.stderr).toBe('');
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/^Exported \d+ rows of \d+ tables and \d+ media files to /);
      expect(exported.stdout).toContain('“Forgot your password?”');
      const files = filesOf(folder);
      expect([...archive.keys()].sort()).toEqual([...files.keys()].sort());
      for (const [name, bytes] of files) {
        // The manifest differs by its time alone (the command line runs on the wall clock).
        if (name === 'manifest.json') {
          const { createdAt: _a, ...fromCli } = JSON.parse(bytes.toString('utf8')) as ExportManifest;
          const { createdAt: _b, ...fromAdmin } = JSON.parse(
            archive.get(name)?.toString('utf8') ?? '{}',
          ) as ExportManifest;
          expect(fromCli).toEqual(fromAdmin);
        } else expect(archive.get(name)?.equals(bytes), name).toBe(true);
      }
      const again = await finished(runKiosque(['export', '--to', folder], databaseEnv(site.database)));
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        /^kiosque export: The export folder .* already holds files.*\(EXPORT_FOLDER_NOT_EMPTY\)\n$/,
      );

      const database = await createTestDatabase(target);
      try {
        const imported = await finished(runKiosque(['import', 'kiosque', folder], databaseEnv(database)));
        expect(imported.stderr).toBe('');
        expect(imported.code).toBe(0);
        expect(imported.stdout).toMatch(/^Imported \d+ rows and \d+ media files from an export of /);
        expect(imported.stdout).toContain('/admin/password/forgot');
        expect(imported.stdout).toContain('owner owner@example.org');
        const twice = await finished(runKiosque(['import', 'kiosque', folder], databaseEnv(database)));
        expect(twice.code).toBe(1);
        expect(twice.stderr).toContain('(IMPORT_KIOSQUE_TARGET_NOT_EMPTY)');
        const handle = await openDatabase(database.config);
        try {
          const count = async (db: typeof handle.db) =>
            Number(
              (
                await db
                  .selectFrom('articles')
                  .select((eb) => eb.fn.countAll().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );
          expect(await count(handle.db)).toBe(await count(site.app.database.db));
          const searchRows = await handle.db.selectFrom('article_search').select('article_id').execute();
          expect(searchRows.length).toBe(await count(handle.db));
        } finally {
          await handle.close();
        }
      } finally {
        await database.drop();
      }
    }, 240_000);
  },
);
