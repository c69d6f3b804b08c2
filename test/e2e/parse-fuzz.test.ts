// Random mutations of real-looking lines (seeded, reproducible): the process survives and
// every line it prints is a record with line, key and verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, testEnv } from '../helpers/run-bin.js';
import { prng } from '../helpers/prng.js';

const SEEDS = [
  'Nov 25 06:25:13 gw1 kernel: [ 812.004] IPT: DROP IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.9 DST=198.51.100.20 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0',
  '2026-11-25T06:25:13.123456+01:00 fw kernel: [UFW BLOCK] IN=ens3 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:0db8:0000:0000:0000:0000:0000:0002 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=ICMPv6 TYPE=128 CODE=0 ID=7 SEQ=1',
  'Nov  5 06:25:13 gw1 kernel: DENY: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=64 ID=5151 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.7 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ',
  '104 4 tap104i0-IN 25/Nov/2026:07:25:13 +0100 policy DROP: IN=fwbr104i0 OUT=fwbr104i0 PHYSIN=fwln104i0 PHYSOUT=tap104i0 SRC=192.0.2.7 DST=192.0.2.104 LEN=60 TOS=0x10 PREC=0x00 TTL=63 ID=1234 DF PROTO=TCP SPT=40000 DPT=3389 SEQ=123456789 ACK=0 WINDOW=64240 SYN ',
  'Nov 25 06:25:13 UDM [WAN_LOCAL-D-2147483647] DESCR="[WAN_LOCAL]Block All" IN=eth8 OUT= SRC=198.51.100.1 DST=192.0.2.25 LEN=122 TOS=00 PREC=0x00 TTL=49 ID=4536 DF PROTO=UDP SPT=38451 DPT=54329 LEN=102 MARK=1a0000',
  '{"__REALTIME_TIMESTAMP":"1795587913123456","_HOSTNAME":"j","MESSAGE":"Shorewall:net2fw:DROP:IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 SYN URGP=0 UID=0 GID=0"}',
];

const NASTY = ['=', ' ', '[', ']', '"', '\\', '\u0000', '\u00ff', '\ud800', '::', ':', 'IN=', 'SRC=', 'PROTO=', '0x', '99999999999999999999', '__proto__=', '{', '}', '\t', 'é', '[SRC=', 'INCOMPLETE [', 'OPT ('];

function mutate(s: string, rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: s = s.slice(0, at); break; // truncate
      case 1: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 20)); break; // delete a run
      case 2: s = s.slice(0, at) + NASTY[Math.floor(rnd() * NASTY.length)] + s.slice(at); break;
      case 3: s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(at + 1); break;
      case 4: { const b = Math.floor(rnd() * s.length); s = s.slice(0, at) + s.slice(b, b + 30) + s.slice(at); break; } // duplicate a piece
      default: s = s.slice(at) + s.slice(0, at); // rotate
    }
  }
  return s;
}

test('4,000 seeded mutations: exit 0, every output line a record with line, key, verdict', async () => {
  const rnd = prng(20261125);
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) lines.push(mutate(SEEDS[i % SEEDS.length], rnd).replace(/[\r\n]/g, ' '));
  const r = await run('ipta-parse', ['--year', '2026'], lines.join('\n') + '\n', { env: testEnv({ IPTA_PARSE_THREADS: '0' }) });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout.split('\n').filter((l) => l !== '');
  assert.ok(out.length > 1000, `only ${out.length} records`);
  let prev = 0;
  for (const l of out) {
    const rec = JSON.parse(l) as { line: number; key: string; verdict: string };
    assert.ok(Number.isInteger(rec.line) && rec.line > prev && rec.line <= 4000, l);
    prev = rec.line;
    assert.match(rec.key, /^[0-9a-f]{32}$/);
    assert.ok(['accept', 'deny', 'log'].includes(rec.verdict), l);
  }
  const m = /^ipta-parse: 4000 lines read, (\d+) records, (\d+) skipped/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.equal(Number(m[1]), out.length);
  assert.equal(Number(m[1]) + Number(m[2]), 4000);
  // the same mutations on worker threads, cut into small jobs: the same output byte for byte
  const env = testEnv({ IPTA_PARSE_THREADS: '2', IPTA_PARSE_JOB_BYTES: '3000', IPTA_PARSE_INLINE_BYTES: '0' });
  const par = await run('ipta-parse', ['--year', '2026'], lines.join('\n') + '\n', { env });
  assert.equal(par.code, 0, par.stderr);
  assert.ok(par.stdout === r.stdout, 'worker threads wrote other bytes');
  assert.equal(par.stderr, r.stderr);
});
