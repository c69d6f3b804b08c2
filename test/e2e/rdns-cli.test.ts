// ipta-rdns end to end: the real bin/ipta-rdns.js against a real DNS server on loopback
// (test/helpers/dns-server.ts), memory cache only. The MySQL cache is in rdns-mysql.test.ts.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bin, records, run, testEnv } from '../helpers/run-bin.js';
import { ptrName, startDnsServer, type Answer, type DnsServer } from '../helpers/dns-server.js';

const TIMEOUT = 300;
const SLOW_OK = 100; // answered well inside the timeout
const SLOW_BAD = 5000; // answered long after it

const table: Array<[string, Answer]> = [
  ['192.0.2.1', { ptr: ['one.example.com'] }],
  ['192.0.2.2', { ptr: ['two.example.com.'] }],
  ['2001:db8::1', { ptr: ['v6.example.net'] }],
  ['192.0.2.10', { rcode: 'nxdomain' }],
  ['192.0.2.11', { rcode: 'nodata' }],
  ['192.0.2.20', { rcode: 'servfail' }],
  ['192.0.2.30', { ptr: ['slow.example.com'], delayMs: SLOW_OK }],
  ['192.0.2.31', { ptr: ['tooslow.example.com'], delayMs: SLOW_BAD }],
  ['192.0.2.40', { drop: true }],
  ['192.0.2.50', { garbage: true }],
  ['192.0.2.60', { ptr: [[Buffer.from('evil\x1b[2J\x1b]0;owned\x07'), Buffer.from('example'), Buffer.from('com')]] }],
  ['192.0.2.61', { ptr: [[Buffer.from(`x'); DROP TABLE dns; --`), Buffer.from('"quoted"'), Buffer.from('com')]] }],
  ['192.0.2.62', { ptr: [[Buffer.from('c1\xc2\x9b31m'), Buffer.from('bidi\u202egro'), Buffer.from('org')]] }],
];

let dns: DnsServer;
before(async () => {
  dns = await startDnsServer(new Map(table.map(([a, ans]) => [ptrName(a), ans])));
});
after(async () => { await dns.close(); });
beforeEach(() => dns.resetCounts());

const nd = (recs: unknown[]): string => recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
const rdns = (input: string, args: string[] = []) =>
  run('ipta-rdns', ['--dns-server', dns.spec, '--timeout', String(TIMEOUT), ...args], input);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/;

test('IPv4 and IPv6 PTR names are added as src_name / dst_name', async () => {
  const r = await rdns(nd([
    { src: '192.0.2.1', dst: '2001:db8::1', line: 1 },
    { src: '192.0.2.2', dst: '192.0.2.1', line: 2 },
  ]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = records(r.stdout);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.src_name, 'one.example.com');
  assert.equal(out[0]!.dst_name, 'v6.example.net');
  assert.equal(out[1]!.src_name, 'two.example.com', 'the final dot of the PTR name is dropped');
  assert.equal(out[1]!.dst_name, 'one.example.com');
  assert.equal(out[0]!.line, 1);
});

test('one lookup per address however many records carry it, spellings of one IPv6 address included', async () => {
  const recs = [];
  for (let i = 0; i < 300; i++) {
    recs.push({ src: i % 2 ? '192.0.2.1' : '192.0.2.10', dst: ['2001:db8::1', '2001:DB8:0::1', '2001:0db8:0000::0001'][i % 3], line: i + 1 });
  }
  const r = await rdns(nd(recs));
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.equal(out.length, 300);
  assert.ok(out.every((o) => o.dst_name === 'v6.example.net'));
  assert.ok(out.every((o, i) => (i % 2 ? o.src_name === 'one.example.com' : !('src_name' in o))));
  assert.deepEqual(out.map((o) => o.dst), recs.map((o) => o.dst), 'addresses are passed through as written');
  assert.equal(dns.countFor('192.0.2.1'), 1);
  assert.equal(dns.countFor('192.0.2.10'), 1, 'the negative answer is cached too');
  assert.equal(dns.countFor('2001:db8::1'), 1);
  assert.equal(dns.total(), 3);
});

test('NXDOMAIN and no PTR record: no name, nothing on stderr', async () => {
  const r = await rdns(nd([{ src: '192.0.2.10', dst: '192.0.2.11', line: 1 }]));
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.deepEqual(records(r.stdout), [{ src: '192.0.2.10', dst: '192.0.2.11', line: 1 }]);
});

test('SERVFAIL and no answer: the record passes without a name, failures summed up on stderr', async () => {
  const t0 = Date.now();
  const r = await rdns(nd([
    { src: '192.0.2.20', line: 1 },
    { src: '192.0.2.40', dst: '192.0.2.1', line: 2 },
    { src: '192.0.2.20', line: 3 },
    { src: '192.0.2.40', line: 4 },
  ]));
  const ms = Date.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.deepEqual(out.map((o) => o.line), [1, 2, 3, 4]);
  assert.ok(out.every((o) => !('src_name' in o)));
  assert.equal(out[1]!.dst_name, 'one.example.com');
  assert.equal(r.stderr, 'ipta-rdns: 2 lookups failed (ESERVFAIL 1, ETIMEOUT 1): those addresses have no name\n');
  assert.equal(dns.countFor('192.0.2.40'), 1, 'a server that does not answer is asked once per address');
  assert.equal(dns.countFor('192.0.2.20'), 1, 'a failure is remembered for the run');
  assert.ok(ms < TIMEOUT + 3000, `took ${ms} ms`);
});

test('a garbage answer: no name, reported, the run goes on', async () => {
  // run alone: c-ares drops every query in flight on the socket that received garbage
  const r = await rdns(nd([{ src: '192.0.2.50', line: 1 }, { src: '192.0.2.1', line: 2 }]), ['--concurrency', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.deepEqual(out[0], { src: '192.0.2.50', line: 1 });
  assert.equal(out[1]!.src_name, 'one.example.com');
  assert.equal(r.stderr, 'ipta-rdns: 1 lookup failed (EBADRESP 1): those addresses have no name\n');
});

test('slow answers: under the timeout the name arrives, over it the record goes on without one', async () => {
  const t0 = Date.now();
  const r = await rdns(nd([{ src: '192.0.2.30', line: 1 }, { src: '192.0.2.31', line: 2 }, { src: '192.0.2.1', line: 3 }]));
  const ms = Date.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.equal(out[0]!.src_name, 'slow.example.com');
  assert.ok(!('src_name' in out[1]!));
  assert.equal(out[2]!.src_name, 'one.example.com');
  assert.match(r.stderr, /ETIMEOUT 1/);
  assert.ok(ms < SLOW_BAD - 1000, `the stream waited for the late answer (${ms} ms)`);
});

test('no answer at all: a live stream is not held up longer than the timeout', async () => {
  const child = spawn(process.execPath, [bin('ipta-rdns'), '--dns-server', dns.spec, '--timeout', String(TIMEOUT)], { env: testEnv() });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  const lines = (): number => out.split('\n').length - 1;
  const waitFor = async (n: number): Promise<void> => {
    const t = Date.now();
    while (lines() < n && Date.now() - t < 10_000) await new Promise((r) => setTimeout(r, 10));
  };
  // stdin stays open, as behind `ipta-parse --follow`
  child.stdin.write(JSON.stringify({ src: '192.0.2.1', line: 1 }) + '\n');
  await waitFor(1); // started, and a cached-or-fast answer comes out at once
  const t0 = Date.now();
  child.stdin.write(JSON.stringify({ src: '192.0.2.40', line: 2 }) + '\n');
  await waitFor(2);
  const ms = Date.now() - t0;
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  assert.deepEqual(records(out), [{ src: '192.0.2.1', line: 1, src_name: 'one.example.com' }, { src: '192.0.2.40', line: 2 }]);
  assert.ok(ms >= TIMEOUT - 50 && ms < TIMEOUT + 1000, `record came out ${ms} ms after it went in (timeout ${TIMEOUT} ms)`);
});

test('a real `| head -1`: exit 0, nothing on stderr', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const file = `${mkdtempSync('/tmp/ipta-rdns-')}/in.ndjson`;
  let text = '';
  for (let i = 0; i < 50_000; i++) text += JSON.stringify({ src: '192.0.2.1', dst: '192.0.2.2', line: i + 1 }) + '\n';
  writeFileSync(file, text);
  const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin('ipta-rdns')}" --dns-server ${dns.spec} < "${file}" | head -1`], { env: testEnv() });
    let out = '';
    let err = '';
    c.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    c.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    c.on('close', (code) => resolve({ code, out, err }));
  });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.deepEqual(records(r.out), [{ src: '192.0.2.1', dst: '192.0.2.2', line: 1, src_name: 'one.example.com', dst_name: 'two.example.com' }]);
});

test('order is preserved with slow and fast answers mixed; lookups run concurrently', async () => {
  const slowAnswers = new Map<string, Answer>();
  const recs = [];
  for (let i = 0; i < 40; i++) {
    const slow = i % 4 === 0;
    const addr = `198.51.100.${i + 1}`;
    slowAnswers.set(ptrName(addr), { ptr: [`h${i}.example.org`], delayMs: slow ? 150 : 0 });
    recs.push({ src: addr, dst: '192.0.2.1', line: i + 1 });
  }
  for (const [k, v] of slowAnswers) dns.answers.set(k, v);
  const r = await rdns(nd(recs), ['--concurrency', '16']);
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.deepEqual(out.map((o) => o.line), recs.map((o) => o.line));
  assert.deepEqual(out.map((o) => o.src_name), recs.map((_o, i) => `h${i}.example.org`));
  // the first 16 records hold 4 slow ones: in flight together, not one after the other (counted
  // by the server, not by the clock: a loaded machine may take a second to start node)
  assert.ok(dns.maxPending >= 4, `at most ${dns.maxPending} slow lookups were in flight at once`);
});

test('--concurrency bounds the lookups in flight', async () => {
  const recs = [];
  for (let i = 0; i < 8; i++) {
    const addr = `203.0.113.${i + 1}`;
    dns.answers.set(ptrName(addr), { ptr: [`c${i}.example.org`], delayMs: 60 });
    recs.push({ src: addr, line: i + 1 });
  }
  const r = await rdns(nd(recs), ['--concurrency', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(records(r.stdout).filter((o) => o.src_name).length, 8);
  assert.equal(dns.maxPending, 2);
});

test('hostile PTR names are printed without control characters', async () => {
  const r = await rdns(nd([{ src: '192.0.2.60', dst: '192.0.2.61', line: 1 }, { src: '192.0.2.62', line: 2 }]));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('\x1b') && !r.stdout.includes('\\u001b'), 'no ESC, raw or JSON-escaped');
  const out = records(r.stdout);
  for (const o of out) for (const k of ['src_name', 'dst_name']) {
    if (k in o) assert.ok(!CONTROL.test(String(o[k])), `control characters in ${JSON.stringify(o[k])}`);
  }
  assert.match(String(out[0]!.src_name), /^evil\\027\[2J\\027]0\\;owned\\007\.example\.com$/);
  // presentation form (as in a zone file): quotes and SQL are data, kept; specials escaped
  assert.equal(out[0]!.dst_name, `x'\\)\\; DROP TABLE dns\\; --.\\"quoted\\".com`);
  assert.ok(!CONTROL.test(String(out[1]!.src_name)));
  assert.ok(!String(out[1]!.src_name).includes('\u202e'), 'no bidi override');
});

test('--rdns-fields chooses the addresses; unparseable values and report rows pass through untouched', async () => {
  const r = await rdns(nd([
    { src: '192.0.2.1', dst: '192.0.2.2', line: 1 },
    { src: 'not-an-ip', dst: '999.1.1.1', line: 2 },
    { src: 42, line: 3 },
    { module: 'denied', count: 3, src: '192.0.2.1', dpt: 22 },
    { module: 'ports', count: 9, dpt: 22 },
  ]), ['--rdns-fields', 'src']);
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.deepEqual(out[0], { src: '192.0.2.1', dst: '192.0.2.2', line: 1, src_name: 'one.example.com' });
  assert.deepEqual(out[1], { src: 'not-an-ip', dst: '999.1.1.1', line: 2 });
  assert.deepEqual(out[2], { src: 42, line: 3 });
  assert.deepEqual(out[3], { module: 'denied', count: 3, src: '192.0.2.1', dpt: 22, src_name: 'one.example.com' });
  assert.deepEqual(out[4], { module: 'ports', count: 9, dpt: 22 });
  assert.equal(dns.countFor('192.0.2.2'), 0, 'dst was not asked for');
  assert.equal(dns.total(), 1);
});

test('bad input lines are counted and reported on stderr, the rest goes through', async () => {
  const input = `${JSON.stringify({ src: '192.0.2.1', line: 1 })}\nnot json\n[1,2]\n\n${JSON.stringify({ src: '192.0.2.2', line: 2 })}\n{"src":`;
  const r = await rdns(input);
  assert.equal(r.code, 0);
  assert.deepEqual(records(r.stdout).map((o) => o.src_name), ['one.example.com', 'two.example.com']);
  assert.match(r.stderr, /^ipta-rdns: line 2: invalid JSON: "not json"$/m);
  assert.match(r.stderr, /^ipta-rdns: line 3: not a JSON object/m);
  assert.match(r.stderr, /^ipta-rdns: line 6: invalid JSON/m);
  assert.match(r.stderr, /^ipta-rdns: 3 input lines were not a JSON object and were skipped$/m);
});

test('files are read in order, like cat; a missing file is a runtime error before any output', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/ipta-rdns-');
  writeFileSync(`${dir}/a.ndjson`, nd([{ src: '192.0.2.1', line: 1 }]));
  writeFileSync(`${dir}/b.ndjson`, nd([{ src: '192.0.2.2', line: 2 }]));
  const r = await rdns('', [`${dir}/b.ndjson`, `${dir}/a.ndjson`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(records(r.stdout).map((o) => o.line), [2, 1]);
  const m = await rdns('', [`${dir}/a.ndjson`, `${dir}/missing.ndjson`]);
  assert.equal(m.code, 1);
  assert.equal(m.stdout, '');
  assert.match(m.stderr, /^ipta-rdns: cannot read .*missing\.ndjson: no such file$/m);
});

test('a reader that goes away (| head) ends the run quietly with exit 0', async () => {
  const recs = [];
  for (let i = 0; i < 100_000; i++) recs.push({ src: '192.0.2.1', dst: `10.${(i >> 8) & 255}.${i & 255}.1`, line: i + 1 });
  dns.fallback = { rcode: 'nxdomain' };
  const child = spawn(process.execPath, [bin('ipta-rdns'), '--dns-server', dns.spec, '--timeout', String(TIMEOUT)], { env: testEnv() });
  let err = '';
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  child.stdin.on('error', () => { /* it may stop reading */ });
  child.stdin.end(nd(recs));
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(b.toString())));
  child.stdout.destroy();
  const code = await new Promise((r) => child.on('close', r));
  assert.match(first, /^\{"src":"192\.0\.2\.1"/);
  assert.equal(code, 0);
  assert.equal(err, '');
});

test('usage errors exit 2 with one clear line', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--dns-server', 'dns_server'], /--dns-server: "dns_server" is not an IP address or host name/],
    [['--dns-server', '127.0.0.1:99999'], /--dns-server: port must be 1-65535/],
    [['--timeout', '0'], /--timeout: expected an integer from 1/],
    [['--concurrency', 'many'], /--concurrency: expected an integer/],
    [['--rdns-fields', 'src,mac'], /--rdns-fields: unknown field "mac"/],
    [['--ttl', '-1'], /--ttl: expected a number from 0/],
    [['--dns-table', "dns`; DROP TABLE x; --", '--dns-dump'], /invalid DNS table name/],
    [['--no-such-flag'], /Unknown argument/],
  ];
  for (const [args, re] of cases) {
    const r = await run('ipta-rdns', args, '');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

test('a DNS server given by name (looked up once); a name that does not resolve is exit 1', async () => {
  const { lookup } = await import('node:dns/promises');
  const local = await lookup('localhost');
  const srv = await startDnsServer(new Map([[ptrName('192.0.2.1'), { ptr: ['byname.example.com'] }]]), local.address);
  try {
    const r = await run('ipta-rdns', ['--dns-server', `localhost:${srv.port}`, '--timeout', String(TIMEOUT)], nd([{ src: '192.0.2.1', line: 1 }]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(records(r.stdout)[0]!.src_name, 'byname.example.com');
    assert.equal(srv.countFor('192.0.2.1'), 1);
  } finally {
    await srv.close();
  }
  const bad = await run('ipta-rdns', ['--dns-server', 'no-such-host.invalid'], nd([{ src: '192.0.2.1', line: 1 }]));
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^ipta-rdns: --dns-server: cannot resolve "no-such-host\.invalid": (ENOTFOUND|EAI_AGAIN|EAI_FAIL|ENODATA)$/m);
});

test('an IPv6 DNS server given as [addr]:port', async (t) => {
  let v6: DnsServer;
  try {
    v6 = await startDnsServer(new Map([[ptrName('192.0.2.1'), { ptr: ['six.example.com'] }]]), '::1');
  } catch {
    // a machine without IPv6 loopback: the parser is still checked by the unit tests
    t.diagnostic('no ::1 on this machine');
    return;
  }
  try {
    assert.match(v6.spec, /^\[::1\]:\d+$/);
    const r = await run('ipta-rdns', ['--dns-server', v6.spec, '--timeout', String(TIMEOUT)], nd([{ src: '192.0.2.1', line: 1 }]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(records(r.stdout)[0]!.src_name, 'six.example.com');
    assert.equal(v6.countFor('192.0.2.1'), 1);
  } finally {
    await v6.close();
  }
});

test('--help documents the flags and the MySQL cache', async () => {
  const r = await run('ipta-rdns', ['--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--dns-server', '--timeout', '--concurrency', '--rdns-fields', '--ttl', '--cache', '--dns-create-table', '--dns-table', '--dns-dump', '--dns-prune', '--dns-cache-clear', '--db-name']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
  assert.match(r.stdout, /Persistent cache: give any database flag/);
});
