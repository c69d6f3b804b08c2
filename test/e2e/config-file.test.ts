// ~/.ipta and $IPTA_CONFIG with the real `ipta`: every key applies, warnings name the file and
// line, and the precedence is defaults < config file < environment < command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { startDnsServer, ptrName, type DnsServer } from '../helpers/dns-server.js';
import { FIXTURE, sandbox, tableRows, type Sandbox } from './ipta-fixture.js';

let db: TestDb;
let sb: Sandbox;
let log: string;
let dns: DnsServer;
before(async () => {
  db = await createTestDb('ipta_test_cfg');
  sb = sandbox();
  log = sb.file('fw.log', FIXTURE);
  dns = await startDnsServer(new Map([[ptrName('203.0.113.5'), { ptr: ['scanner.example.net'] }]]));
});
after(async () => {
  await dns.close();
  await db.drop();
  sb.remove();
});

/** Write ~/.ipta (no final newline: the reader must not need one). */
const config = (...lines: string[]) => writeFileSync(`${sb.home}/.ipta`, lines.join('\n'));
const dbLines = (spell: (k: string) => string = (k) => k) => [
  `${spell('db_host')} = ${db.options.host}`, `db_port = ${db.options.port}`, `${spell('db_user')} = ${db.options.user}`,
  `${spell('db_pass')} = "${db.options.password}"`, `${spell('db_name')} = ${db.name}`,
];

test('db_host db_port db_user db_pass db_name: a command with no flags reaches the database', async () => {
  config('# written by the test', ...dbLines());
  const r = await sb.ipta(['-ct', '-lt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^logs\s+log\s+0$/m);
});

test('the manual\'s db.host spellings work the same', async () => {
  config(...dbLines((k) => k.replace('_', '.')));
  const r = await sb.ipta(['-lt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^logs\s+log/m);
});

test('db_table and dns_table name the tables the switches act on', async () => {
  config(...dbLines(), 'db_table = cfg_logs', 'dns_table = cfg_dns');
  const r = await sb.ipta(['-ct', '--dns-create-table', '-i', log, '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /created table cfg_logs/);
  assert.match(r.stderr, /created DNS table cfg_dns/);
  const [rows] = await db.conn.query('SELECT COUNT(*) AS n FROM cfg_logs') as [{ n: number }[], unknown];
  assert.equal(Number(rows[0].n), 9);
});

test('db_socket: the unix socket wins over a host that does not exist', async () => {
  const [[row]] = await db.conn.query('SELECT @@socket AS s') as unknown as [[{ s: string }]];
  config(`db_host = nowhere.invalid`, `db_socket = ${row.s}`, 'db_user = root', 'db_pass = ""', `db_name = ${db.name}`);
  const r = await sb.ipta(['-lt']);
  assert.equal(r.code, 0, r.stderr);
});

test('db_ssl and db_ssl_ca apply: TLS is asked for, the CA file is read', async () => {
  const [[row]] = await db.conn.query('SELECT @@have_ssl AS s') as unknown as [[{ s: string }]];
  config(...dbLines(), 'db_ssl = yes');
  const r = await sb.ipta(['-lt']);
  if (row.s === 'YES') assert.equal(r.code, 0, r.stderr);
  else {
    assert.equal(r.code, 1);
    assert.match(r.stderr, /secure connection|SSL|TLS/i);
  }
  config(...dbLines(), 'db_ssl_ca = /nonexistent/ca.pem');
  const ca = await sb.ipta(['-lt']);
  assert.equal(ca.code, 1);
  assert.match(ca.stderr, /cannot read the TLS CA file \/nonexistent\/ca\.pem/);
});

test('analyzer limit, header, counter, show-lo from the file; the command line wins', async () => {
  config('analyzer limit = 1', 'header = no', 'counter = no', 'show-lo = no');
  let r = await sb.ipta(['-a', log, '--module', 'denied', '--module', 'ports']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').filter((l) => l.trim()).length, 2, r.stdout);
  r = await sb.ipta(['--scan', log]);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 8, r.stdout); // no header, no lo packet
  assert.match(lines[0], /^10:00:01 eth0 /); // no Count
  r = await sb.ipta(['-a', log, '--module', 'ports', '-l', '2', '--header']);
  assert.equal(tableRows(r.stdout, 'Most denied ports').length, 2);
  r = await sb.ipta(['--scan', log, '--header', '--counter', '--local']);
  assert.equal(r.stdout.trimEnd().split('\n').length, 10);
});

test('rdns = yes puts names in the rows; ttl = HOURS is what -dp prunes by', async () => {
  config('rdns = yes');
  const r = await sb.ipta(['--scan', log, '--dns-server', dns.spec]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /scanner\.example\.net/);
  config(...dbLines(), 'ttl = 10');
  await sb.ipta(['--dns-create-table']);
  await db.conn.query(`INSERT INTO dns (addr, name, looked_up) VALUES ('192.0.2.1', 'a', UTC_TIMESTAMP() - INTERVAL 11 HOUR), ('192.0.2.2', 'b', UTC_TIMESTAMP() - INTERVAL 9 HOUR)`);
  const p = await sb.ipta(['-dp']);
  assert.match(p.stderr, /pruned 1 entries older than 10 hours/);
});

test('unknown keys and bad values: warnings naming the file and the line; the good lines still apply', async () => {
  config('colour = red', 'analyzer limit = 5000', 'header = perhaps', 'analyzer limit = 1');
  const r = await sb.ipta(['-a', log, '--module', 'ports']);
  assert.equal(r.code, 0, r.stderr);
  const f = `${sb.home}/.ipta`;
  assert.match(r.stderr, new RegExp(`^ipta: ${f} line 1: unknown key "colour" \\(ignored\\)$`, 'm'));
  assert.match(r.stderr, new RegExp(`^ipta: ${f} line 2: bad value "5000" for analyzer limit: expected a number from 1 to 1000`, 'm'));
  assert.match(r.stderr, new RegExp(`^ipta: ${f} line 3: bad value "perhaps" for header: expected yes or no`, 'm'));
  assert.equal(tableRows(r.stdout, 'Most denied ports').length, 1);
});

test('$IPTA_CONFIG names another file', async () => {
  config('analyzer limit = 1');
  const other = sb.file('other.conf', 'analyzer limit = 2\n');
  const r = await sb.ipta(['-a', log, '--module', 'ports'], { env: { IPTA_CONFIG: other } });
  assert.equal(tableRows(r.stdout, 'Most denied ports').length, 2);
});

test('precedence: defaults < config file < environment < command line', async () => {
  config(...dbLines().filter((l) => !l.startsWith('db_name')), 'db_name = from_config_db');
  let r = await sb.ipta(['-lt']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /database "from_config_db" does not exist/);
  r = await sb.ipta(['-lt'], { env: { IPTA_DB_NAME: 'from_env_db' } });
  assert.match(r.stderr, /database "from_env_db" does not exist/);
  r = await sb.ipta(['-lt', '-d', db.name], { env: { IPTA_DB_NAME: 'from_env_db' } });
  assert.equal(r.code, 0, r.stderr);
  // and with no file at all, the defaults: user ipta at localhost
  config();
  r = await sb.ipta(['-lt', '--db-port', String(db.options.port)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /localhost:\d+ as user ipta/);
});
