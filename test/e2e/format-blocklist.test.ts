// Block lists end to end: plain, ipset and nft output of bin/ipta-format.js, the allowlist and
// the never-block ranges, --min-count, --aggregate, and the output fed to the real ipset and nft
// inside a private network namespace (unshare -n) so the host's firewall is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run-bin.js';

type Rec = Record<string, unknown>;
const nd = (rows: Rec[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const rec = (src: string, over: Rec = {}): Rec => ({ ts: '2026-11-25T06:25:13Z', verdict: 'deny', action: 'DROP', src, dst: '192.0.2.1', proto: 'TCP', dpt: 22, line: 1, key: '0'.repeat(32), ...over });

const PUBLIC4 = ['203.0.113.9', '198.51.100.1', '203.0.113.10'];
const PUBLIC6 = ['2001:db8::5', '2001:DB8:0:0:0:0:0:4'];
const SPECIAL = ['10.0.0.1', '172.16.5.4', '192.168.1.10', '127.0.0.1', '169.254.3.3', '224.0.0.251', '0.0.0.0', '100.64.1.1', '::1', 'fe80::1', 'fd00::7', 'ff02::1', '::'];
const RECORDS = [
  ...PUBLIC4.map((s) => rec(s)),
  ...PUBLIC6.map((s) => rec(s, { family: 6 })),
  ...SPECIAL.map((s) => rec(s)),
  rec('203.0.113.9'), // a repeat
  rec('::ffff:198.51.100.1'), // the same IPv4 address, written the IPv4-mapped way
  rec('198.51.100.200', { verdict: 'accept', action: 'ACCEPT' }), // accepted traffic is not blocked
  rec('scanner.example.net'), // not an address
  rec("1.2.3.4'; DROP TABLE x; --"), // hostile
  { ts: '2026-11-25T06:25:13Z', verdict: 'deny', line: 2, key: '1'.repeat(32) }, // no source
];

test('plain: distinct public sources, IPv4 then IPv6, canonical; private and special ranges left out', async () => {
  const r = await run('ipta-format', ['--format', 'plain'], nd(RECORDS));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '198.51.100.1\n203.0.113.9\n203.0.113.10\n2001:db8::4\n2001:db8::5\n');
  assert.match(r.stderr, /left out of the block list: .*5 private/);
  assert.match(r.stderr, /2 loopback/);
  assert.match(r.stderr, /not an address, not listed: "scanner\.example\.net"/);
  assert.match(r.stderr, /not an address, not listed: "1\.2\.3\.4'; DROP TABLE x; --"/);
  const all = await run('ipta-format', ['--format', 'plain', '--include-private'], nd(RECORDS));
  const listed = all.stdout.trim().split('\n');
  for (const s of ['10.0.0.1', '127.0.0.1', '::1', 'fe80::1', '0.0.0.0', '::']) assert.ok(listed.includes(s), s);
  assert.ok(!listed.includes('198.51.100.200'), 'accepted sources stay off even with --include-private');
  const acc = await run('ipta-format', ['--format', 'plain', '--include-accepted'], nd(RECORDS));
  assert.ok(acc.stdout.split('\n').includes('198.51.100.200'));
});

test('--allow: nothing inside an allowed block is listed, IPv4 and IPv6, also after --aggregate', async () => {
  const r = await run('ipta-format', ['--format', 'plain', '--allow', '203.0.113.8/29', '--allow', '2001:db8::4'], nd(RECORDS));
  assert.equal(r.stdout, '198.51.100.1\n2001:db8::5\n');
  assert.match(r.stderr, /3 allowlisted/);
  const eight = Array.from({ length: 8 }, (_, i) => rec(`203.0.113.${i}`));
  const whole = await run('ipta-format', ['--format', 'plain', '--aggregate'], nd(eight));
  assert.equal(whole.stdout, '203.0.113.0/29\n');
  const hole = await run('ipta-format', ['--format', 'plain', '--aggregate', '--allow', '203.0.113.4'], nd(eight));
  assert.equal(hole.stdout, '203.0.113.0/30\n203.0.113.5\n203.0.113.6/31\n');
});

test('--min-count: records counted per source; report rows by their count, not twice across modules', async () => {
  const recs = [...Array(3).fill(rec('203.0.113.1')), ...Array(2).fill(rec('203.0.113.2')), rec('203.0.113.3')];
  assert.equal((await run('ipta-format', ['--format', 'plain', '--min-count', '2'], nd(recs))).stdout, '203.0.113.1\n203.0.113.2\n');
  assert.equal((await run('ipta-format', ['--format', 'plain', '--min-count', '3'], nd(recs))).stdout, '203.0.113.1\n');
  const rows: Rec[] = [
    { module: 'denied', count: 4, src: '198.51.100.1', dpt: 22, action: 'DROP' },
    { module: 'denied', count: 3, src: '198.51.100.1', dpt: 23, action: 'DROP' }, // 7 in denied
    { module: 'top-sources', count: 7, denied: 7, src: '198.51.100.1' }, // the same 7 again: not 14
    { module: 'denied', count: 5, src: '198.51.100.2', dpt: 22, action: 'DROP' },
    { module: 'top-sources', count: 50, denied: 6, src: '198.51.100.2' }, // 44 of them accepted
    { module: 'icmp', count: 90, src: '198.51.100.3', dst: '192.0.2.1', action: 'ACCEPT' }, // accepted pings
    { module: 'scanners', count: 8, src: '198.51.100.4', ports: 8, dsts: 1, first: 'x', last: 'y', sample_ports: [] },
  ];
  const at = async (n: number): Promise<string> => (await run('ipta-format', ['--format', 'plain', '--min-count', String(n)], nd(rows))).stdout;
  assert.equal(await at(1), '198.51.100.1\n198.51.100.2\n198.51.100.4\n');
  assert.equal(await at(7), '198.51.100.1\n198.51.100.4\n');
  assert.equal(await at(8), '198.51.100.4\n');
  assert.equal(await at(9), '');
});

/** Run a shell script in a fresh network namespace; null when this machine does not allow it. */
function inNetns(script: string): { ok: boolean; out: string; err: string } | null {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'command -v ipset >/dev/null && command -v nft >/dev/null && ipset list -n >/dev/null'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', timeout: 20000 });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr };
}

const IPSET_LINE = /^(create \S+ hash:net family inet6? hashsize \d+ maxelem \d+ -exist|add \S+ [0-9a-f:.]+(\/\d+)? -exist)$/;

test('ipset: `ipset restore` input with create lines, IPv4 and IPv6 in separate sets, accepted by ipset', async (t) => {
  const r = await run('ipta-format', ['--format', 'ipset', '--set-name', 'bad_guys'], nd(RECORDS));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'create bad_guys hash:net family inet hashsize 1024 maxelem 65536 -exist',
    'create bad_guys6 hash:net family inet6 hashsize 1024 maxelem 65536 -exist',
    'add bad_guys 198.51.100.1 -exist',
    'add bad_guys 203.0.113.9 -exist',
    'add bad_guys 203.0.113.10 -exist',
    'add bad_guys6 2001:db8::4 -exist',
    'add bad_guys6 2001:db8::5 -exist',
    '',
  ].join('\n'));
  const agg = await run('ipta-format', ['--format', 'ipset', '--aggregate'],
    nd([...Array.from({ length: 16 }, (_, i) => rec(`198.51.100.${i + 16}`)), ...Array.from({ length: 4 }, (_, i) => rec(`2001:db8::${i}`)), ...RECORDS]));
  const dir = mkdtempSync(join(tmpdir(), 'ipta-ipset-'));
  const file = join(dir, 'restore.txt');
  writeFileSync(file, agg.stdout);
  for (const l of agg.stdout.trimEnd().split('\n')) assert.match(l, IPSET_LINE);
  const ns = inNetns(`ipset restore < '${file}' && ipset restore < '${file}' && ipset save`);
  if (ns) {
    t.diagnostic('checked with the real ipset in a private network namespace');
    assert.ok(ns.ok, ns.err);
    const members = ns.out.split('\n').filter((l) => l.startsWith('add ')).sort();
    assert.deepEqual(members, [
      'add ipta_block 198.51.100.1', 'add ipta_block 198.51.100.16/28', 'add ipta_block 203.0.113.10', 'add ipta_block 203.0.113.9',
      'add ipta_block6 2001:db8::/126', 'add ipta_block6 2001:db8::4/127',
    ]);
  } else {
    t.diagnostic('no privileges for a network namespace here: checked the syntax line by line only');
  }
});

test('nft: a script that creates the sets and adds the elements, accepted by nft; --nft-define', async (t) => {
  const r = await run('ipta-format', ['--format', 'nft', '--aggregate'], nd([...Array.from({ length: 4 }, (_, i) => rec(`2001:db8::${i}`)), ...RECORDS]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'add table inet filter',
    'add set inet filter ipta_block { type ipv4_addr; flags interval; }',
    'add set inet filter ipta_block6 { type ipv6_addr; flags interval; }',
    'add element inet filter ipta_block { 198.51.100.1, 203.0.113.9, 203.0.113.10 }',
    'add element inet filter ipta_block6 { 2001:db8::/126, 2001:db8::4/127 }',
    '',
  ].join('\n'));
  const def = await run('ipta-format', ['--format', 'nft', '--nft-define'], nd(RECORDS));
  assert.equal(def.stdout, 'define ipta_block = { 198.51.100.1, 203.0.113.9, 203.0.113.10 }\ndefine ipta_block6 = { 2001:db8::4, 2001:db8::5 }\n');
  const empty = await run('ipta-format', ['--format', 'nft'], nd([rec('10.0.0.1')]));
  assert.doesNotMatch(empty.stdout, /add element/, 'no empty element list (a syntax error in nft)');
  const ip = await run('ipta-format', ['--format', 'nft', '--nft-family', 'ip', '--nft-table', 'fw'], nd(RECORDS));
  assert.match(ip.stdout, /^add table ip fw\nadd set ip fw ipta_block \{ type ipv4_addr; flags interval; \}\nadd element ip fw ipta_block \{ /);
  assert.doesNotMatch(ip.stdout, /ipta_block6|2001:/);
  assert.match(ip.stderr, /2 address\(es\) of the other family/);
  const bad = await run('ipta-format', ['--format', 'nft', '--set-name', 'has-dash'], '');
  assert.equal(bad.code, 2);

  const dir = mkdtempSync(join(tmpdir(), 'ipta-nft-'));
  const script = join(dir, 'set.nft');
  writeFileSync(script, r.stdout);
  const defs = join(dir, 'defs.nft');
  writeFileSync(defs, `${def.stdout}table inet t {\n  set a { type ipv4_addr; flags interval; elements = $ipta_block }\n  set b { type ipv6_addr; flags interval; elements = $ipta_block6 }\n}\n`);
  const ns = inNetns(`nft -f '${script}' && nft -f '${script}' && nft list set inet filter ipta_block && nft list set inet filter ipta_block6 && nft -f '${defs}' && nft list set inet t b`);
  if (ns) {
    t.diagnostic('checked with the real nft in a private network namespace');
    assert.ok(ns.ok, ns.err);
    // nft wraps long element lists: compare with the blanks squeezed
    const out = ns.out.replace(/\s+/g, ' ');
    assert.match(out, /set ipta_block \{ type ipv4_addr flags interval elements = \{ 198\.51\.100\.1, 203\.0\.113\.9, 203\.0\.113\.10 \}/);
    assert.match(out, /set ipta_block6 \{ type ipv6_addr flags interval elements = \{ 2001:db8::\/126, 2001:db8::4\/127 \}/);
    assert.match(out, /set b \{ type ipv6_addr flags interval elements = \{ 2001:db8::4, 2001:db8::5 \}/);
  } else {
    const check = spawnSync('nft', ['-c', '-f', script], { encoding: 'utf8' });
    assert.ok(!check.error, 'nft is needed for this test: apt-get install nftables (bash .ci/run does)');
    t.diagnostic(`no network namespace here: nft -c -f says ${check.status}`);
    assert.equal(check.status, 0, check.stderr);
  }
});
