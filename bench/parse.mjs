#!/usr/bin/env node
// ipta-parse speed and memory, side by side with `wc -l` and an awk one-liner that merely
// extracts SRC/DST/DPT, on the same generated log in the same run (the machine is shared:
// only ratios mean much). Not part of npm test.
//
//   node bench/parse.mjs [--lines N] [--runs R] [--file LOG] [--pipe-copies K]
//
// "ipta-parse" is the command as users run it (the main thread and, on a machine with more than
// one core, worker threads); "one thread" is the same with IPTA_PARSE_THREADS=0. "pair" runs two
// one-thread ipta-parse at once, each over the whole LOG, and counts both: what two cores give
// this work when nothing at all is shared between the threads (the ceiling of any parallel
// design here). The last row (once, for peak RSS with more input) pipes K copies of LOG (default
// 3) into ipta-parse's stdin: `cat LOG LOG LOG | ipta-parse`. Lines/s are given per second of wall time
// and per second of CPU time (user + sys): on a shared machine the CPU figure is the steadier one.
// Generates LOG with bench/gen-log.mjs (cached in $TMPDIR by line count) unless --file is given.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const LINES = Number(opt('--lines', '1000000'));
const RUNS = Number(opt('--runs', '3'));
let file = opt('--file', null);
const COPIES = Number(opt('--pipe-copies', '3'));

if (!file) {
  file = join(tmpdir(), `ipta-bench-${LINES}.log`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${LINES} lines into ${file}...\n`);
    const fd = openSync(file, 'w');
    const r = spawnSync(process.execPath, [join(root, 'bench/gen-log.mjs'), '--lines', String(LINES)], { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    if (r.status !== 0) throw new Error('gen-log failed');
  }
}
const lines = Number(spawnSync('wc', ['-l', file]).stdout.toString().trim().split(/\s+/)[0]);
const mb = statSync(file).size / 1e6;
const hasTime = existsSync('/usr/bin/time');

/**
 * Run a command with stdout to /dev/null (stdin from `stdinFile`'s copies through a pipe, or none);
 * wall time (ms), CPU time (ms) and peak RSS (KB), from /usr/bin/time.
 */
function measure(cmd, argv, env = {}, stdinFile = null, copies = 1) {
  return new Promise((resolve, reject) => {
    const full = hasTime ? ['/usr/bin/time', ['-f', '%M %U %S', cmd, ...argv]] : [cmd, argv];
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full[1], { stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC', ...env } });
    if (stdinFile) {
      const cat = spawn('cat', Array(copies).fill(stdinFile), { stdio: ['ignore', child.stdin, 'inherit'] });
      cat.on('error', reject);
      child.stdin.destroy(); // cat holds the pipe's write end
    }
    let err = '';
    child.stderr.on('data', (b) => { err += b; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${err}`));
      const [rss, user, sys] = hasTime ? err.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
      resolve({ ms, rss, cpu: (user + sys) * 1000 });
    });
  });
}

const AWK = '{ s = d = p = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^SRC=/) s = substr($i, 5); else if ($i ~ /^DST=/) d = substr($i, 5); else if ($i ~ /^DPT=/) p = substr($i, 5) } if (s != "") print s, d, p }';
const contenders = [
  ['wc -l', 'wc', ['-l', file]],
  ['awk SRC/DST/DPT', 'awk', [AWK, file]],
  ['ipta-parse', join(root, 'bin/ipta-parse.js'), ['--quiet', file]],
  ['  one thread', join(root, 'bin/ipta-parse.js'), ['--quiet', file], { IPTA_PARSE_THREADS: '0' }],
];

const loadStart = (await import('node:os')).loadavg()[0].toFixed(1);
const best = new Map();
for (let r = 0; r < RUNS; r++) {
  for (const [name, cmd, argv, env] of contenders) {
    const m = await measure(cmd, argv, env);
    const b = best.get(name);
    if (!b || m.ms < b.ms) best.set(name, { ms: m.ms, cpu: m.cpu, rss: Math.max(m.rss, b?.rss ?? 0) });
    else b.rss = Math.max(b.rss, m.rss);
  }
}
// the ceiling of any split of this work over two threads here: two one-thread processes at once
let pair = null;
for (let r = 0; r < RUNS; r++) {
  const one = () => measure(join(root, 'bin/ipta-parse.js'), ['--quiet', file], { IPTA_PARSE_THREADS: '0' });
  const both = await Promise.all([one(), one()]);
  const m = { ms: Math.max(both[0].ms, both[1].ms), cpu: both[0].cpu + both[1].cpu, rss: Math.max(both[0].rss, both[1].rss) };
  if (!pair || m.ms < pair.ms) pair = m;
}
const pipe = await measure(join(root, 'bin/ipta-parse.js'), ['--quiet'], {}, file, COPIES);
const awk = best.get('awk SRC/DST/DPT').ms;
const awkCpu = best.get('awk SRC/DST/DPT').cpu;
const load = (await import('node:os')).loadavg()[0].toFixed(1);
console.log(`${lines} lines, ${mb.toFixed(0)} MB, best of ${RUNS} runs, load average ${loadStart} at the start, ${load} at the end, ${(await import('node:os')).availableParallelism()} cores`);
const row = (name, ms, cpu, rss, n) => console.log(`${name.padEnd(16)} ${(ms / 1000).toFixed(2).padStart(6)} s wall ${(cpu / 1000).toFixed(2).padStart(6)} s CPU ${Math.round(n / (ms / 1000)).toLocaleString('en').padStart(11)} lines/s wall ${(cpu > 0 ? Math.round(n / (cpu / 1000)).toLocaleString('en') : '-').padStart(11)} lines/s CPU   ${(awk / ms).toFixed(2)}x awk (CPU ${cpu > 0 ? (awkCpu / cpu).toFixed(2) : '-'}x)   peak RSS ${Number.isNaN(rss) ? '?' : (rss / 1024).toFixed(0)} MB`);
for (const [name] of contenders) {
  const { ms, cpu, rss } = best.get(name);
  row(name, ms, cpu, rss, lines);
}
console.log('two one-thread ipta-parse at once, each on the whole LOG (per LOG: the most two threads could give):');
row('  pair', pair.ms / 2, pair.cpu / 2, pair.rss, lines);
console.log(`cat LOG x${COPIES} | ipta-parse (once, ${(lines * COPIES).toLocaleString('en')} lines; the awk ratio is per line):`);
const perLine = (v) => v / COPIES;
row(`  stdin x${COPIES}`, perLine(pipe.ms), perLine(pipe.cpu), pipe.rss, lines);
