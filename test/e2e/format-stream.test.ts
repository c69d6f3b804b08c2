// ipta-format as a live filter: rows appear while the input is still open, a closed pipe
// (`| head`) ends it quietly with exit 0, and the programmatic API the wrapper uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, testEnv } from '../helpers/run-bin.js';
import { badLine, formatStream } from '../../src/format/index.js';

type Rec = Record<string, unknown>;
const rec = (i: number, over: Rec = {}): Rec => ({
  ts: '2026-11-25T06:25:13Z', verdict: 'deny', action: 'DROP', in: 'eth0', src: `203.0.113.${i % 250}`, dst: '192.0.2.1',
  proto: 'TCP', spt: 40000 + (i % 1000), dpt: 22, line: i, key: i.toString(16).padStart(32, '0'), ...over,
});

test('a row appears as soon as its record arrives, while stdin stays open; so does a non-JSON line', async () => {
  const child = spawn(process.execPath, [bin('ipta-format'), '--utc'], { env: testEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let waiter: (() => void) | undefined;
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); waiter?.(); });
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const until = (re: RegExp, ms = 5000): Promise<void> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing matching ${re} within ${ms} ms; got ${JSON.stringify(out)}`)), ms);
    const check = (): void => { if (re.test(out)) { clearTimeout(timer); waiter = undefined; resolve(); } };
    waiter = check;
    check();
  });
  const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));

  child.stdin.write(`${JSON.stringify(rec(1))}\n`);
  await until(/06:25:13 +1 eth0 +203\.0\.113\.1 /);
  child.stdin.write('a plain log line\n');
  await until(/\na plain log line\n$/);
  // half a line is held until its end comes
  const second = JSON.stringify(rec(2));
  child.stdin.write(second.slice(0, 20));
  await new Promise((r) => setTimeout(r, 300));
  assert.doesNotMatch(out, /203\.0\.113\.2 /);
  child.stdin.write(`${second.slice(20)}\n`);
  await until(/06:25:13 +2 eth0 +203\.0\.113\.2 /);
  child.stdin.end();
  assert.equal(await exited, 0);
  assert.equal(err, '');
});

test('`| head` closes the pipe: exit 0, nothing on stderr, for every format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipta-format-epipe-'));
  const file = join(dir, 'big.ndjson');
  writeFileSync(file, Array.from({ length: 60000 }, (_, i) => JSON.stringify(rec(i))).join('\n') + '\n');
  for (const f of ['table', 'csv', 'ndjson', 'markdown', 'tsv']) {
    const r = spawnSync('bash', ['-c', `'${process.execPath}' '${bin('ipta-format')}' --format ${f} < '${file}' | head -3; echo "status=\${PIPESTATUS[0]}" >&2`], {
      env: testEnv(), encoding: 'utf8', timeout: 60000,
    });
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 3, f);
    assert.equal(r.stderr, 'status=0\n', f);
  }
});

test('formatStream (the API the ipta wrapper uses): objects in, text out; options as argv', async () => {
  async function* items(): AsyncGenerator<Rec> {
    yield rec(1);
    yield { module: 'ports', count: 5, dpt: 22, proto: 'TCP', action: 'DROP' };
  }
  let text = '';
  for await (const chunk of formatStream(items(), { utc: true, 'header-every': 0, C: true })) text += chunk;
  assert.equal(text, [
    'Time     IF    Source          Port  Destination     Port  Proto Action',
    '06:25:13 eth0  203.0.113.1     40001 192.0.2.1       22    TCP   DROP',
    '',
    'Most denied ports',
    ' Count DPort Proto  Action',
    '------ ----- ------ ----------',
    '     5    22 TCP    DROP',
    '',
  ].join('\n'));
  // non-JSON lines handed over as badLine() items come out in their place, also inside a batch
  async function* withBad(): AsyncGenerator<Rec | Rec[]> {
    yield rec(1);
    yield [badLine('not json', 2, 'invalid JSON'), rec(3)];
  }
  let t2 = '';
  for await (const chunk of formatStream(withBad(), { utc: true, header: false })) t2 += chunk;
  assert.deepEqual(t2.split('\n').map((l) => l.slice(0, 14)), ['06:25:13     1', 'not json', '06:25:13     2', '']);
  // bad options are usage errors
  await assert.rejects(async () => { for await (const _ of formatStream(items(), { format: 'xml' })) void _; }, /--format/);
});
