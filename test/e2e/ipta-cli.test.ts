// The traditional command line with no database: help texts, exit codes, bad values, the
// file modes (--analyze FILE, --scan FILE, --html) and the display switches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { ROOT, bin, testEnv, records } from '../helpers/run-bin.js';
import { FIXTURE, sandbox, tableRows, type Sandbox } from './ipta-fixture.js';

let sb: Sandbox;
let log: string;
before(() => {
  sb = sandbox();
  log = sb.file('fw.log', FIXTURE);
});
after(() => sb.remove());

const MANUAL_ORDER = ['-c, --clear', '-i, --import', '-a, --analyze', '-f, --follow', '--scan', '-ai, --analyze-interactive',
  '-d, --db-name', '-h, --db-host', '-u, --db-user', '-p, --db-pass', '-pi, --db-pass-i', '-t, --db-table', '-lt, --list-tables',
  '-dt, --delete-table', '-da, --delete-all-tables', '-ct, --create-table', '-s, --save-db', '-r, --rdns', '-l, --limit',
  '--no-header', '-C, --no-counter, --no-count', '--no-local, --no-lo', '--no-accept', '--ttl, --dns-ttl, --dns-cache-ttl',
  '-dp, --dns-prune', '--dns-create-table', '--dns-table', '--dns-dump', '--dns-cache-clear, --dnsc-clear', '--license',
  '--version', '--usage', '--help'];

test('--help lists every switch of the manual, in its order, and the exit codes; exit 0', async () => {
  const r = await sb.ipta(['--help']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  let at = -1;
  for (const s of MANUAL_ORDER) {
    const i = r.stdout.indexOf(`  ${s}`);
    assert.ok(i > at, `${s} missing or out of order`);
    at = i;
  }
  assert.match(r.stdout, /Exit status: 0 success.*1 runtime error, 2 usage error/s);
  assert.match(r.stdout, /ipta parse +netfilter log lines/);
});

test('--usage, --version, --license print and exit 0; -h is the database host, not help', async () => {
  const u = await sb.ipta(['--usage']);
  assert.equal(u.code, 0);
  assert.match(u.stdout, /^Usage: ipta \[switches\]/);
  const v = await sb.ipta(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `ipta ${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version}\n`);
  const l = await sb.ipta(['--license']);
  assert.equal(l.code, 0);
  assert.match(l.stdout, /GNU General Public License/);
  const h = await sb.ipta(['-h', 'db.example']);
  assert.equal(h.code, 2);
  assert.doesNotMatch(h.stdout, /Modes:/);
  assert.match(h.stderr, /ipta: nothing to do/);
});

test('usage errors exit 2 with a message naming the problem', async () => {
  const cases: [string[], RegExp][] = [
    [[], /nothing to do/],
    [['--bogus'], /^ipta: unknown switch --bogus$/m],
    [['-x', '-a', log], /unknown switch -x/],
    [['-a', log, '-l', '0'], /-l\/--limit must be a whole number from 1 to 1000, got "0"/],
    [['-a', log, '-l', '5000'], /from 1 to 1000, got "5000"/],
    [['--analyze', log, '--limit=abc'], /from 1 to 1000, got "abc"/],
    [['-i'], /--import needs a FILE/],
    [['notafile.log'], /unexpected argument "notafile.log" \(to analyze a log file: ipta --analyze notafile.log\)/],
  ];
  for (const [args, re] of cases) {
    const r = await sb.ipta(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('a missing or unreadable file is a runtime error (exit 1) naming the file; nothing on stdout', async () => {
  const missing = await sb.ipta(['--analyze', `${sb.dir}/nope.log`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ipta: cannot read .*nope\.log: no such file$/m);
  assert.equal(missing.stdout, '');
  const locked = sb.file('locked.log', FIXTURE, 0o600);
  chmodSync(locked, 0o000);
  // Root reads anything: as root the command runs without the capabilities that override file
  // permissions (setpriv, util-linux), still as root, so the checkout need not be reachable by
  // another user (CI's clone may sit in a private directory).
  const [cmd, args] = process.getuid?.() === 0
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, bin('ipta'), '--scan', locked]]
    : [process.execPath, [bin('ipta'), '--scan', locked]];
  const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const c = spawn(cmd, args, { env: testEnv({ HOME: sb.home }) });
    let stderr = '';
    let stdout = '';
    c.stderr.on('data', (b) => (stderr += b));
    c.stdout.on('data', (b) => (stdout += b));
    c.on('close', (code) => resolve({ code, stderr, stdout }));
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cannot read .*locked\.log: permission denied/);
  assert.equal(r.stdout, '');
});

test('--analyze FILE: the analyzer tables with no database; counts from the log', async () => {
  const r = await sb.ipta(['--analyze', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /10 lines read, 9 records, 1 skipped \(1 not netfilter\)/);
  const denied = tableRows(r.stdout, 'Showing denied traffic');
  assert.match(denied[0], /^\s+3 203\.0\.113\.5\s+\d+ 192\.0\.2\.1\s+22 TCP\s+DROP$/);
  // every denied group; the ACCEPT line is not among them
  assert.equal(denied.length, 6);
  assert.ok(!denied.some((l) => l.includes('198.51.100.7')));
  assert.match(tableRows(r.stdout, 'Most denied ports')[0], /^\s+3\s+22 TCP\s+DROP$/);
  assert.match(r.stdout, /^Summary$/m);
  assert.doesNotMatch(r.stdout, /Traffic over time/); // text page: the long hourly timeline only on request
});

test('-l N limits every module; positional files after switches; order of switches does not matter', async () => {
  const a = await sb.ipta(['-l', '1', '-a', log]);
  const b = await sb.ipta(['-a', '-l', '1', log]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.equal(tableRows(a.stdout, 'Showing denied traffic').length, 1);
  assert.equal(tableRows(a.stdout, 'Most denied ports').length, 1);
});

test('--no-local and --no-accept leave packets out of the report; --no-header drops titles and headings', async () => {
  const all = await sb.ipta(['-a', log, '--module', 'interfaces']);
  assert.match(all.stdout, /\blo\b/);
  const r = await sb.ipta(['-a', log, '--module', 'interfaces', '--no-lo', '--no-accept']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\blo\b/);
  assert.doesNotMatch(r.stdout, /ACCEPT/);
  const nh = await sb.ipta(['-a', log, '--module', 'ports', '--no-header']);
  assert.doesNotMatch(nh.stdout, /Most denied|Count|---/);
  assert.match(nh.stdout, /^\s+3\s+22 TCP\s+DROP$/m);
});

test('--scan FILE: one packet row per record, with the log\'s own time; -C, --no-header, --no-local, --no-accept', async () => {
  const r = await sb.ipta(['--scan', log]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^Time\s+Count\s+IF\s+Source\s+Port\s+Destination\s+Port\s+Proto\s+Action$/);
  assert.equal(lines.length, 1 + 9);
  assert.match(lines[1], /^10:00:01\s+1 eth0\s+203\.0\.113\.5\s+40001 192\.0\.2\.1\s+22\s+TCP\s+DROP$/);
  const c = await sb.ipta(['--scan', log, '-C', '--no-header', '--no-local', '--no-accept']);
  const cl = c.stdout.trimEnd().split('\n');
  assert.equal(cl.length, 7);
  assert.ok(cl.every((l) => !/Count|Time|127\.0\.0\.1|198\.51\.100\.7\b/.test(l)), c.stdout);
  assert.match(cl[0], /^10:00:01 eth0\s+203\.0\.113\.5/);
});

test('the other output formats of ipta-format work through the wrapper (--format ndjson is the parse output)', async () => {
  const r = await sb.ipta(['--scan', log, '--format', 'ndjson']);
  assert.equal(r.code, 0, r.stderr);
  const recs = records(r.stdout);
  assert.equal(recs.length, 9);
  assert.equal(recs[0].src, '203.0.113.5');
  const csv = await sb.ipta(['-a', log, '--module', 'ports', '--format', 'csv']);
  assert.match(csv.stdout.split('\n')[0], /count/);
});

test('--analyze FILE --html OUT writes one self-contained page', async () => {
  const out = `${sb.dir}/report.html`;
  const r = await sb.ipta(['--analyze', log, '--html', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /203\.0\.113\.5/);
  assert.doesNotMatch(html, /<script src=|<link [^>]*href="http/);
});

test('`ipta X` still runs the small commands', async () => {
  const r = await sb.ipta(['parse', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(records(r.stdout).length, 9);
});

test('| head: the reader going away is a normal end (exit 0, nothing on stderr)', async () => {
  const big = sb.file('big.log', FIXTURE.repeat(3000));
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const c = spawn(process.execPath, [bin('ipta'), '--scan', big, '-q'], { env: testEnv({ HOME: sb.home }) });
    let stderr = '';
    c.stderr.on('data', (b) => (stderr += b));
    c.stdout.once('data', () => c.stdout.destroy());
    c.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
});

test('in-process --analyze FILE prints exactly what the pipeline of the small commands prints', async () => {
  const ex = `${ROOT}examples/iptables.log`;
  const wrapped = await sb.ipta(['--analyze', ex, '--year', '2026', '-q', '-l', '7', '--proto', 'tcp']);
  assert.equal(wrapped.code, 0, wrapped.stderr);
  const mods = ['denied', 'icmp', 'ports', 'invalid', 'interfaces', 'port-actions', 'top-sources', 'hosts', 'scanners', 'new-sources', 'heatmap', 'summary'];
  const sh = (cmd: string) => new Promise<string>((resolve, reject) => {
    const c = spawn('sh', ['-c', cmd], { env: testEnv({ HOME: sb.home }) });
    let out = '';
    c.stdout.on('data', (b) => (out += b));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
  const node = process.execPath;
  const piped = await sh(`${node} ${bin('ipta-parse')} -q --year 2026 ${ex} | ${node} ${bin('ipta-report')} --limit 7 --proto tcp ${mods.map((m) => `--module ${m}`).join(' ')} | ${node} ${bin('ipta-format')}`);
  assert.ok(piped.length > 1000);
  assert.equal(wrapped.stdout, piped);
});

test('- is stdin, not to be mixed with files', async () => {
  const r = await sb.ipta(['--scan', '-', '-q', '--no-header'], { input: FIXTURE });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, 9);
  const m = await sb.ipta(['--scan', log, '-']);
  assert.equal(m.code, 2);
  assert.match(m.stderr, /cannot be mixed with files/);
});

test('the parse thread gives the same report, summary and errors as the single thread', async () => {
  const ex = `${ROOT}examples/iptables.log`;
  const one = await sb.ipta(['--analyze', ex, log, '--year', '2026'], { env: { IPTA_PARSE_THREAD: '0' } });
  const two = await sb.ipta(['--analyze', ex, log, '--year', '2026'], { env: { IPTA_PARSE_THREAD: '1' } });
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.equal(two.stderr, one.stderr);
  assert.match(two.stderr, /3034 lines read, 3008 records, 26 skipped/);
  const missing = await sb.ipta(['--analyze', log, `${sb.dir}/nope.log`], { env: { IPTA_PARSE_THREAD: '1' } });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ipta: cannot read .*nope\.log: no such file$/m);
  assert.equal(missing.stdout, '');
});
