// bench/gen-log.mjs: deterministic, and examples/iptables.log is what examples/README.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT, example } from '../helpers/run-bin.js';

function gen(...args: string[]): string {
  const r = spawnSync(process.execPath, [`${ROOT}bench/gen-log.mjs`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('examples/iptables.log: its first 3000 lines are the documented generator run', () => {
  const lines = readFileSync(example('iptables.log'), 'utf8').split('\n');
  const generated = gen('--lines', '3000', '--seed', '3', '--start', '2026-11-05T00:00:00Z', '--days', '6', '--hosts', '4').split('\n');
  assert.deepEqual(lines.slice(0, 3000), generated.slice(0, 3000));
});

test('same seed, same bytes; another seed, other bytes', () => {
  assert.equal(gen('--lines', '500', '--seed', '7'), gen('--lines', '500', '--seed', '7'));
  assert.notEqual(gen('--lines', '500', '--seed', '7'), gen('--lines', '500', '--seed', '8'));
});

test('time runs forward across the New Year; the mix holds what the benchmarks need', () => {
  const out = gen('--lines', '4000', '--start', '2026-12-31T12:00:00Z', '--days', '1');
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 4000);
  const months = lines.filter((l) => /^[A-Z][a-z]{2} /.test(l)).map((l) => l.slice(0, 3));
  assert.equal(months[0], 'Dec');
  assert.equal(months.at(-1), 'Jan');
  assert.equal(months.indexOf('Jan'), months.lastIndexOf('Dec') + 1, 'Dec then Jan, never back');
  // RFC3339 instants never go backwards
  const iso = lines.filter((l) => /^\d{4}-/.test(l)).map((l) => Date.parse(l.split(' ')[0]!));
  assert.ok(iso.length > 100 && iso.every((t, i) => i === 0 || t >= iso[i - 1]!));
  const has = (re: RegExp, min = 1): void => assert.ok(lines.filter((l) => re.test(l)).length >= min, String(re));
  has(/ fw1 kernel: \[ *\d+\.\d{6}\] /, 500);
  has(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+01:00 gw-berlin kernel: /, 500);
  has(/IPT: DROP IN=/, 100);
  has(/\[UFW BLOCK\] IN=/, 100);
  has(/"filter_IN_public_(DROP|REJECT): "IN=/);
  has(/Shorewall:net2fw:DROP:IN=/);
  has(/SRC=[0-9a-f]{4}(:[0-9a-f]{4}){7} DST=.* TC=\d+ HOPLIMIT=\d+ FLOWLBL=\d+ PROTO=(TCP|UDP|ICMPv6)/, 100);
  has(/PROTO=ICMP TYPE=\d+ CODE=\d+ \[SRC=/);
  has(/PHYSIN=\S+ PHYSOUT=/);
  has(/IN=lo OUT= /);
  has(/IN= OUT=\S+ SRC=.* UID=\d+ GID=\d+/);
  has(/kernel: (e1000e|TCP: request_sock|nf_conntrack:|device |audit:|br0:|net_ratelimit|IPv6:)/, 10);
  const bytes = Buffer.byteLength(out) / lines.length;
  assert.ok(bytes > 200 && bytes < 300, `${bytes} bytes a line`);
});
