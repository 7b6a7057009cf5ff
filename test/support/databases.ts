import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config/config.js';

/** The server the integration suite uses; TEST_POSTGRES_URL overrides the machine's default. */
export function postgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  /** A folder for media and other files of this test database. */
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind: a SQLite file in a temp folder, or a throwaway PostgreSQL database. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `kiosque-${kind}-`));
  if (kind === 'sqlite') {
    return {
      name: 'sqlite',
      config: { kind: 'sqlite', file: path.join(dataDir, 'kiosque.sqlite') },
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = `kiosque_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  await admin.query(`create database "${database}"`);
  await admin.end();
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return {
    name: 'postgres',
    config: { kind: 'postgres', url: url.href },
    dataDir,
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl() });
      await client.connect();
      await client.query(`drop database if exists "${database}" with (force)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Both databases, each with the reason it would be skipped (null when it runs). */
export function databaseKinds(postgresAvailable: string): { kind: 'sqlite' | 'postgres'; skip: string | null }[] {
  return [
    { kind: 'sqlite', skip: null },
    { kind: 'postgres', skip: postgresAvailable === 'yes' ? null : postgresAvailable },
  ];
}
