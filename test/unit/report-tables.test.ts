// The stream engine's storage (src/report/tables.ts) against plain Maps: the same entries for the
// same pairs, first-seen numbering kept across growth, addresses found by number or by text alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddrDict, Dict, KeyTable, ipv4Number, ipv4Text } from '../../src/report/tables.js';

test('KeyTable: entries numbered in first-seen order, found again after many rehashes', () => {
  const t = new KeyTable(4);
  const ref = new Map<string, number>();
  let seed = 12345;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  // small a, b across the whole integer range: negative, above 2^32, up to 2^53
  const bs = [0, 1, -1, -7, 4294967295, 4294967296, 4294967297, 2 ** 40 + 3, 2 ** 53 - 1, -(2 ** 52)];
  for (let i = 0; i < 60_000; i++) {
    const a = rnd(500);
    const b = i % 3 === 0 ? bs[rnd(bs.length)]! : rnd(2000) * 4294967296 + rnd(70_000);
    const k = `${a}/${b}`;
    const e = t.get(a, b);
    const known = ref.get(k);
    if (known === undefined) {
      assert.equal(t.added, true, `new pair ${k}`);
      assert.equal(e, ref.size, 'entries are numbered 0, 1, 2...');
      ref.set(k, e);
    } else {
      assert.equal(t.added, false, `known pair ${k}`);
      assert.equal(e, known);
    }
  }
  assert.equal(t.size, ref.size);
  for (const [k, e] of ref) {
    const [a, b] = k.split('/').map(Number) as [number, number];
    assert.equal(t.a[e], a);
    assert.equal(t.b[e], b);
  }
});

test('ipv4Number: only the usual dotted form, every octet 0-255, no leading zero', () => {
  assert.equal(ipv4Number('0.0.0.0'), 0);
  assert.equal(ipv4Number('192.0.2.1'), 0xc0000201);
  assert.equal(ipv4Number('255.255.255.255'), 4294967295);
  for (const s of ['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '256.1.1.1', '1.2.3.4 ', '1..3.4', '.1.2.3', '1.2.3.', '1.2.3.a', '::1', '2001:db8::1', '1.2.3.1000'])
    assert.equal(ipv4Number(s), -1, JSON.stringify(s));
  for (const s of ['0.0.0.0', '10.0.0.1', '192.0.2.255', '255.255.255.255', '1.22.133.4']) assert.equal(ipv4Text(ipv4Number(s)), s);
});

test('AddrDict: an IPv4 address has one id whether given as text or as its number; other text by itself', () => {
  const d = new AddrDict();
  const a = d.id('192.0.2.1');
  assert.equal(d.idV4(ipv4Number('192.0.2.1')), a);
  assert.equal(d.id('192.0.2.1'), a);
  const b = d.idV4(ipv4Number('198.51.100.7'));
  assert.equal(d.id('198.51.100.7'), b);
  assert.notEqual(a, b);
  const v6 = d.id('2001:db8::1');
  const odd = d.id('192.000.2.1'); // not the usual form: kept as written, a word of its own
  assert.equal(new Set([a, b, v6, odd]).size, 4);
  assert.deepEqual([a, b, v6, odd].map((i) => d.word(i)), ['192.0.2.1', '198.51.100.7', '2001:db8::1', '192.000.2.1']);
  assert.equal(d.id(undefined), 0);
  const plain = new Dict();
  assert.equal(plain.id('x'), plain.id('x'));
  assert.equal(plain.size, 2);
});
