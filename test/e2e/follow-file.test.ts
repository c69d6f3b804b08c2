// followFile against real files and real rotations (rename+create, copytruncate), timed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { followFile, type FollowOptions } from '../../src/io/inputs.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'ipta-follow-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

interface Got { line: string; at: number }

/** Follow `path` in the background; lines land in `got` with their arrival time. */
function follow(path: string, opts: FollowOptions = {}): { got: Got[]; stop: () => Promise<void>; until: (n: number, ms?: number) => Promise<void> } {
  const ac = new AbortController();
  const got: Got[] = [];
  const done = (async () => {
    for await (const b of followFile(path, { ...opts, signal: ac.signal })) {
      const at = Date.now();
      for (const line of b.lines) got.push({ line, at });
    }
  })();
  return {
    got,
    async stop() { ac.abort(); await done; },
    async until(n, ms = 3000) {
      const end = Date.now() + ms;
      while (got.length < n && Date.now() < end) await sleep(10);
    },
  };
}
const lines = (g: Got[]): string[] => g.map((x) => x.line);

test('starts at the end, then emits each appended line within 250 ms', async () => {
  const f = join(dir, 'live.log');
  writeFileSync(f, 'old 1\nold 2\n');
  const t = follow(f);
  await sleep(150);
  const written: number[] = [];
  for (let i = 0; i < 6; i++) {
    written.push(Date.now());
    appendFileSync(f, `new ${i}\n`);
    await sleep(60);
  }
  await t.until(6);
  await t.stop();
  assert.deepEqual(lines(t.got), [0, 1, 2, 3, 4, 5].map((i) => `new ${i}`));
  const delays = t.got.map((g, i) => g.at - written[i]!);
  assert.ok(Math.max(...delays) < 250, `delays ${delays.join(',')} ms`);
});

test('fromStart reads what is there first; mtime is the time of reading', async () => {
  const f = join(dir, 'start.log');
  writeFileSync(f, 'a\nb\n');
  const before = Date.now();
  const ac = new AbortController();
  const seen: string[] = [];
  for await (const b of followFile(f, { fromStart: true, signal: ac.signal })) {
    seen.push(...b.lines);
    assert.equal(b.path, f);
    assert.ok(b.mtime && b.mtime.getTime() >= before && b.mtime.getTime() <= Date.now());
    if (seen.length === 2) ac.abort();
  }
  assert.deepEqual(seen, ['a', 'b']);
});

test('a half-written line is held until its newline arrives', async () => {
  const f = join(dir, 'half.log');
  writeFileSync(f, 'done\nhalf-wri');
  // started while a line is being written: that line is caught whole, not from its middle
  const t = follow(f);
  await sleep(150);
  appendFileSync(f, 'tten');
  await sleep(200);
  assert.deepEqual(lines(t.got), []);
  appendFileSync(f, ' line\nnext par');
  await t.until(1);
  await sleep(200);
  await t.stop();
  assert.deepEqual(lines(t.got), ['half-written line']);
});

test('started inside a line too long to keep: its end is not taken for a line', async () => {
  const f = join(dir, 'longhalf.log');
  writeFileSync(f, `ok\n${'x'.repeat(3000)}`);
  const t = follow(f, { maxLineLength: 1000 });
  await sleep(150);
  appendFileSync(f, 'tail of the long one\nnext\n');
  await t.until(1);
  await sleep(100);
  await t.stop();
  assert.deepEqual(lines(t.got), ['next']);
});

test('rename-and-create rotation: late writes to the old file and the new file, nothing lost or doubled', async () => {
  const f = join(dir, 'rot.log');
  writeFileSync(f, '');
  const t = follow(f);
  await sleep(150);
  const expect: string[] = [];
  const write = (path: string, s: string): void => { appendFileSync(path, `${s}\n`); expect.push(s); };
  for (let i = 0; i < 50; i++) write(f, `a${i}`);
  await sleep(30);
  renameSync(f, `${f}.1`);
  write(`${f}.1`, 'late-to-old-1'); // the writer has not reopened yet
  writeFileSync(f, '');
  await sleep(50);
  write(`${f}.1`, 'late-to-old-2');
  for (let i = 0; i < 50; i++) write(f, `b${i}`);
  // and a second rotation right away
  await sleep(120);
  renameSync(f, `${f}.2`);
  writeFileSync(f, 'c0\n');
  expect.push('c0');
  await t.until(expect.length);
  await sleep(150);
  await t.stop();
  const got = lines(t.got);
  assert.deepEqual([...got].sort(), [...expect].sort());
  // each file's lines in order
  for (const p of ['a', 'b']) {
    const seq = got.filter((l) => new RegExp(`^${p}\\d+$`).test(l));
    assert.deepEqual(seq, Array.from({ length: 50 }, (_, i) => `${p}${i}`));
  }
});

test('a rotated-away file still being written is read until it goes quiet, its last partial line then emitted', async () => {
  const f = join(dir, 'slow.log');
  writeFileSync(f, '');
  const t = follow(f, { drainMs: 150 });
  await sleep(150);
  appendFileSync(f, 'before\n');
  renameSync(f, `${f}.1`);
  writeFileSync(f, 'new file\n');
  // the daemon is slow to reopen: it writes to the old file for longer than drainMs in total
  for (let i = 0; i < 4; i++) {
    await sleep(100);
    appendFileSync(`${f}.1`, `old ${i}\n`);
  }
  appendFileSync(`${f}.1`, 'no newline at the end');
  await t.until(7, 2000);
  await t.stop();
  assert.deepEqual(lines(t.got).sort(), ['before', 'new file', 'no newline at the end', 'old 0', 'old 1', 'old 2', 'old 3']);
});

test('copytruncate: the file shrinks (or is refilled) and is read again from its start', async () => {
  const f = join(dir, 'ct.log');
  writeFileSync(f, 'x\n');
  const t = follow(f);
  await sleep(150);
  appendFileSync(f, 'one\ntwo\n');
  await t.until(2);
  copyFileSync(f, `${f}.1`);
  truncateSync(f, 0);
  await sleep(150);
  appendFileSync(f, 'three\n');
  await t.until(3);
  // truncated and refilled past the old position before the follower looks
  copyFileSync(f, `${f}.2`);
  truncateSync(f, 0);
  appendFileSync(f, 'four is a much longer line than before\n');
  await t.until(4);
  await t.stop();
  assert.deepEqual(lines(t.got), ['one', 'two', 'three', 'four is a much longer line than before']);
});

test('a file that does not exist yet is waited for and read from its start', async () => {
  const f = join(dir, 'later', 'later.log');
  const t = follow(f);
  await sleep(200);
  rmSync(join(dir, 'later'), { recursive: true, force: true });
  mkdirSync(join(dir, 'later'));
  writeFileSync(f, 'first\nsecond\n');
  await t.until(2);
  appendFileSync(f, 'third\n');
  await t.until(3);
  await t.stop();
  assert.deepEqual(lines(t.got), ['first', 'second', 'third']);
});
