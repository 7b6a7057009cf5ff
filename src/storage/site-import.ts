import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { KiosqueError } from '../domain/errors.js';
import type { MediaStore } from '../media/media-store.js';
import { exportedTables } from './export-tables.js';
import { migrateToLatest, migrationNames } from './migrator.js';
import type { Database, Dialect } from './schema.js';
import { writeSearchDocument } from './search-index.js';
import {
  type AnyTables,
  type ExportManifest,
  exportFormatName,
  exportFormatVersion,
  liveColumns,
} from './site-export.js';

const manifestSchema = z.object({
  format: z.literal(exportFormatName),
  formatVersion: z.number().int().min(1),
  schemaLevel: z.string(),
  migrations: z.array(z.string()),
  createdAt: z.string(),
  sourceDatabase: z.enum(['sqlite', 'postgres']),
  tables: z.array(z.object({ name: z.string(), file: z.string(), columns: z.array(z.string()) })),
  files: z.array(
    z.object({
      // Inside the folder only: no absolute path, no `..`, no backslash.
      path: z.string().regex(/^(tables|media)\/(?!.*\.\.)[A-Za-z0-9_.\-/]+$/),
      bytes: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      rows: z.number().int().min(0).optional(),
    }),
  ),
  missingMedia: z.array(z.string()),
});

export interface SiteImportTarget {
  db: Kysely<Database>;
  dialect: Dialect;
  media: Pick<MediaStore, 'put'>;
}

export interface ImportReport {
  manifest: ExportManifest;
  /** Rows written per table. */
  rows: Record<string, number>;
  mediaFiles: number;
  /** Staff accounts imported without a password: each sets one through “Forgot your password?”. */
  staffWithoutPassword: { email: string; role: string }[];
}

const batchSize = 200;

/** Reads and checks the manifest: the format, the schema level, and every file against its size and sha256. */
export async function verifyExport(folder: string): Promise<ExportManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8'));
  } catch {
    throw new KiosqueError('IMPORT_KIOSQUE_MANIFEST_INVALID', { folder });
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > exportFormatVersion) {
    throw new KiosqueError('IMPORT_KIOSQUE_FORMAT_NEWER', { version, supported: exportFormatVersion });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new KiosqueError('IMPORT_KIOSQUE_MANIFEST_INVALID', { folder });
  const manifest = parsed.data as ExportManifest;
  const known = new Set(migrationNames());
  const unknown = manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new KiosqueError('IMPORT_KIOSQUE_SCHEMA_NEWER', { migration: unknown.join(', ') });
  const declared = new Set(exportedTables.map((table) => table.name));
  for (const table of manifest.tables) {
    if (!declared.has(table.name) || !manifest.files.some((file) => file.path === table.file)) {
      throw new KiosqueError('IMPORT_KIOSQUE_MANIFEST_INVALID', { folder });
    }
  }
  for (const file of manifest.files) {
    const { bytes, sha256 } = await hashFile(path.join(folder, ...file.path.split('/')));
    if (bytes !== file.bytes || sha256 !== file.sha256)
      throw new KiosqueError('IMPORT_KIOSQUE_DAMAGED', { file: file.path });
  }
  return manifest;
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    return { bytes: -1, sha256: '' };
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** The site's settings: seeded by the first start from the environment, not content of its own. */
const replacedOnImport = 'site_settings';

/** The first table holding a row that an import would write or rebuild, or null for an empty database. */
export async function firstNonEmptyTable(db: Kysely<Database>): Promise<string | null> {
  const any = db as unknown as Kysely<AnyTables>;
  const live = await liveColumns(db);
  const tables = [...exportedTables.map((table) => table.name), 'article_search'];
  for (const table of tables) {
    // A started site wrote its first-start settings: the export's replace them (decision 0058).
    if (table === replacedOnImport) continue;
    if (!live.has(table)) continue;
    const row = await any
      .selectFrom(table)
      .select((eb) => eb.lit(1).as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row) return table;
  }
  return null;
}

/** A JSON value of the export back to what the database stores: `{ base64 }` is bytes. */
function decodeValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'base64' in value) {
    return Buffer.from(String((value as { base64: unknown }).base64), 'base64');
  }
  return value;
}

/**
 * Imports an export folder into an empty database: checked first (manifest, format, schema level,
 * every checksum, the database empty), then the media originals are stored and every table is
 * written, and the search index rebuilt, in ONE transaction — a failure anywhere leaves the
 * database as empty as it was (and the media files written are of images no row names).
 */
export async function importSite(target: SiteImportTarget, folder: string): Promise<ImportReport> {
  const manifest = await verifyExport(folder);
  await migrateToLatest(target.db, target.dialect);
  const occupied = await firstNonEmptyTable(target.db);
  if (occupied !== null) throw new KiosqueError('IMPORT_KIOSQUE_TARGET_NOT_EMPTY', { table: occupied });
  const live = await liveColumns(target.db);
  for (const table of manifest.tables) {
    const columns = new Set(live.get(table.name) ?? []);
    const extra = table.columns.find((column) => !columns.has(column));
    if (extra !== undefined)
      throw new KiosqueError('IMPORT_KIOSQUE_SCHEMA_NEWER', { migration: `${table.name}.${extra}` });
  }

  let mediaFiles = 0;
  for (const file of manifest.files.filter((entry) => entry.path.startsWith('media/'))) {
    await target.media.put(
      file.path.slice('media/'.length),
      await readFile(path.join(folder, ...file.path.split('/'))),
    );
    mediaFiles += 1;
  }

  const rows: Record<string, number> = {};
  const articleIds: string[] = [];
  await target.db.transaction().execute(async (trx) => {
    const db = trx as unknown as Kysely<AnyTables>;
    for (const table of exportedTables) {
      const entry = manifest.tables.find((candidate) => candidate.name === table.name);
      rows[table.name] = 0;
      if (!entry) continue;
      if (table.name === replacedOnImport) await db.deleteFrom(table.name).execute();
      const filled = Object.fromEntries(
        Object.entries(table.withheld ?? {}).map(([column, rule]) => [column, rule.importedAs]),
      );
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await db
          .insertInto(table.name)
          .values(batch)
          .execute()
          .catch((error: Error) => {
            throw new KiosqueError('IMPORT_KIOSQUE_ROWS_REFUSED', { table: table.name, reason: error.message });
          });
        rows[table.name] = (rows[table.name] ?? 0) + batch.length;
        batch = [];
      };
      const lines = createInterface({ input: createReadStream(path.join(folder, ...entry.file.split('/'))) });
      for await (const line of lines) {
        if (line === '') continue;
        const row = JSON.parse(line) as Record<string, unknown>;
        const decoded: Record<string, unknown> = { ...filled };
        for (const [column, value] of Object.entries(row)) {
          if (!entry.columns.includes(column)) throw new KiosqueError('IMPORT_KIOSQUE_DAMAGED', { file: entry.file });
          decoded[column] = decodeValue(value);
        }
        if (table.name === 'articles') articleIds.push(String(decoded.id));
        batch.push(decoded);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    }
    // Derived data (decision 0050): the search index, written as every save writes it. Writing
    // it marks each story's related list due; the lists came with the export, so none is.
    for (const id of articleIds) await writeSearchDocument(trx, id);
    await trx.updateTable('article_search').set({ related_stale: 0 }).execute();
  });

  const staffWithoutPassword = await target.db
    .selectFrom('staff_users')
    .select(['email', 'role'])
    .where('removed_at', 'is', null)
    .where('password_hash', '=', '')
    .orderBy('email')
    .execute();
  return { manifest, rows, mediaFiles, staffWithoutPassword };
}
