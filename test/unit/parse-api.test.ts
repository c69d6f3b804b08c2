// The programmatic API the `ipta` wrapper uses: parseRecords() with a stats object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { newStats, parseRecords, parseJsonBatches } from '../../src/parse/index.js';
import type { IptaRecord } from '../../src/record.js';

const L = (t: string, prefix = 'IPT: DROP'): string =>
  `Nov 25 06:25:${t} gw1 kernel: ${prefix} IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 SYN URGP=0`;

test('parseRecords: files in order, plain records, stats filled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipta-parse-api-'));
  try {
    const f = join(dir, 'a.log');
    writeFileSync(f, `${L('01')}\nnoise\n${L('02', '[UFW ALLOW]')}\n`);
    utimesSync(f, new Date('2025-11-25T12:00:00Z'), new Date('2025-11-25T12:00:00Z'));
    const stats = newStats();
    const recs: IptaRecord[] = [];
    for await (const r of parseRecords({ files: [f], tz: 'UTC', stats })) recs.push(r);
    assert.deepEqual(recs.map((r) => [r.line, r.ts, r.verdict]), [[1, '2025-11-25T06:25:01Z', 'deny'], [3, '2025-11-25T06:25:02Z', 'accept']]);
    assert.ok(!Object.values(recs[0]).includes(undefined), 'no undefined keys in plain records');
    assert.deepEqual(stats, { lines: 3, records: 2, skipped: { blank: 0, not_netfilter: 1, prefix_mismatch: 0, too_long: 0 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseRecords and parseJsonBatches agree (stdin stand-in, --prefix)', async () => {
  const text = [L('01'), L('02', '[UFW BLOCK]'), L('03')].join('\n');
  const recs: IptaRecord[] = [];
  for await (const r of parseRecords({ stdin: Readable.from([text]), year: 2026, tz: 'UTC', prefix: 'IPT:' })) recs.push(r);
  let json = '';
  const stats = newStats();
  for await (const s of parseJsonBatches({ stdin: Readable.from([text]), year: 2026, tz: 'UTC', prefix: 'IPT:', stats })) json += s + '\n';
  assert.equal(json, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal(stats.skipped.prefix_mismatch, 1);
});
