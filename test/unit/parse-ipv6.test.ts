import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIpv6 } from '../../src/parse/index.js';

test('RFC 5952 canonical form', () => {
  const cases: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // a single 0 group is not compressed
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // the longer run wins
    ['ff02::1:ff00:1', 'ff02::1:ff00:1'],
    ['2A0A:1580::A', '2a0a:1580::a'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalIpv6(input), want, input);
});

test('not an address: returned unchanged', () => {
  for (const s of ['2001:db8', '1:2:3:4:5:6:7:8:9', '12345::1', 'zz::1', '1::2::3', ':', '2001:db8:']) assert.equal(canonicalIpv6(s), s);
});
