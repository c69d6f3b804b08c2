// The byte lane (src/parse/byte-lane.ts) against the general parser: every line, parsed both
// ways by two parsers fed the same sequence, gives the same NDJSON bytes, and the same report fact. The lines: the shipped
// example log, a generated log, hand-made edge cases and seeded random mutations of all of them.
// The lane must also take most lines of a real-looking log: a lane that silently stopped applying
// would pass the comparison and lose the speed it is there for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LineParser, type LineParserOptions } from '../../src/parse/line-parser.js';
import { JsonWriter } from '../../src/parse/json-writer.js';
import { ROOT, example } from '../helpers/run-bin.js';
import { FactDecoder, FactEncoder } from '../../src/report/fact-batch.js';
import { toFact } from '../../src/report/stream-engine.js';
import { prng } from '../helpers/prng.js';

const src = { path: null, ref: new Date('2026-11-25T12:00:00Z') };

/** One buffer for every line, as job buffers are used again: nothing may keep pointing into it. */
let shared = Buffer.alloc(1 << 16);
function jobBytes(text: string): number {
  const n = Buffer.byteLength(text);
  if (n > shared.length) shared = Buffer.alloc(n * 2);
  shared.fill(0x41);
  return shared.write(text);
}

/** Both ways over `lines` in order; the number of lines the lane took. */
function compare(lines: string[], opts: LineParserOptions = { tz: 'UTC' }): number {
  const general = new LineParser(opts);
  const lane = new LineParser(opts);
  const wg = new JsonWriter(1024);
  const wl = new JsonWriter(1024);
  let taken = 0;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const rg = general.parseJson(line, k + 1, src, wg);
    // the bytes as a job holds them: the line among others, in a buffer used again for the next
    const n = jobBytes(`x\n${line}\ny`);
    let rl = lane.parseBytes(shared, 2, n - 2, k + 1, src, wl);
    if (rl === undefined) rl = lane.parseJson(line, k + 1, src, wl);
    else taken++;
    assert.equal(rl, rg, `line ${k + 1}: ${JSON.stringify(line)}`);
    const jg = wg.take().toString('utf8');
    const jl = wl.take().toString('utf8');
    if (jl !== jg) assert.equal(jl, jg, `line ${k + 1}: ${JSON.stringify(line)}`);
  }
  return taken;
}

/**
 * The same for report facts (`ipta --analyze FILE`): parseFact() against parse() and toFact(),
 * the facts read back from both batches; the number of lines the lane took.
 */
function compareFacts(lines: string[], opts: LineParserOptions = { tz: 'UTC' }): number {
  const general = new LineParser({ ...opts, noKeys: true });
  const lane = new LineParser({ ...opts, noKeys: true });
  const eg = new FactEncoder();
  const el = new FactEncoder();
  eg.start(lines.length);
  el.start(lines.length);
  const skips: Array<[string | null, string | null]> = [];
  let taken = 0;
  const viaRecord = (p: LineParser, line: string, k: number, enc: FactEncoder): string | null => {
    const r = p.parse(line, k + 1, src);
    if (typeof r === 'string') return r;
    const f = toFact(r as Parameters<typeof toFact>[0]);
    if (typeof f === 'string') return f;
    enc.add(f);
    return null;
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const n = jobBytes(`x\n${line}\ny`);
    const fast = lane.parseFact(shared, 2, n - 2, src, el);
    let rl: string | null;
    if (fast === undefined) rl = viaRecord(lane, line, k, el);
    else {
      rl = fast;
      taken++;
    }
    skips.push([viaRecord(general, line, k, eg), rl]);
  }
  for (const [g, l] of skips) assert.equal(l, g);
  const fg = new FactDecoder().decode(eg.finish());
  const fl = new FactDecoder().decode(el.finish());
  assert.equal(fl.length, fg.length);
  for (let k = 0; k < fg.length; k++) assert.deepEqual(fl[k], fg[k], `fact ${k + 1}`);
  return taken;
}

const EDGE = [
  'Nov 25 06:25:13 gw1 kernel: [ 812.004000] IPT: DROP IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.9 DST=198.51.100.20 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0',
  // the same line again: the second occurrence gets another key
  'Nov 25 06:25:13 gw1 kernel: [ 812.004000] IPT: DROP IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.9 DST=198.51.100.20 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0',
  'Nov  5 06:25:13.5 gw1 kernel: [0000.000000] X IN=e"th0 OUT=a\\b SRC=1.2.3.4 DST=1.2.3 LEN=007 TOS=10 PREC=0XC0 TTL=0 ID=00 PROTO=tcp SPT=0 DPT=65536 MARK=0x"1',
  'Nov  5 06:25:13,123456789123 gw1 kernel: [0.0000001] [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2 SEQ=4294967295 ACK=99999999999 WINDOW=0 RES=0x03 CWR ECE URG ACK PSH RST SYN FIN URGP=0',
  'Nov  5 06:25:13 gw1 kernel: [123456789012.12345] a IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=UDP SPT=1 DPT=2 LEN=20',
  'Nov  5 06:25:13 gw1 kernel: [12.000] a IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=UDP SPT=1 DPT=2 LEN=20 LEN=9',
  '2026-11-25T06:25:13.123456+01:00 fw kernel: [UFW BLOCK] IN=ens3 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:db8::2 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=ICMPv6 TYPE=128 CODE=0 ID=7 SEQ=1',
  '2026-11-25T06:25:13Z fw kernel: "filter_IN_public_REJECT: "IN=ens3 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 PROTO=ICMP TYPE=3 CODE=4 ID=1 SEQ=2 MTU=1280',
  '2026-11-25 06:25:13-0530 fw kernel: Shorewall:net2fw:DROP:IN=ppp0 OUT= SRC=151.152.233.181 DST=212.54.53.233 LEN=52 PROTO=TCP SPT=1 DPT=2 WINDOW=8192 RES=0x00 SYN URGP=0 OPT (020405B4) UID=0 GID=0',
  '2026-11-25T06:25:13 fw kernel: x IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP OPT ( 0204 )x',
  '2026-11-25T06:25:13+01 fw kernel: x IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP OPT (0204',
  'Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=47 GATEWAY=1.2.3.4 OPT (01) OPT (02)',
  'Nov 25 06:25:13 fw kernel: LOGIN=x IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 TTL=1 TTL=2 PROTO=TCP',
  'Nov 25 06:25:13 fw fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP',
  'Nov 25 06:25:13 fw kern.warning kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP',
  'Nov 25 06:25:13 fw kernel: DROP IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP\r',
  'Nov 25 06:25:13 fw kernel: DROP IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP DPT=é',
  'Nov 25 06:25:13 fw kernel: DROP IN=eth0\tOUT= SRC=1.1.1.1 DST=2.2.2.2',
  'Nov 25 06:25:13 fw kernel: DROP IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=2.2.2.2 DST=1.1.1.1 LEN=1 PROTO=UDP SPT=1 DPT=2 ]',
  'Nov 25 06:25:13 UDM [WAN_LOCAL-D-2147483647] DESCR="[WAN_LOCAL]Block All" IN=eth8 OUT= SRC=198.51.100.1 DST=192.0.2.25 LEN=122 PROTO=UDP',
  'Dec 31 23:59:59 fw kernel: IPT: ACCEPT IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 LEN=1 PROTO=TCP',
  'Jan  1 00:00:00 fw kernel: IPT: ACCEPT IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 LEN=1 PROTO=TCP',
  'Dec 31 23:59:59 fw kernel: IPT: ACCEPT IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 LEN=1 PROTO=TCP',
  'Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC= DST=2.2.2.2 PROTO= MAC= PHYSIN=a PHYSOUT=b',
  'Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 X=1',
  'Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 =1 DF=',
  'Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 DPT="1 2"',
  // a key and a word 256 bytes longer than SRC and DF, with their first, second and last letters
  `Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SR${'x'.repeat(256)}C=1.1.1.1 DST=2.2.2.2`,
  `Nov 25 06:25:13 fw kernel: IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 DF${'x'.repeat(255)}F`,
  'Nov 25 06:25:13 fw kernel:',
  'Nov 25 06:25:13 fw kernel: IN=',
  '',
];

const PIECES = [' ', '  ', '=', '"', '\\', '[', ']', '(', ')', ':', '.', ',', '0', '00', '9', 'x', 'é', '\t', '\u0000', 'IN=', 'OUT=', 'SRC=', 'LEN=', 'PROTO=', 'ID=', 'SEQ=', 'OPT (', 'kernel:', 'DF', 'SYN', '0x', 'Z', '+01:00'];

function mutate(s: string, rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const r = rnd();
    if (r < 0.4) s = s.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + s.slice(at);
    else if (r < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
    else s = s.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + s.slice(at + 1);
  }
  return s;
}

test('byte lane: the hand-made edge cases, as the general parser writes them', () => {
  const taken = compare(EDGE);
  assert.ok(taken >= 10, `the lane took ${taken} of the edge cases`);
  compare(EDGE, { tz: 'Europe/Berlin', prefix: 'IPT:', acceptWords: ['DROP'] });
  compare(EDGE, { year: 2020, noKeys: true });
  assert.ok(compareFacts(EDGE) >= 10);
  compareFacts(EDGE, { tz: 'Europe/Berlin', prefix: 'IPT:', logWords: ['DROP'] });
});

test('byte lane: a year-less stamp more than a day after the reference, inside a minute begun before', () => {
  // the reference is 2026-11-25 12:00Z: Nov 26 12:00:00 is of 2026, Nov 26 12:00:10 of 2025
  const lines = ['Nov 26 12:00:00', 'Nov 26 12:00:10'].map((st) => `${st} fw kernel: IPT: DROP IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP`);
  assert.equal(compare(lines), 2);
  const w = new JsonWriter(1024);
  const p = new LineParser({ tz: 'UTC' });
  for (const [k, line] of lines.entries()) {
    const bytes = Buffer.from(line);
    p.parseBytes(bytes, 0, bytes.length, k + 1, src, w);
  }
  assert.deepEqual(w.take().toString().trim().split('\n').map((l) => JSON.parse(l).ts), ['2026-11-26T12:00:00Z', '2025-11-26T12:00:10Z']);
});

test('byte lane: seconds within a minute — a zone whose offset has seconds, a leap second', () => {
  const line = (st: string): string => `${st} fw kernel: IPT: DROP IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 LEN=1 PROTO=TCP`;
  // Liberia kept -0:44:30 until 1972: the UTC second is not the written one
  const monrovia = ['1971-06-01T10:00:05', '1971-06-01T10:00:20', '1971-06-01 10:00:21.5'].map(line);
  assert.equal(compare(monrovia, { tz: 'Africa/Monrovia' }), 3);
  const leap = ['2016-12-31T23:59:58Z', '2016-12-31T23:59:59Z', '2016-12-31T23:59:60Z', 'Dec 31 23:59:59', 'Dec 31 23:59:60'].map(line);
  assert.equal(compare(leap), 5);
});

test('byte lane: the generation counter of a scan starts again before it would wrap', () => {
  const lines = [EDGE[0]!, EDGE[4]!, EDGE[0]!];
  const p = new LineParser({ tz: 'UTC' });
  (p as unknown as { lane: { gen: number } }).lane.gen = 0x7fffffff - 1;
  const w = new JsonWriter(1024);
  const g = new LineParser({ tz: 'UTC' });
  const wg = new JsonWriter(1024);
  for (const [k, line] of lines.entries()) {
    const bytes = Buffer.from(line);
    assert.equal(p.parseBytes(bytes, 0, bytes.length, k + 1, src, w), null);
    g.parseJson(line, k + 1, src, wg);
  }
  assert.equal(w.take().toString(), wg.take().toString());
});

test('byte lane: the shipped example log, line for line, and the lane takes most of it', () => {
  const lines = readFileSync(example('iptables.log'), 'utf8').split('\n');
  const taken = compare(lines);
  assert.ok(taken / lines.length > 0.8, `the lane took ${taken} of ${lines.length} lines`);
  assert.equal(compareFacts(lines), taken);
});

test('byte lane: a generated log of several hosts, dialects and years', () => {
  const r = spawnSync(process.execPath, [`${ROOT}bench/gen-log.mjs`, '--lines', '20000', '--seed', '11', '--start', '2025-12-30T22:00:00Z', '--days', '3'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const taken = compare(lines, { tz: 'America/New_York' });
  assert.ok(taken / lines.length > 0.9, `the lane took ${taken} of ${lines.length} lines`);
  assert.equal(compareFacts(lines, { tz: 'America/New_York' }), taken);
});

test('byte lane: seeded random mutations of real lines', () => {
  const rnd = prng(20261125);
  const base = [...EDGE, ...readFileSync(example('iptables.log'), 'utf8').split('\n').slice(0, 400)];
  const lines: string[] = [];
  for (let k = 0; k < 100_000; k++) lines.push(mutate(base[Math.floor(rnd() * base.length)]!, rnd));
  const taken = compare(lines);
  // enough mutated lines stay in the lane for the comparison to test it
  assert.ok(taken > 15_000, `the lane took ${taken} of the mutated lines`);
  assert.equal(compareFacts(lines), taken);
});
