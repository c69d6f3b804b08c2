import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseArgv } from '../../src/wrapper/argv.js';
import { parseWrapperArgs } from '../../src/wrapper/parse-args.js';
import { makePlan } from '../../src/wrapper/plan.js';
import { checkReadOnly } from '../../src/wrapper/sql-guard.js';
import { renderTable } from '../../src/wrapper/text-table.js';
import { UsageError } from '../../src/cli/errors.js';

test('multi-letter short forms as the manual writes them, aliases, getopt habits', () => {
  assert.deepEqual(normaliseArgv(['-lt', '-pi', '-ai', '-ct', 'x', '-dt', 'y', '-da', '-dp']),
    ['--list-tables', '--db-pass-i', '--analyze-interactive', '--create-table', 'x', '--delete-table', 'y', '--delete-all-tables', '--dns-prune']);
  assert.deepEqual(normaliseArgv(['-C', '--no-count', '--no-lo', '--dns-ttl=5', '--dnsc-clear', '-h', 'db']),
    ['--no-counter', '--no-counter', '--no-local', '--ttl=5', '--dns-cache-clear', '--db-host', 'db']);
  assert.deepEqual(normaliseArgv(['-l20', '-ca', '-dt=t', '--', '-lt']), ['--limit', '20', '--clear', '--analyze', '--delete-table=t', '--', '-lt']);
});

const plan = async (argv: string[], config = {}) => makePlan(await parseWrapperArgs(argv), config);
const kinds = async (argv: string[]) => (await plan(argv)).actions.map((a) => a.kind);

test('actions run in the natural order whatever their order on the line', async () => {
  assert.deepEqual(await kinds(['-a', '-i', 'f', '-c']), ['clear', 'import', 'analyze']);
  assert.deepEqual(await kinds(['-lt', '-i', 'f', '-ct', '-c', '--dns-create-table', '-s']), ['save-db', 'create-table', 'dns-create-table', 'clear', 'import', 'list-tables']);
  assert.deepEqual(await kinds(['-f', 'x', '-dt', 'old', '-dp', '--dns-dump']), ['delete-table', 'dns-prune', 'dns-dump', 'follow']);
  assert.deepEqual(await kinds(['--import', '--follow', 'live.log']), ['import-follow']);
  assert.deepEqual(await kinds(['--html', 'r.html']), ['analyze']);
});

test('files after other switches go to the one mode that takes files', async () => {
  assert.deepEqual((await plan(['-a', '-l', '20', 'x.log', 'y.log'])).actions, [{ kind: 'analyze', files: ['x.log', 'y.log'], text: true }]);
  await assert.rejects(plan(['x.log']), /unexpected argument "x.log" \(to analyze a log file: ipta --analyze x.log\)/);
  await assert.rejects(plan(['-i', 'a', '--scan', 'b', '-r', 'c']), /unexpected argument "c"/);
});

test('the parts\' option defaults (--limit 10, --header, --ttl 336) do not hide the config file', async () => {
  const { wrapperBuilders } = await import('../../src/wrapper/builders.js');
  const args = await parseWrapperArgs(['-a', 'x.log', '--since', '24h', '--format', 'csv'], await wrapperBuilders());
  assert.equal(args.limit, undefined);
  assert.equal(args.header, undefined);
  assert.equal(args.ttl, undefined);
  assert.equal(args.since, '24h');
  assert.equal(args.format, 'csv');
  assert.deepEqual(makePlan(args, { limit: 7, header: false, ttl: 1 }).display, { limit: 7, rdns: false, counter: true, local: true, accept: true, header: false, ttl: 1 });
});

test('-l takes 1 to 1000 only; config < command line for the display settings', async () => {
  for (const bad of ['0', '5000', '-3', 'ten', '1.5']) {
    await assert.rejects(plan(['-a', '-l', bad]), (e: Error) => e instanceof UsageError && /from 1 to 1000/.test(e.message));
  }
  assert.equal((await plan(['-a', '-l', '1000'])).display.limit, 1000);
  const cfg = { limit: 25, rdns: true, counter: false, show_lo: false, header: false, ttl: 5 };
  assert.deepEqual((await plan(['-a'], cfg)).display, { limit: 25, rdns: true, counter: false, local: false, accept: true, header: false, ttl: 5 });
  assert.deepEqual((await plan(['-a', '-l', '3', '--header', '--counter', '--local', '--no-accept', '--ttl', '0', '--no-rdns'], cfg)).display,
    { limit: 3, rdns: false, counter: true, local: true, accept: false, header: true, ttl: 0 });
  assert.deepEqual((await plan(['-a'])).display, { limit: 10, rdns: false, counter: true, local: true, accept: true, header: true, ttl: 336 });
});

test('usage errors: unknown switches named as typed, missing values', async () => {
  await assert.rejects(plan(['--bogus', '-x']), /unknown switches --bogus, -x/);
  await assert.rejects(plan(['-i']), /--import needs a FILE/);
  await assert.rejects(plan(['--scan']), /--scan needs a FILE/);
  await assert.rejects(plan(['-f', 'a', '-ai']), /choose one/);
  await assert.rejects(plan(['--ttl', 'x', '-dp']), /--ttl must be a number/);
});

test('the -ai guard: read-only statements only', () => {
  for (const ok of ['SELECT 1', 'select * from logs;', 'SHOW TABLES', 'describe logs', 'DESC logs', 'EXPLAIN SELECT 1', "SELECT 'a;b'", '(SELECT 1)', 'WITH t AS (SELECT 1) SELECT * FROM t']) {
    assert.equal(checkReadOnly(ok).ok, true, ok);
  }
  for (const bad of ['DELETE FROM logs', 'drop table logs', 'SELECT 1; DROP TABLE logs', 'INSERT INTO t VALUES (1)', 'UPDATE logs SET src = 1',
    "SELECT * FROM logs INTO OUTFILE '/tmp/x'", 'SELECT * FROM logs FOR UPDATE', '/*!50000 DROP TABLE logs */ SELECT 1', '', 'SET @a = 1', 'CALL p()']) {
    assert.equal(checkReadOnly(bad).ok, false, bad);
  }
});

test('text tables: numbers right-aligned, NULL, control characters replaced', () => {
  assert.equal(renderTable(['Table', 'Rows'], [['logs', 12], ['dns\u001b[2J', 3], ['x', null]]),
    'Table   Rows\n------- ----\nlogs      12\ndns?[2J    3\nx       NULL\n');
  assert.equal(renderTable(['a'], [['v']], { header: false }), 'v\n');
});
