import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src/domain/clock.js';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { type ExportManifest, exportSite } from '../../src/storage/site-export.js';
import type { TestSite } from './test-app.js';

/** Temporary folders for exports, removed by `remove()` (call it in `afterAll`). */
export function exportFolders() {
  const made: string[] = [];
  return {
    /** A new empty folder. */
    make(): string {
      const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-export-'));
      made.push(folder);
      return folder;
    },
    remove(): void {
      for (const folder of made) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Exports a running test site into `folder`, with the site's media and the given clock. */
export function exportTestSite(site: TestSite, folder: string, clock: Clock): Promise<ExportManifest> {
  return exportSite(
    {
      db: site.app.database.db,
      dialect: site.app.database.dialect,
      media: createDiskMediaStore(path.join(site.config.dataDir, 'media')),
      clock,
    },
    folder,
  );
}

/** Every file below a folder, by `/`-separated relative path, with its bytes. */
export function filesOf(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(folder, full).split(path.sep).join('/'), readFileSync(full));
    }
  };
  walk(folder);
  return files;
}
