#!/usr/bin/env node
// ipta-report, both engines. Not part of npm test.
//
//   node bench/report.mjs [--lines 1000000] [--runs 1] [--rows 10000000] [--skip-mysql] [--skip-stream]
//                         [--db-host 127.0.0.1] [--db-port 3306] [--db-user root] [--db-pass '']
//                         [--keep] [--reuse DBNAME]   (keep the database; time an existing one, never dropped)
//
// Stream engine: `ipta-report FILE` (every module) over the NDJSON of the generated log, side by
// side in one run with reading the same NDJSON alone on one thread (split + JSON.parse: the floor
// of one thread), with one module, and with the NDJSON decoded on the main thread alone
// (IPTA_REPORT_THREADS=0); records/s, CPU seconds and peak RSS. Target: >= 300,000 records/s.
//
// MySQL engine: a throwaway database; the NDJSON is loaded once with ipta-load, then the table is
// doubled with INSERT ... SELECT (each copy shifted in time by the span of the data, with new
// keys) up to --rows rows. Timed in one run: the one-time build of the summary tables for those
// rows, SELECT COUNT(*) on the log table (the baseline of the ratios), the six seed modules, every
// module, and --since 24h (relative to the newest row); scanners --since 24h also from the log
// table alone (no summary tables), as the baseline of the hourly sets. The throwaway database is
// dropped at the end unless --keep is given; a --reuse database is never dropped.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, compare, flags, generatedLog, sizeMB, timeCommand } from './lib.mjs';

const f = flags({ lines: 1_000_000, runs: 1, rows: 10_000_000, keep: 'false', reuse: '', 'skip-mysql': 'false', 'skip-stream': 'false', 'db-host': '127.0.0.1', 'db-port': 3306, 'db-user': 'root', 'db-pass': '' });
const node = JSON.stringify(process.execPath);
const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1', IPTA_NO_PROGRESS: '1' };
const SEED = ['denied', 'icmp', 'ports', 'invalid', 'interfaces', 'port-actions'];

const log = generatedLog(f.lines);
const ndjson = log.replace(/\.log$/, '.ndjson');
if (!existsSync(ndjson)) {
  process.stderr.write(`parsing ${log} -> ${ndjson} ...\n`);
  const r = spawnSync('sh', ['-c', `${node} ${ROOT}/bin/ipta-parse.js -q "${log}" > "${ndjson}.tmp"`], { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error('ipta-parse failed');
  renameSync(`${ndjson}.tmp`, ndjson);
}
const records = Number(spawnSync('sh', ['-c', `wc -l < "${ndjson}"`]).stdout.toString().trim());
const q = JSON.stringify(ndjson);

if (f['skip-stream'] !== 'true') {
  console.log(`stream engine: ${ndjson} (${sizeMB(ndjson)} MB, ${records.toLocaleString('en-US')} records); node ${process.version}`);
  const read = `${node} --input-type=module -e "import {ndjsonLines} from '${ROOT}/dist/src/stream/ndjson-lines.js'; import {createReadStream} from 'node:fs'; let n=0; for await (const r of ndjsonLines(createReadStream(${JSON.stringify(ndjson).replace(/"/g, "'")}))) n++;"`;
  const res = await compare([
    { name: 'read NDJSON only (floor)', cmd: read, env },
    { name: 'ipta-report -m summary', cmd: `${node} ${ROOT}/bin/ipta-report.js -m summary ${q}`, env },
    { name: 'ipta-report, one thread', cmd: `${node} ${ROOT}/bin/ipta-report.js ${q}`, env: { ...env, IPTA_REPORT_THREADS: '0' } },
    { name: 'ipta-report (all modules)', cmd: `${node} ${ROOT}/bin/ipta-report.js ${q}`, env },
  ], { runs: f.runs, lines: records, baseline: 'read NDJSON only (floor)', title: 'ipta-report, stream engine' });
  const all = res.find((r) => r.name === 'ipta-report (all modules)');
  console.log(`\nstream engine, all modules: ${Math.round(records / all.wall).toLocaleString('en-US')} records/s wall, ` +
    `${Math.round(records / all.cpu).toLocaleString('en-US')} records/s of CPU (target 300,000), peak RSS ${(all.rssKiB / 1024).toFixed(0)} MB\n`);
}

if (f['skip-mysql'] !== 'true') {
  const mysql = (await import(`${ROOT}/node_modules/mysql2/promise.js`)).default;
  const { refreshSummaries } = await import(`${ROOT}/dist/src/store/summary.js`);
  const { reportFromDb, reportOptions } = await import(`${ROOT}/dist/src/report/index.js`);
  const { DB_DEFAULTS } = await import(`${ROOT}/dist/src/store/options.js`);
  const db = { host: f['db-host'], port: f['db-port'], user: f['db-user'], password: f['db-pass'] === 'true' ? '' : f['db-pass'] };
  const NAME = f.reuse || `ipta_bench_report_${process.pid}`;
  const admin = await mysql.createConnection({ ...db, supportBigNumbers: true, bigNumberStrings: true });
  const settings = { ...DB_DEFAULTS, ...db, database: NAME, table: 'logs' };
  const dbFlags = `--db-host ${db.host} --db-port ${db.port} --db-user ${db.user} --db-name ${NAME}`;
  const benv = { ...env, IPTA_DB_PASS: db.password };
  // MariaDB loses an internal temporary file (errno 6, EE_DELETE) when another server is started
  // with the same tmpdir (a test's throwaway mariadbd cleans /tmp at start-up): try again
  const retry = async (fn, n = 6) => {
    for (let i = 1; ; i++) {
      try { return await fn(); } catch (err) {
        if (err.errno !== 6 || i >= n) throw err;
        process.stderr.write(`  (lost temporary file, retry ${i})\n`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  };
  const secs = async (fn) => { const t = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t) / 1e9; };
  try {
    if (!f.reuse) {
      await admin.query(`CREATE DATABASE \`${NAME}\` CHARACTER SET utf8mb4`);
      await admin.query(`USE \`${NAME}\``);
      console.log(`MySQL engine: database ${NAME}; loading ${records.toLocaleString('en-US')} records with ipta-load ...`);
      const load = await timeCommand(`${node} ${ROOT}/bin/ipta-load.js ${dbFlags} ${q}`, { env: benv });
      if (load.code !== 0) throw new Error(`ipta-load failed: ${load.stderr}`);
      console.log(`  ipta-load (summaries kept by the loader): ${load.wall.toFixed(1)} s, ${Math.round(records / load.wall).toLocaleString('en-US')} rows/s`);
      const cols = 'ts, host, prefix, action, verdict, in_if, out_if, family, src, dst, proto, spt, dpt, icmp_type, icmp_code, len, ttl, rec';
      const [[span]] = await admin.query('SELECT TIMESTAMPDIFF(SECOND, MIN(ts), MAX(ts)) + 3600 AS s FROM logs');
      let n = Number((await admin.query('SELECT COUNT(*) AS n FROM logs'))[0][0].n);
      let copy = 0;
      const tDouble = await secs(async () => {
        while (n < f.rows) {
          copy++;
          const [[mx]] = await admin.query('SELECT MAX(id) AS m FROM logs');
          // in id windows: an INSERT ... SELECT from its own table stages the SELECT in a temporary table
          for (let lo = 0; lo < Number(mx.m) && n < f.rows; lo += 100_000) {
            const sql = `INSERT INTO logs (ev_key, ${cols}) SELECT UNHEX(MD5(CONCAT(HEX(ev_key), ':', ?))), ts + INTERVAL ? SECOND, ${cols.replace(/^ts, /, '')} ` +
              'FROM logs WHERE id > ? AND id <= ? LIMIT ?';
            const params = [copy, Number(span.s) * 2 ** (copy - 1), lo, Math.min(lo + 100_000, Number(mx.m)), f.rows - n];
            // MariaDB may lose an internal temporary file on a busy machine (errno 6): the statement
            // is rolled back, try it again
            const [r] = await retry(() => admin.query(sql, params));
            n += r.affectedRows;
          }
          process.stderr.write(`  ${n.toLocaleString('en-US')} rows\n`);
        }
      });
      console.log(`  doubled to ${n.toLocaleString('en-US')} rows with INSERT ... SELECT in ${tDouble.toFixed(0)} s`);
    } else {
      await admin.query(`USE \`${NAME}\``);
    }
    const n = Number((await admin.query('SELECT COUNT(*) AS n FROM logs'))[0][0].n);
    const conn = await mysql.createConnection({ ...db, database: NAME, supportBigNumbers: true, bigNumberStrings: true });
    let refreshed;
    const tBuild = await secs(async () => { refreshed = await retry(() => refreshSummaries(conn, settings, { lazy: false })); });
    console.log(`  summary tables built for the ${refreshed.added.toLocaleString('en-US')} ids above the loader's watermark: ${tBuild.toFixed(0)} s (one-time; ${Math.round(refreshed.added / tBuild).toLocaleString('en-US')} rows/s)`);
    const [sizes] = await admin.query(`SELECT TABLE_NAME AS t, TABLE_ROWS AS r, ROUND((DATA_LENGTH + INDEX_LENGTH) / 1e6) AS mb FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`, [NAME]);
    console.log('  tables (estimated rows, MB): ' + sizes.map((s) => `${s.t} ${Number(s.r).toLocaleString('en-US')} ${s.mb}`).join('; '));
    const [[newest]] = await admin.query("SELECT DATE_FORMAT(MAX(ts), '%Y-%m-%dT%H:%i:%sZ') AS t FROM logs");

    const timed = [];
    const row = (name, s, extra = '') => timed.push({ name, s, extra });
    for (let run = 0; run < Math.max(1, f.runs); run++) {
      row('SELECT COUNT(*) FROM logs', await secs(() => conn.query('SELECT COUNT(*) FROM logs')));
      const cmd = async (name, args) => {
        const t = await timeCommand(`${node} ${ROOT}/bin/ipta-report.js ${dbFlags} ${args}`, { env: benv, keepOutput: true });
        if (t.code !== 0) throw new Error(`${name}: ${t.stderr}`);
        row(name, t.wall, `${t.stdout.trim().split('\n').length} rows`);
      };
      await cmd('ipta-report --db: six seed modules', SEED.map((m) => `-m ${m}`).join(' '));
      await cmd('ipta-report --db: every module', '');
      await cmd('ipta-report --db --since 24h: six seed modules', `--now ${newest.t} --since 24h ${SEED.map((m) => `-m ${m}`).join(' ')}`);
      await cmd('ipta-report --db --since 24h: every module', `--now ${newest.t} --since 24h`);
      await cmd('ipta-report --db --no-local: six seed modules', `--no-local ${SEED.map((m) => `-m ${m}`).join(' ')}`);
    }
    // per module, in process (one connection, summaries already current)
    for (const since of [undefined, '24h']) {
      for (const m of ['denied', 'icmp', 'ports', 'invalid', 'interfaces', 'port-actions', 'top-sources', 'timeline', 'hosts', 'scanners', 'new-sources', 'heatmap', 'summary']) {
        const opts = reportOptions({ modules: [m] });
        if (since) opts.filters = { ...opts.filters, since: Date.parse(newest.t) * 1000 - 24 * 3600e6 };
        const s = await secs(async () => { for await (const _r of reportFromDb(settings, opts, { conn })) { /* drain */ } });
        row(`  module ${m}${since ? ' --since 24h' : ''}`, s);
      }
    }
    // the same question of the log table alone (its ts index; no summary tables), for comparison
    {
      const opts = reportOptions({ modules: ['scanners'] });
      opts.filters = { ...opts.filters, since: Date.parse(newest.t) * 1000 - 24 * 3600e6 };
      const s = await secs(async () => { for await (const _r of reportFromDb(settings, opts, { conn, noSummaries: true })) { /* drain */ } });
      row('  module scanners --since 24h, log table only', s);
    }
    await conn.end();
    const base = Math.min(...timed.filter((t) => t.name.startsWith('SELECT COUNT')).map((t) => t.s));
    console.log(`\nMySQL engine over ${n.toLocaleString('en-US')} rows (best of ${Math.max(1, f.runs)}; ratio = time / SELECT COUNT(*)):`);
    const best = new Map();
    for (const t of timed) if (!best.has(t.name) || best.get(t.name).s > t.s) best.set(t.name, t);
    for (const t of best.values()) console.log(`${t.name.padEnd(52)} ${t.s.toFixed(2).padStart(7)} s  ${(t.s / base).toFixed(2).padStart(6)}x  ${t.extra}`);
  } finally {
    // a --reuse database is the user's: left where it was found
    if (!f.reuse) {
      if (f.keep !== 'true') await admin.query(`DROP DATABASE IF EXISTS \`${NAME}\``);
      else console.log(`kept database ${NAME} (drop it when done)`);
    }
    await admin.end();
  }
}
