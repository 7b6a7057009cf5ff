import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type App, createApp, type ImporterOptions, loadCatalogs } from '../app.js';
import { type Config, loadConfig } from '../config/config.js';
import { isKiosqueError } from '../domain/errors.js';
import { type Catalog, createTranslator } from '../domain/i18n/translator.js';
import { type ImportProgress, progressBar, progressCount } from '../domain/imports/import-progress.js';
import { reportLines } from '../domain/imports/import-report.js';
import { describeStartupError } from './startup-errors.js';

/** The systems `kiosque import` reads, each a function of the app that turns a file into an importer. */
const systems = {
  ghost: (app: App, bytes: Uint8Array, options: ImporterOptions) => app.importers.ghost(bytes, options),
} as const;

/**
 * A bar redrawn in place on a terminal; elsewhere (a log, a pipe) a plain `n/total` line at most
 * every 10 % so the output stays short.
 */
function cliProgress(stream: NodeJS.WriteStream): ImportProgress {
  let lastTenth = -1;
  return {
    update(done, total, label) {
      if (stream.isTTY) {
        stream.write(`\r${progressBar(done, total, label)}\x1b[K`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth !== lastTenth || done === total) {
        lastTenth = tenth;
        stream.write(`${progressCount(done, total)}\n`);
      }
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/** `kiosque import ghost FILE.json [--media-from DIR] [--ghost-url URL]`: a whole site from another system. */
export async function runImport(args: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(describeStartupError(error));
    return 1;
  }
  const catalogs = loadCatalogs();
  const catalog = catalogs.get(config.defaultLanguage) ?? (catalogs.get('en') as Catalog);
  const t = createTranslator(config.defaultLanguage, catalog, config.timeZone);
  const [system, ...rest] = args;
  let parsed: { values: { 'media-from'?: string; 'ghost-url'?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { 'media-from': { type: 'string' }, 'ghost-url': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`kiosque import: ${(error as Error).message}\n\n${t.t('import.ghost.usage')}`);
    return 1;
  }
  const file = parsed.positionals[0];
  if (system !== 'ghost' || !file || parsed.positionals.length > 1) {
    console.error(t.t('import.ghost.usage'));
    return 1;
  }
  let app: App | null = null;
  try {
    const bytes = await readFile(file);
    app = await createApp({ config });
    const importer = systems[system](app, bytes, {
      mediaFrom: parsed.values['media-from'] ?? null,
      ghostUrl: parsed.values['ghost-url'] ?? null,
    });
    const run = await app.imports.begin({ system, fileName: path.basename(file), startedBy: null });
    const report = await app.imports.execute(run.id, system, importer, cliProgress(process.stderr));
    for (const line of reportLines(report, (key, values) => t.t(key as never, values))) console.log(line);
    return 0;
  } catch (error) {
    const message = isKiosqueError(error)
      ? t.t(`error.${error.code}` as never, error.details as Record<string, string>)
      : describeStartupError(error);
    console.error(t.t('import.ghost.failed', { message }));
    return 1;
  } finally {
    await app?.close();
  }
}
