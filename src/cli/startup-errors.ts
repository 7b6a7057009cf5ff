import { DataDirError } from '../app.js';
import { ConfigError } from '../config/config.js';
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
