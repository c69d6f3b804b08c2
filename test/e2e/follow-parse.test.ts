// `ipta-parse --follow FILE` as a process: records appear as lines are written, through a
// logrotate-style rename+create and a copytruncate, with nothing lost or doubled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bin, example, testEnv } from '../helpers/run-bin.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'ipta-follow-parse-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Netfilter lines of the example log, each made unique by its source port. */
const sample = readFileSync(example('iptables.log'), 'utf8').split('\n').filter((l) => /^Nov .* fw1 kernel: .*IPT: DROP IN=eth0 .*PROTO=TCP SPT=\d+ /.test(l)).slice(0, 40);
const line = (i: number): string => sample[((i % sample.length) + sample.length) % sample.length]!.replace(/SPT=\d+/, `SPT=${10000 + i}`);

test('ipta-parse --follow: live records, rename+create and copytruncate, nothing lost or doubled', async () => {
  assert.ok(sample.length >= 20);
  const f = join(dir, 'iptables.log');
  writeFileSync(f, `${line(9999)}\n`); // already there: not emitted (follow starts at the end)
  const child = spawn(process.execPath, [bin('ipta-parse'), '--follow', f, '--year', '2026', '--quiet'], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const got: { spt: number; at: number }[] = [];
  let buf = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    buf += b;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const p of parts) if (p) got.push({ spt: (JSON.parse(p) as { spt: number }).spt, at: Date.now() });
  });
  child.stderr.on('data', (b: Buffer) => { stderr += b; });
  const until = async (n: number): Promise<void> => {
    for (let t = 0; got.length < n && t < 300; t++) await sleep(10);
  };
  try {
    // start-up: it is following once a probe line written now comes out as a record
    for (let k = 0; got.length === 0 && k < 100; k++) {
      appendFileSync(f, `${line(-1000 + k)}\n`);
      await sleep(100);
    }
    await sleep(100);
    got.length = 0;
    const sent: number[] = [];
    const write = (path: string, i: number): void => { appendFileSync(path, `${line(i)}\n`); sent.push(i); };
    const when = new Map<number, number>();
    for (let i = 0; i < 10; i++) {
      when.set(10000 + i, Date.now());
      write(f, i);
      await sleep(40);
    }
    await until(10);
    const delays = got.slice(0, 10).map((g) => g.at - when.get(g.spt)!);
    assert.ok(Math.max(...delays) < 250, `write -> record delays ${delays.join(',')} ms`);

    // logrotate: rename, a late write by the daemon to the old file, create, new writes
    renameSync(f, `${f}.1`);
    write(`${f}.1`, 10);
    writeFileSync(f, '');
    for (let i = 11; i < 20; i++) write(f, i);
    await until(20);
    // copytruncate
    copyFileSync(f, `${f}.2`);
    truncateSync(f, 0);
    await sleep(150);
    for (let i = 20; i < 25; i++) write(f, i);
    await until(25);
    await sleep(200);
    assert.deepEqual(got.map((g) => g.spt - 10000).sort((a, b) => a - b), sent.sort((a, b) => a - b), stderr);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
  }
  assert.equal(stderr, '');
});
