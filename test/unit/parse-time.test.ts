// Time stamps: year inference for year-less syslog stamps, zones, DST, precision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser, type LineParserOptions, type LineSource } from '../../src/parse/index.js';
import { makeZone } from '../../src/parse/time.js';
import type { IptaRecord } from '../../src/record.js';

const TAIL = 'kernel: IPT: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 SYN URGP=0';

function stamps(lines: string[], opts: LineParserOptions, ref: string | Date, path: string | null = 'f.log'): Array<string | undefined> {
  const p = new LineParser(opts);
  const src: LineSource = { path, ref: new Date(ref) };
  return lines.map((l, i) => (p.parse(`${l} gw ${TAIL}`, i + 1, src) as IptaRecord).ts);
}

test('year from the reference time; never more than a day after it', () => {
  assert.deepEqual(stamps(['Nov 25 06:25:13'], { tz: 'UTC' }, '2026-11-25T12:00:00Z'), ['2026-11-25T06:25:13Z']);
  // a day and a bit after the reference: last year's
  assert.deepEqual(stamps(['Nov 27 06:25:13'], { tz: 'UTC' }, '2026-11-25T12:00:00Z'), ['2025-11-27T06:25:13Z']);
  // less than a day after (clock skew between hosts): this year
  assert.deepEqual(stamps(['Nov 26 06:25:13'], { tz: 'UTC' }, '2026-11-25T12:00:00Z'), ['2026-11-26T06:25:13Z']);
  // a file last written on Jan 2 holding December lines
  assert.deepEqual(stamps(['Dec 30 23:00:00'], { tz: 'UTC' }, '2027-01-02T00:00:00Z'), ['2026-12-30T23:00:00Z']);
});

test('New Year inside one input: Dec -> Jan moves to the next year', () => {
  const lines = ['Dec 31 23:59:58', 'Dec 31 23:59:59', 'Jan  1 00:00:00', 'Jan  1 00:00:01', 'Jan  2 10:00:00'];
  assert.deepEqual(stamps(lines, { tz: 'UTC' }, '2027-01-02T10:00:05Z'), [
    '2026-12-31T23:59:58Z', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z', '2027-01-01T00:00:01Z', '2027-01-02T10:00:00Z',
  ]);
  // --year fixes the first year; the step still applies
  assert.deepEqual(stamps(lines.slice(0, 3), { tz: 'UTC', year: 2019 }, '2027-01-02T10:00:05Z'), [
    '2019-12-31T23:59:58Z', '2019-12-31T23:59:59Z', '2020-01-01T00:00:00Z',
  ]);
  // a stray late line after the wrap goes back to December of the old year
  assert.deepEqual(stamps(['Jan  1 00:00:01', 'Dec 31 23:59:59'], { tz: 'UTC' }, '2027-01-01T00:00:05Z'), [
    '2027-01-01T00:00:01Z', '2026-12-31T23:59:59Z',
  ]);
});

test('each input file has its own reference (rotated files read oldest first)', () => {
  const p = new LineParser({ tz: 'UTC' });
  const old: LineSource = { path: 'fw.log.1', ref: new Date('2026-01-01T00:00:10Z') };
  const cur: LineSource = { path: 'fw.log', ref: new Date('2026-11-25T12:00:00Z') };
  const a = p.parse(`Dec 31 23:59:59 gw ${TAIL}`, 1, old) as IptaRecord;
  const b = p.parse(`Nov 25 06:00:00 gw ${TAIL}`, 2, cur) as IptaRecord;
  assert.equal(a.ts, '2025-12-31T23:59:59Z');
  assert.equal(b.ts, '2026-11-25T06:00:00Z');
});

test('zone-less stamps are local time: TZ by default, --tz to override', () => {
  // this process's TZ is whatever the runner set; --tz makes the result independent of it
  assert.deepEqual(stamps(['Jul  1 12:00:00'], { tz: 'Europe/Berlin' }, '2026-11-25T12:00:00Z'), ['2026-07-01T10:00:00Z']);
  assert.deepEqual(stamps(['Jan 15 12:00:00'], { tz: 'Europe/Berlin' }, '2026-11-25T12:00:00Z'), ['2026-01-15T11:00:00Z']);
  assert.deepEqual(stamps(['Jan 15 12:00:00'], { tz: 'America/New_York' }, '2026-11-25T12:00:00Z'), ['2026-01-15T17:00:00Z']);
  assert.deepEqual(stamps(['Jan 15 12:00:00'], { tz: '+05:30' }, '2026-11-25T12:00:00Z'), ['2026-01-15T06:30:00Z']);
  assert.deepEqual(stamps(['Jan 15 12:00:00'], { tz: 'UTC' }, '2026-11-25T12:00:00Z'), ['2026-01-15T12:00:00Z']);
  // ISO stamps without an offset are local too; with an offset the zone is irrelevant
  const p = new LineParser({ tz: 'Asia/Tokyo' });
  const src = { path: null, ref: new Date('2026-11-25T12:00:00Z') };
  assert.equal((p.parse(`2026-11-25T09:00:00.5 gw ${TAIL}`, 1, src) as IptaRecord).ts, '2026-11-25T00:00:00.5Z');
  assert.equal((p.parse(`2026-11-25T09:00:00.5+01:00 gw ${TAIL}`, 2, src) as IptaRecord).ts, '2026-11-25T08:00:00.5Z');
});

test('the default zone is the process TZ', () => {
  const zone = makeZone();
  const expected = new Date(2026, 6, 1, 12, 0, 0).getTime(); // local time per this process's TZ
  assert.equal(zone.toUtc(2026, 6, 1, 12, 0, 0), expected);
});

test('DST: the repeated hour takes the earlier instant, the skipped hour moves forward', () => {
  // Europe/Berlin 2026: clocks go forward on Mar 29 02:00 -> 03:00, back on Oct 25 03:00 -> 02:00
  const berlin = { tz: 'Europe/Berlin' };
  const ref = '2026-11-25T12:00:00Z';
  assert.deepEqual(stamps(['Mar 29 01:59:59', 'Mar 29 02:30:00', 'Mar 29 03:00:00'], berlin, ref), [
    '2026-03-29T00:59:59Z', '2026-03-29T01:30:00Z', '2026-03-29T01:00:00Z',
  ]);
  assert.deepEqual(stamps(['Oct 25 01:59:59', 'Oct 25 02:30:00', 'Oct 25 03:00:00'], berlin, ref), [
    '2026-10-24T23:59:59Z', '2026-10-25T00:30:00Z', '2026-10-25T02:00:00Z',
  ]);
});

test('precision of the source is kept; the same stamp converts once and stays right', () => {
  assert.deepEqual(stamps(['Nov 25 06:25:13.1', 'Nov 25 06:25:13.1', 'Nov 25 06:25:13.123456789'], { tz: 'UTC' }, '2026-11-25T12:00:00Z'), [
    '2026-11-25T06:25:13.1Z', '2026-11-25T06:25:13.1Z', '2026-11-25T06:25:13.123456789Z',
  ]);
});

test('--tz rejects unknown zones', () => {
  assert.throws(() => makeZone('Mars/Olympus_Mons'), RangeError);
});
