// A tiny harness the benchmarks share: time whole shell commands (wall time and peak RSS),
// run several side by side in one run (interleaved, best of N), print a table with lines/s and
// the ratio to a baseline. Timings on a shared machine are noisy: compare within one run only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

/** `--name value` pairs from argv, with defaults: flags({ lines: 1e6, runs: 3 }). */
export function flags(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    const v = m[2] ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
    out[m[1]] = typeof defaults[m[1]] === 'number' ? Number(v) : v;
  }
  return out;
}

/**
 * The generated log of `lines` lines (bench/gen-log.mjs, default seed), made once and kept in
 * $TMPDIR/ipta-bench so that several benchmarks in a row share it.
 */
export function generatedLog(lines, { seed = 1 } = {}) {
  const dir = join(tmpdir(), 'ipta-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gen-${lines}-s${seed}.log`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    const r = spawnSync('sh', ['-c', `node "${join(ROOT, 'bench/gen-log.mjs')}" --lines ${lines} --seed ${seed} > "${file}.tmp"`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('gen-log failed');
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

/**
 * Run `cmd` with sh -c; stdout goes to /dev/null unless `keepOutput`. Resolves with wall seconds,
 * CPU seconds (user + system of the whole command, NaN without /usr/bin/time: on a busy machine
 * less noisy than wall time), peak RSS in KiB (of the largest process of the command: /usr/bin/time's %M, else /proc
 * sampling of the process tree) and the exit code.
 */
export function timeCommand(cmd, { env = process.env, cwd = ROOT, keepOutput = false } = {}) {
  return new Promise((resolve, reject) => {
    const argv = haveTime ? [TIME, ['-f', '@@%M %U %S', 'sh', '-c', cmd]] : ['sh', ['-c', cmd]];
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { env, cwd, stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    let out = '';
    let sampled = 0;
    let timer = null;
    if (!haveTime) timer = setInterval(() => { sampled = Math.max(sampled, treeHwm(child.pid)); }, 20);
    child.stderr.on('data', (b) => { stderr += b; });
    child.stdout?.on('data', (b) => { out += b; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (timer) clearInterval(timer);
      let rss = sampled;
      let cpu = NaN;
      const m = /@@(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (m) {
        rss = Number(m[1]);
        cpu = Number(m[2]) + Number(m[3]);
        stderr = stderr.slice(0, m.index);
      }
      resolve({ wall, cpu, rssKiB: rss, code, stderr, stdout: out });
    });
  });
}

/** Largest VmHWM (KiB) among `pid` and its descendants, from /proc. */
function treeHwm(pid) {
  let max = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+)/.exec(status);
      if (m) max = Math.max(max, Number(m[1]));
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch { /* gone */ }
  }
  return max;
}

/**
 * Run each command `runs` times, interleaved (a, b, c, a, b, c...) so that load changes hit all
 * alike; keep the best wall time and the largest RSS. `rows`: [{ name, cmd, lines? }]; the row
 * named `baseline` (default the first) is the reference of the ratio column.
 */
export async function compare(rows, { runs = 3, lines, baseline, title } = {}) {
  const results = rows.map((r) => ({ ...r, lines: r.lines ?? lines, wall: Infinity, cpu: Infinity, rssKiB: 0, failed: null }));
  for (let i = 0; i < runs; i++) {
    for (const r of results) {
      const t = await timeCommand(r.cmd, r);
      if (t.code !== 0) r.failed = `exit ${t.code}: ${t.stderr.trim().split('\n').slice(-2).join(' | ')}`;
      r.wall = Math.min(r.wall, t.wall);
      if (!Number.isNaN(t.cpu)) r.cpu = Math.min(r.cpu, t.cpu);
      r.rssKiB = Math.max(r.rssKiB, t.rssKiB);
    }
  }
  printTable(results, { baseline, title, runs });
  return results;
}

/** The table: command, best wall, best CPU time, lines/s (wall), peak RSS, speed vs the baseline (wall). */
export function printTable(results, { baseline, title, runs } = {}) {
  const base = results.find((r) => r.name === baseline) ?? results[0];
  const rows = results.map((r) => {
    const rate = r.lines ? r.lines / r.wall : NaN;
    return [
      r.name,
      `${r.wall.toFixed(2)} s`,
      Number.isFinite(r.cpu) ? `${r.cpu.toFixed(2)} s` : '-',
      Number.isFinite(rate) ? `${Math.round(rate).toLocaleString('en-US')}` : '-',
      r.rssKiB ? `${(r.rssKiB / 1024).toFixed(0)} MB` : '-',
      `${(base.wall / r.wall).toFixed(2)}x`,
      r.failed ? `FAILED ${r.failed}` : '',
    ];
  });
  const head = ['command', 'wall', 'cpu', 'lines/s', 'peak RSS', `speed vs ${base.name}`, ''];
  const last = head.length - 1;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  if (title) console.log(`\n${title}${runs ? ` (best of ${runs})` : ''}`);
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
  return rows;
}

/** Size of a file in MB, for the report. */
export const sizeMB = (file) => (statSync(file).size / 1e6).toFixed(0);
