import { DataDirError, loadCatalogs } from '../app.js';
import { ConfigError } from '../config/config.js';
import { isKiosqueError, messageValues } from '../domain/errors.js';
import { type Catalog, createTranslator, type MessageKey } from '../domain/i18n/translator.js';
import { DatabaseUnavailableError } from '../storage/database.js';

/** Turns what can go wrong at start into one line for the operator; other errors keep their stack. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof DataDirError) {
    return `kiosque: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE')
    return `kiosque: the port is already in use (${(error as Error).message}). Set PORT to a free port.`;
  if (code === 'EACCES')
    return `kiosque: permission denied (${(error as Error).message}). Use a port above 1024 or another HOST.`;
  if (code === 'EADDRNOTAVAIL') return `kiosque: HOST is not an address of this machine (${(error as Error).message}).`;
  return `kiosque: could not start: ${(error as Error)?.stack ?? String(error)}`;
}

/**
 * A refusal of a command (a `KiosqueError`) as one line with its code and the English catalog
 * message, values filled in; anything else as `describeStartupError` says it.
 */
export function describeCommandError(command: string, error: unknown, timeZone = 'UTC'): string {
  if (!isKiosqueError(error)) return describeStartupError(error);
  const catalog = loadCatalogs().get('en') as Catalog;
  const message = createTranslator('en', catalog, timeZone).t(
    `error.${error.code}` as MessageKey,
    messageValues(error),
  );
  return `kiosque ${command}: ${message} (${error.code})`;
}
