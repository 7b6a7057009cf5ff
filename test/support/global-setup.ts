import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresAdminUrl } from './databases.js';
import { drawDemoImagesOnce } from './demo-images.js';

/**
 * Checks once whether PostgreSQL answers, so each suite can say clearly why it skips, and so CI
 * fails instead of skipping. Leftover throwaway databases of crashed runs are dropped.
 */
export default async function setup(project: TestProject) {
  compileDist();
  const demoImages = mkdtempSync(path.join(tmpdir(), 'kiosque-demo-images-'));
  await drawDemoImagesOnce(demoImages);
  project.provide('demoImagesDir', demoImages);
  const provide = (value: string) => project.provide('postgresAvailable', value);
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const stale = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'kiosque_test_%' and (select count(*) from pg_stat_activity a where a.datname = pg_database.datname) = 0",
    );
    for (const { datname } of stale.rows) {
      // Only databases older than this run's start could be leftovers; names carry their creation time.
      const created = Number(datname.split('_')[2]);
      if (Number.isFinite(created) && Date.now() - created > 3_600_000)
        await client.query(`drop database if exists "${datname}"`);
    }
    provide('yes');
  } catch (error) {
    const reason = `PostgreSQL is not reachable at ${postgresAdminUrl()}: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${reason}. CI needs it: start the server (see .ci/run).`);
    console.warn(`\n⚠ ${reason}. The PostgreSQL half of the integration suite is SKIPPED.\n`);
    provide(reason);
  } finally {
    await client.end().catch(() => {});
  }
  return () => rmSync(demoImages, { recursive: true, force: true });
}

/**
 * Tests that start `kiosque` as a process run the shipped entry point on dist/ (what `npm start`
 * runs), so dist/ is compiled from the sources as they are now, once, before any test starts.
 */
function compileDist(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
