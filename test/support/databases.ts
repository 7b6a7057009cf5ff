import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
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

export type DatabaseKind = 'sqlite' | 'postgres';

/** What a suite run on each database receives. */
export interface DatabaseUnderTest {
  kind: DatabaseKind;
}

/**
 * Declares `suite` once per database — a SQLite file, then a throwaway PostgreSQL database — so
 * every integration test holds both to one contract. A database that cannot run a suite is
 * skipped with its reason in the suite's title: PostgreSQL when no server answers outside CI (the
 * global setup fails the run under CI=true instead), or a kind that `options.skip` rules out.
 */
export function describeEachDatabase(title: string, suite: (database: DatabaseUnderTest) => void): void;
export function describeEachDatabase(
  title: string,
  options: { skip: Partial<Record<DatabaseKind, string>> },
  suite: (database: DatabaseUnderTest) => void,
): void;
export function describeEachDatabase(
  title: string,
  ...args:
    | [(database: DatabaseUnderTest) => void]
    | [{ skip: Partial<Record<DatabaseKind, string>> }, (database: DatabaseUnderTest) => void]
): void {
  const [options, suite] = args.length === 1 ? [{ skip: {} }, args[0]] : args;
  for (const { kind, skip: unreachable } of databaseKinds(inject('postgresAvailable'))) {
    const skip = options.skip[kind] ?? unreachable;
    const name = title.replaceAll('$kind', kind);
    describe.skipIf(skip !== null)(skip === null ? name : `${name} (skipped: ${skip})`, () => suite({ kind }));
  }
}
