// ipta-report as a user runs it: the real bin/ipta-report.js on stdin and files, the MySQL engine
// against a table filled by the real bin/ipta-load, bad input, usage errors, `| head`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, records, bin, testEnv } from '../helpers/run-bin.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { reportFixture, toNdjson, FIXTURE_NOW, type Rec } from '../helpers/report-fixture.js';
import { reportFromRecords, reportOptionsFromArgv } from '../../src/report/index.js';
import { MODULES } from '../../src/report/rows.js';

const fixture = reportFixture();
const input = toNdjson(fixture);
const dir = mkdtempSync(join(tmpdir(), 'ipta-report-test-'));
let db: TestDb;

before(async () => { db = await createTestDb('ipta_test_report_cli'); });
after(async () => { await db?.drop(); });

async function expected(argv: Record<string, unknown>, recs: Rec[] = fixture): Promise<unknown[]> {
  const out: unknown[] = [];
  async function* it() { yield* recs; }
  for await (const r of reportFromRecords(it(), reportOptionsFromArgv({ now: FIXTURE_NOW, ...argv }))) out.push(r);
  return out;
}

test('stdin: every module, in the fixed order, as NDJSON rows', async () => {
  const r = await run('ipta-report', ['--now', FIXTURE_NOW], input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const rows = records<{ module: string }>(r.stdout);
  assert.deepEqual(rows, await expected({}));
  const order = [...new Set(rows.map((x) => x.module))];
  assert.deepEqual(order, MODULES.filter((m) => order.includes(m)));
  assert.equal(order.length, MODULES.length);
});

test('files as arguments read like cat (two halves = the whole)', async () => {
  const a = join(dir, 'a.ndjson');
  const b = join(dir, 'b.ndjson');
  writeFileSync(a, toNdjson(fixture.slice(0, 150)));
  writeFileSync(b, toNdjson(fixture.slice(150)));
  const r = await run('ipta-report', ['--now', FIXTURE_NOW, '-m', 'denied', '--module', 'summary,hosts', a, b]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(records(r.stdout), await expected({ module: ['denied', 'summary,hosts'] }));
  assert.deepEqual([...new Set(records<{ module: string }>(r.stdout).map((x) => x.module))], ['denied', 'hosts', 'summary']);
});

test('--limit and the filters reach the stream engine', async () => {
  const args = ['--now', FIXTURE_NOW, '--limit', '3', '--since', '5d', '--no-local', '--proto', 'tcp', '--src', '2001:db8::/32', '--src', '203.0.113.0/24'];
  const r = await run('ipta-report', args, input);
  assert.equal(r.code, 0, r.stderr);
  const rows = records<{ module: string; count: number }>(r.stdout);
  assert.deepEqual(rows, await expected({ limit: 3, since: '5d', noLocal: true, proto: ['tcp'], src: ['2001:db8::/32', '203.0.113.0/24'] }));
  assert.ok(rows.filter((x) => x.module === 'denied').length <= 3);
  assert.ok(rows.length > 5);
});

test('bad input: non-JSON lines and records without a verdict are counted on stderr, the rest reported', async () => {
  const good = fixture.slice(0, 100);
  const text = [
    'this is not json', JSON.stringify(good[0]), '{"verdict":"deny",', '[1,2,3]', '"str"',
    ...good.slice(1).map((r) => JSON.stringify(r)), JSON.stringify({ src: '1.2.3.4', dpt: 22 }), JSON.stringify({ verdict: 'maybe', src: '1.2.3.4' }),
    JSON.stringify({ verdict: 'deny', src: 42, dpt: 'x', ts: 'yesterday' }), '\u0000\u001b[31mcontrol', '',
  ].join('\n') + '\n';
  const r = await run('ipta-report', ['--now', FIXTURE_NOW], text);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^ipta-report: line 1: invalid JSON/m);
  assert.match(r.stderr, /^ipta-report: line 4: not a JSON object/m);
  assert.match(r.stderr, /^ipta-report: 5 line\(s\) were not JSON records and were skipped$/m);
  assert.match(r.stderr, /^ipta-report: 2 record\(s\) had no valid verdict and were skipped$/m);
  // the record with wrong field types counts as a packet with those fields absent
  const rows = records<{ module: string; count: number }>(r.stdout);
  const summary = rows.find((x) => x.module === 'summary')!;
  assert.equal(summary.count, 101);
  assert.deepEqual(rows.filter((x) => x.module !== 'summary'), (await expected({}, [...good, { verdict: 'deny' }])).filter((x) => (x as { module: string }).module !== 'summary'));
});

test('hostile strings come out intact and quoted as JSON', async () => {
  const r = await run('ipta-report', ['--now', FIXTURE_NOW, '-m', 'hosts', '--host', "gw'; DROP TABLE logs; --"], input);
  assert.equal(r.code, 0, r.stderr);
  const rows = records<{ host: string }>(r.stdout);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.host, "gw'; DROP TABLE logs; --");
});

test('usage errors exit 2 with one line naming the flag', async () => {
  for (const [args, re] of [
    [['--since', 'last tuesday'], /--since: expected an ISO time/],
    [['--src', '10.0.0.0/33'], /--src: bad prefix length/],
    [['--dst', 'example.com'], /--dst: expected an address or CIDR/],
    [['--module', 'bogus'], /--module: unknown module "bogus"/],
    [['--limit', '0'], /--limit: expected an integer >= 1/],
    [['--dport', '70000'], /--dport: expected a port/],
    [['--scan-window', 'soon'], /--scan-window: expected a duration/],
    [['--engine', 'mysql', 'file.ndjson'], /files are read by the stream engine only/],
  ] as [string[], RegExp][]) {
    const r = await run('ipta-report', args, '');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.match(r.stderr, /^ipta-report: /);
    assert.equal(r.stdout, '');
  }
});

test('a missing file exits 1 before any output', async () => {
  const r = await run('ipta-report', [join(dir, 'nope.ndjson')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ipta-report: cannot read .*nope\.ndjson: no such file/m);
  assert.equal(r.stdout, '');
});

test('--help names every module, the filters and how the engine is chosen', async () => {
  const r = await run('ipta-report', ['--help']);
  assert.equal(r.code, 0);
  for (const m of MODULES) assert.ok(r.stdout.includes(m), m);
  for (const flag of ['--no-local', '--no-accept', '--since', '--until', '--host', '--action', '--proto', '--src', '--dst', '--dport', '--limit', '--engine', '--scan-ports', '--new-window']) assert.ok(r.stdout.includes(flag), flag);
  assert.match(r.stdout, /mysql when any --db\* flag is given/);
});

test('| head: the reader going away is a normal end (exit 0, nothing on stderr)', async () => {
  const many: Rec[] = [];
  for (let i = 0; i < 30000; i++) many.push({ verdict: 'deny', src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dpt: 22, key: String(i) });
  const child = spawn(process.execPath, [bin('ipta-report'), '-m', 'top-sources', '--limit', '30000'], { env: testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  child.stdout.once('data', () => child.stdout.destroy());
  child.stdin.on('error', () => undefined);
  child.stdin.end(toNdjson(many));
  const code = await new Promise((res) => child.on('close', res));
  assert.equal(code, 0, err);
  assert.equal(err, '');
});

test('MySQL engine through the commands: ipta-load, then ipta-report --db-* gives the stream rows', async () => {
  const load = await run('ipta-load', db.flags, input);
  assert.equal(load.code, 0, load.stderr);
  for (const flags of [[], ['--since', '3d', '--no-accept'], ['--dst', '192.0.2.0/24', '--limit', '4']]) {
    const viaDb = await run('ipta-report', [...db.flags, '--now', FIXTURE_NOW, ...flags]);
    assert.equal(viaDb.code, 0, viaDb.stderr);
    assert.doesNotMatch(viaDb.stderr, /summary tables unavailable/);
    const viaStream = await run('ipta-report', ['--now', FIXTURE_NOW, ...flags], input);
    assert.equal(viaStream.code, 0, viaStream.stderr);
    assert.ok(records(viaStream.stdout).length > 10);
    assert.deepEqual(records(viaDb.stdout), records(viaStream.stdout), flags.join(' '));
  }
});

test('MySQL engine: a missing table and an unreachable server exit 1 with a clear message', async () => {
  const missing = await run('ipta-report', [...db.flags, '--db-table', 'no_such_table']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ipta-report: table no_such_table does not exist/m);
  const down = await run('ipta-report', ['--engine', 'mysql', '--db-host', '127.0.0.1', '--db-port', '1', '--db-user', 'x']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^ipta-report: cannot connect to MySQL\/MariaDB at 127\.0\.0\.1:1 as user x/m);
  const badName = await run('ipta-report', [...db.flags, '--db-table', 'x`; DROP TABLE y']);
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /invalid table name/);
});
