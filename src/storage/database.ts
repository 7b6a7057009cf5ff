import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type SqliteDatabase as KyselySqliteDatabase, PostgresDialect, SqliteDialect } from 'kysely';
import type { DatabaseConfig } from '../config/config.js';
import type { Database, Dialect } from './schema.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** Why the database could not be opened, in one line an operator can act on. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** Opens the configured database and checks that it answers. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
}

function openSqlite(file: string): DatabaseHandle {
  let sqlite: SqliteDatabase.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new SqliteDatabase(file);
    // WAL lets readers go on while a write commits; NORMAL sync is durable across a process crash.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Without table statistics SQLite's planner drives "related" from the language's whole story
    // list instead of from the tags (~600 ms instead of ~15 ms at 100,000 articles). This gathers
    // them when missing or stale, bounded in cost, as SQLite advises for long-lived connections.
    sqlite.pragma('analysis_limit = 400');
    sqlite.pragma('optimize = 0x10002');
    sqlite.prepare('select 1').get();
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the SQLite database at ${file}: ${(error as Error).message}. Check that the folder exists and is writable, or set DATABASE_URL.`,
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of each length are one text each. */
const preparedStatements = 1000;

/**
 * Kysely prepares every statement anew on each call; compiling SQL is a good part of SQLite's
 * work for the fifteen small queries of an article page (about 2 ms of a ~4 ms cache miss at
 * 100,000 articles). Statements are kept by their SQL text, least recently used out. One still
 * iterating (a streamed query) is busy and cannot run again, so a fresh one is made meanwhile.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, size = preparedStatements): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached) {
        if (cached.busy) return sqlite.prepare(sql);
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  // Loaded only for PostgreSQL: the embedded SQLite default does without its ~15 MB resident.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}. Check that the server runs and DATABASE_URL is right.`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
