import { loadConfig } from '../config/config.js';
import { openDatabase } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { describeStartupError } from './startup-errors.js';

/** `kiosque migrate`: apply pending migrations and report them. */
export async function runMigrate(_args: string[]): Promise<number> {
  try {
    const config = loadConfig(process.env);
    const database = await openDatabase(config.database);
    try {
      const { applied } = await migrateToLatest(database.db, database.dialect);
      console.log(
        applied.length > 0
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
          : 'The database is up to date.',
      );
    } finally {
      await database.close();
    }
    return 0;
  } catch (error) {
    console.error(describeStartupError(error));
    return 1;
  }
}
