// --follow (live packet rows) and --import --follow (the database kept current from a live log,
// through rotation and a restart, without loss or duplicates).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawn, type ChildProcess } from 'node:child_process';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { bin, testEnv } from '../helpers/run-bin.js';
import { FIXTURE, sandbox, type Sandbox } from './ipta-fixture.js';

const LINES = FIXTURE.trimEnd().split('\n');
const NETFILTER = LINES.filter((l) => l.includes('kernel:'));

let db: TestDb;
let sb: Sandbox;
before(async () => {
  db = await createTestDb('ipta_test_follow');
  sb = sandbox();
});
after(async () => {
  await db.drop();
  sb.remove();
});

interface Live { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> }

function start(args: string[]): Live {
  const child = spawn(process.execPath, [bin('ipta'), ...args], { env: testEnv({ HOME: sb.home, IPTA_DB_PASS: db.options.password }) });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (err += b));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 8000, every = 50): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, every));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('--follow shows packets as they are logged, --no-accept applies; SIGTERM ends it with exit 0', async () => {
  const file = sb.file('live.log', LINES[0] + '\n');
  const live = start(['--follow', file, '--no-accept']);
  try {
    // it starts at the end: the line already there is not shown. Until it is watching (start-up
    // time varies), appended lines may be taken for old ones: append pairs until a row shows.
    await until('the DROP row', () => {
      if (/203\.0\.113\.7\s+40005/.test(live.out())) return true;
      appendFileSync(file, `${LINES[3]}\n${LINES[9]}\n`); // ACCEPT 198.51.100.7, then DROP 203.0.113.7
      return false;
    }, 15_000, 400);
    assert.doesNotMatch(live.out(), /198\.51\.100\.7|40001/);
    assert.match(live.out(), /^Time\s+Count\s+IF/);
  } finally {
    live.child.kill('SIGTERM');
  }
  assert.equal(await live.exited, 0, live.err());
});

test('--import --follow keeps the table current through rotation and a restart, without loss or duplicates', async () => {
  const F = ['-h', db.options.host, '--db-port', String(db.options.port), '-u', db.options.user, '-d', db.name];
  const file = `${sb.dir}/fw.log`;
  writeFileSync(file, NETFILTER.slice(0, 3).join('\n') + '\n');
  const rows = async () => {
    try {
      const [r] = await db.conn.query('SELECT COUNT(*) AS n FROM logs') as [{ n: number }[], unknown];
      return Number(r[0].n);
    } catch {
      return -1; // the table is created by the first batch
    }
  };
  let live = start([...F, '--import', '--follow', file]);
  try {
    await until('the 3 lines already in the file', async () => (await rows()) === 3);
    appendFileSync(file, NETFILTER.slice(3, 5).join('\n') + '\n');
    await until('2 appended lines', async () => (await rows()) === 5);
    // logrotate: rename, then a new file
    renameSync(file, `${file}.1`);
    writeFileSync(file, NETFILTER[5] + '\n');
    await until('the first line of the new file', async () => (await rows()) === 6);
  } finally {
    live.child.kill('SIGTERM');
  }
  assert.equal(await live.exited, 0, live.err());
  // written while ipta was not running
  appendFileSync(file, NETFILTER.slice(6, 9).join('\n') + '\n');
  /** Start again, wait for `n` rows, check that no more come, stop: what ipta said. */
  const restart = async (n: number, what: string): Promise<string> => {
    live = start([...F, '-i', '-f', file]);
    try {
      await until(what, async () => (await rows()) === n);
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(await rows(), n, 'nothing imported twice');
    } finally {
      live.child.kill('SIGTERM');
    }
    assert.equal(await live.exited, 0, live.err());
    return live.err();
  };
  assert.match(await restart(9, 'the lines written while stopped'), /already present 1/);
  // written while stopped, then rotated before the restart (logrotate: .1 -> .2.gz, log -> .1)
  const more = [1, 2, 3].map((i) => NETFILTER[0].replace('ID=54321', `ID=${i}`).replace('10:00:01', `10:30:0${i}`));
  assert.equal(new Set([...NETFILTER, ...more]).size, 12);
  appendFileSync(file, more.slice(0, 2).join('\n') + '\n');
  writeFileSync(`${file}.2.gz`, gzipSync(readFileSync(`${file}.1`)));
  unlinkSync(`${file}.1`);
  renameSync(file, `${file}.1`);
  writeFileSync(file, more[2] + '\n');
  assert.match(await restart(12, 'the lines written before the rotation and after it'), new RegExp(`import of ${file}\\.2\\.gz ${file}\\.1: records read 11, inserted 2, already present 9`));
});
