#!/usr/bin/env node
// The `kiosque` command runs the compiled code; `npm install` compiles it (the `prepare` script).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error('kiosque: the compiled code is missing (dist/). Run `npm run build` or `npm install` first.');
  process.exit(1);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv.slice(2));
