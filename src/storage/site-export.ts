import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import tar from 'tar-stream';
import type { Clock } from '../domain/clock.js';
import { KiosqueError } from '../domain/errors.js';
import type { MediaStore } from '../media/media-store.js';
import { exportedTables } from './export-tables.js';
import type { Database, Dialect } from './schema.js';

/** The version of the folder's layout and encoding (docs/export-format.md); a reader refuses a newer one. */
export const exportFormatVersion = 1;
export const exportFormatName = 'kiosque-export';

/** One file of the export, as the manifest lists it. */
export interface ManifestFile {
  /** Relative to the export folder, `/`-separated: `tables/articles.ndjson`, `media/demo/…`. */
  path: string;
  bytes: number;
  sha256: string;
  /** Rows in a table file. */
  rows?: number;
}

export interface ExportManifest {
  format: typeof exportFormatName;
  formatVersion: number;
  /** The newest migration the exported database had applied, and all of them. */
  schemaLevel: string;
  migrations: string[];
  createdAt: string;
  sourceDatabase: Dialect;
  /** Each exported table with its file and the columns its rows carry. */
  tables: { name: string; file: string; columns: string[] }[];
  files: ManifestFile[];
  /** Media originals an image names but the media folder does not hold (exported without them). */
  missingMedia: string[];
}

/** Any table, by name: the export walks a declared list rather than the typed schema. */
export type AnyTables = Record<string, Record<string, unknown>>;

export interface SiteExportSource {
  db: Kysely<Database>;
  dialect: Dialect;
  media: Pick<MediaStore, 'get'>;
  clock: Clock;
  /** Rows read per query (500); tests make it small to cross page boundaries on a small site. */
  pageRows?: number;
}

/** A stored value as JSON: times as ISO-8601 UTC (PostgreSQL gives Dates), bytes as base64. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  return value;
}

/** The migrations the database has applied, oldest name first. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await (db as unknown as Kysely<AnyTables>)
    .selectFrom('kiosque_migrations')
    .select('name')
    .orderBy('name')
    .execute();
  return rows.map((row) => String(row.name));
}

/** The columns each table of the live database has, by table name. */
export async function liveColumns(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  return new Map(
    tables.filter((table) => !table.isView).map((table) => [table.name, table.columns.map((c) => c.name)]),
  );
}

/**
 * Writes the whole site into `folder` (new or empty): one NDJSON file per exported table, read in
 * one transaction so the files agree with each other, the media originals, then `manifest.json`
 * with each file's size and sha256. Nothing is kept in memory beyond a batch of rows or one image.
 */
export async function exportSite(source: SiteExportSource, folder: string): Promise<ExportManifest> {
  await mkdir(folder, { recursive: true });
  if ((await readdir(folder)).length > 0) throw new KiosqueError('EXPORT_FOLDER_NOT_EMPTY', { folder });
  await mkdir(path.join(folder, 'tables'));
  const files: ManifestFile[] = [];
  const tables: ExportManifest['tables'] = [];
  const columnsOf = await liveColumns(source.db);
  const migrations = await appliedMigrations(source.db);
  const mediaKeys: string[] = [];
  const pageRows = source.pageRows ?? 500;

  const transaction = source.db.transaction();
  await (source.dialect === 'postgres' ? transaction.setIsolationLevel('repeatable read') : transaction).execute(
    async (trx) => {
      const db = trx as unknown as Kysely<AnyTables>;
      for (const table of exportedTables) {
        const withheld = new Set(Object.keys(table.withheld ?? {}));
        const columns = (columnsOf.get(table.name) ?? []).filter((column) => !withheld.has(column));
        const file = `tables/${table.name}.ndjson`;
        const written = await writeLines(path.join(folder, file), async function* () {
          // Keyset pages (`(key) > (last key)`), so a large table costs the same per row throughout.
          let after: unknown[] | null = null;
          for (;;) {
            let query = db.selectFrom(table.name).select(columns);
            if (after !== null) {
              const last = after;
              query = query.where((eb) =>
                table.key.length === 1
                  ? eb(table.key[0] as string, '>', last[0])
                  : eb(eb.refTuple(...(table.key as [string, string])), '>', eb.tuple(...(last as [unknown, unknown]))),
              );
            }
            for (const column of table.key) query = query.orderBy(column);
            const rows = await query.limit(pageRows).execute();
            for (const row of rows) {
              if (table.name === 'images') mediaKeys.push(String(row.original_key));
              const encoded: Record<string, unknown> = {};
              for (const column of columns) encoded[column] = encodeValue(row[column]);
              yield `${JSON.stringify(encoded)}\n`;
            }
            if (rows.length < pageRows) return;
            const lastRow = rows[rows.length - 1] as Record<string, unknown>;
            after = table.key.map((column) => lastRow[column]);
          }
        });
        files.push({ path: file, ...written });
        tables.push({ name: table.name, file, columns });
      }
    },
  );

  const missingMedia: string[] = [];
  for (const key of [...new Set(mediaKeys)].sort()) {
    const bytes = await source.media.get(key);
    if (bytes === null) {
      missingMedia.push(key);
      continue;
    }
    const file = `media/${key}`;
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), bytes);
    files.push({ path: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }

  const manifest: ExportManifest = {
    format: exportFormatName,
    formatVersion: exportFormatVersion,
    schemaLevel: migrations.at(-1) ?? '',
    migrations,
    createdAt: source.clock.now().toISOString(),
    sourceDatabase: source.dialect,
    tables,
    files,
    missingMedia,
  };
  await writeFile(path.join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Writes the lines to a file, hashing as it goes; resolves with the file's size, hash and line count. */
async function writeLines(
  file: string,
  lines: () => AsyncGenerator<string>,
): Promise<{ bytes: number; sha256: string; rows: number }> {
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  for await (const line of lines()) {
    const chunk = Buffer.from(line, 'utf8');
    hash.update(chunk);
    bytes += chunk.length;
    rows += 1;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished;
  return { bytes, sha256: hash.digest('hex'), rows };
}

/**
 * An export folder as one `.tar.gz` stream, `manifest.json` first and then the files in the
 * manifest's order, each read from disk as the client takes it: unpacked, it is the folder.
 */
export function exportArchive(folder: string, manifest: ExportManifest): Readable {
  const pack = tar.pack();
  const gzip = createGzip();
  const mtime = new Date(manifest.createdAt);
  void (async () => {
    for (const name of ['manifest.json', ...manifest.files.map((file) => file.path)]) {
      const file = path.join(folder, ...name.split('/'));
      const { size } = await stat(file);
      await pipeline(createReadStream(file), pack.entry({ name, size, mtime, mode: 0o644 }));
    }
    pack.finalize();
  })().catch((error: Error) => pack.destroy(error));
  pipeline(pack, gzip).catch(() => {
    // The failure reaches the client as a cut response: gzip is destroyed with it.
  });
  return gzip;
}
