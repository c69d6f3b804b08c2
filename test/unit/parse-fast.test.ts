// The fast paths of ipta-parse against their plain counterparts: the JSON writer against
// JSON.stringify, one-pass parse() against jobs (the worker split), and lines
// whose framing must not depend on the line before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { LineParser, parseJsonBatches, parseNdjson, parseRecords, plainRecord } from '../../src/parse/index.js';
import type { IptaRecord } from '../../src/record.js';
import { JsonWriter } from '../../src/parse/json-writer.js';
import { JobRunner } from '../../src/parse/job.js';
import { FRESH_YEAR } from '../../src/parse/line-parser.js';

const REF = new Date('2026-11-25T12:00:00Z');
const src = { path: null, ref: REF };

test('a line whose RFC 5424 stamp fails does not change how the next line is framed', () => {
  const next = 'Nov  5 06:25:13 gw1 kernel: DENY:  SRC=192.0.2.1 DST=198.51.100.7 LEN=88 PROTO=ICMP TYPE=3 CODE=3';
  const alone = new LineParser({ tz: 'UTC' }).parse(next, 2, src) as IptaRecord;
  for (const before of ['1 not a stamp', '<13>1 2026-13-45T00:00:00Z x', '1 2026-11-25Tjunk']) {
    const p = new LineParser({ tz: 'UTC' });
    p.parse(before, 1, src);
    const after = p.parse(next, 2, src) as IptaRecord;
    assert.equal(typeof after, 'object', before);
    assert.deepEqual(plainRecord(after), plainRecord(alone), before);
    assert.equal(after.src, '192.0.2.1', before);
  }
});

const HOSTILE = [
  'Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.9 DST=198.51.100.20 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0',
  'Nov 25 06:25:13 h"o\\st kernel: "quo\\"te\u0001 DROP" IN=e"th\u0007 OUT=\u00e9\ud800 SRC=1.2.3.4 DST=x\\y LEN=99999999999999999999 X="a b" Y=\u2028 \u0000 PROTO=TCP SPT=1 DPT=2 MARK=0x1"',
  '2026-11-25T06:25:13.123456+01:00 fw kernel: [UFW BLOCK] IN=ens3 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=1 PROTO=ICMPv6 TYPE=128 CODE=0 ID=7 SEQ=1',
  'Nov  5 06:25:13 gw1 kernel: [ 812.004000] DENY: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=64 ID=5151 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.7 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ',
  '{"__REALTIME_TIMESTAMP":"1795587913123456","_HOSTNAME":"j\\u0000\\"","MESSAGE":"Shorewall:net2fw:DROP:IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 SYN URGP=0 UID=0 GID=0 __proto__=x"}',
  '[ 1234.5] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=65535 DPT=0 SEQ=4294967295 ACK=0 WINDOW=0 RES=0x00 ACK FIN URGP=0',
];

test('parseNdjson / parseJsonBatches: byte for byte JSON.stringify of parseRecords, hostile strings included', async () => {
  const text = HOSTILE.join('\n') + '\n';
  const recs: string[] = [];
  for await (const r of parseRecords({ stdin: Readable.from([text]), year: 2026, tz: 'UTC' })) recs.push(JSON.stringify(r));
  assert.equal(recs.length, HOSTILE.length);
  const chunks: Buffer[] = [];
  for await (const b of parseNdjson({ stdin: Readable.from([text]), year: 2026, tz: 'UTC' })) chunks.push(b);
  assert.equal(Buffer.concat(chunks).toString('utf8'), recs.join('\n') + '\n');
  let joined = '';
  for await (const s of parseJsonBatches({ stdin: Readable.from([text]), year: 2026, tz: 'UTC' })) joined += s + '\n';
  assert.equal(joined, recs.join('\n') + '\n');
});

test('the JSON writer grows past its buffer: a batch of long records', async () => {
  const long = `Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 ${'Q="\u0001\\"'.repeat(3000)} PROTO=UDP SPT=1 DPT=2`;
  const text = Array.from({ length: 40 }, () => long).join('\n');
  const recs: string[] = [];
  for await (const r of parseRecords({ stdin: Readable.from([text]), year: 2026, tz: 'UTC' })) recs.push(JSON.stringify(r));
  const chunks: Buffer[] = [];
  for await (const b of parseNdjson({ stdin: Readable.from([text]), year: 2026, tz: 'UTC' })) chunks.push(b);
  assert.equal(Buffer.concat(chunks).toString('utf8'), recs.join('\n') + '\n');
});

test('jobs run one after another from the state the one before left give what one pass gives (the worker split)', () => {
  const lines = [...HOSTILE, '1 junk', ...HOSTILE, '', 'noise', HOSTILE[0], HOSTILE[0], HOSTILE[0]];
  const one = new JsonWriter();
  const parser = new LineParser({ tz: 'UTC', year: 2026 });
  lines.forEach((l, i) => {
    const r = parser.parse(l, i + 1, src);
    if (typeof r !== 'string') one.record(r);
  });
  const runner = new JobRunner({ tz: 'UTC', year: 2026 });
  let year = FRESH_YEAR;
  let occ = null;
  const out: Uint8Array[] = [];
  for (let k = 0; k < lines.length; k += 3) {
    const res = runner.run({ lines: lines.slice(k, k + 3), firstLine: k + 1, path: null, ref: REF.getTime(), year, occ });
    year = res.endYear;
    occ = res.endOcc;
    out.push(res.out);
  }
  assert.equal(Buffer.concat(out).toString(), one.take().toString());
});

test('the JSON writer: numbers, strings and nested values exactly as JSON.stringify writes them (keys in contract order)', () => {
  const nums = [0, -0, 1, 9, 10, 99, 100, 65535, 2147483647, 2147483648, 4294967295, 1e15, 9007199254740991, 3110030.266177, 0.5, -1, Number.NaN];
  const strs = ['', 'a', 'eth0', 'x"y', 'back\\slash', '\u0000\u001f\u007f', 'é', '\ud800', '\u2028', '😀', '</script>'];
  const w = new JsonWriter(64);
  const expected: string[] = [];
  for (let i = 0; i < nums.length; i++) {
    const s = strs[i % strs.length];
    const rec = { verdict: 'deny', host: s, len: nums[i], ttl: nums[nums.length - 1 - i], flags: [s, 'DF'], extra: { [s]: s }, inner: { src: s, id: nums[i], flags: [] }, line: i + 1, key: s } as unknown as IptaRecord;
    w.record(rec);
    expected.push(JSON.stringify(plainRecord(rec))); // contract key order
  }
  w.record({ verdict: 'log', line: 1, key: 'k' } as IptaRecord);
  expected.push(JSON.stringify({ verdict: 'log', line: 1, key: 'k' }));
  assert.equal(w.take().toString('utf8'), expected.join('\n') + '\n');
  assert.equal(w.length, 0);
});
