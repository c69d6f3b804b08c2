// The line splitter: the edge cases every byte stream has (split2's checklist, plus overflow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, splitLines } from '../../src/io/lines.js';

/** Feed `chunks` through a splitter; collect lines and drop positions as one flat list. */
function feed(chunks: (string | Buffer)[], max?: number): { lines: string[]; events: string[]; overflows: number } {
  let overflows = 0;
  const sp = new LineSplitter({ maxLineLength: max, onOverflow: () => overflows++ });
  const lines: string[] = [];
  const events: string[] = [];
  const take = (b: { lines: string[]; dropped?: number[] }): void => {
    const d = b.dropped ?? [];
    let k = 0;
    b.lines.forEach((l, i) => {
      while (k < d.length && d[k] === i) { events.push('<dropped>'); k++; }
      events.push(l);
      lines.push(l);
    });
    while (k < d.length) { events.push('<dropped>'); k++; }
  };
  for (const c of chunks) take(sp.push(typeof c === 'string' ? Buffer.from(c) : c));
  take(sp.end());
  return { lines, events, overflows };
}

test('splits on newlines, keeps empty lines, delivers a last line without newline', () => {
  assert.deepEqual(feed(['a\nb\n\nc']).lines, ['a', 'b', '', 'c']);
  assert.deepEqual(feed(['a\nb\n']).lines, ['a', 'b']);
  assert.deepEqual(feed(['']).lines, []);
  assert.deepEqual(feed(['\n']).lines, ['']);
});

test('lines split across chunks at every position come out whole', () => {
  const text = 'first line\nsecond\n\nthird one here\nlast';
  for (let cut = 0; cut <= text.length; cut++) {
    assert.deepEqual(feed([text.slice(0, cut), text.slice(cut)]).lines, ['first line', 'second', '', 'third one here', 'last'], `cut at ${cut}`);
  }
  // one byte at a time
  assert.deepEqual(feed([...text].map((c) => c)).lines, ['first line', 'second', '', 'third one here', 'last']);
});

test('CRLF: a trailing \\r is stripped, an inner one kept', () => {
  assert.deepEqual(feed(['a\r\nb\r', '\nc\rd\r\n']).lines, ['a', 'b', 'c\rd']);
  assert.deepEqual(feed(['last\r']).lines, ['last']);
});

test('a UTF-8 character split across chunks is decoded whole', () => {
  const buf = Buffer.from('prefix ÄÖ€😀 end\nzwei\n', 'utf8');
  for (let cut = 7; cut < 20; cut++) {
    assert.deepEqual(feed([buf.subarray(0, cut), buf.subarray(cut)]).lines, ['prefix ÄÖ€😀 end', 'zwei'], `cut at ${cut}`);
  }
});

test('invalid UTF-8 and NUL bytes become U+FFFD / stay, without touching the neighbours', () => {
  const buf = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x66, 0xff, 0xfe, 0x00, 0x67, 0xc3]), Buffer.from('\nnext\n')]);
  assert.deepEqual(feed([buf]).lines, ['ok', 'f\ufffd\ufffd\u0000g\ufffd', 'next']);
});

test('an overlong line is dropped and counted, in its place, whether it fits one chunk or spans many', () => {
  const long = 'x'.repeat(50);
  // inside one chunk (slow path)
  let r = feed([`a\n${long}\nb\n`], 20);
  assert.deepEqual(r.events, ['a', '<dropped>', 'b']);
  assert.equal(r.overflows, 1);
  // spanning chunks: never held beyond the limit
  r = feed(['a\n' + long.slice(0, 15), long.slice(15, 30), long.slice(30), '\nb\n', 'tail'], 20);
  assert.deepEqual(r.events, ['a', '<dropped>', 'b', 'tail']);
  assert.equal(r.overflows, 1);
  // the last line, without newline, overlong
  r = feed(['a\n', long], 20);
  assert.deepEqual(r.events, ['a', '<dropped>']);
  // exactly at the limit is kept
  r = feed([`${'y'.repeat(20)}\n${'z'.repeat(21)}\n`], 20);
  assert.deepEqual(r.events, ['y'.repeat(20), '<dropped>']);
  // two in a row, the second one starting in the chunk the first one ends in
  r = feed([long.slice(0, 25), long.slice(25) + '\n' + long + '\nok\n'], 20);
  assert.deepEqual(r.events, ['<dropped>', '<dropped>', 'ok']);
  assert.equal(r.overflows, 2);
});

test('memory stays bounded: a 5 MB line in 64 KiB chunks is never buffered', () => {
  const sp = new LineSplitter({ maxLineLength: 1024 * 1024 });
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  let maxPending = 0;
  for (let i = 0; i < 80; i++) {
    sp.push(chunk);
    maxPending = Math.max(maxPending, sp.pending);
  }
  const b = sp.push(Buffer.from('\nafter\n'));
  assert.ok(maxPending <= 1024 * 1024, `held ${maxPending} bytes`);
  assert.deepEqual(b.lines, ['after']);
  assert.equal(sp.overflows, 1);
});

test('reset forgets the incomplete line (copytruncate)', () => {
  const sp = new LineSplitter();
  sp.push(Buffer.from('a\nhalf'));
  assert.equal(sp.reset(), 4);
  assert.deepEqual(sp.push(Buffer.from('new\n')).lines, ['new']);
});

test('skipToNextLine drops the rest of the current line only', () => {
  const sp = new LineSplitter();
  sp.skipToNextLine();
  assert.deepEqual(sp.push(Buffer.from('end of a line')).lines, []);
  assert.deepEqual(sp.push(Buffer.from(' still\nwhole\n')).lines, ['whole']);
  assert.equal(sp.overflows, 0);
});

test('splitLines batches a whole async source', async () => {
  async function* src(): AsyncGenerator<Buffer | string> {
    yield 'a\nb';
    yield Buffer.from('c\nd');
  }
  const all: string[] = [];
  for await (const b of splitLines(src())) all.push(...b.lines);
  assert.deepEqual(all, ['a', 'bc', 'd']);
});

test('random bytes in random chunks: same lines as splitting the whole buffer at once', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const alphabet = [0x0a, 0x0d, 0x41, 0x20, 0xc3, 0xa4, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0x00];
  for (let round = 0; round < 200; round++) {
    const len = rnd(400);
    const bytes = Buffer.from(Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]!));
    const max = [3, 10, 50, 1000][rnd(4)]!;
    // the reference: whole buffer, byte-level split, per-line decode
    const expected: string[] = [];
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      if (i === bytes.length && start === i) break; // no empty line after a final newline
      const raw = bytes.subarray(start, i);
      if (raw.length > max) expected.push('<dropped>');
      else expected.push(raw.toString('utf8').replace(/\r$/, ''));
      start = i + 1;
    }
    const chunks: Buffer[] = [];
    for (let pos = 0; pos < bytes.length;) {
      const n = 1 + rnd(40);
      chunks.push(bytes.subarray(pos, pos + n));
      pos += n;
    }
    assert.deepEqual(feed(chunks, max).events, expected, `round ${round}`);
  }
});
