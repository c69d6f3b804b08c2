#!/usr/bin/env node
// ipta-rdns speed, side by side with baselines in the same run.
//
//   node bench/rdns.mjs [--lines 1000000] [--runs 2] [--distinct 1000] [--delay 20]
//                       [--concurrency 8,32,128,256] [--db-host 127.0.0.1] [--db-user root] [--db-pass '']
//
// 1. All answers cached: the records of the generated log (bench/gen-log.mjs | ipta-parse, made
//    once and kept in $TMPDIR/ipta-bench) through ipta-rdns
//      - with the MySQL cache warm (a first, untimed run filled the DNS table of a throwaway
//        database), every name read from the DNS table;
//      - with the in-memory cache on records whose addresses repeat (each src/dst mapped onto 200
//        addresses, so all but 400 answers come from the in-memory cache);
//    next to `cat` (reading the bytes) and a node loop that JSON.parses and re-serialises every
//    line (the least an NDJSON filter does).
// 2. Lookups bounded by concurrency: 1,000 records with 1,000 distinct source addresses, the
//    loopback DNS server (test/helpers/dns-server.ts) answering each after --delay ms, at several
//    --concurrency settings; the bound is concurrency / delay.
// The DNS server runs inside this process; the throwaway database is dropped at the end.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import { ROOT, compare, flags, generatedLog, timeCommand } from './lib.mjs';

const opt = flags({ lines: 1_000_000, runs: 2, distinct: 1000, delay: 20, concurrency: '8,32,128,256', 'db-host': '127.0.0.1', 'db-port': 3306, 'db-user': 'root', 'db-pass': '' });
const { startDnsServer } = await import(join(ROOT, 'dist/test/helpers/dns-server.js'));

const dir = join(tmpdir(), 'ipta-bench');
mkdirSync(dir, { recursive: true });
const log = generatedLog(opt.lines);
const records = join(dir, `rdns-records-${opt.lines}.ndjson`);
if (!existsSync(records)) {
  process.stderr.write(`parsing ${log} into ${records} ...\n`);
  const r = spawnSync('sh', ['-c', `TZ=UTC node "${join(ROOT, 'bin/ipta-parse.js')}" --quiet "${log}" > "${records}.tmp"`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('ipta-parse failed');
  renameSync(`${records}.tmp`, records);
}

// the same records, every address mapped onto one of 200: an almost fully cached in-memory run
const repeated = join(dir, `rdns-repeated-${opt.lines}.ndjson`);
let count = 0;
{
  const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 200; return h; };
  const out = existsSync(repeated) ? null : createWriteStream(`${repeated}.tmp`);
  let buf = '';
  for await (const line of createInterface({ input: createReadStream(records) })) {
    if (!line) continue;
    count++;
    if (!out) continue;
    const o = JSON.parse(line);
    if (typeof o.src === 'string') o.src = `10.0.0.${hash(o.src)}`;
    if (typeof o.dst === 'string') o.dst = `10.0.1.${hash(o.dst)}`;
    buf += JSON.stringify(o) + '\n';
    if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise((r) => out.once('drain', r)); buf = ''; }
  }
  if (out) {
    out.write(buf);
    await new Promise((r) => out.end(r));
    renameSync(`${repeated}.tmp`, repeated);
  }
}

const fast = await startDnsServer(new Map());
fast.fallback = { ptr: ['host.bench.example.com'] };
const slow = await startDnsServer(new Map());
slow.fallback = { ptr: ['slow.bench.example.com'], delayMs: opt.delay };

const DB = `ipta_bench_rdns_${process.pid}`;
const admin = await mysql.createConnection({ host: opt['db-host'], port: opt['db-port'], user: opt['db-user'], password: opt['db-pass'] });
await admin.query(`CREATE DATABASE \`${DB}\``);
const env = { ...process.env, TZ: 'UTC', IPTA_DB_PASS: opt['db-pass'] };
const rdns = `node "${join(ROOT, 'bin/ipta-rdns.js')}"`;
const dbFlags = `--db-host ${opt['db-host']} --db-port ${opt['db-port']} --db-user ${opt['db-user']} --db-name ${DB}`;

try {
  process.stderr.write(`filling the DNS table (untimed first run over ${count} records) ...\n`);
  // twice: a lookup that failed under load (UDP drop) is not stored; the second run asks again
  for (let i = 0; i < 2; i++) {
    const fill = await timeCommand(`${rdns} --dns-server ${fast.spec} --concurrency 64 ${dbFlags} --stats < "${records}"`, { env });
    if (fill.code !== 0) throw new Error(`fill run failed: ${fill.stderr}`);
    process.stderr.write(fill.stderr);
  }

  const jsonLoop = `node -e "const rl=require('readline').createInterface({input:process.stdin});let b='';rl.on('line',l=>{b+=JSON.stringify(JSON.parse(l))+'\\\\n';if(b.length>65536){process.stdout.write(b);b=''}}).on('close',()=>process.stdout.write(b))"`;
  console.log(`ipta-rdns, all answers cached: ${count.toLocaleString('en-US')} records of the generated log (${opt.lines.toLocaleString('en-US')} lines)`);
  const cached = await compare([
    { name: 'cat', cmd: `cat "${records}"`, env },
    { name: 'node JSON.parse+stringify loop', cmd: `${jsonLoop} < "${records}"`, env },
    { name: 'ipta-rdns, warm MySQL cache', cmd: `${rdns} --dns-server ${fast.spec} ${dbFlags} < "${records}"`, env },
    { name: 'ipta-rdns, in-memory (400 addresses)', cmd: `${rdns} --dns-server ${fast.spec} < "${repeated}"`, env },
  ], { runs: opt.runs, lines: count, baseline: 'node JSON.parse+stringify loop', title: 'records/s in the lines/s column' });
  for (const r of cached.slice(2)) {
    const rate = count / r.wall;
    console.log(`${r.name}: ${Math.round(rate).toLocaleString('en-US')} records/s (target >= 300,000: ${rate >= 300_000 ? 'met' : 'NOT met'} on this run)`);
  }

  const distinct = join(dir, `rdns-distinct-${opt.distinct}.ndjson`);
  let buf = '';
  for (let i = 0; i < opt.distinct; i++) buf += JSON.stringify({ src: `198.18.${i >> 8}.${i & 255}`, dst: '192.0.2.1', line: i + 1 }) + '\n';
  writeFileSync(distinct, buf);
  console.log(`\nipta-rdns, ${opt.distinct} distinct addresses, loopback DNS answering after ${opt.delay} ms (in-memory cache only)`);
  const rows = String(opt.concurrency).split(',').map(Number).map((c) => ({
    name: `--concurrency ${c} (bound ${Math.round((c * 1000) / opt.delay).toLocaleString('en-US')}/s)`,
    cmd: `${rdns} --dns-server ${slow.spec} --concurrency ${c} --timeout 5000 < "${distinct}"`,
    env,
  }));
  const empty = join(dir, 'rdns-empty.ndjson');
  writeFileSync(empty, '');
  rows.unshift({ name: 'start-up only (empty input)', cmd: `${rdns} --dns-server ${slow.spec} < "${empty}"`, env, lines: 0 });
  slow.resetCounts();
  const res = await compare(rows, { runs: 1, lines: opt.distinct, title: 'records/s in the lines/s column (start-up included)' });
  const startup = res[0].wall;
  for (const r of res.slice(1)) {
    console.log(`${r.name}: ${Math.round(opt.distinct / Math.max(0.001, r.wall - startup)).toLocaleString('en-US')} records/s once started (wall minus the ${startup.toFixed(2)} s start-up)`);
  }
  console.log(`queries the slow server received: ${slow.total()} (expected ${(opt.distinct + 1) * (rows.length - 1)}: one per address per run)`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.end();
  await fast.close();
  await slow.close();
}
