// The fast paths of ipta-parse against their plain counterparts: the JSON writer against
// JSON.stringify, one-pass parse() against prepare()/parseAs() (the worker split), and lines
// whose framing must not depend on the line before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser, plainRecord } from '../../src/parse/index.js';
import type { IptaRecord } from '../../src/record.js';

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
