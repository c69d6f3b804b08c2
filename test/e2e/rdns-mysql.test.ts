// ipta-rdns with the persistent cache: a real MariaDB (test/helpers/db.ts, one throwaway database
// for this file) and the loopback DNS server. Read before DNS, batched writes, TTL, prune, dump,
// clear, create, hostile names stored as data.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2/promise';
import { records, run } from '../helpers/run-bin.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { ptrName, startDnsServer, type DnsServer } from '../helpers/dns-server.js';

let db: TestDb;
let dns: DnsServer;
const HOSTILE_RAW = [Buffer.from("o'hara\x1b[31m"), Buffer.from(`"; DELETE FROM dns; --`), Buffer.from('net')];

before(async () => {
  db = await createTestDb('ipta_rdns');
  dns = await startDnsServer(new Map<string, import('../helpers/dns-server.js').Answer>([
    [ptrName('192.0.2.1'), { ptr: ['one.example.com'] }],
    [ptrName('192.0.2.2'), { ptr: ['two.example.com'] }],
    [ptrName('10.0.0.1'), { ptr: ['ten.example.com'] }],
    [ptrName('9.0.0.1'), { ptr: ['nine.example.com'] }],
    [ptrName('2001:db8::1'), { ptr: ['v6.example.net'] }],
    [ptrName('2001:db8::a'), { ptr: ['v6a.example.net'] }],
    [ptrName('::ffff:192.0.2.7'), { ptr: ['mapped.example.net'] }],
    [ptrName('192.0.2.66'), { ptr: [HOSTILE_RAW] }],
    [ptrName('192.0.2.20'), { rcode: 'servfail' }],
    [ptrName('192.0.2.40'), { drop: true }],
  ]));
});
after(async () => {
  await dns.close();
  await db.drop();
});
beforeEach(() => dns.resetCounts());

const nd = (recs: unknown[]): string => recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
const rdns = (input: string, args: string[] = []) =>
  run('ipta-rdns', ['--dns-server', dns.spec, '--timeout', '300', ...db.flags, ...args], input);
const rows = async (table = 'dns'): Promise<Array<{ addr: string; name: string | null; age: number }>> => {
  const [r] = await db.conn.query<RowDataPacket[]>(
    `SELECT addr, name, TIMESTAMPDIFF(SECOND, looked_up, UTC_TIMESTAMP(6)) AS age FROM \`${table}\` ORDER BY addr`);
  return r.map((x) => ({ addr: x.addr, name: x.name, age: Number(x.age) }));
};

const INPUT = nd([
  { src: '192.0.2.1', dst: '2001:DB8:0::1', line: 1 },
  { src: '192.0.2.10', dst: '192.0.2.1', line: 2 }, // 192.0.2.10: NXDOMAIN (unknown to the server)
  { src: '192.0.2.20', dst: '192.0.2.40', line: 3 }, // SERVFAIL, no answer: not stored
  { src: '192.0.2.66', line: 4 },
]);

test('first run: the DNS table is created and filled; failures are not stored', async () => {
  const r = await rdns(INPUT, ['--stats']);
  assert.equal(r.code, 0, r.stderr);
  const out = records(r.stdout);
  assert.equal(out[0]!.src_name, 'one.example.com');
  assert.equal(out[0]!.dst_name, 'v6.example.net');
  assert.match(r.stderr, /4 entries written to the DNS table/);
  const stored = await rows();
  assert.deepEqual(stored.map((x) => [x.addr, x.name]), [
    ['192.0.2.1', 'one.example.com'],
    ['192.0.2.10', null],
    ['192.0.2.66', String(out[3]!.src_name)],
    ['2001:db8::1', 'v6.example.net'],
  ]);
  assert.ok(stored.every((x) => x.age >= 0 && x.age < 60), 'looked_up is now (UTC)');
  const [reg] = await db.conn.query<RowDataPacket[]>("SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dns'");
  assert.equal(reg[0]!.c, 'ipta:dns:v1');
});

test('hostile PTR names are stored as data and come back clean', async () => {
  const stored = (await rows()).find((x) => x.addr === '192.0.2.66')!;
  assert.ok(stored.name);
  assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(stored.name!), JSON.stringify(stored.name));
  assert.ok(stored.name!.includes("o'hara") && stored.name!.includes('DELETE FROM dns'), 'quotes and SQL kept as text');
  // a name somebody else put into the table, raw control characters and all
  await db.conn.query('INSERT INTO dns (addr, name, looked_up) VALUES (?, ?, UTC_TIMESTAMP(6))', ['192.0.2.99', 'bad\x1b]0;x\x07\x9bname']);
  const r = await rdns(nd([{ src: '192.0.2.99', line: 1 }]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(records(r.stdout)[0]!.src_name, 'bad\\027]0;x\\007\\155name');
  assert.equal(dns.total(), 0);
  const d = await rdns('', ['--dns-dump']);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(d.stdout), 'dump is printable');
  assert.match(d.stdout, /^192\.0\.2\.99\tbad\\027]0;x\\007\\155name$/m);
  await db.conn.query("DELETE FROM dns WHERE addr = '192.0.2.99'");
});

test('second run: answers come from the DNS table, DNS is asked only for what is missing or failed', async () => {
  // batched reads (WHERE addr IN (...)) first, then the whole-table read a big run makes
  for (const mode of [[], ['--cache-preload', '1']]) {
    dns.resetCounts();
    const r = await rdns(INPUT + nd([{ src: '192.0.2.2', line: 5 }]), ['--stats', ...mode]);
    assert.equal(r.code, 0, r.stderr);
    const out = records(r.stdout);
    assert.equal(out[0]!.src_name, 'one.example.com');
    assert.equal(out[0]!.dst_name, 'v6.example.net');
    assert.ok(!('src_name' in out[1]!), 'the cached negative answer');
    assert.equal(out[3]!.src_name, (await rows()).find((x) => x.addr === '192.0.2.66')!.name);
    assert.equal(out[4]!.src_name, 'two.example.com');
    assert.equal(dns.countFor('192.0.2.1'), 0);
    assert.equal(dns.countFor('2001:db8::1'), 0);
    assert.equal(dns.countFor('192.0.2.10'), 0, 'negative answers are read from the cache too');
    assert.equal(dns.countFor('192.0.2.66'), 0);
    assert.equal(dns.countFor('192.0.2.20'), 1, 'a SERVFAIL is asked again next run');
    assert.equal(dns.countFor('192.0.2.40'), 1);
    if (!mode.length) {
      assert.equal(dns.countFor('192.0.2.2'), 1);
      assert.equal(dns.total(), 3);
      assert.match(r.stderr, /4 from the DNS table \(whole-table read: 0 entries\)/);
    } else {
      assert.equal(dns.countFor('192.0.2.2'), 0, 'stored by the run before');
      assert.equal(dns.total(), 2);
      assert.match(r.stderr, /5 from the DNS table \(whole-table read: 5 entries\)/);
    }
  }
});

test('TTL: a stale entry is looked up again and refreshed; --ttl 0 never expires', async () => {
  await db.conn.query("UPDATE dns SET looked_up = UTC_TIMESTAMP(6) - INTERVAL 400 HOUR, name = 'old.example.com' WHERE addr = '192.0.2.1'");
  const keep = await rdns(nd([{ src: '192.0.2.1', line: 1 }]), ['--ttl', '0']);
  assert.equal(records(keep.stdout)[0]!.src_name, 'old.example.com');
  assert.equal(dns.total(), 0);
  for (const mode of [['--cache-preload', '1'], []]) {
    const longer = await rdns(nd([{ src: '192.0.2.1', line: 1 }]), ['--ttl', '500', ...mode]);
    assert.equal(records(longer.stdout)[0]!.src_name, 'old.example.com');
    assert.equal(dns.total(), 0);
  }
  const staleBatched = await rdns(nd([{ src: '192.0.2.1', line: 1 }]), ['--cache-preload', '1', '--cache', 'mysql', '--ttl', '300']);
  assert.equal(records(staleBatched.stdout)[0]!.src_name, 'one.example.com');
  assert.equal(dns.countFor('192.0.2.1'), 1);
  dns.resetCounts();
  await db.conn.query("UPDATE dns SET looked_up = UTC_TIMESTAMP(6) - INTERVAL 400 HOUR, name = 'old.example.com' WHERE addr = '192.0.2.1'");
  const fresh = await rdns(nd([{ src: '192.0.2.1', line: 1 }])); // default 336 h
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.equal(records(fresh.stdout)[0]!.src_name, 'one.example.com');
  assert.equal(dns.countFor('192.0.2.1'), 1);
  const row = (await rows()).find((x) => x.addr === '192.0.2.1')!;
  assert.equal(row.name, 'one.example.com');
  assert.ok(row.age < 60, 'looked_up refreshed');
});

test('--dns-prune deletes the entries older than the TTL', async () => {
  await db.conn.query("UPDATE dns SET looked_up = UTC_TIMESTAMP(6) - INTERVAL 30 HOUR WHERE addr = '192.0.2.10'");
  await db.conn.query("UPDATE dns SET looked_up = UTC_TIMESTAMP(6) - INTERVAL 400 HOUR WHERE addr = '2001:db8::1'");
  const before = (await rows()).length;
  const never = await rdns('', ['--dns-prune', '--ttl', '0']);
  assert.equal(never.code, 0, never.stderr);
  assert.match(never.stderr, /TTL 0 \(never expire\), nothing pruned/);
  assert.equal((await rows()).length, before);
  const r = await rdns('', ['--dns-prune']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^ipta-rdns: DNS table dns: 1 entries older than 336 h deleted$/m);
  assert.equal(r.stdout, '');
  assert.ok(!(await rows()).some((x) => x.addr === '2001:db8::1'));
  const r24 = await rdns('', ['--dns-prune', '--ttl', '24']);
  assert.match(r24.stderr, /1 entries older than 24 h deleted/);
  assert.ok(!(await rows()).some((x) => x.addr === '192.0.2.10'));
  assert.equal((await rows()).length, before - 2);
});

test('--dns-dump: address TAB name, IPv4 before IPv6, numerically', async () => {
  const r0 = await rdns(nd([
    { src: '10.0.0.1', dst: '9.0.0.1', line: 1 },
    { src: '2001:db8::a', dst: '2001:db8::1', line: 2 },
    { src: '::ffff:192.0.2.7', dst: '192.0.2.2', line: 3 },
    { src: '192.0.2.11', line: 4 },
  ]));
  assert.equal(r0.code, 0, r0.stderr);
  const r = await rdns('', ['--dns-dump']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
  const addrs = lines.map((l) => l[0]);
  assert.deepEqual(addrs, ['9.0.0.1', '10.0.0.1', '192.0.2.1', '192.0.2.2', '192.0.2.11', '192.0.2.66', '::ffff:192.0.2.7', '2001:db8::1', '2001:db8::a']);
  assert.deepEqual(lines[0], ['9.0.0.1', 'nine.example.com']);
  assert.deepEqual(lines[4], ['192.0.2.11', '-']);
  assert.ok(lines.every((l) => l.length === 2));
});

test('--dns-create-table and --dns-table: a second table, created once, used by name', async () => {
  const c1 = await rdns('', ['--dns-create-table', '--dns-table', 'dns_alt']);
  assert.equal(c1.code, 0, c1.stderr);
  assert.match(c1.stderr, /^ipta-rdns: DNS table dns_alt created$/m);
  const c2 = await rdns('', ['--dns-create-table', '--dns-table', 'dns_alt']);
  assert.match(c2.stderr, /^ipta-rdns: DNS table dns_alt already exists$/m);
  const missing = await rdns('', ['--dns-dump', '--dns-table', 'dns_none']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ipta-rdns: DNS table dns_none does not exist in database ipta_rdns_\w+ \(create it with --dns-create-table/m);
  const r = await rdns(nd([{ src: '192.0.2.2', line: 1 }]), ['--dns-table', 'dns_alt']);
  assert.equal(records(r.stdout)[0]!.src_name, 'two.example.com');
  assert.deepEqual((await rows('dns_alt')).map((x) => x.addr), ['192.0.2.2']);
  // a table that is not ipta's is never used as a cache
  await db.conn.query('CREATE TABLE foreign_t (addr VARCHAR(45) PRIMARY KEY, name VARCHAR(255), looked_up DATETIME(6))');
  const f = await rdns('', ['--dns-create-table', '--dns-table', 'foreign_t']);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /not an ipta dns table/);
});

test('--dns-cache-clear empties the table; the next run asks DNS again', async () => {
  const n = (await rows()).length;
  assert.ok(n > 0);
  const r = await rdns('', ['--dns-cache-clear']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^ipta-rdns: DNS table dns: ${n} entries deleted$`, 'm'));
  assert.equal((await rows()).length, 0);
  const again = await rdns(nd([{ src: '192.0.2.1', line: 1 }]));
  assert.equal(records(again.stdout)[0]!.src_name, 'one.example.com');
  assert.equal(dns.countFor('192.0.2.1'), 1);
});

test('--cache memory ignores the database; an unreachable database is a runtime error', async () => {
  await db.conn.query('DELETE FROM dns');
  const m = await rdns(nd([{ src: '192.0.2.2', line: 1 }]), ['--cache', 'memory']);
  assert.equal(records(m.stdout)[0]!.src_name, 'two.example.com');
  assert.equal((await rows()).length, 0);
  const bad = await run('ipta-rdns', ['--dns-server', dns.spec, '--db-host', '127.0.0.1', '--db-port', '1', '--db-user', 'nobody'], nd([{ src: '192.0.2.2' }]));
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^ipta-rdns: cannot connect to MySQL\/MariaDB at 127\.0\.0\.1:1 as user nobody/m);
});
