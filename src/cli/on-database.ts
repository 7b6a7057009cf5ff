import { type Config, loadConfig } from '../config/config.js';
import { type DatabaseHandle, openDatabase } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { describeCommandError } from './startup-errors.js';

/**
 * Runs a command's work on the configured database, brought to the newest schema, and closes it.
 * A refusal (a `KiosqueError`) or what goes wrong on the way in (settings, an unreachable
 * database) is said in one line by `describeCommandError`, and the command exits 1.
 */
export async function onDatabase(
  command: string,
  work: (database: DatabaseHandle, config: Config) => Promise<number>,
): Promise<number> {
  try {
    const config = loadConfig(process.env);
    const database = await openDatabase(config.database);
    try {
      await migrateToLatest(database.db, database.dialect);
      return await work(database, config);
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(describeCommandError(command, error));
    return 1;
  }
}
