#!/usr/bin/env node
// Every benchmark, one after the other (`npm run bench`). Each prints its own side-by-side table;
// extra arguments (e.g. --lines 200000) are passed to each. Not part of npm test.
//   node bench/run-all.mjs [--only parse,report] [args...]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['read', 'parse', 'ndjson', 'format', 'report', 'load', 'rdns', 'analyze'];
const args = process.argv.slice(2);
const i = args.indexOf('--only');
const only = i >= 0 ? args.splice(i, 2)[1].split(',') : ALL;
let failed = 0;
for (const name of only) {
  process.stdout.write(`\n=== bench/${name}.mjs ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...args], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; process.stderr.write(`bench/${name}.mjs exited ${r.status}\n`); }
}
process.exitCode = failed ? 1 : 0;
