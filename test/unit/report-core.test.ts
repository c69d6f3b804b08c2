// The report's pure parts: times, addresses, ordering, facts. Table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoUs, formatUs, parseTimeArg, parseDuration, sqlDatetime } from '../../src/report/time.js';
import { parseAddr, parseCidr, inRanges, rangeBytes } from '../../src/report/ip.js';
import { topN, cmpVal } from '../../src/report/build.js';
import { toFact, tsUs, passesFilters, weekday } from '../../src/report/stream-engine.js';
import { reportOptionsFromArgv } from '../../src/report/options.js';

test('times: ISO in, microseconds, canonical ISO out', () => {
  const cases: [string, string | undefined][] = [
    ['2026-11-25T06:25:13Z', '2026-11-25T06:25:13Z'],
    ['2026-11-25T06:25:13.5Z', '2026-11-25T06:25:13.5Z'],
    ['2026-11-25T06:25:13.123456789Z', '2026-11-25T06:25:13.123456Z'],
    ['2026-11-25T06:25:13.000042Z', '2026-11-25T06:25:13.000042Z'],
    ['2026-11-25T06:25:13.1234567Z', '2026-11-25T06:25:13.123456Z'],
    ['2026-11-25T06:25:13.12a4Z', undefined],
    ['2026-11-25T07:25:13+01:00', '2026-11-25T06:25:13Z'],
    ['2026-11-25 06:25', '2026-11-25T06:25:00Z'],
    ['2026-11-25', '2026-11-25T00:00:00Z'],
    ['2026-02-31T00:00:00Z', undefined],
    ['2026-12-31T23:59:60Z', '2026-12-31T23:59:59Z'],
    ['2026-11-25T06:61:00Z', undefined],
    ['yesterday', undefined],
  ];
  for (const [inp, out] of cases) {
    const us = parseIsoUs(inp);
    assert.equal(us === undefined ? undefined : formatUs(us), out, inp);
    if (inp.endsWith('Z')) assert.equal(tsUs(inp), us, `fast path ${inp}`);
  }
  assert.equal(sqlDatetime(parseIsoUs('2026-11-25T06:25:13.000042Z')!), '2026-11-25 06:25:13.000042');
});

test('--since/--until: relative to --now, or absolute', () => {
  const now = parseIsoUs('2026-11-20T12:00:00Z')!;
  assert.equal(formatUs(parseTimeArg('24h', now, '--since')), '2026-11-19T12:00:00Z');
  assert.equal(formatUs(parseTimeArg('7d', now, '--since')), '2026-11-13T12:00:00Z');
  assert.equal(formatUs(parseTimeArg('30m', now, '--since')), '2026-11-20T11:30:00Z');
  assert.equal(formatUs(parseTimeArg('2026-11-01', now, '--since')), '2026-11-01T00:00:00Z');
  assert.throws(() => parseTimeArg('soon', now, '--since'), /--since: expected/);
  assert.equal(parseDuration('1h', '--scan-window'), 3_600_000_000);
  assert.throws(() => parseDuration('0m', '--scan-window'), /duration/);
  const o = reportOptionsFromArgv({ now: '2026-11-20T12:00:00Z', since: '1d', until: '2026-11-20T06:00:00+02:00' });
  assert.equal(formatUs(o.filters.since!), '2026-11-19T12:00:00Z');
  assert.equal(formatUs(o.filters.until!), '2026-11-20T04:00:00Z');
});

test('addresses and CIDR blocks, IPv4 and IPv6, as numbers', () => {
  assert.deepEqual(parseAddr('2001:0db8:0000:0000:0000:0000:0000:0007'), parseAddr('2001:db8::7'));
  assert.deepEqual(parseAddr('::ffff:1.2.3.4'), [true, 0xffff01020304n]);
  for (const bad of ['1.2.3', '256.1.1.1', '1:2:3', '2001:db8::1::2', 'example.com', '']) assert.equal(parseAddr(bad), undefined, bad);
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.1.2', true], ['10.0.0.0/8', '11.0.0.0', false], ['192.0.2.7', '192.0.2.7', true],
    ['2001:db8::/32', '2001:0db8:ffff::1', true], ['2001:db8::/32', '2001:db9::1', false],
    ['10.0.0.0/8', '0a00::1', false], ['::/0', '10.0.0.1', false], ['0.0.0.0/0', '::1', false],
  ];
  for (const [cidr, addr, want] of cases) assert.equal(inRanges(addr, [parseCidr(cidr, '--src')]), want, `${addr} in ${cidr}`);
  assert.throws(() => parseCidr('10.0.0.0/40', '--src'), /prefix length/);
  assert.deepEqual(rangeBytes(parseCidr('10.1.0.0/16', '--src')).map((b) => b.toString('hex')), ['0a010000', '0a01ffff']);
});

test('topN: count descending, ties by keys (absent first, byte order, numbers numerically)', () => {
  const items = [
    { n: 2, k: ['b', 10] }, { n: 5, k: ['z', 1] }, { n: 2, k: ['a', 9] }, { n: 2, k: ['a', 10] },
    { n: 2, k: [undefined, 1] }, { n: 2, k: ['B', 1] }, { n: 1, k: ['a', 1] },
  ];
  const top = topN(items, 5, (x) => x.n, (x) => x.k as (string | number | undefined)[]);
  assert.deepEqual(top.map((x) => x.k), [['z', 1], [undefined, 1], ['B', 1], ['a', 9], ['a', 10]]);
  assert.equal(cmpVal('DROP', 'drop') < 0, true);
  assert.equal(cmpVal(9, 10) < 0, true);
});

test('facts: fields cut to the store widths, wrong types absent, verdict required', () => {
  const f = toFact({ verdict: 'deny', src: '10.0.0.1', dpt: 70000, spt: '80', action: 'x'.repeat(70), host: '', in: 'lo' } as Record<string, unknown>);
  assert.ok(typeof f !== 'string');
  assert.equal(f.dpt, undefined);
  assert.equal(f.spt, undefined);
  assert.equal(f.action!.length, 64);
  assert.equal(f.host, undefined);
  assert.equal(toFact({ src: '1.2.3.4' }), 'no verdict');
  assert.equal(toFact({ verdict: 'DENY' } as Record<string, unknown>), 'bad verdict');
  const o = reportOptionsFromArgv({ noLocal: true, action: ['drop'], host: ['FW1'] });
  assert.equal(passesFilters({ ...f, action: 'DROP', host: 'fw1', in: 'eth0' }, o.filters), true);
  assert.equal(passesFilters({ ...f, action: 'DROP', host: 'fw1' }, o.filters), false, 'lo');
  assert.equal(passesFilters({ ...f, action: 'REJECT', host: 'fw1', in: 'eth0' }, o.filters), false, 'action');
  // 1970-01-01 was a Thursday; 2026-11-22 is a Sunday
  assert.equal(weekday(0), 4);
  assert.equal(weekday(Math.floor(parseIsoUs('2026-11-22T13:00:00Z')! / 3_600_000_000)), 0);
});
