// ipta-parse as a user runs it: real child processes, stdin, files, pipes, hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, utimesSync, appendFileSync, rmSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, bin, records, run, testEnv } from '../helpers/run-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'ipta-parse-e2e-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const line = (t: string, extra = '', prefix = 'IPT: DROP'): string =>
  `Nov 25 06:25:${t} gw1 kernel: ${prefix} IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=1 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0${extra}`;

interface Rec { line: number; key: string; verdict: string; ts?: string; prefix?: string; dpt?: number; src?: string; dst?: string; in?: string }

test('stdin: one record per netfilter line, the summary on stderr, exit 0', async () => {
  const input = [line('13'), 'Nov 25 06:25:13 gw1 sshd[9]: Accepted publickey for root', '', line('14', '', '[UFW ALLOW]')].join('\n') + '\n';
  const r = await run('ipta-parse', ['--year', '2026'], input);
  assert.equal(r.code, 0);
  const recs = records<Rec>(r.stdout);
  assert.deepEqual(recs.map((x) => [x.line, x.ts, x.prefix, x.verdict]), [
    [1, '2026-11-25T06:25:13Z', 'IPT: DROP', 'deny'],
    [4, '2026-11-25T06:25:14Z', '[UFW ALLOW]', 'accept'],
  ]);
  assert.equal(r.stderr, 'ipta-parse: 4 lines read, 2 records, 2 skipped (1 not netfilter, 1 blank)\n');
  const q = await run('ipta-parse', ['--quiet'], input);
  assert.equal(q.stderr, '');
  // without --year, stdin's stamps take the year that puts them at or before now (+1 day)
  const noTs = (s: string): unknown[] => records<Rec>(s).map(({ ts, ...rest }) => rest);
  assert.deepEqual(noTs(q.stdout), noTs(r.stdout));
  for (const x of records<Rec>(q.stdout)) assert.ok(Date.parse(x.ts!) <= Date.now() + 86_400_000 && Date.parse(x.ts!) > Date.now() - 366 * 86_400_000, x.ts);
});

test('files: line numbers run on as cat would number them; .gz read; rotated siblings oldest first; mtime gives the year', async () => {
  const cur = join(dir, 'fw.log');
  const old = join(dir, 'fw.log.1.gz');
  writeFileSync(old, gzipSync(`${line('01')}\n${line('02')}\n`));
  writeFileSync(cur, `garbage\n${line('03')}\n`);
  utimesSync(old, new Date('2024-11-25T07:00:00Z'), new Date('2024-11-25T07:00:00Z'));
  utimesSync(cur, new Date('2024-11-25T08:00:00Z'), new Date('2024-11-25T08:00:00Z'));
  // the shell order (current first) is not the reading order
  const r = await run('ipta-parse', [cur, old]);
  assert.equal(r.code, 0, r.stderr);
  const recs = records<Rec>(r.stdout);
  assert.deepEqual(recs.map((x) => [x.line, x.ts]), [
    [1, '2024-11-25T06:25:01Z'], [2, '2024-11-25T06:25:02Z'], [4, '2024-11-25T06:25:03Z'],
  ]);
  assert.match(r.stderr, /^ipta-parse: 4 lines read, 3 records, 1 skipped \(1 not netfilter\)\n$/);
});

test('`-` among the files reads stdin in its place, numbered as cat would', async () => {
  const a = join(dir, 'dash.log');
  writeFileSync(a, `${line('01')}\n${line('02')}\n`);
  const r = await run('ipta-parse', ['--year', '2026', a, '-', a], `${line('09')}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(records<Rec>(r.stdout).map((x) => [x.line, x.ts?.slice(17, 19)]), [[1, '01'], [2, '02'], [3, '09'], [4, '01'], [5, '02']]);
});

test('the same log read twice gives the same keys; an overlapping copy shares them', async () => {
  const a = await run('ipta-parse', ['-q', '--year', '2026'], [line('13'), line('13'), line('14')].join('\n'));
  const b = await run('ipta-parse', ['-q', '--year', '2026'], [line('12'), line('13'), line('13'), line('14')].join('\n'));
  const ka = records<Rec>(a.stdout).map((x) => x.key);
  const kb = records<Rec>(b.stdout).map((x) => x.key);
  assert.equal(new Set(ka).size, 3);
  assert.deepEqual(kb.slice(1), ka);
});

test('--prefix keeps matching lines only, counted as "other prefix"', async () => {
  const input = [line('13'), line('14', '', '[UFW BLOCK]'), line('15', '', 'IPT: ACCEPT')].join('\n');
  const r = await run('ipta-parse', ['--prefix', 'IPT:'], input);
  assert.deepEqual(records<Rec>(r.stdout).map((x) => x.line), [1, 3]);
  assert.match(r.stderr, /3 lines read, 2 records, 1 skipped \(1 other prefix\)/);
});

test('--accept-word / --log-word change the verdict', async () => {
  const input = line('13', '', 'FW-OKAY:') + '\n' + line('14', '', 'FW-WATCH:');
  const r = await run('ipta-parse', ['-q', '--accept-word', 'OKAY', '--log-word', 'WATCH'], input);
  assert.deepEqual(records<Rec>(r.stdout).map((x) => x.verdict), ['accept', 'log']);
});

test('--tz: zone-less stamps read in that zone; TZ is the default', async () => {
  const r = await run('ipta-parse', ['-q', '--year', '2026', '--tz', 'Europe/Berlin'], line('13'));
  assert.equal(records<Rec>(r.stdout)[0].ts, '2026-11-25T05:25:13Z');
  const t = await run('ipta-parse', ['-q', '--year', '2026'], line('13'), { env: testEnv({ TZ: 'America/New_York' }) });
  assert.equal(records<Rec>(t.stdout)[0].ts, '2026-11-25T11:25:13Z');
});

test('usage errors exit 2, an unreadable file exits 1, each with one line on stderr', async () => {
  for (const args of [['--tz', 'Nowhere/Atlantis'], ['--year', 'soon'], ['--year', '20'], ['--from-start'], ['--bogus']]) {
    const r = await run('ipta-parse', args, '');
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^ipta-parse: /, args.join(' '));
    assert.equal(r.stdout, '');
  }
  const m = await run('ipta-parse', [join(dir, 'missing.log')]);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /^ipta-parse: cannot read .*missing\.log: no such file\n$/);
});

test('--help describes every flag', async () => {
  const r = await run('ipta-parse', ['--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--year', '--tz', '--prefix', '--accept-word', '--log-word', '--follow', '--from-start', '--quiet', 'Exit status']) assert.match(r.stdout, new RegExp(flag));
});

test('ipta-parse < big.log | head -3: three lines, nothing on stderr, exit 0', async () => {
  const big = join(dir, 'big.log');
  const block = Array.from({ length: 1000 }, (_, i) => line(String(i % 60).padStart(2, '0'), ` N=${i}`)).join('\n') + '\n';
  writeFileSync(big, block.repeat(60)); // 60,000 lines, ~14 MB
  const r = spawnSync('bash', ['-c', `node "${bin('ipta-parse')}" < "${big}" | head -3; echo "status \${PIPESTATUS[0]}" >&2`], { env: testEnv(), encoding: 'utf8' });
  assert.equal(r.stdout.trim().split('\n').length, 3);
  assert.equal(r.stderr, 'status 0\n');
});

test('the reader going away (pino broken-pipe style): exit 0, no summary, no error', async () => {
  const big = join(dir, 'big2.log');
  writeFileSync(big, (line('13') + '\n').repeat(50_000));
  const child = spawn(process.execPath, [bin('ipta-parse'), big], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(err, '');
});

test('garbage bytes, NUL, invalid UTF-8, control characters: no crash, counted, valid JSON out', async () => {
  const parts = [
    Buffer.from(line('13') + '\n'),
    Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x0a]),
    Buffer.from('Nov 25 06:25:14 gw1 kernel: IPT: DROP \u0000\u0007 IN=eth\u00000 OUT= SRC=203.0.113.9 DST=192.0.2.2 PROTO=UDP SPT=1 DPT=2 LEN=8\n'),
    Buffer.concat([Buffer.from('Nov 25 06:25:15 gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=203.0.113.9 DST='), Buffer.from([0xc3, 0x28, 0xe2, 0x82]), Buffer.from(' PROTO=TCP SPT=1 DPT=2\n')]),
    Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a]),
    Buffer.from('x'.repeat(1000) + '\n'),
  ];
  const r = await run('ipta-parse', [], Buffer.concat(parts));
  assert.equal(r.code, 0);
  const recs = records<Rec>(r.stdout);
  assert.deepEqual(recs.map((x) => x.line), [1, 3, 4]);
  assert.equal(recs[1].in, 'eth\u00000');
  assert.equal(recs[2].dst, '\ufffd(\ufffd');
  assert.match(r.stderr, /^ipta-parse: 6 lines read, 3 records, 3 skipped \(3 not netfilter\)\n$/);
});

test('a 5 MB line is skipped and reported; the lines around it are parsed with true line numbers', async () => {
  const input = `${line('13')}\n${'SRC=1.2.3.4 '.repeat(450_000)}\n${line('14')}\n`;
  const r = await run('ipta-parse', [], input);
  assert.equal(r.code, 0);
  assert.deepEqual(records<Rec>(r.stdout).map((x) => x.line), [1, 3]);
  assert.match(r.stderr, /stdin: line 2: too long, skipped/);
  assert.match(r.stderr, /3 lines read, 2 records, 1 skipped \(1 too long\)/);
});

test('a truncated netfilter line still yields what it holds', async () => {
  const r = await run('ipta-parse', ['-q', '--year', '2026'], 'Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=1 DF PROTO=TCP SPT=51234 DP');
  const [rec] = records<Rec & { extra?: Record<string, string> }>(r.stdout);
  assert.equal(rec.src, '203.0.113.9');
  assert.equal(rec.dpt, undefined);
  assert.deepEqual(rec.extra, { _: 'DP' });
});

test('a live pipe (`tail -F log | ipta-parse`): each line comes out while stdin stays open, also after a backlog that started the workers', async () => {
  const child = spawn(process.execPath, [bin('ipta-parse'), '--year', '2026'], { env: testEnv({ IPTA_PARSE_INLINE_BYTES: '0' }), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  let waiting: { n: number; resolve: () => void } | null = null;
  child.stdout.on('data', (b) => {
    out += b;
    if (waiting && out.split('\n').length - 1 >= waiting.n) waiting.resolve();
  });
  const lines = (n: number): Promise<void> => new Promise((resolve) => {
    if (out.split('\n').length - 1 >= n) resolve();
    else waiting = { n, resolve };
  });
  const within = async (p: Promise<void>, what: string): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing after 3 s (${out.length} bytes out)`)), 3000); })]);
    clearTimeout(timer);
  };
  try {
    // a backlog of 5,000 lines (the workers start), then single lines, stdin never closed between
    child.stdin.write(Array.from({ length: 5000 }, (_, i) => line(String(i % 60).padStart(2, '0'), ` MARK=0x${i.toString(16)}`)).join('\n') + '\n');
    await within(lines(5000), 'the backlog');
    for (const [k, t] of [[5001, '30'], [5002, '31']] as const) {
      child.stdin.write(line(t) + '\n');
      await within(lines(k), `line ${k}`);
    }
  } catch (err) {
    child.kill();
    throw err;
  }
  child.stdin.end();
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, err);
  assert.equal(records<Rec>(out).at(-1)!.line, 5002);
  assert.match(err, /5002 lines read, 5002 records/);
});

test('--follow FILE: a line appended later comes out promptly; SIGTERM prints the summary', async () => {
  const f = join(dir, 'follow.log');
  writeFileSync(f, `${line('01')}\n`);
  const child = spawn(process.execPath, [bin('ipta-parse'), '--follow', f], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  const got = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b) => { out += b; if (out.includes('\n')) resolve(Date.now()); });
    child.on('close', () => reject(new Error(`ipta-parse --follow ended first: ${err}`)));
  });
  // let it open the file and reach its end (a loaded machine may take seconds to start node)
  await openedBy(child.pid!, f);
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  appendFileSync(f, `${line('02')}\n`);
  const t1 = await Promise.race([got, new Promise<number>((_r, reject) => setTimeout(() => reject(new Error('no record within 10 s')), 10_000))]);
  // 250 ms is the promise on an idle machine; the bound here leaves room for a loaded CI box
  assert.ok(t1 - t0 < 3000, `took ${t1 - t0} ms`);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  const recs = records<Rec>(out);
  assert.deepEqual(recs.map((x) => x.line), [1]); // starts at the end: the old line is not re-read
  assert.match(recs[0].ts ?? '', /06:25:02Z$/);
  assert.match(err, /^ipta-parse: 1 lines read, 1 records, 0 skipped\n$/);
});

test('on worker threads (the default) ipta-parse writes byte for byte what one thread writes (IPTA_PARSE_THREADS=0)', async () => {
  const gen = spawnSync(process.execPath, [join(ROOT, 'bench/gen-log.mjs'), '--lines', '24000', '--start', '2026-12-30T22:00:00Z', '--days', '2'], { encoding: 'utf8', maxBuffer: 1 << 27 });
  assert.equal(gen.status, 0);
  // identical lines next to each other (same stamp): their occurrence counts must agree too
  const lines = gen.stdout.split('\n').flatMap((l, i) => (i % 50 === 0 ? [l, l, l] : [l]));
  const file = join(dir, 'threads.log');
  writeFileSync(file, lines.join('\n'));
  utimesSync(file, new Date('2027-01-01T23:00:00Z'), new Date('2027-01-01T23:00:00Z'));
  const one = await run('ipta-parse', [file], undefined, { env: testEnv({ IPTA_PARSE_THREADS: '0' }) });
  // small jobs, workers from the start: many job boundaries in this log
  const two = await run('ipta-parse', [file], undefined, { env: testEnv({ IPTA_PARSE_THREADS: '2', IPTA_PARSE_JOB_BYTES: '20000', IPTA_PARSE_INLINE_BYTES: '0' }) });
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.ok(one.stdout.length > 1e6);
  assert.equal(two.stdout, one.stdout);
  assert.equal(two.stderr, one.stderr);
  const years = new Set(records<Rec>(one.stdout).map((r) => r.ts!.slice(0, 4)));
  assert.deepEqual([...years].sort(), ['2026', '2027']);
});

/** Resolves once process `pid` holds `path` open (Linux: /proc/PID/fd). */
async function openedBy(pid: number, path: string): Promise<void> {
  for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 50))) {
    const fds = readdirSync(`/proc/${pid}/fd`, { withFileTypes: true });
    const want = realpathSync(path);
    if (fds.some((d) => { try { return readlinkSync(`/proc/${pid}/fd/${d.name}`) === want; } catch { return false; } })) return;
  }
  throw new Error(`process ${pid} did not open ${path} within 30 s`);
}
