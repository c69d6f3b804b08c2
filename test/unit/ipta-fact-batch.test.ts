import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FactDecoder, FactEncoder, transferList } from '../../src/report/fact-batch.js';
import type { Fact } from '../../src/report/stream-engine.js';

const f = (p: Partial<Fact>): Fact => ({
  ts: undefined, host: undefined, prefix: undefined, action: undefined, verdict: 'deny', in: undefined, out: undefined,
  src: undefined, dst: undefined, proto: undefined, spt: undefined, dpt: undefined, ...p,
});

test('facts survive the columnar form exactly, across batches that share a dictionary', () => {
  const a = [
    f({ ts: 1_764_000_000_123_456, host: 'fw1', prefix: 'IPT: DROP', action: 'DROP', in: 'eth0', src: '203.0.113.5', dst: '2001:db8::1', proto: 'TCP', spt: 0, dpt: 65535 }),
    f({ verdict: 'accept', host: 'fw1', in: 'lo', out: 'eth0', proto: 'ICMP' }),
    f({ verdict: 'log', action: 'quote"s \u00e9 \u0000 ünïcode' }),
  ];
  const b = [f({ host: 'fw1', action: 'DROP', dpt: 22 }), f({ host: 'gw2', action: 'BLOCK' })];
  const enc = new FactEncoder();
  const dec = new FactDecoder();
  const ea = enc.encode(a);
  const eb = enc.encode(b);
  assert.deepEqual(eb.words, ['gw2', 'BLOCK'], 'the second batch carries only its new words');
  // what postMessage does: a structured clone, with the typed arrays moved
  const ca = structuredClone(ea, { transfer: transferList(ea) });
  const cb = structuredClone(eb, { transfer: transferList(eb) });
  assert.deepEqual(dec.decode(ca), a);
  assert.deepEqual(dec.decode(cb), b);
  assert.deepEqual(dec.decode(structuredClone(enc.encode([]))), []);
});
