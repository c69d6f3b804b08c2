import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser } from '../../src/parse/index.js';
import { OccurrenceCounter } from '../../src/parse/key.js';
import { prng } from '../helpers/prng.js';
import type { IptaRecord } from '../../src/record.js';

const L = (t: string, src = '192.0.2.1'): string =>
  `Nov 25 06:25:${t} gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=${src} DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 SYN URGP=0`;

function keys(lines: string[]): string[] {
  const p = new LineParser({ tz: 'UTC' });
  const src = { path: null, ref: new Date('2026-11-25T12:00:00Z') };
  return lines.map((l, i) => (p.parse(l, i + 1, src) as IptaRecord).key);
}

test('the same input gives the same keys; identical lines get different keys', () => {
  const lines = [L('13'), L('13'), L('13', '192.0.2.9'), L('13'), L('14')];
  const a = keys(lines);
  assert.deepEqual(keys(lines), a);
  assert.equal(new Set(a).size, 5);
  for (const k of a) assert.match(k, /^[0-9a-f]{32}$/);
});

test('an overlapping copy (read later, other line numbers) gives the same keys for the shared lines', () => {
  const whole = keys([L('12'), L('13'), L('13'), L('14')]);
  const tail = keys([L('13'), L('13'), L('14')]);
  assert.deepEqual(tail, whole.slice(1));
});

test('the key depends on host and text', () => {
  const [a] = keys([L('13')]);
  const [b] = keys([L('13').replace('gw1', 'gw2')]);
  assert.notEqual(a, b);
});

test('the occurrence map is bounded', () => {
  const c = new OccurrenceCounter(3);
  assert.equal(c.next('s', 'x'), 0);
  assert.equal(c.next('s', 'x'), 1);
  assert.equal(c.next('t', 'x'), 0); // new stamp: reset
  c.next('t', 'a');
  c.next('t', 'b');
  assert.equal(c.next('t', 'x'), 0); // size limit reached: reset
});

test('the key is the first 128 bits of SHA-256 of host \\0 raw \\0 occurrence (its definition is a contract)', async () => {
  const { createHash } = await import('node:crypto');
  const { eventKey } = await import('../../src/parse/key.js');
  const want = createHash('sha256').update('gw1\0a line\u00e9\0' + '2').digest('hex').slice(0, 32);
  assert.equal(eventKey('gw1', 'a line\u00e9', 2), want);
  const [k] = keys([L('13')]);
  assert.equal(k, createHash('sha256').update(`gw1\0${L('13')}\0` + '0').digest('hex').slice(0, 32));
});

test('the occurrence counter agrees with a plain map, across snapshots, stamps and its limits', () => {
  const rnd = prng(7);
  for (const [limit, maxChars] of [[3, 1e9], [1000, 1e9], [1000, 5]]) {
    let c = new OccurrenceCounter(limit, maxChars);
    // the reference: the counter's definition with one map
    let seen = new Map<string, number>();
    let stamp = '';
    let chars = 0;
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      // a stamp holds about 10 lines, 5 distinct
      if (rnd() < 0.1) t++;
      const s = `s${t}`;
      const raw = `k${Math.floor(rnd() * 5)}`;
      if (s !== stamp || seen.size >= limit || chars > maxChars) {
        seen = new Map();
        stamp = s;
        chars = 0;
      }
      const want = seen.get(raw) ?? 0;
      if (want === 0) chars += raw.length;
      seen.set(raw, want + 1);
      assert.equal(c.next(s, raw), want, `line ${i}`);
      if (rnd() < 0.05) {
        const snap = c.snapshot();
        assert.deepEqual(new Map(snap.seen), seen);
        assert.equal(snap.chars, chars);
        c = new OccurrenceCounter(limit, maxChars);
        c.restore(snap);
      }
    }
  }
});
