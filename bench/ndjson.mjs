#!/usr/bin/env node
// Why ipta has its own NDJSON stages instead of the `ndjson` / `through2` packages: the same
// 1M-record NDJSON (ipta-parse's output of the generated 1M-line log) parsed and written back
// out, whole processes side by side in one run:
//   ours       src/stream/ndjson-lines.ts + ndjson-out.ts (the stages load/report/format/rdns use)
//   ndjson     ndjson.parse() | ndjson.stringify()           (npm `ndjson`, built on split2 + through2)
//   split2+t2  split2(JSON.parse) | through2.obj(stringify)  (the usual hand-rolled stream version)
// with `cat` and `wc -l` as the floor. The npm packages are NOT dependencies of ipta: install them
// outside the repo first:
//   npm install --prefix /tmp/ndj ndjson through2
//   node bench/ndjson.mjs [--lines 1000000] [--runs 1] [--ndj /tmp/ndj]
import { createReadStream, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, compare, flags, generatedLog, sizeMB } from './lib.mjs';

const opts = flags({ lines: 1_000_000, runs: 1, ndj: '/tmp/ndj', stage: '', file: '' });

if (opts.stage) {
  // one contestant, in this process: NDJSON file -> objects -> NDJSON on stdout
  await runStage(opts.stage, opts.file);
} else {
  await main();
}

async function runStage(stage, file) {
  process.stdout.on('error', () => process.exit(0));
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (stage === 'ours') {
    const { ndjsonLines } = await import(join(ROOT, 'dist/src/stream/ndjson-lines.js'));
    const { ndjsonOut } = await import(join(ROOT, 'dist/src/stream/ndjson-out.js'));
    await pipeline(ndjsonLines(input), ndjsonOut, process.stdout);
    return;
  }
  const require = createRequire(join(opts.ndj, 'node_modules/'));
  if (stage === 'ndjson') {
    const ndjson = require('ndjson');
    await pipeline(input, ndjson.parse(), ndjson.stringify(), process.stdout);
    return;
  }
  if (stage === 'split2-through2') {
    const split2 = require('split2');
    const through2 = require('through2');
    // through2 4.x: through2.obj(fn); 5.x: objectTransform(fn)
    const obj = through2.obj ?? through2.objectTransform;
    await pipeline(input, split2(JSON.parse), obj((o, _enc, cb) => cb(null, JSON.stringify(o) + '\n')), process.stdout);
    return;
  }
  throw new Error(`unknown stage ${stage}`);
}

async function main() {
  if (!existsSync(join(opts.ndj, 'node_modules/ndjson')) || !existsSync(join(opts.ndj, 'node_modules/through2'))) {
    console.error(`bench/ndjson: install the contestants first: npm install --prefix ${opts.ndj} ndjson through2`);
    process.exit(2);
  }
  const log = generatedLog(opts.lines);
  const file = log.replace(/\.log$/, '.ndjson');
  if (!existsSync(file)) {
    process.stderr.write(`parsing ${log} into ${file} ...\n`);
    const r = spawnSync('sh', ['-c', `TZ=UTC node bin/ipta-parse.js --quiet --year 2026 "${log}" > "${file}.tmp"`], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('ipta-parse failed');
    renameSync(`${file}.tmp`, file);
  }
  const records = Number(spawnSync('wc', ['-l', file], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]);
  const self = `node bench/ndjson.mjs --ndj ${opts.ndj} --file "${file}" --stage`;
  const version = (p) => JSON.parse(spawnSync('cat', [join(opts.ndj, 'node_modules', p, 'package.json')], { encoding: 'utf8' }).stdout).version;
  await compare([
    { name: 'ours (ndjson-lines + ndjson-out)', cmd: `${self} ours` },
    { name: `ndjson ${version('ndjson')} parse|stringify`, cmd: `${self} ndjson` },
    { name: `split2 + through2 ${version('through2')}`, cmd: `${self} split2-through2` },
    { name: 'cat', cmd: `cat "${file}"` },
    { name: 'wc -l', cmd: `wc -l "${file}"` },
  ], { runs: opts.runs, lines: records, title: `NDJSON round trip, ${records.toLocaleString('en-US')} records, ${sizeMB(file)} MB` });
}
