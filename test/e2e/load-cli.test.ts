// bin/ipta-load as a user runs it, against the real MariaDB: import, re-import, rotated overlaps,
// bad lines, both bulk paths, the table flags, hostile names, failures and their exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { bin, run, testEnv } from '../helpers/run-bin.js';
import { ndjson, record } from '../helpers/load-fixtures.js';

let db: TestDb;
let dir: string;
let env: NodeJS.ProcessEnv;
let flags: string[];

before(async () => {
  db = await createTestDb('ipta_test_load');
  dir = mkdtempSync(join(tmpdir(), 'ipta-load-test-'));
  // the password through the environment (a --db-pass flag would print a warning on every run)
  env = testEnv({ HOME: dir, IPTA_DB_PASS: db.options.password });
  flags = ['--db-host', db.options.host, '--db-port', String(db.options.port), '--db-user', db.options.user, '--db-name', db.name];
});
after(async () => {
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const load = (args: string[], input?: string) => run('ipta-load', [...flags, ...args], input, { env });
const count = async (t: string): Promise<number> => Number((await db.conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t}\``))[0][0]!.n);
const summary = (stderr: string): string | undefined => /records read \d+, inserted \d+, already present \d+, rejected \d+/.exec(stderr)?.[0];

test('import from stdin, then the same again: nothing added twice', async () => {
  const input = ndjson(0, 250);
  const first = await load([], input);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '');
  assert.equal(summary(first.stderr), 'records read 250, inserted 250, already present 0, rejected 0');
  assert.match(first.stderr, /^ipta-load: created table logs$/m);
  assert.equal(await count('logs'), 250);
  const again = await load([], input);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(summary(again.stderr), 'records read 250, inserted 0, already present 250, rejected 0');
  assert.doesNotMatch(again.stderr, /created table/);
  assert.equal(await count('logs'), 250);
});

test('overlapping rotated files: only the new records are added', async () => {
  const older = join(dir, 'iptables.log.1.ndjson');
  const newer = join(dir, 'iptables.log.ndjson');
  writeFileSync(older, ndjson(1000, 1100));
  // the newer file starts with the older one's last 40 records; no final newline
  writeFileSync(newer, ndjson(1060, 1150).trimEnd());
  const r = await load(['--db-table', 'rotated', older, newer]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stderr), 'records read 190, inserted 150, already present 40, rejected 0');
  const r2 = await load(['--db-table', 'rotated', newer]);
  assert.equal(summary(r2.stderr), 'records read 90, inserted 0, already present 90, rejected 0');
  assert.equal(await count('rotated'), 150);
});

test('`-` among the files reads stdin in its place', async () => {
  const a = join(dir, 'dash-a.ndjson');
  writeFileSync(a, ndjson(3000, 3010));
  const r = await load(['--db-table', 'dash', a, '-'], ndjson(3010, 3025));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stderr), 'records read 25, inserted 25, already present 0, rejected 0');
  assert.equal(await count('dash'), 25);
});

test('malformed lines and records without key or verdict are counted, reported and skipped; --strict stops', async () => {
  const good = ndjson(2000, 2010);
  const noKey = JSON.stringify({ ...record(2010), key: undefined });
  const noVerdict = JSON.stringify({ ...record(2011), verdict: undefined });
  const truncated = JSON.stringify(record(2012)).slice(0, 70);
  const input = `${good}not json at all\n[1,2,3]\n${noKey}\n\n${noVerdict}\n${truncated}`;
  const r = await load(['--db-table', 'bad'], input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stderr), 'records read 15, inserted 10, already present 0, rejected 5');
  assert.match(r.stderr, /^ipta-load: line 11: invalid JSON: "not json at all"$/m);
  assert.match(r.stderr, /^ipta-load: line 12: not a JSON object/m);
  assert.match(r.stderr, /no key, not stored/);
  assert.match(r.stderr, /no verdict, not stored/);
  assert.match(r.stderr, /^ipta-load: line 16: invalid JSON/m);
  assert.equal(await count('bad'), 10);

  const strict = await load(['--db-table', 'bad_strict', '--strict', '--batch-rows', '5'], input);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /line 11: invalid JSON \(--strict\)/);
  assert.match(strict.stderr, /stopped: 10 records committed/);
  const strictRec = await load(['--db-table', 'bad_strict2', '--strict'], `${good}${noKey}\n`);
  assert.equal(strictRec.code, 1);
  assert.match(strictRec.stderr, /record 11: no key \(--strict\)/);
});

test('--method insert and --method load-data store identical rows', async () => {
  const input = ndjson(3000, 3400, (i) => (i % 7 === 0 ? { prefix: `we'ird\t"${i}"\\N🔥`, in: 'br-x`;' } : {}));
  const a = await load(['--db-table', 'via_insert', '--method', 'insert', '--batch-rows', '97'], input);
  const b = await load(['--db-table', 'via_load', '--method', 'load-data'], input);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(summary(a.stderr), 'records read 400, inserted 400, already present 0, rejected 0');
  assert.equal(summary(b.stderr), summary(a.stderr));
  const cols = 'HEX(ev_key), ts, host, prefix, action, verdict, in_if, out_if, family, src, dst, proto, spt, dpt, icmp_type, icmp_code, len, ttl, rec';
  const [ra] = await db.conn.query(`SELECT ${cols} FROM via_insert ORDER BY ev_key`);
  const [rb] = await db.conn.query(`SELECT ${cols} FROM via_load ORDER BY ev_key`);
  assert.deepEqual(ra, rb);
  assert.equal((ra as unknown[]).length, 400);
});

test('table flags: create (and "already exists"), DNS table, clear, list, delete, delete all with --yes', async () => {
  let r = await load(['--create-table', 'made']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /created table made/);
  r = await load(['--create-table', 'made']);
  assert.match(r.stderr, /table made already exists/);
  r = await load(['--create-dns-table', '--dns-table', 'dnscache']);
  assert.match(r.stderr, /created DNS table dnscache/);
  assert.doesNotMatch(r.stderr, /records read/, 'a table flag alone does not read stdin');

  await load(['--db-table', 'made'], ndjson(0, 20));
  r = await load(['--db-table', 'made', '--clear']);
  assert.match(r.stderr, /cleared table made \(20 rows removed\)/);
  assert.equal(await count('made'), 0);
  // clear, then import from stdin in the same call
  r = await load(['--db-table', 'made', '--clear', '--stdin'], ndjson(0, 5));
  assert.equal(summary(r.stderr), 'records read 5, inserted 5, already present 0, rejected 0');

  await db.conn.query('CREATE TABLE not_ours (id INT)');
  r = await load(['--list-tables']);
  assert.equal(r.code, 0, r.stderr);
  const list = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(list.find((t) => t.table === 'made'), { table: 'made', kind: 'log', rows: 5 });
  assert.deepEqual(list.find((t) => t.table === 'dnscache'), { table: 'dnscache', kind: 'dns', rows: 0 });
  assert.deepEqual(list.find((t) => t.table === 'not_ours'), { table: 'not_ours', kind: null, rows: 0 });

  r = await load(['--delete-table', 'not_ours']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not_ours was not created by ipta/);
  r = await load(['--delete-table', 'made']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /deleted table made/);

  r = await load(['--delete-all-tables']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /add --yes to confirm/);
  assert.ok((await count('logs')) > 0, 'nothing deleted without --yes');
  r = await load(['--delete-all-tables', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /deleted \d+ table\(s\)/);
  const [left] = await db.conn.query<RowDataPacket[]>('SHOW TABLES');
  assert.deepEqual(left.map((x) => Object.values(x)[0]), ['not_ours']);
});

test('hostile table names are refused before any SQL (exit 2)', async () => {
  for (const name of ['logs; DROP TABLE x', 'a`b', "x' OR '1'='1", 'has space', 'x'.repeat(65), '🔥']) {
    for (const args of [['--db-table', name], ['--create-table', name], ['--delete-table', name]]) {
      const r = await load(args, '');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /invalid table name/);
    }
  }
});

test('unreachable server: one clear message naming host, port and user; exit 1', async () => {
  const r = await run('ipta-load', ['--db-host', '127.0.0.1', '--db-port', '1', '--db-user', 'someone'], ndjson(0, 3), { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ipta-load: cannot connect to MySQL\/MariaDB at 127\.0\.0\.1:1 as user someone: /m);
  assert.match(r.stderr, /is the server running/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const denied = await run('ipta-load', [...flags, '--db-user', 'no_such_user_x'], ndjson(0, 3), { env });
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /as user no_such_user_x: Access denied/);
  assert.match(denied.stderr, /check the credentials/);
});

test('--db-pass on the command line works and warns that it is visible', async () => {
  const r = await run('ipta-load', [...flags, '--db-pass', db.options.password, '--list-tables'], undefined, { env: testEnv({ HOME: dir }) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /visible in the process list/);
});

test('a live input is stored within about a second, before it ends', async () => {
  const child = spawn(process.execPath, [bin('ipta-load'), ...flags, '--db-table', 'live'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    child.stdin.write(ndjson(0, 3));
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < 8000 && n < 3) {
      await new Promise((r) => setTimeout(r, 100));
      n = await count('live').catch(() => 0);
    }
    assert.equal(n, 3, `stored while the input is open (${stderr})`);
    child.stdin.write(ndjson(3, 5));
    child.stdin.end();
    assert.equal(await exited, 0, stderr);
    assert.equal(summary(stderr), 'records read 5, inserted 5, already present 0, rejected 0');
  } finally {
    child.kill();
  }
});

test('--help describes the options and the exit status', async () => {
  const r = await run('ipta-load', ['--help'], undefined, { env });
  assert.equal(r.code, 0);
  for (const opt of ['--method', '--strict', '--create-table', '--create-dns-table', '--clear', '--list-tables', '--delete-table',
    '--delete-all-tables', '--yes', '--stdin', '--db', '--db-host', '--db-pass', '--batch-rows', '--flush-ms', 'Exit status']) {
    assert.ok(r.stdout.includes(opt), opt);
  }
  const bad = await run('ipta-load', ['--method', 'telepathy'], '', { env });
  assert.equal(bad.code, 2);
});
