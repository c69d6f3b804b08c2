// The parallel parser (parse/parallel.ts) against the one-thread path, with jobs made tiny so that
// a small log holds hundreds of job boundaries: across a New Year, with --year, with identical
// lines split by a boundary, with thousands of stamp-less lines, overlong lines, CRLF and gzip.
// The output and the summary must be the same byte for byte, and the cases that make a guessed
// state matter must really have been parsed again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newStats, parseNdjson, type ParseOptions } from '../../src/parse/index.js';
import { parseJsonParallel, parseParallel } from '../../src/parse/parallel.js';
import { parseRecords } from '../../src/parse/index.js';
import { FactDecoder } from '../../src/report/fact-batch.js';
import { toFact } from '../../src/report/stream-engine.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'ipta-parallel-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const MTIME = new Date('2027-01-01T23:00:00Z');

function genLog(lines: number, start: string, days: number): string[] {
  const gen = spawnSync(process.execPath, [join(ROOT, 'bench/gen-log.mjs'), '--lines', String(lines), '--start', start, '--days', String(days)], { encoding: 'utf8', maxBuffer: 1 << 27 });
  assert.equal(gen.status, 0, gen.stderr);
  return gen.stdout.split('\n').filter((l) => l !== '');
}

function file(name: string, content: string | Buffer): string {
  const f = join(dir, name);
  writeFileSync(f, content);
  utimesSync(f, MTIME, MTIME);
  return f;
}

async function collect(gen: AsyncGenerator<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const b of gen) out.push(b);
  return Buffer.concat(out).toString('utf8');
}

/** One thread, then 1 and 2 workers with jobs of `jobBytes`: same output, same counts; the reparses. */
async function compare(opts: ParseOptions, jobBytes = 1500): Promise<{ text: string; reparsed: number }> {
  const tooLong1: number[] = [];
  const s1 = newStats();
  process.env.IPTA_PARSE_THREADS = '0';
  const one = await collect(parseNdjson({ ...opts, stats: s1, onTooLong: (n) => tooLong1.push(n) }));
  delete process.env.IPTA_PARSE_THREADS;
  let reparsed = 0;
  for (const threads of [1, 2]) {
    const tooLong: number[] = [];
    const s = newStats();
    const par = await collect(parseJsonParallel({ ...opts, onTooLong: (n) => tooLong.push(n) }, s, threads, { jobBytes, inlineBytes: 0, onReparse: () => reparsed++ }));
    assert.equal(par.length, one.length, `${threads} workers: output length`);
    assert.ok(par === one, `${threads} workers: output differs`);
    assert.deepEqual(s, s1);
    assert.deepEqual(tooLong, tooLong1);
  }
  return { text: one, reparsed };
}

/** Every 40th line three times in a row: identical lines under one stamp, often split by a job boundary. */
const withDuplicates = (lines: string[]): string[] => lines.flatMap((l, i) => (i % 40 === 0 ? [l, l, l] : [l]));

test('across a New Year: same output, and the jobs whose guessed year or counts were wrong parsed again', async () => {
  const f = file('newyear.log', withDuplicates(genLog(6000, '2026-12-31T20:00:00Z', 0.3)).join('\n') + '\n');
  const { text, reparsed } = await compare({ files: [f], tz: 'UTC' });
  const years = new Set(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { ts: string }).ts.slice(0, 4)));
  assert.deepEqual([...years].sort(), ['2026', '2027']);
  assert.ok(reparsed > 0, 'no job was parsed again: the test does not reach the recheck');
});

test('with --year: the forced year steps at the New Year in every job', async () => {
  // the New Year within the first jobs, before any job is accepted: started from no year at all,
  // a job would take 2030 for January
  const f = file('forced.log', genLog(3000, '2026-12-31T23:59:55Z', 0.01).join('\n'));
  const { text, reparsed } = await compare({ files: [f], tz: 'UTC', year: 2030 });
  assert.ok(reparsed > 0, `${reparsed}`);
  assert.match(text, /"ts":"2030-12-31T/);
  assert.match(text, /"ts":"2031-01-01T/);
});

test('thousands of stamp-less lines (raw dmesg), many of them identical: counted as one pass counts them', async () => {
  const distinct = Array.from({ length: 30 }, (_, i) => `IN=eth0 OUT= MAC= SRC=192.0.2.${i} DST=198.51.100.1 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=${i} PROTO=TCP SPT=4000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0`);
  const lines = Array.from({ length: 25_000 }, (_, i) => distinct[(i * 7) % 30]);
  const f = file('dmesg.log', lines.join('\n'));
  const { text, reparsed } = await compare({ files: [f] }, 4000);
  const keys = new Set(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { key: string }).key));
  assert.equal(keys.size, 25_000); // each repeat of a line has its own occurrence count
  assert.ok(reparsed > 0);
});

test('a stamp-less line repeated many jobs apart: the counts carried over every job between', async () => {
  const line = (i: number): string => `IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.1 LEN=40 TTL=50 ID=${i} PROTO=TCP SPT=4000 DPT=22 WINDOW=1024 SYN URGP=0`;
  const lines = Array.from({ length: 3000 }, (_, i) => (i % 100 === 0 ? line(0) : line(i)));
  const f = file('apart.log', lines.join('\n'));
  const { text, reparsed } = await compare({ files: [f] });
  assert.equal(new Set(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { key: string }).key)).size, 3000);
  assert.ok(reparsed >= 25, `${reparsed} jobs parsed again, expected one per repeat`);
});

test('overlong lines, CRLF, blank and junk lines, a gzip sibling: same lines numbers, same counts', async () => {
  const base = genLog(2000, '2026-11-20T00:00:00Z', 1);
  const lines = base.flatMap((l, i) => {
    if (i % 97 === 0) return [l, 'x'.repeat(3000)];
    if (i % 89 === 0) return [l, '', 'kernel: some other message'];
    return [i % 5 === 0 ? `${l}\r` : l];
  });
  const old = file('fw.log.1.gz', gzipSync(lines.slice(0, 900).join('\n') + '\n'));
  const cur = file('fw.log', lines.slice(900).join('\n'));
  await compare({ files: [cur, old], tz: 'UTC', maxLineLength: 2000 });
});

test('a small input never starts a worker, and writes what one thread writes', async () => {
  const f = file('small.log', genLog(50, '2026-11-20T00:00:00Z', 1).join('\n'));
  const s = newStats();
  const out = await collect(parseJsonParallel({ files: [f], tz: 'UTC' }, s, 2));
  process.env.IPTA_PARSE_THREADS = '0';
  const one = await collect(parseNdjson({ files: [f], tz: 'UTC' }));
  delete process.env.IPTA_PARSE_THREADS;
  assert.equal(out, one);
  assert.equal(s.lines, 50);
});

test('report facts (ipta --analyze FILE) from workers with tiny jobs: those of one pass, in order', async () => {
  const f = file('facts.log', withDuplicates(genLog(4000, '2026-12-31T22:00:00Z', 0.2)).join('\n'));
  process.env.IPTA_PARSE_THREADS = '0';
  const expected: unknown[] = [];
  for await (const r of parseRecords({ files: [f], tz: 'UTC' })) expected.push(toFact(r as Parameters<typeof toFact>[0]));
  delete process.env.IPTA_PARSE_THREADS;
  const got: unknown[] = [];
  let reparsed = 0;
  const s = newStats();
  for await (const res of parseParallel({ files: [f], tz: 'UTC' }, s, 2, 'facts', false, { jobBytes: 1500, inlineBytes: 0, onReparse: () => reparsed++ })) {
    for (const fact of new FactDecoder().decode(res.facts!)) got.push(fact);
  }
  assert.equal(got.length, expected.length);
  assert.deepEqual(got, expected);
  assert.equal(s.records, expected.length);
  // facts carry no key: identical lines split by a job boundary need no second parse (the JSON
  // output of this log needs some: see the New Year test)
  assert.equal(reparsed, 0);
});
