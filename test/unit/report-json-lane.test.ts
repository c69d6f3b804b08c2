// The report's NDJSON lane (src/report/json-lane.ts) against JSON.parse and toFact: a job given
// as bytes (the lane where it applies) and the same job given as decoded lines (the general way)
// must give the same facts, the same notes and the same counts. The lines: ipta-parse's output
// for the shipped example log, hand-made edge cases and seeded random mutations of both. The lane
// must also take nearly every line ipta-parse writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFactJob } from '../../src/report/fact-job.js';
import { FactDecoder } from '../../src/report/fact-batch.js';
import { RecordScan, scanRecord } from '../../src/report/json-lane.js';
import { run, example } from '../helpers/run-bin.js';
import { prng } from '../helpers/prng.js';

function compare(lines: string[]): void {
  const text = lines.join('\n');
  const viaBytes = runFactJob({ bytes: new Uint8Array(Buffer.from(text, 'utf8')), firstLine: 7, maxLine: 1 << 24 });
  const viaLines = runFactJob({ lines: text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), firstLine: 7, maxLine: 1 << 24 });
  assert.deepEqual(viaBytes.notes, viaLines.notes);
  assert.deepEqual([viaBytes.lines, viaBytes.objects, viaBytes.bad, viaBytes.skipped], [viaLines.lines, viaLines.objects, viaLines.bad, viaLines.skipped]);
  const fb = new FactDecoder().decode(viaBytes.facts);
  const fl = new FactDecoder().decode(viaLines.facts);
  assert.equal(fb.length, fl.length);
  for (let k = 0; k < fl.length; k++) assert.deepEqual(fb[k], fl[k], `fact ${k + 1}`);
}

/** How many of `lines` the lane takes. */
function taken(lines: string[]): number {
  const sc = new RecordScan();
  let n = 0;
  for (const l of lines) {
    const b = Buffer.from(l, 'utf8');
    if (scanRecord(b, 0, b.length, sc)) n++;
  }
  return n;
}

const REC = '{"ts":"2026-11-05T00:00:01.5Z","host":"fw1","kernel_ts":812.004,"prefix":"IPT: DROP","action":"DROP","verdict":"deny","in":"eth0","out":"","mac":"52:54","family":4,"src":"203.0.113.9","dst":"198.51.100.20","len":60,"tos":0,"proto":"TCP","spt":51234,"dpt":22,"flags":["DF","SYN"],"inner":{"src":"1.2.3.4","flags":[],"extra":{"_":"x y"}},"extra":{"OPT":"0204"},"line":3,"key":"abc"}';

const EDGE = [
  REC,
  REC.replace('"in":"eth0"', '"in":"e\\"th0"'),
  REC.replace('"host":"fw1"', '"host":"f\\u00e9w"'),
  REC.replace('"host":"fw1"', '"host":"fé"'),
  REC.replace('"prefix":"IPT: DROP"', `"prefix":"${'P'.repeat(300)}"`),
  REC.replace('"in":"eth0"', `"in":"${'i'.repeat(70)}"`),
  REC.replace('"src":"203.0.113.9"', `"src":"${'a'.repeat(50)}"`),
  REC.replace('"src":"203.0.113.9"', '"src":"2001:db8::1"'),
  REC.replace('"src":"203.0.113.9"', '"src":"203.0.113.09"'),
  REC.replace('"src":"203.0.113.9"', '"src":""'),
  REC.replace('"spt":51234', '"spt":65536'),
  REC.replace('"spt":51234', '"spt":"22"'),
  REC.replace('"spt":51234', '"spt":22.0'),
  REC.replace('"spt":51234', '"spt":-1'),
  REC.replace('"spt":51234', '"spt":1e3'),
  REC.replace('"spt":51234', '"spt":0'),
  REC.replace('"spt":51234', '"spt":007'),
  REC.replace('"dpt":22', '"dpt":22,"dpt":23'),
  REC.replace('"verdict":"deny"', '"verdict":"DENY"'),
  REC.replace('"verdict":"deny"', '"verdict":null'),
  REC.replace('"verdict":"deny",', ''),
  REC.replace('"in":"eth0"', '"in":5'),
  REC.replace('"in":"eth0"', '"in":null'),
  REC.replace('"ts":"2026-11-05T00:00:01.5Z"', '"ts":"garbage"'),
  REC.replace('"ts":"2026-11-05T00:00:01.5Z"', '"ts":12345'),
  REC.replace('"len":60', '"len":6x0'),
  REC.replace('"len":60', '"len":-0.5e+3'),
  REC.replace('"len":60', '"len":01'),
  REC.replace('"len":60', '"len":.5'),
  REC.replace('"len":60', '"len":tru'),
  REC.replace('"len":60', '"len":true,"x":false,"y":null'),
  REC.replace('"flags":["DF","SYN"]', '"flags":["DF",]'),
  REC.replace('"flags":["DF","SYN"]', '"flags":[["DF"],{"a":[]}]'),
  REC.replace('"flags":["DF","SYN"]', '"flags":["D\u0001F"]'),
  REC.replace('"flags":["DF","SYN"]', '"flags":["D\\qF"]'),
  REC.replace('"flags":["DF","SYN"]', '"flags":["D\\u00zzF"]'),
  REC.replace('"extra":{"OPT":"0204"}', '"extra":{"OPT":"0204",}'),
  REC.replace('"extra":{"OPT":"0204"}', '"extra":{"OPT" :"0204"}'),
  REC.replace('"key":"abc"', '"k\\u0065y":"abc"'),
  REC.replace('"key":"abc"', '"__proto__":{"verdict":"accept"}'),
  REC.replace(',"line":3', ', "line":3'),
  REC + ' ',
  REC + '\r',
  ' ' + REC,
  REC + '}',
  REC.slice(0, -1),
  '{}',
  '{"verdict":"accept"}',
  '{"verdict":"log","spt":1,"dpt":2}',
  '[1,2]',
  '"deny"',
  '',
  '   ',
  'not json',
];

test('json lane: the hand-made edge cases give what JSON.parse and toFact give', () => {
  compare(EDGE);
  assert.ok(taken(EDGE) >= 15, `the lane took ${taken(EDGE)} of the edge cases`);
});

test('json lane: ipta-parse output of the example log, and the lane takes nearly all of it', async () => {
  const r = await run('ipta-parse', ['-q', example('iptables.log')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  compare(lines);
  const n = taken(lines);
  assert.ok(n / lines.length > 0.99, `the lane took ${n} of ${lines.length} records`);
});

const PIECES = ['"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '-', '.', 'e', 'é', '\u0001', 'null', 'true', '"verdict":"accept"', '"spt":', '"in":', '\\u0041', '\\n'];

test('json lane: seeded random mutations of records', async () => {
  const r = await run('ipta-parse', ['-q', example('iptables.log')]);
  const base = [...EDGE, ...r.stdout.trimEnd().split('\n').slice(0, 300)];
  const rnd = prng(4242);
  const lines: string[] = [];
  for (let k = 0; k < 40_000; k++) {
    let s = base[Math.floor(rnd() * base.length)]!;
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      const at = Math.floor(rnd() * (s.length + 1));
      const x = rnd();
      const piece = PIECES[Math.floor(rnd() * PIECES.length)]!;
      s = x < 0.4 ? s.slice(0, at) + piece + s.slice(at) : x < 0.7 ? s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3)) : s.slice(0, at) + piece + s.slice(at + 1);
    }
    lines.push(s);
  }
  compare(lines);
  assert.ok(taken(lines) > 5_000, `the lane took ${taken(lines)} of the mutated lines`);
});
