import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { type App, createApp, type ImporterOptions, loadCatalogs } from '../app.js';
import { loadConfig } from '../config/config.js';
import { isKiosqueError, KiosqueError, messageValues } from '../domain/errors.js';
import { createTranslator, type MessageKey, type Translator } from '../domain/i18n/translator.js';
import { type ImportProgress, progressBar, progressCount } from '../domain/imports/import-progress.js';
import { reportLines } from '../domain/imports/import-report.js';
import { invalidDocumentMessageKeys } from '../ingest/wire-formats.js';
import { runImportKiosque } from './import-kiosque.js';
import { describeStartupError } from './startup-errors.js';

const usage = `Usage: kiosque import wordpress FILE.xml [--media-from DIR]
       kiosque import ghost FILE.json [--media-from DIR] [--ghost-url URL]
       kiosque import kiosque DIR

Imports a WordPress export (Tools → Export → All content, WXR 1.0–1.2): posts, pages, categories
(as sections), tags, authors, images, drafts and scheduled posts; old addresses redirect to the new
ones. --media-from names a local copy of the old site's wp-content/uploads folder; images not found
there are fetched from the old site. Running it again updates what changed and duplicates nothing;
after an interruption it carries on where it stopped.`;

/** Source systems, each with the options it reads (`import kiosque` is a folder, read apart). */
const systems: Record<string, { options: Record<string, { type: 'string' }>; importer: keyof App['importers'] }> = {
  wordpress: { options: { 'media-from': { type: 'string' } }, importer: 'wordpress' },
  ghost: { options: { 'media-from': { type: 'string' }, 'ghost-url': { type: 'string' } }, importer: 'ghost' },
};

/** A bar redrawn in place on a terminal; one "n/total" line per item otherwise (logs, CI, pipes). */
export function terminalProgress(stream: NodeJS.WriteStream): ImportProgress {
  let drawn = false;
  let last = '';
  return {
    update(done, total, label) {
      if (stream.isTTY) {
        stream.write(
          `\r${progressBar(done, total, label, 30)
            .padEnd((stream.columns ?? 80) - 1)
            .slice(0, (stream.columns ?? 80) - 1)}`,
        );
        drawn = true;
        return;
      }
      const line = progressCount(done, total);
      if (line !== last && done > 0) stream.write(`${line}\n`);
      last = line;
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** A refusal in the operator's language: the message, and the reason a broken file gives. */
function refusal(t: Translator, error: KiosqueError): string {
  const reasons = error.code === 'WXR_FILE_INVALID' ? invalidDocumentMessageKeys(error.details) : [];
  return [
    t.t(`error.${error.code}` as MessageKey, messageValues(error)),
    ...reasons.map((key) => t.t(key, messageValues(error))),
  ].join(' ');
}

/** `kiosque import <system> FILE …`: imports another system's export, with progress and a report. */
export async function runImport(args: string[]): Promise<number> {
  const [system = '', ...rest] = args;
  // A Kiosque export is a folder read into an empty database, not a run of steps (decision 0050).
  if (system === 'kiosque') return runImportKiosque(rest);
  const source = systems[system];
  if (!source) {
    console.error(usage);
    return 1;
  }
  let file: string | undefined;
  let values: Record<string, string | undefined>;
  try {
    const parsed = parseArgs({ args: rest, options: source.options, allowPositionals: true, strict: true });
    values = parsed.values as Record<string, string | undefined>;
    if (parsed.positionals.length !== 1) throw new Error('give exactly one file to import');
    file = parsed.positionals[0];
  } catch (error) {
    console.error(`kiosque import ${system}: ${(error as Error).message}\n\n${usage}`);
    return 1;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(describeStartupError(error));
    return 1;
  }
  const catalog = loadCatalogs().get(config.defaultLanguage);
  const t = createTranslator(config.defaultLanguage, catalog!, config.timeZone);
  const fail = (error: KiosqueError) => {
    console.error(`kiosque import ${system}: ${file}: ${refusal(t, error)}`);
    return 1;
  };

  const bytes = await readFile(file!).catch(() => null);
  if (!bytes || bytes.length === 0) return fail(new KiosqueError('IMPORT_FILE_MISSING'));
  const options: ImporterOptions = {
    mediaFrom: values['media-from'] ? path.resolve(values['media-from']) : null,
    ghostUrl: values['ghost-url'] ?? null,
  };

  let app: App;
  try {
    // An import fills the site: the demo stories are not loaded into the empty database first.
    app = await createApp({
      config: { ...config, demoContent: false },
      logger: pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
    });
  } catch (error) {
    console.error(describeStartupError(error));
    return 1;
  }
  try {
    const importer = app.importers[source.importer](bytes, options);
    const run = await app.imports.begin({ system, fileName: path.basename(file!), startedBy: null });
    const report = await app.imports.execute(run.id, system, importer, terminalProgress(process.stdout));
    for (const line of reportLines(report, (key, v) => t.t(key as MessageKey, v))) console.log(line);
    return 0;
  } catch (error) {
    if (isKiosqueError(error)) return fail(error);
    console.error(`kiosque import ${system}: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  } finally {
    await app.related.idle().catch(() => {});
    await app.close();
  }
}
