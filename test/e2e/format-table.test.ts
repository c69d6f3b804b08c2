// ipta-format's table format end to end: packet rows (follow/scan) and the analyzer tables,
// through the real bin/ipta-format.js with fixtures written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, run, testEnv } from '../helpers/run-bin.js';

type Rec = Record<string, unknown>;
const nd = (rows: Rec[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

let line = 0;
function rec(over: Rec = {}): Rec {
  line++;
  return {
    ts: '2026-11-25T06:25:13Z', host: 'fw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', out: '',
    family: 4, src: '203.0.113.7', dst: '192.0.2.1', proto: 'TCP', spt: 51234, dpt: 22, line, key: line.toString(16).padStart(32, '0'),
    ...over,
  };
}

const HEADER = 'Time     Count IF    Source          Port  Destination     Port  Proto Action';
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

test('packet rows: the manual\'s header and columns, the log\'s own time in UTC', async () => {
  const input = nd([
    rec(),
    rec({ ts: '2026-11-25T06:25:14.123456Z', action: 'ACCEPT', verdict: 'accept', in: '', out: 'eth1', src: '192.0.2.1', dst: '198.51.100.9', proto: 'UDP', spt: 53, dpt: 53 }),
    rec({ ts: '2026-11-25T06:25:15Z', proto: 'ICMP', spt: undefined, dpt: undefined, action: 'REJECT' }),
  ]);
  const r = await run('ipta-format', ['--utc'], input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(lines(r.stdout), [
    HEADER,
    '06:25:13     1 eth0  203.0.113.7     51234 192.0.2.1       22    TCP   DROP',
    '06:25:14     2 eth1  192.0.2.1       53    198.51.100.9    53    UDP   ACCEPT',
    // missing ports are blank
    '06:25:15     3 eth0  203.0.113.7           192.0.2.1             ICMP  REJECT',
  ]);
});

test('packet rows: local time by default (TZ), --utc, --date', async () => {
  const input = nd([rec({ ts: '2026-11-25T06:25:13Z' })]);
  const ny = await run('ipta-format', ['--no-header'], input, { env: testEnv({ TZ: 'America/New_York' }) });
  assert.match(ny.stdout, /^01:25:13 /);
  const tokyo = await run('ipta-format', ['--no-header', '--date'], input, { env: testEnv({ TZ: 'Asia/Tokyo' }) });
  assert.match(tokyo.stdout, /^2026-11-25 15:25:13 +1 eth0/);
  const utc = await run('ipta-format', ['--no-header', '--utc', '--date'], input, { env: testEnv({ TZ: 'Asia/Tokyo' }) });
  assert.match(utc.stdout, /^2026-11-25 06:25:13 +1 eth0/);
});

test('packet rows: header before the first row and every 20 rows; --header-every; --no-header', async () => {
  const input = nd(Array.from({ length: 45 }, () => rec()));
  const count = (s: string): number => lines(s).filter((l) => l === HEADER).length;
  const dflt = await run('ipta-format', ['--utc'], input);
  const ls = lines(dflt.stdout);
  assert.equal(ls.length, 45 + 3);
  assert.deepEqual(ls.flatMap((l, i) => (l === HEADER ? [i] : [])), [0, 21, 42]);
  assert.equal(count((await run('ipta-format', ['--header-every', '10'], input)).stdout), 5);
  assert.equal(count((await run('ipta-format', ['--header-every', '0'], input)).stdout), 1);
  const none = await run('ipta-format', ['--no-header'], input);
  assert.equal(count(none.stdout), 0);
  assert.equal(lines(none.stdout).length, 45);
  const bad = await run('ipta-format', ['--header-every', '-1'], input);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^ipta-format: --header-every/);
});

test('packet rows: Count numbers the packets; -C, --no-counter and --no-count drop it', async () => {
  const input = nd([rec(), rec(), rec()]);
  const withCount = lines((await run('ipta-format', ['--utc', '--no-header'], input)).stdout);
  assert.deepEqual(withCount.map((l) => l.slice(9, 14)), ['    1', '    2', '    3']);
  for (const flag of ['-C', '--no-counter', '--no-count']) {
    const r = await run('ipta-format', ['--utc', flag], input);
    assert.equal(r.code, 0, r.stderr);
    const ls = lines(r.stdout);
    assert.equal(ls[0], 'Time     IF    Source          Port  Destination     Port  Proto Action', flag);
    assert.equal(ls[1], '06:25:13 eth0  203.0.113.7     51234 192.0.2.1       22    TCP   DROP', flag);
  }
});

test('packet rows: a name replaces the address; too wide, it is * + its end, exactly the column width', async () => {
  const long = 'host-6f44.cust.bredbandsbolaget.se';
  const exact = 'exactly-twenty-chars';
  assert.equal(exact.length, 20);
  const input = nd([
    rec({ src_name: long, dst_name: 'fw.example.net' }),
    rec({ src_name: exact }),
    rec({ src_name: '' }),
  ]);
  const r = await run('ipta-format', ['--utc', '--addr-width', '20'], input);
  assert.equal(r.code, 0, r.stderr);
  const [head, a, b, c] = lines(r.stdout);
  const at = head!.indexOf('Source');
  const dstAt = head!.indexOf('Destination');
  assert.equal(head!.indexOf('Port') - at, 21, 'the Source column is exactly 20 wide plus a space');
  assert.equal(head!.indexOf('Port', dstAt) - dstAt, 21, 'so is the Destination column');
  const cut = `*${long.slice(-19)}`;
  assert.equal(cut.length, 20);
  assert.equal(a!.slice(at, at + 21), `${cut} `);
  assert.equal(a!.slice(dstAt, dstAt + 14), 'fw.example.net');
  assert.equal(b!.slice(at, at + 21), `${exact} `);
  // an empty name shows the address
  assert.equal(c!.slice(at, at + 11), '203.0.113.7');
});

/** The start of every left-aligned column in a header line. */
function starts(header: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of header.matchAll(/\S+/g)) out[out[m[0]] === undefined ? m[0] : `${m[0]}2`] = m.index!;
  return out;
}

test('packet rows: IPv6 addresses never break the alignment (widened, or cut at the terminal width)', async () => {
  const v6a = '2001:db8:1111:2222:3333:4444:5555:6666';
  const v6b = '2001:db8::1';
  const recs = [
    rec(),
    rec({ family: 6, src: v6a, dst: v6b, proto: 'ICMPv6', spt: undefined, dpt: undefined }),
    rec(),
    rec({ family: 6, src: v6b, dst: v6a, proto: 'TCP', spt: 40000, dpt: 443 }),
    ...Array.from({ length: 25 }, (_, i) => (i % 2 ? rec() : rec({ family: 6, src: v6a, dst: v6a, spt: 1, dpt: 2 }))),
  ];
  /** Every row lines up with the header above it; returns the widest address column seen. */
  const check = (out: string): number => {
    let cols: Record<string, number> | undefined;
    let rows = 0;
    let maxAddr = 0;
    let maxDst = 0;
    let widest = 0;
    for (const l of lines(out)) {
      if (l.startsWith('Time ')) {
        cols = starts(l);
        // the address column runs from its heading to the space before the next heading
        maxAddr = cols.Port! - cols.Source! - 1;
        maxDst = cols.Port2! - cols.Destination! - 1;
        widest = Math.max(widest, maxAddr, maxDst);
        continue;
      }
      assert.ok(cols, 'a header comes first');
      const r = recs[rows]!;
      rows++;
      const src = String(r.src);
      const want = src.length > maxAddr ? `*${src.slice(-(maxAddr - 1))}` : src;
      assert.equal(l.slice(cols.Source, cols.Source! + want.length), want, l);
      assert.equal(l[cols.Source! - 1], ' ');
      const dst = String(r.dst);
      const wantDst = dst.length > maxDst ? `*${dst.slice(-(maxDst - 1))}` : dst;
      assert.equal(l.slice(cols.Destination, cols.Destination! + wantDst.length), wantDst, l);
      assert.equal(l.slice(cols.Action), String(r.action), l);
      assert.equal(l.slice(cols.Proto, cols.Proto! + String(r.proto).length), String(r.proto), l);
    }
    assert.equal(rows, recs.length);
    return widest;
  };
  // in a pipe with no known width the address columns widen to fit a whole IPv6 address
  const wide = await run('ipta-format', ['--utc'], nd(recs), { env: testEnv({ COLUMNS: undefined }) });
  assert.equal(wide.code, 0, wide.stderr);
  assert.equal(check(wide.stdout), 38, 'widened to the longest address');
  // the header is printed again when a column widens, so every row lines up with the header above it
  assert.ok(lines(wide.stdout).filter((l) => l.startsWith('Time ')).length >= 2);
  // an 80-column terminal: the columns stay narrow and IPv6 addresses are cut the * way
  const narrow = await run('ipta-format', ['--utc', '--width', '80'], nd(recs));
  const w = check(narrow.stdout);
  assert.ok(w >= 15 && w < 20, `address columns of ${w}`);
  assert.ok(lines(narrow.stdout).every((l) => l.length <= 80), 'fits the width');
  // COLUMNS is honoured as the width in a pipe
  const viaEnv = await run('ipta-format', ['--utc'], nd(recs), { env: testEnv({ COLUMNS: '80' }) });
  assert.equal(viaEnv.stdout, narrow.stdout);
});

test('lines that are not JSON pass through unchanged, in their place', async () => {
  const odd = 'Nov 25 06:25:13 fw1 kernel: [ 1.0] something else \u001b[2J with an escape';
  const input = `${JSON.stringify(rec())}\n${odd}\n{"broken": \n[1,2]\n${JSON.stringify(rec())}\n`;
  const r = await run('ipta-format', ['--utc'], input);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.deepEqual(lines(r.stdout), [
    HEADER,
    '06:25:13     1 eth0  203.0.113.7     51234 192.0.2.1       22    TCP   DROP',
    odd,
    '{"broken": ',
    '[1,2]',
    '06:25:13     2 eth0  203.0.113.7     51234 192.0.2.1       22    TCP   DROP',
  ]);
});

test('hostile strings in records never reach the terminal as control characters', async () => {
  const input = nd([rec({ action: 'DROP\u001b[2J\u001b]0;pwned\u0007', in: 'eth\r0', src_name: 'evil\u001b[31m.example\u202e' })]);
  const r = await run('ipta-format', ['--utc', '--no-header'], input);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
  assert.match(r.stdout, /evil\?\[31m\.example\?/);
  assert.match(r.stdout, /DROP\?\[2J\?\]0;pwned\?$/m);
});

test('colours: by verdict with --color, none with NO_COLOR or in a pipe, on by default on a terminal', async () => {
  const input = nd([rec(), rec({ verdict: 'accept', action: 'ACCEPT' }), rec({ verdict: 'log', action: 'LOG' })]);
  const c = await run('ipta-format', ['--utc', '--color', '--no-header'], input);
  const ls = lines(c.stdout);
  assert.ok(ls[0]!.startsWith('\u001b[31m06:25:13') && ls[0]!.endsWith('\u001b[0m'), JSON.stringify(ls[0]));
  assert.ok(ls[1]!.startsWith('\u001b[32m'));
  assert.ok(ls[2]!.startsWith('\u001b[33m'));
  const piped = await run('ipta-format', ['--utc'], input, { env: testEnv({ NO_COLOR: undefined }) });
  assert.doesNotMatch(piped.stdout, /\u001b/);
  const off = await run('ipta-format', ['--utc', '--no-color'], input);
  assert.doesNotMatch(off.stdout, /\u001b/);
  // a real terminal (a pseudo-terminal made by script(1)): colour unless NO_COLOR
  const dir = mkdtempSync(join(tmpdir(), 'ipta-format-tty-'));
  const file = join(dir, 'in.ndjson');
  writeFileSync(file, input);
  const tty = (noColor: string | undefined): string => spawnSync('script', ['-qec', `${process.execPath} ${bin('ipta-format')} --utc < ${file}`, '/dev/null'], {
    env: testEnv({ NO_COLOR: noColor, COLUMNS: '120' }), encoding: 'utf8', timeout: 20000,
  }).stdout;
  const onTty = tty(undefined);
  assert.match(onTty, /\u001b\[31m06:25:13/);
  assert.match(onTty, /\u001b\[1mTime/);
  assert.doesNotMatch(tty('1'), /\u001b\[3/);
});

// ---- report rows ------------------------------------------------------------------------------

const REPORT: Rec[] = [
  { module: 'denied', count: 1234, src: '203.0.113.7', spt: 51234, dst: '192.0.2.1', dpt: 22, proto: 'TCP', action: 'DROP' },
  { module: 'denied', count: 56, src: '2001:db8:85a3::8a2e:370:7334', spt: 4000, dst: '2001:db8::1', dpt: 443, proto: 'TCP', action: 'REJECT' },
  { module: 'icmp', count: 12, src: '198.51.100.9', dst: '192.0.2.1', proto: 'ICMP', action: 'ACCEPT' },
  { module: 'ports', count: 1290, dpt: 22, proto: 'TCP', action: 'DROP' },
  { module: 'invalid', count: 3, src: '198.51.100.20', spt: 80, dst: '192.0.2.1', dpt: 40000, proto: 'TCP', action: 'INVALID' },
  { module: 'interfaces', count: 1300, in: 'eth0', action: 'DROP', proto: 'TCP' },
  { module: 'port-actions', count: 1290, dpt: 22, action: 'DROP' },
  { module: 'top-sources', count: 1300, src: '203.0.113.7', denied: 1290, first: '2026-11-24T01:00:00Z', last: '2026-11-25T06:25:13Z' },
  { module: 'timeline', count: 500, bucket: '2026-11-25T06:00:00Z', unit: 'hour', verdict: 'deny', action: 'DROP' },
  { module: 'hosts', count: 1400, host: 'fw1', denied: 1300, accepted: 100 },
  { module: 'scanners', count: 300, src: '203.0.113.99', ports: 150, dsts: 3, first: '2026-11-25T06:00:00Z', last: '2026-11-25T06:05:00Z', sample_ports: [21, 22, 23] },
  { module: 'new-sources', count: 4, src: '198.51.100.77', first: '2026-11-25T05:00:00Z', last: '2026-11-25T05:10:00Z' },
  { module: 'heatmap', count: 40, weekday: 3, hour: 6 },
  { module: 'heatmap', count: 7, weekday: 0, hour: 23 },
  { module: 'summary', count: 1500, first: '2026-11-24T01:00:00Z', last: '2026-11-25T06:25:13Z', denied: 1300, accepted: 150, logged: 50, sources: 42, hosts: 1, busiest_port: 22, busiest_port_count: 1290 },
];

test('report rows: one table per module, titles and headings as the manual, numbers right-aligned', async () => {
  const r = await run('ipta-format', ['--utc'], nd(REPORT));
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  const blocks = out.trimEnd().split('\n\n');
  assert.equal(blocks.length, 13, 'one table per module');
  const [denied] = blocks;
  assert.deepEqual(denied!.split('\n'), [
    'Showing denied traffic grouped by IP, destination port, action taken and protocol.',
    ' Count Source IP                    SPort Dest IP                   DPort Proto  Action',
    '------ ---------------------------- ----- ------------------------- ----- ------ ----------',
    '  1234 203.0.113.7                  51234 192.0.2.1                    22 TCP    DROP',
    '    56 2001:db8:85a3::8a2e:370:7334  4000 2001:db8::1                 443 TCP    REJECT',
  ]);
  const titles = blocks.map((b) => b.split('\n')[0]);
  assert.deepEqual(titles, [
    'Showing denied traffic grouped by IP, destination port, action taken and protocol.',
    'Showing ICMP traffic statistics', 'Most denied ports', 'Most invalid packets come from', 'Interface statistics',
    'Denied traffic per destination port and action', 'Top sources', 'Traffic over time', 'Traffic per host',
    'Scanners: sources touching many ports or hosts', 'New sources, first seen in this period',
    'Denied packets by weekday and hour (UTC)', 'Summary',
  ]);
  assert.equal(blocks[2], ['Most denied ports', ' Count DPort Proto  Action', '------ ----- ------ ----------', '  1290    22 TCP    DROP'].join('\n'));
  assert.equal(blocks[4], ['Interface statistics', ' Count IF In      Action     Proto', '------ ---------- ---------- ------', '  1300 eth0       DROP       TCP'].join('\n'));
  assert.match(blocks[6]!, /\n  1300 203\.0\.113\.7 +1290 2026-11-24 01:00:00 2026-11-25 06:25:13$/);
  assert.match(blocks[7]!, /\n   500 2026-11-25 06:00 deny    DROP$/);
  assert.match(blocks[9]!, /\n   300 203\.0\.113\.99 +150     3 2026-11-25 06:00:00 2026-11-25 06:05:00 21,22,23$/);
  const heat = blocks[11]!.split('\n');
  assert.equal(heat.length, 3 + 7);
  assert.match(heat[1]!, /^Day 00 01 .* 23 Total$/);
  assert.match(heat[3]!, /^Sun( +-){23} +7 +7$/);
  assert.match(heat[6]!, /^Wed( +-){6} +40( +-){17} +40$/);
  assert.match(blocks[12]!, /\nBusiest port 22 \(1290 packets\)/);
  assert.match(blocks[12]!, /\nPeriod +2026-11-24 01:00:00 - 2026-11-25 06:25:13/);
});

test('report rows: names replace addresses; --module keeps some modules; --no-header drops titles', async () => {
  const named = [{ ...REPORT[0], src_name: 'scanner.example.net' }, REPORT[3]!];
  const r = await run('ipta-format', ['--module', 'denied'], nd(named));
  const ls = lines(r.stdout);
  assert.equal(ls.length, 4);
  assert.match(ls[3]!, /^  1234 scanner\.example\.net +51234 /);
  const bare = await run('ipta-format', ['--no-header', '--module', 'ports', '--module', 'denied'], nd(REPORT));
  assert.deepEqual(lines(bare.stdout).map((l) => l.trim().split(/\s+/)[0]), ['1234', '56', '1290']);
  const wrong = await run('ipta-format', ['--module', 'nosuch'], nd(REPORT));
  assert.equal(wrong.code, 2);
});

test('report rows: a module the formatter does not know still gets a table of its fields', async () => {
  const r = await run('ipta-format', [], nd([{ module: 'future', count: 3, thing: 'x' }]));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), ['future', ' Count thing', '------ -----', '     3 x']);
});
