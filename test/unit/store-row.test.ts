// Pure parts of the store: record -> row, time conversion, LOAD DATA text, identifiers, settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RAW_JSON, TsvEncoder, cut, recordToRow, rowToTsv, toDatetime } from '../../src/store/row.js';
import { LOAD_COLUMNS, LOG_COLUMNS, LOG_INDEXES, logTableSql } from '../../src/store/schema.js';
import { checkIdentifier, qid } from '../../src/store/ident.js';
import { parseDbUrl, resolveDbSettings } from '../../src/store/connect.js';
import { progressText, formatAmount } from '../../src/cli/progress.js';
import { UsageError } from '../../src/cli/errors.js';
import { record } from '../helpers/load-fixtures.js';

test('toDatetime: ISO 8601 UTC to DATETIME(6) text', () => {
  const cases: [string, string | undefined][] = [
    ['2026-11-25T06:25:13Z', '2026-11-25 06:25:13'],
    ['2026-11-25T06:25:13.5Z', '2026-11-25 06:25:13.500000'],
    ['2026-11-25T06:25:13.123456789Z', '2026-11-25 06:25:13.123456'],
    ['2026-11-25T06:25:13.000000Z', '2026-11-25 06:25:13'],
    ['2026-11-25T01:25:13+02:00', '2026-11-24 23:25:13'],
    ['2026-12-31T23:30:00.25-01:00', '2027-01-01 00:30:00.250000'],
    ['2026-11-25T06:25:13', '2026-11-25 06:25:13'],
    ['2026-02-31T00:00:00Z', undefined],
    ['2026-11-25T24:00:00Z', undefined],
    ['0999-01-01T00:00:00Z', undefined],
    ['yesterday', undefined],
    ["2026-11-25T06:25:13Z'; DROP TABLE logs; --", undefined],
  ];
  for (const [input, want] of cases) assert.equal(toDatetime(input), want, input);
});

test('recordToRow: columns in LOAD_COLUMNS order, the record kept whole in rec', () => {
  const rec = record(1);
  const r = recordToRow(rec);
  assert.ok(r.ok);
  assert.equal(r.row.length, LOAD_COLUMNS.length);
  const byName = Object.fromEntries(LOAD_COLUMNS.map((c, i) => [c, r.row[i]]));
  assert.equal(byName.ev_key, rec.key);
  assert.equal(byName.verdict, 'deny');
  assert.equal(byName.in_if, 'eth0');
  assert.equal(byName.out_if, '');
  assert.equal(byName.src, rec.src);
  assert.equal(byName.dpt, rec.dpt);
  assert.equal(byName.ttl, 64);
  assert.deepEqual(JSON.parse(byName.rec as string), rec);
});

test('recordToRow: IPv6 hop limit fills ttl; absent fields are NULL', () => {
  const rec = record(3); // ICMPv6
  const r = recordToRow(rec);
  assert.ok(r.ok);
  const byName = Object.fromEntries(LOAD_COLUMNS.map((c, i) => [c, r.row[i]]));
  assert.equal(byName.ttl, 255);
  assert.equal(byName.spt, null);
  assert.equal(byName.family, 6);
  assert.equal(byName.icmp_type, 128);
});

test('recordToRow: the raw JSON text is stored as is when the reader left it', () => {
  const rec = record(2) as Record<string | symbol, unknown>;
  rec[RAW_JSON] = '{"raw":true}';
  const r = recordToRow(rec as Record<string, unknown>);
  assert.ok(r.ok);
  assert.equal(r.row[r.row.length - 1], '{"raw":true}');
});

test('recordToRow: what a row needs, and wrong types, are refused with a reason', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...record(1), key: undefined }, /no key/],
    [{ ...record(1), key: 'abc' }, /key/],
    [{ ...record(1), key: "0123456789abcdef0123456789abcde'" }, /key/],
    [{ ...record(1), verdict: undefined }, /no verdict/],
    [{ ...record(1), verdict: 'DROP' }, /verdict/],
    [{ ...record(1), ts: 'not a time' }, /ts/],
    [{ ...record(1), ts: 12 }, /ts/],
    [{ ...record(1), dpt: 70000 }, /dpt/],
    [{ ...record(1), spt: -1 }, /spt/],
    [{ ...record(1), spt: '22' }, /spt/],
    [{ ...record(1), family: 5 }, /family/],
    [{ ...record(1), src: '1.2.3.4; DROP TABLE x' }, /src/],
    [{ ...record(1), dst: 'ünïcode' }, /dst/],
    [{ ...record(1), host: 42 }, /host/],
    [{ ...record(1), ttl: 256 }, /ttl/],
  ];
  for (const [rec, why] of cases) {
    const r = recordToRow(rec);
    assert.equal(r.ok, false, JSON.stringify(rec));
    if (!r.ok) assert.match(r.why, why);
  }
});

test('recordToRow: JSON the server would refuse is made acceptable or refused (depth, lone surrogates)', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 31; i++) deep = [deep];
  const r1 = recordToRow({ ...record(1), extra: deep });
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.match(r1.why, /nested deeper than 31/);
  let ok: unknown = 1;
  for (let i = 0; i < 30; i++) ok = [ok];
  assert.ok(recordToRow({ ...record(1), extra: ok }).ok);
  const lone = { ...record(1), prefix: 'a\ud800b', ['k\udfff']: 'x' } as Record<string | symbol, unknown>;
  lone[RAW_JSON] = JSON.stringify(lone);
  const r2 = recordToRow(lone as Record<string, unknown>);
  assert.ok(r2.ok);
  const rec = r2.row[r2.row.length - 1] as string;
  assert.doesNotMatch(rec, /\\u[dD][89a-fA-F]/);
  assert.equal(JSON.parse(rec).prefix, 'a\ufffdb');
  assert.equal(JSON.parse(rec)['k\ufffd'], 'x');
  // a well-formed pair written as escapes is kept as the character
  const pair = { ...record(1), prefix: '🔥' } as Record<string | symbol, unknown>;
  pair[RAW_JSON] = JSON.stringify(pair).replace('🔥', '\\ud83d\\udd25');
  const r3 = recordToRow(pair as Record<string, unknown>);
  assert.ok(r3.ok);
  assert.equal(JSON.parse(r3.row[r3.row.length - 1] as string).prefix, '🔥');
});

test('recordToRow: overlong text is cut in its column, whole in rec, never inside a surrogate pair', () => {
  const prefix = '🔥'.repeat(300);
  const r = recordToRow({ ...record(1), prefix });
  assert.ok(r.ok);
  const col = r.row[LOAD_COLUMNS.indexOf('prefix')] as string;
  assert.equal(Array.from(col).length, 255);
  assert.equal(col, '🔥'.repeat(255));
  assert.equal(JSON.parse(r.row[r.row.length - 1] as string).prefix, prefix);
  assert.equal(cut('abc', 2), 'ab');
  assert.equal(cut('abc', 5), 'abc');
});

test('TSV: tabs, newlines, backslashes and NUL escaped; NULL as \\N; encoder and rowToTsv agree', () => {
  const row = ['a\tb', 'c\nd', 'e\\f', 'g\u0000h', 'i\rj', null, 7, '"`;\'🔥'];
  const line = rowToTsv(row);
  assert.equal(line, 'a\\tb\tc\\nd\te\\\\f\tg\\0h\ti\\rj\t\\N\t7\t"`;\'🔥\n');
  const enc = new TsvEncoder();
  enc.add(row);
  enc.add(row);
  assert.equal(enc.take().toString('utf8'), line + line);
  assert.equal(enc.rows, 2);
  // growing past the first buffer keeps every byte
  const big = new TsvEncoder();
  const long = 'x'.repeat(300_000);
  for (let i = 0; i < 8; i++) big.add([long, i]);
  assert.equal(big.take().toString('utf8'), `${long}\t0\n${long}\t1\n${long}\t2\n${long}\t3\n${long}\t4\n${long}\t5\n${long}\t6\n${long}\t7\n`);
});

test('schema: the contract columns, quoted identifiers, indexes on known columns', () => {
  const names = LOG_COLUMNS.map((c) => c.name);
  assert.deepEqual(names, ['id', 'ev_key', 'ts', 'host', 'prefix', 'action', 'verdict', 'in_if', 'out_if', 'family',
    'src', 'dst', 'proto', 'spt', 'dpt', 'icmp_type', 'icmp_code', 'len', 'ttl', 'rec']);
  const sql = logTableSql('logs');
  assert.match(sql, /^CREATE TABLE `logs` \(/);
  assert.match(sql, /UNIQUE KEY `ux_ev_key` \(`ev_key`\)/);
  assert.match(sql, /ENGINE=InnoDB DEFAULT CHARSET=utf8mb4/);
  for (const ix of LOG_INDEXES) assert.ok(sql.includes(`KEY \`${ix.name}\``), ix.name);
  assert.throws(() => logTableSql('logs`; DROP TABLE x; --'), UsageError);
});

test('identifiers: plain names pass, anything else is a usage error', () => {
  assert.equal(qid('logs_2026'), '`logs_2026`');
  for (const bad of ['', 'a-b', 'a;b', 'a`b', "a'b", 'a b', 'logs; DROP TABLE logs', 'x'.repeat(65), 'tä', '🔥']) {
    assert.throws(() => checkIdentifier(bad), UsageError, bad);
  }
});

test('settings: defaults < config file < environment < flags, and the URL form', () => {
  const quiet = { warn: false };
  assert.deepEqual(
    { ...resolveDbSettings({}, { env: {}, config: {}, ...quiet }) },
    { host: 'localhost', port: 3306, user: 'ipta', password: 'ipta', database: 'ipta', table: 'logs', dnsTable: 'dns' });
  const config = { db_host: 'cfghost', db_user: 'cfguser', db_pass: 'cfgpass', db_name: 'cfgdb', db_table: 'cfgtable', db_port: 3310 };
  let s = resolveDbSettings({}, { env: {}, config, ...quiet });
  assert.equal(s.host, 'cfghost');
  assert.equal(s.port, 3310);
  assert.equal(s.table, 'cfgtable');
  const env = { IPTA_DB_HOST: 'envhost', IPTA_DB_PASS: 'envpass', IPTA_DB_NAME: 'envdb', IPTA_DB_PORT: '3311' };
  s = resolveDbSettings({}, { env, config, ...quiet });
  assert.deepEqual([s.host, s.user, s.password, s.database, s.port], ['envhost', 'cfguser', 'envpass', 'envdb', 3311]);
  assert.equal(resolveDbSettings({}, { env: { MYSQL_PWD: 'm' }, config: {}, ...quiet }).password, 'm');
  assert.equal(resolveDbSettings({}, { env: { MYSQL_PWD: 'm', IPTA_DB_PASS: 'i' }, config: {}, ...quiet }).password, 'i');
  s = resolveDbSettings({ 'db-host': 'flaghost', 'db-pass': 'flagpass', 'db-table': 'flagtable' }, { env, config, ...quiet });
  assert.deepEqual([s.host, s.password, s.table, s.database], ['flaghost', 'flagpass', 'flagtable', 'envdb']);
  s = resolveDbSettings({ db: 'mysql://u%40x:p%3Aw@dbhost:3999/mydb' }, { env: {}, config, ...quiet });
  assert.deepEqual([s.user, s.password, s.host, s.port, s.database], ['u@x', 'p:w', 'dbhost', 3999, 'mydb']);
  // a URL user without a password: empty password unless the environment has one
  assert.equal(resolveDbSettings({ db: 'mysql://root@h/d' }, { env: {}, config, ...quiet }).password, '');
  assert.equal(resolveDbSettings({ db: 'mysql://root@h/d' }, { env: { IPTA_DB_PASS: 'e' }, config, ...quiet }).password, 'e');
  // separate flags win over the URL
  assert.equal(resolveDbSettings({ db: 'mysql://u@h:1/d', 'db-port': 2 }, { env: {}, config: {}, ...quiet }).port, 2);
  assert.deepEqual(parseDbUrl('mysql://[::1]:3307/x'), { host: '::1', port: 3307, database: 'x' });
  assert.throws(() => parseDbUrl('postgres://h/d'), UsageError);
  assert.throws(() => parseDbUrl('not a url'), UsageError);
  assert.throws(() => resolveDbSettings({ 'db-port': 70000 }, { env: {}, config: {}, ...quiet }), UsageError);
  assert.throws(() => resolveDbSettings({ 'db-table': 'x;y' }, { env: {}, config: {}, ...quiet }), UsageError);
  assert.throws(() => resolveDbSettings({}, { env: { IPTA_DB_PORT: 'abc' }, config: {}, ...quiet }), UsageError);
});

test('progress line: bar, percentage, rate and ETA with a total; count and rate without', () => {
  const withTotal = progressText({ unit: 'bytes', label: 'ipta-load', total: 100 * 1024 * 1024, done: 25 * 1024 * 1024, elapsedS: 5, width: 100 });
  assert.match(withTotal, /^ipta-load \[#+-+\]  25% 25 MiB\/100 MiB 5\.0 MiB\/s ETA 15s$/);
  const noTotal = progressText({ unit: 'records', done: 50_000, elapsedS: 2, width: 100, extra: '40000 inserted' });
  assert.equal(noTotal, '50.0k records 25.0k records/s 2s  40000 inserted');
  assert.ok(progressText({ unit: 'bytes', total: 10, done: 5, elapsedS: 1, width: 30 }).length < 30);
  assert.equal(formatAmount(512, 'bytes'), '512 B');
  assert.equal(formatAmount(3 * 1024 ** 3, 'bytes'), '3.0 GiB');
});
