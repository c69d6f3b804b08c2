#!/usr/bin/env node
// ipta-load against the server's own bulk path, side by side in one run.
//
//   node bench/load.mjs [--lines 1000000] [--rounds 1] [--db-host 127.0.0.1] [--db-port 3306]
//                       [--db-user root] [--db-pass ''] [--keep]
//
// 1. generates the log (bench/gen-log.mjs, cached in $TMPDIR), parses it once to NDJSON and
//    writes the equivalent TSV (the exact rows ipta-load sends) for the baseline;
// 2. per round, each into a fresh table of the same schema (src/store/schema.ts):
//      raw       mariadb --local-infile -e "LOAD DATA LOCAL INFILE 'x.tsv' IGNORE INTO TABLE ..."
//      e2e       ipta-parse LOG | ipta-load                 (fresh table)
//      reimport  ipta-parse LOG | ipta-load                 (same table again: all duplicates)
//      e2e-nosum IPTA_SUMMARIES=0 ipta-parse LOG | ipta-load (fresh table, the report engine's
//                summary tables not kept current: the loader alone, as the raw baseline)
//      ndjson    ipta-load < NDJSON                         (fresh table, no parsing)
//      ndjson-nosum  the same with IPTA_SUMMARIES=0
//      insert    ipta-load --method insert < NDJSON         (fresh table, the fallback path)
// 3. prints rows/s and the ratios to raw. A throwaway database is created and dropped.
import { spawn, execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).join(' ').split(/\s*--/).filter(Boolean).map((kv) => {
  const [k, ...v] = kv.split(/\s+/);
  return [k, v.join(' ') || true];
}));
const LINES = Number(args.lines ?? 1_000_000);
const ROUNDS = Number(args.rounds ?? 1);
const ONLY = args.only ? String(args.only).split(',') : ['raw', 'e2e', 'reimport', 'e2e-nosum', 'ndjson', 'insert'];
const db = { host: args['db-host'] ?? '127.0.0.1', port: Number(args['db-port'] ?? 3306), user: args['db-user'] ?? 'root', password: args['db-pass'] === true ? '' : (args['db-pass'] ?? '') };
const DBNAME = `ipta_bench_load_${process.pid}`;
const env = { ...process.env, TZ: 'UTC', IPTA_NO_PROGRESS: '1' };

const { logTableSql, LOAD_COLUMNS } = await import(`${ROOT}dist/src/store/schema.js`);
const { recordToRow, TsvEncoder } = await import(`${ROOT}dist/src/store/row.js`);

function sh(cmd) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('bash', ['-c', cmd], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b) => { err += b; });
    p.on('close', (code) => {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`${cmd}\nexit ${code}\n${err}`));
      else resolve({ s, err });
    });
  });
}

const log = join(tmpdir(), `ipta-bench-${LINES}.log`);
const ndjson = join(tmpdir(), `ipta-bench-${LINES}.ndjson`);
const tsv = join(tmpdir(), `ipta-bench-${LINES}.tsv`);
if (!existsSync(log)) {
  process.stderr.write(`generating ${log}\n`);
  execFileSync('bash', ['-c', `node ${ROOT}bench/gen-log.mjs --lines ${LINES} > ${log}`]);
}
if (!existsSync(ndjson) || statSync(ndjson).mtimeMs < statSync(log).mtimeMs) {
  process.stderr.write(`parsing to ${ndjson}\n`);
  execFileSync('bash', ['-c', `node ${ROOT}bin/ipta-parse.js ${log} > ${ndjson} 2>/dev/null`], { env });
}
// the TSV the raw LOAD DATA reads: exactly the rows ipta-load would send
{
  process.stderr.write(`writing ${tsv}\n`);
  const out = createWriteStream(tsv);
  let rest = '';
  for await (const chunk of createReadStream(ndjson, 'utf8')) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    const enc = new TsvEncoder();
    for (const l of lines) {
      if (!l) continue;
      const r = recordToRow(JSON.parse(l));
      if (r.ok) { r.row[18] = l; enc.add(r.row); }
    }
    if (!out.write(Buffer.from(enc.take()))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}
const rows = Number(execFileSync('bash', ['-c', `wc -l < ${tsv}`]).toString().trim());

const admin = await mysql.createConnection({ ...db });
await admin.query(`CREATE DATABASE \`${DBNAME}\` CHARACTER SET utf8mb4`);
await admin.query(`USE \`${DBNAME}\``);
const [[li]] = await admin.query('SELECT @@GLOBAL.local_infile AS li');
if (Number(li.li) !== 1) process.stderr.write('warning: local_infile is OFF: the raw baseline will fail (SET GLOBAL local_infile = 1)\n');
const mysqlArgs = `-h${db.host} -P${db.port} -u${db.user} ${db.password ? `-p${db.password}` : ''} ${DBNAME}`;
const ipta = `--db-host ${db.host} --db-port ${db.port} --db-user ${db.user} --db-name ${DBNAME}`;
env.IPTA_DB_PASS = db.password;
const count = async (t) => Number((await admin.query(`SELECT COUNT(*) AS n FROM \`${t}\``))[0][0].n);

const results = {};
const note = (name, s, n) => {
  (results[name] ??= []).push(s);
  process.stdout.write(`${name.padEnd(12)} ${s.toFixed(2).padStart(7)} s  ${Math.round(n / s).toLocaleString('en').padStart(9)} rows/s\n`);
};
try {
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}: ${LINES.toLocaleString('en')} log lines, ${rows.toLocaleString('en')} records\n`);
    if (ONLY.includes('raw')) {
      await admin.query(logTableSql(`raw_${round}`));
      const cols = LOAD_COLUMNS.map((c) => (c === 'ev_key' ? '@k' : `\`${c}\``)).join(', ');
      const sql = `LOAD DATA LOCAL INFILE '${tsv}' IGNORE INTO TABLE raw_${round} CHARACTER SET utf8mb4 (${cols}) SET ev_key = UNHEX(@k)`;
      const { s } = await sh(`mariadb --local-infile=1 ${mysqlArgs} -e "${sql.replace(/`/g, '\\`')}"`);
      if ((await count(`raw_${round}`)) !== rows) throw new Error('raw: wrong row count');
      note('raw', s, rows);
    }
    if (ONLY.includes('e2e')) {
      const { s } = await sh(`node ${ROOT}bin/ipta-parse.js ${log} 2>/dev/null | node ${ROOT}bin/ipta-load.js ${ipta} --db-table e2e_${round}`);
      if ((await count(`e2e_${round}`)) !== rows) throw new Error('e2e: wrong row count');
      note('e2e', s, rows);
    }
    if (ONLY.includes('reimport')) {
      const { s, err } = await sh(`node ${ROOT}bin/ipta-parse.js ${log} 2>/dev/null | node ${ROOT}bin/ipta-load.js ${ipta} --db-table e2e_${round}`);
      if (!err.includes(`inserted 0, already present ${rows}`)) throw new Error(`reimport: ${err}`);
      note('reimport', s, rows);
    }
    if (ONLY.includes('e2e-nosum')) {
      const { s } = await sh(`node ${ROOT}bin/ipta-parse.js ${log} 2>/dev/null | IPTA_SUMMARIES=0 node ${ROOT}bin/ipta-load.js ${ipta} --db-table ns_${round}`);
      if ((await count(`ns_${round}`)) !== rows) throw new Error('e2e-nosum: wrong row count');
      note('e2e-nosum', s, rows);
    }
    if (ONLY.includes('ndjson')) {
      const { s } = await sh(`node ${ROOT}bin/ipta-load.js ${ipta} --db-table nd_${round} < ${ndjson}`);
      if ((await count(`nd_${round}`)) !== rows) throw new Error('ndjson: wrong row count');
      note('ndjson', s, rows);
    }
    if (ONLY.includes('ndjson-nosum')) {
      const { s } = await sh(`IPTA_SUMMARIES=0 node ${ROOT}bin/ipta-load.js ${ipta} --db-table nn_${round} < ${ndjson}`);
      if ((await count(`nn_${round}`)) !== rows) throw new Error('ndjson-nosum: wrong row count');
      note('ndjson-nosum', s, rows);
    }
    if (ONLY.includes('insert')) {
      const { s } = await sh(`node ${ROOT}bin/ipta-load.js ${ipta} --method insert --db-table ins_${round} < ${ndjson}`);
      if ((await count(`ins_${round}`)) !== rows) throw new Error('insert: wrong row count');
      note('insert', s, rows);
    }
  }
  const best = (k) => (results[k] ? Math.min(...results[k]) : undefined);
  const raw = best('raw');
  process.stdout.write('\nbest of rounds (rows/s, ratio to raw LOAD DATA):\n');
  for (const k of Object.keys(results)) {
    const s = best(k);
    process.stdout.write(`${k.padEnd(12)} ${Math.round(rows / s).toLocaleString('en').padStart(9)} rows/s` +
      (raw ? `  ${((raw / s) * 100).toFixed(0).padStart(4)}% of raw` : '') + '\n');
  }
  if (best('reimport') && best('e2e')) process.stdout.write(`reimport / e2e speed: ${(best('e2e') / best('reimport')).toFixed(2)}x\n`);
  process.stdout.write(`load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
} finally {
  if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS \`${DBNAME}\``);
  await admin.end();
}
