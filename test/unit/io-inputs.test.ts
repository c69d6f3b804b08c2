// readInputs over real files in a temporary directory: gzip, rotation order, stdin, bad files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, utimesSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { readInputs, rotatedOrder, type InputBatch } from '../../src/io/inputs.js';
import { RuntimeError } from '../../src/cli/errors.js';
import { ROOT } from '../helpers/run-bin.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'ipta-io-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(paths: string[], opts: Parameters<typeof readInputs>[1] = {}): Promise<InputBatch[]> {
  const out: InputBatch[] = [];
  for await (const b of readInputs(paths, opts)) out.push(b);
  return out;
}
const linesOf = (bs: InputBatch[]): string[] => bs.flatMap((b) => b.lines);

/** What `fn` writes to stderr (diagnostics), kept out of the test output. */
async function stderrOf(fn: () => Promise<void>): Promise<string> {
  let said = '';
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => { said += s; return true; }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = orig;
  }
  return said;
}

test('a plain file: CRLF stripped, last line without newline delivered, path and mtime set', async () => {
  const f = join(dir, 'plain.log');
  writeFileSync(f, 'one\r\ntwo\n\nthree');
  const when = new Date('2026-03-04T05:06:07Z');
  utimesSync(f, when, when);
  const bs = await collect([f]);
  assert.deepEqual(linesOf(bs), ['one', 'two', '', 'three']);
  for (const b of bs) {
    assert.equal(b.path, f);
    assert.equal(b.mtime?.toISOString(), when.toISOString());
  }
});

test('gzip is detected by its magic bytes, whatever the name; a .gz name alone does not make gzip', async () => {
  const packed = join(dir, 'packed.log');
  writeFileSync(packed, gzipSync('zipped 1\nzipped 2\n'));
  const fake = join(dir, 'notreally.gz');
  writeFileSync(fake, 'plain text in a .gz\n');
  // two concatenated members, as `cat a.gz b.gz` gives
  const multi = join(dir, 'multi.gz');
  writeFileSync(multi, Buffer.concat([gzipSync('m1\n'), gzipSync('m2\n')]));
  assert.deepEqual(linesOf(await collect([packed, fake, multi])), ['zipped 1', 'zipped 2', 'plain text in a .gz', 'm1', 'm2']);
});

test('xz, bzip2 and zstd files are not read as text: skipped with a warning naming the file', async () => {
  const xz = join(dir, 'r.log.2.xz');
  writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]));
  const bz = join(dir, 'r.log.3.bz2');
  writeFileSync(bz, Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(20, 7)]));
  const zst = join(dir, 'r.log.4.zst');
  writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x04, 0x21, 0x00]));
  const ok = join(dir, 'r.log');
  writeFileSync(ok, 'text\n');
  const said = await stderrOf(async () => {
    assert.deepEqual(linesOf(await collect([xz, bz, zst, ok])), ['text']);
  });
  assert.match(said, /r\.log\.2\.xz: xz-compressed, not read .*xzcat/);
  assert.match(said, /r\.log\.3\.bz2: bzip2-compressed/);
  assert.match(said, /r\.log\.4\.zst: zstd-compressed/);
});

test('a truncated .gz yields what it holds, then a warning, and reading goes on', async () => {
  const whole = gzipSync(Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n') + '\n');
  const cut = join(dir, 'cut.log.gz');
  writeFileSync(cut, whole.subarray(0, whole.length >> 1));
  const next = join(dir, 'next.log');
  writeFileSync(next, 'after\n');
  let lines: string[] = [];
  const said = await stderrOf(async () => { lines = linesOf(await collect([cut, next])); });
  assert.match(said, /cut\.log\.gz: gzip data truncated .*kept what was readable/);
  assert.ok(lines.length > 1000 && lines.length < 20000, `got ${lines.length}`);
  assert.equal(lines[0], 'line 0');
  assert.equal(lines.at(-1), 'after');
});

test('rotated siblings are read oldest first whatever order they are given in', async () => {
  const sub = join(dir, 'rot');
  mkdirSync(sub);
  const base = join(sub, 'iptables.log');
  writeFileSync(base, 'current\n');
  writeFileSync(`${base}.1`, 'one\n');
  writeFileSync(`${base}.2.gz`, gzipSync('two\n'));
  writeFileSync(`${base}.3.gz`, gzipSync('three\n'));
  const other = join(sub, 'other.log');
  writeFileSync(other, 'other\n');
  const shuffles = [
    [base, `${base}.1`, `${base}.2.gz`, `${base}.3.gz`],
    [`${base}.2.gz`, base, `${base}.3.gz`, `${base}.1`],
    [`${base}.1`, `${base}.3.gz`, base, `${base}.2.gz`],
  ];
  for (const s of shuffles) {
    assert.deepEqual(linesOf(await collect(s)), ['three', 'two', 'one', 'current'], s.join(' '));
  }
  // an unrelated file keeps its place; the siblings fill the places they held
  assert.deepEqual(linesOf(await collect([base, other, `${base}.1`])), ['one', 'other', 'current']);
  // the path of each batch says where its lines come from
  const bs = await collect([base, `${base}.3.gz`]);
  assert.deepEqual(bs.map((b) => b.path), [`${base}.3.gz`, base]);
});

test('rotatedOrder also knows logrotate dateext names', () => {
  assert.deepEqual(
    rotatedOrder(['fw.log', 'fw.log-20261124', 'fw.log-20261122.gz', 'fw.log-20261123.gz', 'x.log']),
    ['fw.log-20261122.gz', 'fw.log-20261123.gz', 'fw.log-20261124', 'fw.log', 'x.log'],
  );
  assert.deepEqual(rotatedOrder(['a.log.10.gz', 'a.log.9.gz', 'a.log.11.gz']), ['a.log.11.gz', 'a.log.10.gz', 'a.log.9.gz']);
  // newsyslog's .0, and the same file written two ways
  assert.deepEqual(rotatedOrder(['./m.log', 'm.log.0', 'm.log.1.gz']), ['m.log.1.gz', 'm.log.0', './m.log']);
});

test('a missing file is a RuntimeError naming it, before any line of the other files', async () => {
  const good = join(dir, 'good.log');
  writeFileSync(good, 'good\n');
  const missing = join(dir, 'missing.log');
  const seen: string[] = [];
  await assert.rejects(
    (async () => { for await (const b of readInputs([good, missing])) seen.push(...b.lines); })(),
    (err: unknown) => err instanceof RuntimeError && err.message.includes(missing) && /no such file/.test(err.message),
  );
  assert.deepEqual(seen, []);
  await assert.rejects(collect([dir]), (err: unknown) => err instanceof RuntimeError && err.message.includes('is a directory'));
});

test('an overlong line is dropped, reported with its file, and its place is marked', async () => {
  const f = join(dir, 'long.log');
  writeFileSync(f, `before\n${'A'.repeat(3 * 1024 * 1024)}\nafter\n${'B'.repeat(300)}\nend`);
  const reported: (string | null)[] = [];
  const bs = await collect([f], { onOverflow: (p) => reported.push(p) });
  assert.deepEqual(linesOf(bs), ['before', 'after', 'B'.repeat(300), 'end']);
  assert.deepEqual(reported, [f]);
  assert.equal(bs.reduce((n, b) => n + (b.dropped?.length ?? 0), 0), 1);
  // a smaller limit: both long lines go
  const small: (string | null)[] = [];
  const bs2 = await collect([f], { maxLineLength: 100, onOverflow: (p) => small.push(p) });
  assert.deepEqual(linesOf(bs2), ['before', 'after', 'end']);
  assert.equal(small.length, 2);
});

test('a big file comes in several batches of many lines, nothing lost', async () => {
  const f = join(dir, 'big.log');
  const n = 100_000;
  writeFileSync(f, Array.from({ length: n }, (_, i) => `line number ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n');
  const bs = await collect([f]);
  assert.ok(bs.length > 5, `${bs.length} batches`);
  assert.ok(bs.length < n / 100, `${bs.length} batches for ${n} lines`);
  const lines = linesOf(bs);
  assert.equal(lines.length, n);
  assert.equal(lines[n - 1], `line number ${n - 1} ${'x'.repeat((n - 1) % 50)}`);
  assert.ok(lines.every((l, i) => l.startsWith(`line number ${i} `)));
});

/** Run readInputs([]) in a child process on the given stdin; it prints the batches as JSON. */
function viaStdin(input: Buffer): Promise<{ code: number | null; out: string; err: string }> {
  const script = `import { readInputs } from ${JSON.stringify(`${ROOT}dist/src/io/inputs.js`)};
    const all = [];
    for await (const b of readInputs([])) all.push(b);
    process.stdout.write(JSON.stringify(all));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { err += b; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

test('stdin: plain and gzip (sniffed), path and mtime null', async () => {
  const plain = await viaStdin(Buffer.from('s1\r\ns2\ns3'));
  assert.equal(plain.code, 0, plain.err);
  const bs = JSON.parse(plain.out) as InputBatch[];
  assert.deepEqual(bs.flatMap((b) => b.lines), ['s1', 's2', 's3']);
  assert.ok(bs.every((b) => b.path === null && b.mtime === null));
  const zipped = await viaStdin(gzipSync('z1\nz2\n'));
  assert.equal(zipped.code, 0, zipped.err);
  assert.deepEqual((JSON.parse(zipped.out) as InputBatch[]).flatMap((b) => b.lines), ['z1', 'z2']);
  const empty = await viaStdin(Buffer.alloc(0));
  assert.deepEqual(JSON.parse(empty.out), []);
  const one = await viaStdin(Buffer.from([0x1f]));
  assert.deepEqual((JSON.parse(one.out) as InputBatch[]).flatMap((b) => b.lines), ['\u001f']);
});

test('a FIFO is read as a stream (gzip sniffed from it), "-" reads stdin in its place', async () => {
  const fifo = join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', `printf 'f1\\nf2\\n' | gzip > "${fifo}"`]);
  const done = new Promise((r) => writer.on('close', r));
  const { Readable } = await import('node:stream');
  const plain = join(dir, 'beside.log');
  writeFileSync(plain, 'file\n');
  const bs = await collect([fifo, '-', plain], { stdin: Readable.from([Buffer.from('in1\nin2')]) });
  await done;
  assert.deepEqual(linesOf(bs), ['f1', 'f2', 'in1', 'in2', 'file']);
  assert.deepEqual([...new Set(bs.map((b) => b.path))], [fifo, null, plain]);
});
