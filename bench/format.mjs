#!/usr/bin/env node
// ipta-format speed: the NDJSON records of the generated log formatted as packet rows, side by
// side with two baselines in the same run: `cat > /dev/null` (reading the bytes) and a one-line
// node loop that JSON.parses every line (the least any NDJSON reader does). Peak RSS is measured
// on a tenth of the input and on all of it: flat memory means the two are about the same.
//
//   node bench/format.mjs [--lines N] [--records FILE] [--runs R]
//
// --records FILE uses existing NDJSON records; otherwise N log lines (default 1,000,000) are
// generated with bench/gen-log.mjs and parsed with bin/ipta-parse.js into a temporary file.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, statSync, createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const LINES = Number(arg('lines', '1000000'));
const RUNS = Number(arg('runs', '1'));
const dir = mkdtempSync(join(tmpdir(), 'ipta-bench-format-'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function log(s) { process.stderr.write(`${s}\n`); }

let records = arg('records');
try {
  if (!records) {
    const logFile = join(dir, 'log');
    records = join(dir, 'records.ndjson');
    log(`generating ${LINES} log lines and parsing them into records...`);
    execFileSync('sh', ['-c', `node "${ROOT}bench/gen-log.mjs" --lines ${LINES} > "${logFile}" && TZ=UTC node "${ROOT}bin/ipta-parse.js" --quiet "${logFile}" > "${records}"`], { stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(logFile);
  }
  const count = await countLines(records);
  const tenth = join(dir, 'tenth.ndjson');
  await head(records, tenth, Math.ceil(count / 10));
  const size = statSync(records).size;
  log(`${count} records, ${(size / 1e6).toFixed(0)} MB`);

  const jsonLoop = "let n=0;require('readline').createInterface({input:process.stdin}).on('line',l=>{JSON.parse(l);n++}).on('close',()=>{})";
  const cases = [
    ['cat > /dev/null', ['cat']],
    ['node JSON.parse loop', [process.execPath, '-e', jsonLoop]],
    ['ipta-format (packet rows)', [process.execPath, join(ROOT, 'bin/ipta-format.js'), '--utc']],
  ];
  const results = [];
  for (const [name, cmd] of cases) {
    let best = Infinity;
    let cpu = Infinity;
    let rss = 0;
    for (let r = 0; r < RUNS; r++) {
      const m = measure(cmd, records);
      best = Math.min(best, m.seconds);
      cpu = Math.min(cpu, m.cpu);
      rss = Math.max(rss, m.rssKb);
    }
    const small = measure(cmd, tenth);
    results.push({ name, seconds: best, cpu, rssKb: rss, rssTenthKb: small.rssKb });
  }
  const base = results[1].seconds;
  const fmt = results[2];
  log('');
  const lines = [
    `records: ${count} (${(size / 1e6).toFixed(0)} MB of NDJSON), best of ${RUNS} run(s)`,
    ...results.map((r) => `${r.name.padEnd(28)} wall ${r.seconds.toFixed(2).padStart(6)} s ${Math.round(count / r.seconds).toLocaleString('en-US').padStart(11)} records/s | CPU ${r.cpu.toFixed(2).padStart(6)} s ${Math.round(count / r.cpu).toLocaleString('en-US').padStart(11)} records/s | peak RSS ${(r.rssKb / 1024).toFixed(0)} MB (tenth of the input: ${(r.rssTenthKb / 1024).toFixed(0)} MB)`),
    `ipta-format / JSON.parse loop: ${(fmt.seconds / base).toFixed(2)}x the wall time, ${(fmt.cpu / results[1].cpu).toFixed(2)}x the CPU time`,
    `target >= 300,000 records/s: ${count / fmt.seconds >= 300000 ? 'met' : 'NOT met'} in wall time, ${count / fmt.cpu >= 300000 ? 'met' : 'NOT met'} in CPU time on this run`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function measure(cmd, input) {
  const fd = openSync(input, 'r');
  const out = openSync('/dev/null', 'w');
  const t0 = process.hrtime.bigint();
  const argv = TIME ? [TIME, '-f', '%M %U %S', ...cmd] : cmd;
  const r = spawnSync(argv[0], argv.slice(1), { stdio: [fd, out, 'pipe'], env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(fd);
  closeSync(out);
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(String(r.stderr));
  return { seconds, rssKb: m ? Number(m[1]) : 0, cpu: m ? Number(m[2]) + Number(m[3]) : NaN };
}

async function countLines(file) {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(file) })) n++;
  return n;
}

async function head(file, to, n) {
  const out = createWriteStream(to);
  let i = 0;
  for await (const l of createInterface({ input: createReadStream(file) })) {
    if (i++ >= n) break;
    out.write(`${l}\n`);
  }
  await new Promise((r) => out.end(r));
}


