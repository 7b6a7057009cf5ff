import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { createDiskMediaStore } from '../media/media-store.js';
import { openDatabase } from '../storage/database.js';
import { importSite } from '../storage/site-import.js';
import { describeCommandError } from './startup-errors.js';

const usage = `Usage: kiosque import kiosque <folder>

Imports a folder written by \`kiosque export --to\` (or the admin's download, unpacked) into the
empty database DATABASE_URL names, and its media into KIOSQUE_DATA_DIR. Run it before the first
\`kiosque serve\` on that database; a database holding anything is refused and left untouched.`;

/** `kiosque import kiosque DIR`: a Kiosque export back into an empty database, all or nothing. */
export async function runImportKiosque(args: string[]): Promise<number> {
  const [folder, ...rest] = args;
  if (folder === undefined || rest.length > 0 || folder.startsWith('-')) {
    console.error(usage);
    return 1;
  }
  try {
    const config = loadConfig(process.env);
    const database = await openDatabase(config.database);
    try {
      const report = await importSite(
        { db: database.db, dialect: database.dialect, media: createDiskMediaStore(path.join(config.dataDir, 'media')) },
        path.resolve(folder),
      );
      const rows = Object.values(report.rows).reduce((sum, count) => sum + count, 0);
      console.log(
        `Imported ${rows} rows and ${report.mediaFiles} media files from an export of ${report.manifest.createdAt} (schema ${report.manifest.schemaLevel}, ${report.manifest.sourceDatabase}).`,
      );
      console.log('The search index was rebuilt; related stories and image sizes are made when the site starts.');
      if (report.staffWithoutPassword.length > 0) {
        console.log(
          `${report.staffWithoutPassword.length} staff accounts have no password yet: each opens ${config.publicUrl}/admin/password/forgot and sets one through the emailed link (or \`kiosque user add\` invites someone new).`,
        );
        for (const member of report.staffWithoutPassword) console.log(`  ${member.role} ${member.email}`);
      }
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(describeCommandError('import kiosque', error));
    return 1;
  }
}
