import { type Config, loadConfig } from '../config/config.js';
import { englishMessage, isKiosqueError } from '../domain/errors.js';
import { type DatabaseHandle, openDatabase } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { describeStartupError } from './startup-errors.js';

/**
 * Runs a command's work on the configured database, brought to the newest schema, and closes it.
 * A refusal (a `KiosqueError`) is printed as its English message after `prefix` and exits 1;
 * what goes wrong on the way in (settings, an unreachable database) is said in one line.
 */
export async function onDatabase(
  prefix: string,
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
    if (isKiosqueError(error)) {
      console.error(`${prefix}: ${englishMessage(error)}`);
      return 1;
    }
    console.error(describeStartupError(error));
    return 1;
  }
}
