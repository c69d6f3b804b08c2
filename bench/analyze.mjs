#!/usr/bin/env node
// `ipta --analyze LOGFILE` (parse and report in one process, no database): speed and peak RSS,
// side by side in one run with `wc -l` (the floor: reading the file), `ipta-parse FILE` alone (the
// parse share), the same work as a shell pipeline (`ipta-parse FILE | ipta-report`) and ipta with
// the parse kept in the main thread (IPTA_PARSE_THREAD=0; by default it runs on worker threads),
// each bin run as an executable, as users run it (ipta-parse's shebang sets its heap flags). Not part
// of npm test. Target (issue 4 / 7): >= 300,000 lines/s on the 1M-line generated log.
//
//   node bench/analyze.mjs [--lines 1000000] [--runs 1] [--file LOG]
import { ROOT, compare, flags, generatedLog, sizeMB } from './lib.mjs';

const f = flags({ lines: 1_000_000, runs: 1, file: '' });
const file = f.file || generatedLog(f.lines);
const lines = f.file ? undefined : f.lines;
const q = JSON.stringify(file);
const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };

console.log(`log: ${file} (${sizeMB(file)} MB, ${f.lines.toLocaleString('en-US')} lines); node ${process.version}`);
const results = await compare([
  { name: 'wc -l', cmd: `wc -l ${q}`, env },
  { name: 'ipta-parse FILE', cmd: `${ROOT}/bin/ipta-parse.js -q ${q}`, env },
  { name: 'ipta-parse FILE | ipta-report', cmd: `${ROOT}/bin/ipta-parse.js -q ${q} | ${ROOT}/bin/ipta-report.js`, env },
  { name: 'ipta --analyze FILE, one thread', cmd: `${ROOT}/bin/ipta.js --analyze ${q} -q`, env: { ...env, IPTA_PARSE_THREAD: '0' } },
  { name: 'ipta --analyze FILE', cmd: `${ROOT}/bin/ipta.js --analyze ${q} -q`, env },
], { runs: f.runs, lines, baseline: 'ipta --analyze FILE', title: 'ipta --analyze on a log file (no database)' });
const a = results.find((r) => r.name === 'ipta --analyze FILE');
const p = results.find((r) => r.name === 'ipta-parse FILE');
const pipe = results.find((r) => r.name === 'ipta-parse FILE | ipta-report');
console.log(`\nipta --analyze: ${Math.round(f.lines / a.wall).toLocaleString('en-US')} lines/s (target 300,000), peak RSS ${(a.rssKiB / 1024).toFixed(0)} MB;` +
  ` parse share ${((p.wall / a.wall) * 100).toFixed(0)}%; in-process vs pipeline ${(pipe.wall / a.wall).toFixed(2)}x`);
