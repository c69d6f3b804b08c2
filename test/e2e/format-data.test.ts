// ipta-format's data formats end to end: csv (csv-stringify, formula escaping), tsv, ndjson,
// markdown, --columns, and the hand-off of report rows to the HTML page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { records, run } from '../helpers/run-bin.js';

type Rec = Record<string, unknown>;
const nd = (rows: Rec[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const REC: Rec = {
  ts: '2026-11-25T06:25:13.123456Z', host: 'fw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', out: '',
  family: 4, src: '203.0.113.7', dst: '192.0.2.1', proto: 'TCP', spt: 51234, dpt: 22, flags: ['SYN'], line: 1, key: 'a'.repeat(32),
};

/** RFC 4180 reader for the tests: quoted fields, doubled quotes, newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\n') { row.push(f); rows.push(row); row = []; f = ''; } else f += c;
  }
  if (f || row.length) { row.push(f); rows.push(row); }
  return rows;
}

// Strings a log can carry that a spreadsheet would run as formulas, plus quoting troublemakers.
const HOSTILE = [
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1)',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  'a "quoted", comma',
  'two\nlines',
  "'; DROP TABLE logs; --",
];

test('csv: a header, ISO timestamps, every field as written, formula cells escaped with a quote', async () => {
  const rows = HOSTILE.map((h, i) => ({ ...REC, prefix: h, action: h, spt: -i, line: i + 1 }));
  const r = await run('ipta-format', ['--format', 'csv'], nd(rows));
  assert.equal(r.code, 0, r.stderr);
  const csv = parseCsv(r.stdout);
  assert.deepEqual(csv[0], ['ts', 'host', 'in', 'out', 'src', 'spt', 'dst', 'dpt', 'proto', 'action', 'verdict', 'prefix', 'src_name', 'dst_name']);
  assert.equal(csv.length, 1 + HOSTILE.length);
  HOSTILE.forEach((h, i) => {
    const row = csv[i + 1]!;
    assert.equal(row[0], '2026-11-25T06:25:13.123456Z', 'ISO timestamp as in the record');
    const dangerous = /^[=+\-@\t\r＝]/.test(h);
    const want = dangerous ? `'${h}` : h;
    assert.equal(row[9], want, `action ${JSON.stringify(h)}`);
    assert.equal(row[11], want, `prefix ${JSON.stringify(h)}`);
    // numbers are numbers: a negative port is not a formula
    assert.equal(row[5], String(-i));
  });
  // no cell of the output starts with a formula character unless it is a number
  for (const row of csv.slice(1)) for (const cell of row) assert.ok(!/^[=+@\t\r＝]/.test(cell) && !/^-[^0-9]/.test(cell), JSON.stringify(cell));
});

test('csv: --columns chooses and orders fields; "if" and "count" pseudo-fields; --no-header', async () => {
  const input = nd([REC, { ...REC, in: '', out: 'eth1', src_name: 'x.example' }]);
  const r = await run('ipta-format', ['--format', 'csv', '--columns', 'count,src_name,src,if,dpt,flags'], input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'count,src_name,src,if,dpt,flags\n1,,203.0.113.7,eth0,22,SYN\n2,x.example,203.0.113.7,eth1,22,SYN\n');
  const bare = await run('ipta-format', ['--format', 'csv', '--no-header', '--columns', 'src'], input);
  assert.equal(bare.stdout, '203.0.113.7\n203.0.113.7\n');
});

const REPORT: Rec[] = [
  { module: 'denied', count: 9, src: '203.0.113.7', spt: 1, dst: '192.0.2.1', dpt: 22, proto: 'TCP', action: '=HYPERLINK("x")' },
  { module: 'scanners', count: 300, src: '203.0.113.99', ports: 150, dsts: 3, first: '2026-11-25T06:00:00Z', last: '2026-11-25T06:05:00Z', sample_ports: [21, 22, 23] },
];

test('csv of report rows: one module -> its own columns; several -> module + the union of fields', async () => {
  const one = await run('ipta-format', ['--format', 'csv', '--module', 'scanners'], nd(REPORT));
  assert.equal(one.stdout, 'count,src,ports,dsts,first,last,sample_ports\n300,203.0.113.99,150,3,2026-11-25T06:00:00Z,2026-11-25T06:05:00Z,21 22 23\n');
  const all = parseCsv((await run('ipta-format', ['--format', 'csv'], nd(REPORT))).stdout);
  assert.equal(all[0]![0], 'module');
  assert.deepEqual(all.map((r) => r[0]), ['module', 'denied', 'scanners']);
  const action = all[0]!.indexOf('action');
  assert.equal(all[1]![action], `'=HYPERLINK("x")`);
  assert.ok(all.every((r) => r.length === all[0]!.length));
});

test('tsv: tabs, newlines and backslashes escaped; formulas escaped', async () => {
  const r = await run('ipta-format', ['--format', 'tsv', '--columns', 'src,prefix,dpt'], nd([
    { ...REC, prefix: 'a\tb\nc\\d' },
    { ...REC, prefix: '=1+1' },
  ]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'src\tprefix\tdpt\n203.0.113.7\ta\\tb\\nc\\\\d\t22\n203.0.113.7\t\'=1+1\t22\n');
});

test('ndjson: objects unchanged, or projected with --columns, filtered with --module', async () => {
  const same = await run('ipta-format', ['--format', 'ndjson'], nd([REC, ...REPORT]));
  assert.deepEqual(records(same.stdout), [REC, ...REPORT]);
  const proj = await run('ipta-format', ['--format', 'ndjson', '--columns', 'src,if,nosuch'], nd([REC]));
  assert.deepEqual(records(proj.stdout), [{ src: '203.0.113.7', if: 'eth0' }]);
  const mod = await run('ipta-format', ['--format', 'ndjson', '--module', 'denied'], nd(REPORT));
  assert.deepEqual(records(mod.stdout), [REPORT[0]]);
});

test('markdown: packet rows and report tables; | and markup in data are escaped', async () => {
  const r = await run('ipta-format', ['--format', 'markdown', '--utc'], nd([{ ...REC, action: 'DROP|<b>x</b>' }]));
  assert.equal(r.stdout, [
    '| Time | Count | IF | Source | Port | Destination | Port | Proto | Action |',
    '| :--- | ---: | :--- | :--- | :--- | :--- | :--- | :--- | :--- |',
    '| 06:25:13 | 1 | eth0 | 203.0.113.7 | 51234 | 192.0.2.1 | 22 | TCP | DROP\\|\\<b\\>x\\</b\\> |',
    '',
  ].join('\n'));
  const rep = await run('ipta-format', ['--format', 'markdown', '--module', 'denied'], nd(REPORT));
  assert.equal(rep.stdout, [
    '### Showing denied traffic grouped by IP, destination port, action taken and protocol.',
    '',
    '| Count | Source IP | SPort | Dest IP | DPort | Proto | Action |',
    '| ---: | :--- | ---: | :--- | ---: | :--- | :--- |',
    '| 9 | 203.0.113.7 | 1 | 192.0.2.1 | 22 | TCP | =HYPERLINK("x") |',
    '',
  ].join('\n'));
});

test('non-JSON lines: passed through in the table format, reported on stderr in the others', async () => {
  const input = `garbage line\n${JSON.stringify(REC)}\n`;
  for (const f of ['csv', 'tsv', 'ndjson', 'markdown', 'plain', 'ipset', 'nft']) {
    const r = await run('ipta-format', ['--format', f], input);
    assert.equal(r.code, 0, f);
    assert.doesNotMatch(r.stdout, /garbage/, f);
    assert.match(r.stderr, /^ipta-format: line 1: invalid JSON: "garbage line"$/m, f);
  }
});

test('html: report rows go to the HTML page and its text comes out on stdout', async () => {
  const r = await run('ipta-format', ['--format', 'html', '--title', 'Test <report>'], nd([...REPORT, REC]));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<!DOCTYPE html>/i);
  assert.match(r.stdout, /203\.0\.113\.99/);
  assert.doesNotMatch(r.stdout, /Test <report>/, 'the title is escaped');
  assert.match(r.stderr, /1 record\(s\) left out: --format html shows report rows/);
});

test('usage errors exit 2; a missing file exits 1; files are read in order', async () => {
  for (const args of [['--format', 'xml'], ['--allow', 'not-a-cidr'], ['--min-count', '0'], ['--set-name', 'bad name'], ['--nosuch']]) {
    const r = await run('ipta-format', args, '');
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^ipta-format: /, args.join(' '));
  }
  const missing = await run('ipta-format', ['/nonexistent/records.ndjson'], '');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^ipta-format: \/nonexistent\/records\.ndjson: no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'ipta-format-files-'));
  writeFileSync(join(dir, 'a'), nd([{ ...REC, src: '198.51.100.1' }]));
  writeFileSync(join(dir, 'b'), `${JSON.stringify({ ...REC, src: '198.51.100.2' })}`);
  const two = await run('ipta-format', ['--format', 'plain', '--columns', 'src', join(dir, 'b'), join(dir, 'a')], '');
  assert.equal(two.stdout, '198.51.100.1\n198.51.100.2\n');
  // files in the order given; a file without a final newline does not glue onto the next
  const ordered = await run('ipta-format', ['--format', 'csv', '--no-header', '--columns', 'src', join(dir, 'b'), join(dir, 'a')], '');
  assert.equal(ordered.stdout, '198.51.100.2\n198.51.100.1\n');
});
