#!/usr/bin/env node
// The input layer alone: lines/s of readInputs (src/io/inputs.ts) on the generated log, plain and
// gzip, side by side with `wc -l`, `zcat | wc -l`, and the usual Node ways to read lines (split2,
// node:readline); followFile catching up from the start of the same file; then follow-mode
// latency (time from a write to the line's arrival).
//   node bench/read.mjs [--lines 1000000] [--runs 3]
import { createReadStream, existsSync, appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, compare, flags, generatedLog, sizeMB } from './lib.mjs';

const opts = flags({ lines: 1_000_000, runs: 3, stage: '', file: '' });
const io = () => import(join(ROOT, 'dist/src/io/inputs.js'));

if (opts.stage) {
  let n = 0;
  if (opts.stage === 'readInputs') {
    const { readInputs } = await io();
    for await (const b of readInputs([opts.file])) n += b.lines.length;
  } else if (opts.stage === 'follow') {
    // follow mode catching up from the start of a file that holds opts.lines lines
    const { followFile } = await io();
    const ac = new AbortController();
    for await (const b of followFile(opts.file, { fromStart: true, signal: ac.signal })) {
      n += b.lines.length;
      if (n >= opts.lines) ac.abort();
    }
  } else if (opts.stage === 'split2') {
    // split2 from the repo if it is still a dependency, else from bench/ndjson.mjs's /tmp/ndj
    const split2 = (await import('split2').catch(() => import('/tmp/ndj/node_modules/split2/index.js'))).default;
    for await (const _ of createReadStream(opts.file).pipe(split2())) n++;
  } else if (opts.stage === 'readline') {
    for await (const _ of createInterface({ input: createReadStream(opts.file), crlfDelay: Infinity })) n++;
  } else throw new Error(`unknown stage ${opts.stage}`);
  console.log(n);
} else {
  const log = generatedLog(opts.lines);
  const gz = `${log}.gz`;
  if (!existsSync(gz)) spawnSync('sh', ['-c', `gzip -1 -c "${log}" > "${gz}.tmp" && mv "${gz}.tmp" "${gz}"`], { stdio: 'inherit' });
  const self = (stage, f) => `node bench/read.mjs --stage ${stage} --file "${f}"`;
  await compare([
    { name: 'wc -l', cmd: `wc -l "${log}"` },
    { name: 'readInputs', cmd: self('readInputs', log) },
    { name: 'followFile --from-start', cmd: `${self('follow', log)} --lines ${opts.lines}` },
    { name: 'split2 (per-line callback)', cmd: self('split2', log) },
    { name: 'node:readline', cmd: self('readline', log) },
  ], { runs: opts.runs, lines: opts.lines, title: `Reading ${opts.lines.toLocaleString('en-US')} lines, ${sizeMB(log)} MB` });
  await compare([
    { name: 'zcat | wc -l', cmd: `zcat "${gz}" | wc -l` },
    { name: 'readInputs (.gz)', cmd: self('readInputs', gz) },
  ], { runs: opts.runs, lines: opts.lines, title: `Reading the same log gzipped, ${sizeMB(gz)} MB` });
  await followLatency();
}

async function followLatency() {
  const { followFile } = await io();
  const dir = mkdtempSync(join(tmpdir(), 'ipta-bench-follow-'));
  const f = join(dir, 'live.log');
  writeFileSync(f, '');
  const ac = new AbortController();
  const sent = new Map();
  const delays = [];
  const reader = (async () => {
    for await (const b of followFile(f, { signal: ac.signal })) {
      const now = performance.now();
      for (const l of b.lines) delays.push(now - sent.get(l));
    }
  })();
  await sleep(200);
  const n = 200;
  for (let i = 0; i < n; i++) {
    const line = `line ${i}`;
    sent.set(line, performance.now());
    appendFileSync(f, `${line}\n`);
    await sleep(10 + (i % 7) * 5);
  }
  while (delays.length < n) await sleep(20);
  ac.abort();
  await reader;
  rmSync(dir, { recursive: true, force: true });
  delays.sort((a, b) => a - b);
  const q = (p) => delays[Math.min(n - 1, Math.floor(p * n))].toFixed(1);
  console.log(`\nfollowFile latency, ${n} single-line writes: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${delays[n - 1].toFixed(1)} ms`);
}
