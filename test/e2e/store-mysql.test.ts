// The store against the real MariaDB, under MySQL 8's strict sql_mode (STRICT_TRANS_TABLES,
// ONLY_FULL_GROUP_BY...): tables, hostile strings stored byte for byte, idempotent loads,
// batching by time and the bound on records read ahead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2/promise';
import mysql from 'mysql2/promise';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { keyOf, record, type Rec } from '../helpers/load-fixtures.js';
import { loadRecords, LoadFailedError, type LoadMethod } from '../../src/store/load.js';
import { resolveDbSettings, type DbSettings } from '../../src/store/connect.js';
import {
  clearTable, createDnsTable, createLogTable, deleteAllTables, deleteTable, listTables,
} from '../../src/store/tables.js';
import { UsageError, RuntimeError } from '../../src/cli/errors.js';
import { refreshSummaries } from '../../src/store/summary.js';

const MYSQL8_SQL_MODE = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

let db: TestDb;
let conn: mysql.Connection;
let settings: DbSettings;

before(async () => {
  db = await createTestDb('ipta_test_store');
  settings = resolveDbSettings({ 'db-host': db.options.host, 'db-port': db.options.port, 'db-user': db.options.user, 'db-name': db.name },
    { env: { IPTA_DB_PASS: db.options.password }, config: {}, warn: false });
  conn = await mysql.createConnection({ ...db.options, charset: 'utf8mb4_unicode_ci', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  await conn.query('SET SESSION sql_mode = ?', [MYSQL8_SQL_MODE]);
});
after(async () => {
  await conn?.end();
  await db?.drop();
});

async function* from(records: Rec[]): AsyncGenerator<Rec> {
  for (const r of records) yield r;
}
// mysql2 hands MariaDB's JSON columns over parsed (extended metadata); text from other servers
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const count = async (t: string): Promise<number> => Number((await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t}\``))[0][0]!.n);

const HOSTILE = [
  "'; DROP TABLE logs; --", 'back`tick`', 'semi;colon', '"double"', 'back\\slash', '\\N', 'tab\there', 'new\nline',
  'cr\rhere', 'nul\u0000byte', 'emoji 🔥🧱', 'SELECT * FROM mysql.user', '', ' spaced ', '\u001b[31mred', 'ünïcödé',
  '%_wildcards%', "Robert'); DROP TABLE Students;--",
];

test('the log table: created once, then "already exists"; the DNS table has addr, name, looked_up', async () => {
  assert.deepEqual(await createLogTable(conn, 'logs'), { table: 'logs', created: true });
  assert.deepEqual(await createLogTable(conn, 'logs'), { table: 'logs', created: false });
  assert.deepEqual(await createDnsTable(conn, 'dns'), { table: 'dns', created: true });
  assert.deepEqual(await createDnsTable(conn, 'dns'), { table: 'dns', created: false });
  const [cols] = await conn.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dns' ORDER BY ORDINAL_POSITION");
  assert.deepEqual(cols.map((r) => [r.c, r.t, r.n, r.k]), [
    ['addr', 'varchar(45)', 'NO', 'PRI'], ['name', 'varchar(255)', 'YES', ''], ['looked_up', 'datetime(6)', 'NO', 'MUL'],
  ]);
  const [logCols] = await conn.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs' ORDER BY ORDINAL_POSITION");
  assert.deepEqual(logCols.map((r) => r.c), ['id', 'ev_key', 'ts', 'host', 'prefix', 'action', 'verdict', 'in_if', 'out_if',
    'family', 'src', 'dst', 'proto', 'spt', 'dpt', 'icmp_type', 'icmp_code', 'len', 'ttl', 'rec']);
  const [[t]] = await conn.query<RowDataPacket[][]>("SELECT ENGINE AS e, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs'") as unknown as RowDataPacket[][];
  assert.equal(t!.e, 'InnoDB');
  assert.match(String(t!.c), /^utf8mb4/);
});

for (const method of ['load-data', 'insert'] as LoadMethod[]) {
  test(`hostile strings survive byte for byte under strict sql_mode (${method})`, async () => {
    const table = `hostile_${method.replace('-', '_')}`;
    const records = HOSTILE.map((s, i) => record(i, { prefix: s, action: s.slice(0, 64), host: s, in: s.slice(0, 15), out: s, key: keyOf(`${method}-${i}`) }));
    // a lone surrogate can only become U+FFFD in UTF-8: stored as that, the record still valid JSON
    records.push(record(99, { prefix: 'lone \ud800 surrogate', key: keyOf(`${method}-lone`) }));
    // as deep as MariaDB's JSON check allows
    let deep: unknown = 'bottom';
    for (let i = 0; i < 30; i++) deep = [deep];
    records.push(record(98, { extra: deep, key: keyOf(`${method}-deep`) }));
    const sum = await loadRecords(from(records), settings, { table, method, connection: conn });
    assert.equal(sum.method, method);
    assert.deepEqual([sum.read, sum.inserted, sum.duplicates, sum.rejected], [records.length, records.length, 0, 0]);
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT LOWER(HEX(ev_key)) AS k, host, prefix, action, in_if, out_if, rec FROM \`${table}\``);
    const byKey = new Map(rows.map((r) => [String(r.k), r]));
    for (const rec of records.slice(0, HOSTILE.length)) {
      const row = byKey.get(rec.key as string)!;
      assert.ok(row, `row for ${JSON.stringify(rec.prefix)}`);
      assert.equal(row.prefix, rec.prefix);
      assert.equal(row.host, rec.host);
      assert.equal(row.action, rec.action);
      assert.equal(row.in_if, rec.in);
      assert.equal(row.out_if, rec.out);
      assert.deepEqual(json(row.rec), rec);
    }
    const lone = byKey.get(keyOf(`${method}-lone`))!;
    assert.equal(lone.prefix, 'lone \ufffd surrogate');
    assert.equal((json(lone.rec) as Rec).prefix, 'lone \ufffd surrogate');
    assert.deepEqual((json(byKey.get(keyOf(`${method}-deep`))!.rec) as Rec).extra, deep);
    // '' stays '' and absent stays NULL: both kinds reach the report engine distinctly
    const [[nulls]] = await conn.query<RowDataPacket[][]>(`SELECT SUM(prefix = '') AS empty, SUM(spt IS NULL) AS nospt FROM \`${table}\``) as unknown as RowDataPacket[][];
    assert.equal(Number(nulls!.empty), 1);
    assert.ok(Number(nulls!.nospt) > 0);
  });
}

test('idempotent: the same records again add nothing; an overlap adds only the new ones', async () => {
  const a = Array.from({ length: 300 }, (_, i) => record(i));
  const first = await loadRecords(from(a), settings, { table: 'idem', connection: conn, batchRows: 64 });
  assert.deepEqual([first.read, first.inserted, first.duplicates, first.committed], [300, 300, 0, 300]);
  const again = await loadRecords(from(a), settings, { table: 'idem', connection: conn, batchRows: 64 });
  assert.deepEqual([again.read, again.inserted, again.duplicates, again.committed], [300, 0, 300, 300]);
  // rotated file overlapping the last 100, plus a record repeated inside one batch
  const b = [...Array.from({ length: 200 }, (_, i) => record(200 + i)), record(450), record(450)];
  const over = await loadRecords(from(b), settings, { table: 'idem', connection: conn, batchRows: 1000, method: 'insert' });
  assert.deepEqual([over.read, over.inserted, over.duplicates], [202, 101, 101]);
  assert.equal(await count('idem'), 401);
  // times are stored in UTC with their microseconds
  const [[r]] = await conn.query<RowDataPacket[][]>("SELECT ts FROM idem WHERE ev_key = UNHEX(?)", [record(7).key]) as unknown as RowDataPacket[][];
  assert.equal(r!.ts, String(record(7).ts).replace('T', ' ').replace('Z', ''));
});

test('records that cannot be rows are counted and reported, the rest stored; strict stops at the first', async () => {
  const recs: Rec[] = [record(1), { verdict: 'deny' }, record(2, { dpt: 99999 }), record(3), record(4, { key: 'nope' })];
  const seen: string[] = [];
  const sum = await loadRecords(from(recs), settings, { table: 'rej', connection: conn, onReject: (why, _r, i) => seen.push(`${i}: ${why}`) });
  assert.deepEqual([sum.read, sum.inserted, sum.rejected], [5, 2, 3]);
  assert.deepEqual(seen, ['2: no key', '3: dpt is not an integer 0-65535', '5: key is not 32 hex digits']);
  await assert.rejects(loadRecords(from(recs), settings, { table: 'rej2', connection: conn, strict: true }),
    (err: unknown) => err instanceof LoadFailedError && /record 2: no key \(--strict\)/.test(err.message));
});

test('a slow input is flushed by time: a record is in the table well before the input ends', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  async function* slow(): AsyncGenerator<Rec> {
    yield record(1);
    await gate; // the input stays open, like ipta-parse --follow
    yield record(2);
  }
  const loading = loadRecords(slow(), settings, { table: 'live', flushMs: 300 });
  const t0 = Date.now();
  let n = 0;
  while (Date.now() - t0 < 5000) {
    await new Promise((r) => setTimeout(r, 100));
    try { n = await count('live'); } catch { n = 0; }
    if (n === 1) break;
  }
  const waited = Date.now() - t0;
  release();
  const sum = await loading;
  assert.equal(n, 1, 'the first record was stored while the input was still open');
  assert.ok(waited < 2500, `stored after ${waited} ms`);
  assert.equal(sum.inserted, 2);
  assert.ok(sum.batches >= 2);
});

test('backpressure: never more than two batches read ahead of what is committed', async () => {
  const N = 3000;
  let pulled = 0;
  async function* counting(): AsyncGenerator<Rec> {
    for (let i = 0; i < N; i++) {
      pulled++;
      yield record(10_000 + i);
    }
  }
  let worst = 0;
  const sum = await loadRecords(counting(), settings, {
    table: 'bp', connection: conn, batchRows: 100,
    onBatch: (s) => { worst = Math.max(worst, pulled - s.committed); },
  });
  assert.equal(sum.inserted, N);
  assert.ok(worst <= 2 * 100 + 1, `read ahead ${worst} records`);
  assert.ok(sum.batches >= N / 100);
});

test('tables: list with counts, clear, delete; foreign tables are listed but never touched', async () => {
  await conn.query('CREATE TABLE foreign_data (x INT) ENGINE=InnoDB');
  await conn.query('INSERT INTO foreign_data VALUES (1), (2)');
  const list = await listTables(conn);
  const by = Object.fromEntries(list.map((t) => [t.table, t]));
  assert.deepEqual(by.idem, { table: 'idem', kind: 'log', rows: 401 });
  assert.deepEqual(by.dns, { table: 'dns', kind: 'dns', rows: 0 });
  assert.deepEqual(by.foreign_data, { table: 'foreign_data', kind: null, rows: 2 });
  assert.ok(!by.ipta_tables, 'the registry is not listed');

  assert.equal(await clearTable(conn, 'idem'), 401);
  assert.equal(await count('idem'), 0);
  await assert.rejects(clearTable(conn, 'foreign_data'), (e: unknown) => e instanceof RuntimeError && /not created by ipta/.test((e as Error).message));
  await assert.rejects(deleteTable(conn, 'foreign_data'), /not created by ipta/);
  await assert.rejects(deleteTable(conn, 'no_such_table'), /does not exist/);
  await assert.rejects(createLogTable(conn, 'foreign_data'), /not an ipta log table/);
  await assert.rejects(deleteTable(conn, 'x`; DROP TABLE foreign_data; --'), UsageError);
  await assert.rejects(loadRecords(from([record(1)]), settings, { table: "logs'; DROP TABLE foreign_data; --", connection: conn }), UsageError);

  await refreshSummaries(conn, { ...settings, table: 'rej' });
  const summariesOf = async (t: string): Promise<number> => Number(
    ((await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?', [`${t}\\_\\_%`]))[0][0]!.n));
  assert.ok((await summariesOf('rej')) > 0, 'the report summaries of rej exist');
  await deleteTable(conn, 'rej');
  assert.ok(!(await listTables(conn)).some((t) => t.table === 'rej'));
  assert.equal(await summariesOf('rej'), 0, 'deleting a log table deletes its summary tables');
  const gone = await deleteAllTables(conn);
  assert.ok(gone.includes('logs') && gone.includes('dns') && gone.includes('idem'));
  assert.deepEqual((await listTables(conn)).map((t) => t.table), ['foreign_data']);
  assert.equal(await count('foreign_data'), 2);
});
