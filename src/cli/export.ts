import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../domain/clock.js';
import { createDiskMediaStore } from '../media/media-store.js';
import { exportSite } from '../storage/site-export.js';
import { onDatabase } from './on-database.js';

const usage = `Usage: kiosque export --to <folder>

Writes the whole site — stories with every revision, translations, media originals, sections,
tags, authors, staff (without passwords), members, the consent log, newsletters, the wire desk —
into a new or empty folder, as documented in docs/export-format.md. \`kiosque import kiosque
<folder>\` brings it back into an empty database.`;

/** `kiosque export --to DIR`: the site as JSON files and media originals, with a checksummed manifest. */
export async function runExport(args: string[]): Promise<number> {
  let to: string | undefined;
  try {
    to = parseArgs({ args, options: { to: { type: 'string' } }, strict: true }).values.to;
  } catch (error) {
    console.error(`kiosque export: ${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (!to) {
    console.error(`kiosque export: --to is required.\n\n${usage}`);
    return 1;
  }
  const target = to;
  return onDatabase('export', async (database, config) => {
    const folder = path.resolve(target);
    const manifest = await exportSite(
      {
        db: database.db,
        dialect: database.dialect,
        media: createDiskMediaStore(path.join(config.dataDir, 'media')),
        clock: systemClock,
      },
      folder,
    );
    const rows = manifest.files.reduce((sum, file) => sum + (file.rows ?? 0), 0);
    const media = manifest.files.filter((file) => file.path.startsWith('media/')).length;
    console.log(
      `Exported ${rows} rows of ${manifest.tables.length} tables and ${media} media files to ${folder} (schema ${manifest.schemaLevel}).`,
    );
    console.log(
      'Staff passwords, sessions and one-time links are not exported: after the import, each staff member sets a password through “Forgot your password?” on the sign-in page.',
    );
    for (const key of manifest.missingMedia) {
      console.log(
        `Warning: the original of media ${key} is missing from the media folder; its image was exported without it.`,
      );
    }
    return 0;
  });
}
