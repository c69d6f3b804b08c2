// Addresses, blocks and the minimal exact CIDR cover behind `ipta-format --aggregate`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addrText, aggregate, cidrText, contains, parseAddr, parseCidr, specialKind, type Family } from '../../src/format/cidr.js';

const agg = (family: Family, addrs: string[]): string[] =>
  aggregate(family, addrs.map((a) => parseAddr(a)!.value)).map(cidrText);

test('aggregation: table of IPv4 and IPv6 cases', () => {
  const cases: Array<[Family, string[], string[]]> = [
    [4, [], []],
    [4, ['192.0.2.1'], ['192.0.2.1']],
    [4, ['192.0.2.1', '192.0.2.1'], ['192.0.2.1']],
    [4, ['192.0.2.0', '192.0.2.1'], ['192.0.2.0/31']],
    // 1 and 2 are adjacent but not one aligned block
    [4, ['192.0.2.1', '192.0.2.2'], ['192.0.2.1', '192.0.2.2']],
    [4, ['192.0.2.0', '192.0.2.1', '192.0.2.2', '192.0.2.3'], ['192.0.2.0/30']],
    [4, ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'], ['192.0.2.1', '192.0.2.2/31', '192.0.2.4']],
    [4, Array.from({ length: 256 }, (_, i) => `198.51.100.${i}`), ['198.51.100.0/24']],
    [4, [...Array.from({ length: 256 }, (_, i) => `198.51.100.${i}`), '198.51.101.0'], ['198.51.100.0/24', '198.51.101.0']],
    [4, Array.from({ length: 255 }, (_, i) => `198.51.100.${i + 1}`),
      ['198.51.100.1', '198.51.100.2/31', '198.51.100.4/30', '198.51.100.8/29', '198.51.100.16/28', '198.51.100.32/27', '198.51.100.64/26', '198.51.100.128/25']],
    // order of the input does not matter; output ascending
    [4, ['203.0.113.9', '192.0.2.7', '203.0.113.8'], ['192.0.2.7', '203.0.113.8/31']],
    // across an octet boundary: .255 and next .0 are adjacent but in different /31s
    [4, ['192.0.2.255', '192.0.3.0'], ['192.0.2.255', '192.0.3.0']],
    [4, ['255.255.255.254', '255.255.255.255'], ['255.255.255.254/31']],
    [4, ['0.0.0.0', '0.0.0.1'], ['0.0.0.0/31']],
    [6, ['2001:db8::1'], ['2001:db8::1']],
    [6, ['2001:db8::', '2001:db8::1'], ['2001:db8::/127']],
    [6, ['2001:db8::1', '2001:db8::2'], ['2001:db8::1', '2001:db8::2']],
    [6, Array.from({ length: 16 }, (_, i) => `2001:db8:0:1::${i.toString(16)}`), ['2001:db8:0:1::/124']],
    [6, ['2001:db8::ffff', '2001:db8::1:0'], ['2001:db8::ffff', '2001:db8::1:0']],
    [6, ['2001:db8::fffe', '2001:db8::ffff', '2001:db8::1:0', '2001:db8::1:1'], ['2001:db8::fffe/127', '2001:db8::1:0/127']],
    [6, ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127']],
  ];
  for (const [family, input, expected] of cases) {
    assert.deepEqual(agg(family, input), expected, `${input.slice(0, 4).join(' ')}${input.length > 4 ? ' ...' : ''}`);
  }
});

/** Every address a list of blocks covers (small blocks only). */
function expand(family: Family, blocks: string[]): Set<bigint> {
  const out = new Set<bigint>();
  const bits = family === 4 ? 32 : 128;
  for (const b of blocks) {
    const c = parseCidr(b)!;
    for (let i = 0n; i < 1n << BigInt(bits - c.len); i++) out.add(c.value + i);
  }
  return out;
}

test('aggregation is exact and minimal on random sets (checked by brute force)', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const family of [4, 6] as Family[]) {
    const base = family === 4 ? parseAddr('192.0.2.0')!.value : parseAddr('2001:db8::')!.value;
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rnd() * 64);
      const set = new Set<bigint>();
      for (let i = 0; i < n; i++) set.add(base + BigInt(Math.floor(rnd() * 64)));
      const blocks = aggregate(family, set).map(cidrText);
      // exact: covers every address in the set and nothing else
      assert.deepEqual([...expand(family, blocks)].sort(), [...set].sort());
      // minimal: no two blocks are the halves of one larger block
      const cs = blocks.map((b) => parseCidr(b)!);
      for (const a of cs) {
        for (const b of cs) {
          if (a === b || a.len !== b.len || a.len === 0) continue;
          const parentLen = a.len - 1;
          const pa = parseCidr(`${addrText(family, a.value)}/${parentLen}`)!;
          const pb = parseCidr(`${addrText(family, b.value)}/${parentLen}`)!;
          assert.notEqual(pa.value, pb.value, `${cidrText(a)} and ${cidrText(b)} should have been merged`);
        }
      }
    }
  }
});

test('parseAddr: canonical text, IPv4-mapped IPv6, rejects names and zones', () => {
  const ok: Array<[string, string]> = [
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ['::ffff:192.0.2.9', '192.0.2.9'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ];
  for (const [input, text] of ok) {
    const a = parseAddr(input);
    assert.ok(a, input);
    assert.equal(addrText(a.family, a.value), text, input);
  }
  for (const bad of ['', 'example.com', '192.0.2', '192.0.2.256', 'fe80::1%eth0', "1.2.3.4'; DROP TABLE x; --", '1.2.3.4/24']) {
    assert.equal(parseAddr(bad), null, bad);
  }
});

test('parseCidr and contains', () => {
  assert.equal(cidrText(parseCidr('192.0.2.77/24')!), '192.0.2.0/24');
  assert.equal(cidrText(parseCidr('2001:db8::1/32')!), '2001:db8::/32');
  assert.equal(cidrText(parseCidr('::ffff:10.1.2.3/104')!), '10.0.0.0/8');
  for (const bad of ['192.0.2.0/33', '2001:db8::/129', '192.0.2.0/', '192.0.2.0/x', 'host/24']) assert.equal(parseCidr(bad), null, bad);
  const net = parseCidr('198.51.100.0/25')!;
  assert.ok(contains(net, 4, parseAddr('198.51.100.127')!.value));
  assert.ok(!contains(net, 4, parseAddr('198.51.100.128')!.value));
  assert.ok(!contains(net, 6, parseAddr('2001:db8::')!.value));
  assert.ok(contains(parseCidr('0.0.0.0/0')!, 4, parseAddr('203.0.113.1')!.value));
});

test('specialKind: the ranges never put on a block list', () => {
  const cases: Array<[string, string | null]> = [
    ['127.0.0.1', 'loopback'], ['10.1.2.3', 'private'], ['172.31.255.255', 'private'], ['172.32.0.0', null],
    ['192.168.1.1', 'private'], ['100.64.0.1', 'private'], ['169.254.1.1', 'link-local'], ['224.0.0.251', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['255.255.255.255', 'broadcast'], ['203.0.113.5', null], ['8.8.8.8', null],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fd00::1', 'private'], ['fe80::1', 'link-local'], ['ff02::1', 'multicast'],
    ['2001:db8::1', null], ['::ffff:127.0.0.1', 'loopback'],
  ];
  for (const [a, why] of cases) {
    const p = parseAddr(a)!;
    assert.equal(specialKind(p.family, p.value), why, a);
  }
});
