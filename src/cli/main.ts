import { pathToFileURL } from 'node:url';
import { runExport } from './export.js';
import { runImport } from './import.js';
import { runIntegration } from './integration.js';
import { runMigrate } from './migrate.js';
import { runPreflight } from './preflight.js';
import { runServe } from './serve.js';
import { runUser } from './user.js';
import { runWire } from './wire.js';

const commands: Record<string, { summary: string; run: (args: string[]) => Promise<number> }> = {
  serve: {
    summary: 'serve the site (migrates the database and loads the demo into an empty one)',
    run: runServe,
  },
  integration: {
    summary:
      'integration add --name … [--scope …]: add an API integration, print its Content API key and Admin API token',
    run: runIntegration,
  },
  export: {
    summary: 'export --to DIR: the whole site as JSON files and media (docs/export-format.md)',
    run: runExport,
  },
  migrate: { summary: 'bring the database schema to the newest version, then exit', run: runMigrate },
  preflight: {
    summary: 'preflight [--wire] FILE.md …: check stories kept as files, one JSON line a finding',
    run: runPreflight,
  },
  user: {
    summary: 'user add --email … --name … [--role …]: create a staff account, print its one-time link',
    run: runUser,
  },
  import: {
    summary:
      'import wordpress|ghost FILE [--media-from DIR] | kiosque DIR: bring in another site (progress, report) or a Kiosque export',
    run: runImport,
  },
  wire: { summary: 'wire extract FILE.html …: print the article of saved HTML pages as JSON lines', run: runWire },
};

function usage(): string {
  return [
    'Usage: kiosque <command>',
    '',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`),
    '',
    'Settings come from environment variables; see the README.',
  ].join('\n');
}

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`kiosque: unknown command "${name}".\n\n${usage()}`);
    return 1;
  }
  return command.run(args);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
