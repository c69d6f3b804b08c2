// ndjsonLines (the NDJSON reader of load/report/format/rdns) on top of the input layer's splitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ndjsonLines, type NdjsonStats } from '../../src/stream/ndjson-lines.js';

async function read(chunks: (string | Buffer)[], opts: Parameters<typeof ndjsonLines>[1] = {}): Promise<{ objs: unknown[]; bad: [number, string, string][]; stats: NdjsonStats }> {
  const stats: NdjsonStats = { lines: 0, objects: 0, bad: 0 };
  const bad: [number, string, string][] = [];
  const objs: unknown[] = [];
  const input = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  for await (const o of ndjsonLines(input, { onBad: (raw, n, why) => bad.push([n, why, raw]), stats, ...opts })) objs.push(o);
  return { objs, bad, stats };
}

test('objects out; blank lines ignored; bad lines counted with their line numbers and raw text', async () => {
  const r = await read(['{"a":1}\r\n\n   \nnope\n[1,2]\n"str"\n{"b":', '2}\n{"c":"\\u0000;DROP TABLE logs"}']);
  assert.deepEqual(r.objs, [{ a: 1 }, { b: 2 }, { c: '\u0000;DROP TABLE logs' }]);
  assert.deepEqual(r.bad, [[4, 'invalid JSON', 'nope'], [5, 'not a JSON object', '[1,2]'], [6, 'not a JSON object', '"str"']]);
  assert.deepEqual(r.stats, { lines: 6, objects: 3, bad: 3 });
});

test('an overlong line is counted and reported, not silently skipped, and numbering stays true', async () => {
  const long = `{"x":"${'a'.repeat(5000)}"}`;
  const r = await read(['{"n":1}\n', long.slice(0, 3000), long.slice(3000) + '\n{"n":3}\n', long + '\n{"n":5}'], { maxLineLength: 1000 });
  assert.deepEqual(r.objs, [{ n: 1 }, { n: 3 }, { n: 5 }]);
  assert.deepEqual(r.bad.map(([n, why]) => [n, why]), [[2, 'line longer than 1000 bytes, skipped'], [4, 'line longer than 1000 bytes, skipped']]);
  assert.deepEqual(r.stats, { lines: 5, objects: 3, bad: 2 });
});

test('--strict: the first bad line (overlong included) is fatal', async () => {
  await assert.rejects(read(['{"a":1}\nbad\n'], { strict: true, onBad: undefined }), /line 2: invalid JSON \(--strict\)/);
  await assert.rejects(read([`${'{'.repeat(50)}\n`], { strict: true, maxLineLength: 10, onBad: undefined }), /line 1: line longer than 10 bytes/);
});

test('UTF-8 split across chunks and invalid bytes', async () => {
  const buf = Buffer.from('{"name":"Zürich €"}\n');
  const r = await read([buf.subarray(0, 11), buf.subarray(11), Buffer.from([0x7b, 0x22, 0x6b, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a])]);
  assert.deepEqual(r.objs, [{ name: 'Zürich €' }, { k: '\ufffd' }]);
});
