// The pure parts of ipta-rdns: address canonical form and PTR names, name cleaning, the
// --dns-server parser, the output splice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAddress, ptrQueryName } from '../../src/rdns/address.js';
import { cleanName, MAX_NAME_LENGTH } from '../../src/rdns/clean-name.js';
import { parseDnsServers } from '../../src/rdns/lookup.js';
import { RAW, recordLine } from '../../src/rdns/rdns-out.js';
import { parseFields } from '../../src/rdns/options.js';
import { UsageError } from '../../src/cli/errors.js';

test('canonicalAddress: one text per address, null for anything else', () => {
  const cases: Array<[string, string | null]> = [
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], // the longest zero run
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // the first of two equal runs
    ['2001:db8:1:1:1:1:0:1', '2001:db8:1:1:1:1:0:1'], // one zero group stays
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['::ffff:192.0.2.7', '::ffff:192.0.2.7'],
    ['::FFFF:c000:0207', '::ffff:192.0.2.7'],
    ['fe80::1%eth0', null],
    ['192.0.2', null],
    ['256.1.1.1', null],
    ['01.2.3.4', null],
    ['example.com', null],
    ['', null],
    ["1.2.3.4'; DROP TABLE dns; --", null],
    ['1:2:3:4:5:6:7:8:9', null],
  ];
  for (const [input, want] of cases) assert.equal(canonicalAddress(input), want, input);
});

test('ptrQueryName: in-addr.arpa and nibbles under ip6.arpa', () => {
  assert.equal(ptrQueryName('192.0.2.1'), '1.2.0.192.in-addr.arpa');
  assert.equal(ptrQueryName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(ptrQueryName('::ffff:192.0.2.7'), '7.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa');
});

test('cleanName: control characters escaped, final dot dropped, length checked', () => {
  assert.equal(cleanName('host.example.com.'), 'host.example.com');
  assert.equal(cleanName('a\x1b[31mb'), 'a\\027[31mb');
  assert.equal(cleanName('x\x00y\x7fz\x9b'), 'x\\000y\\127z\\155');
  assert.equal(cleanName('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(cleanName('line\u2028break'), 'line\\u2028break');
  assert.equal(cleanName("o'hara\"; DROP TABLE dns; --"), "o'hara\"; DROP TABLE dns; --", 'quotes are data');
  assert.equal(cleanName(''), null);
  assert.equal(cleanName('.'), null);
  assert.equal(cleanName('a'.repeat(MAX_NAME_LENGTH)), 'a'.repeat(MAX_NAME_LENGTH));
  assert.equal(cleanName('a'.repeat(MAX_NAME_LENGTH + 1)), null);
  assert.equal(cleanName('\x01'.repeat(100)), null, 'escapes count towards the length');
  assert.equal(cleanName(42), null);
  assert.equal(cleanName(null), null);
});

test('parseDnsServers: HOST (address or name), HOST:PORT, [V6]:PORT, bare V6, lists', () => {
  assert.deepEqual(parseDnsServers('192.0.2.53'), ['192.0.2.53']);
  assert.deepEqual(parseDnsServers('127.0.0.1:5353'), ['127.0.0.1:5353']);
  assert.deepEqual(parseDnsServers('[::1]:5353'), ['[::1]:5353']);
  assert.deepEqual(parseDnsServers('[2001:db8::53]'), ['2001:db8::53']);
  assert.deepEqual(parseDnsServers('2001:db8::53'), ['2001:db8::53']);
  assert.deepEqual(parseDnsServers('192.0.2.53, [::1]:53'), ['192.0.2.53', '[::1]:53']);
  assert.deepEqual(parseDnsServers('dns.example.com'), ['dns.example.com']);
  assert.deepEqual(parseDnsServers('localhost:5353'), ['localhost:5353']);
  for (const bad of ['', 'dns_example.com', 'a..b', '-x.example', "x'; DROP", '1.2.3.4:0', '1.2.3.4:65536', '1.2.3.4:x', '[::1]:', '[nope]:53', '[192.0.2.1]:53', '1.2.3.4:53:1']) {
    assert.throws(() => parseDnsServers(bad), UsageError, bad);
  }
});

test('parseFields: src and dst only, comma-separated, no duplicates', () => {
  assert.deepEqual(parseFields('src,dst'), ['src', 'dst']);
  assert.deepEqual(parseFields('dst'), ['dst']);
  assert.deepEqual(parseFields(' src , src '), ['src']);
  assert.deepEqual(parseFields(['src', 'dst']), ['src', 'dst']);
  assert.throws(() => parseFields('mac'), UsageError);
  assert.throws(() => parseFields(''), UsageError);
});

test('recordLine: names spliced into the input line, else JSON.stringify', () => {
  const keys = ['src_name', 'dst_name'];
  const raw = '{"src":"192.0.2.1", "dst":"192.0.2.2","note":"caf\\u00e9"}';
  const rec: Record<string | symbol, unknown> = { ...JSON.parse(raw), [RAW]: raw };
  assert.equal(recordLine(rec, keys), raw, 'no name: the line as it came');
  rec.dst_name = 'b"x.example.com';
  rec.src_name = 'a.example.com';
  const line = recordLine(rec, keys);
  assert.equal(line, raw.slice(0, -1) + ',"src_name":"a.example.com","dst_name":"b\\"x.example.com"}');
  assert.deepEqual(JSON.parse(line), { src: '192.0.2.1', dst: '192.0.2.2', note: 'café', src_name: 'a.example.com', dst_name: 'b"x.example.com' });
  // a line that already had a name field is serialised again (no duplicate keys)
  const had = '{"src":"192.0.2.1","src_name":"old"}';
  const rec2: Record<string | symbol, unknown> = { ...JSON.parse(had), src_name: 'new.example.com', [RAW]: had };
  assert.equal(recordLine(rec2, keys), '{"src":"192.0.2.1","src_name":"new.example.com"}');
  // trailing blanks after the brace: serialised again
  const rec3: Record<string | symbol, unknown> = { src: '192.0.2.1', src_name: 'n', [RAW]: '{"src":"192.0.2.1"} ' };
  assert.equal(recordLine(rec3, keys), '{"src":"192.0.2.1","src_name":"n"}');
  // no raw text (the wrapper's objects)
  assert.equal(recordLine({ module: 'denied', src: '192.0.2.1', src_name: 'n', count: 2 }, keys), '{"module":"denied","src":"192.0.2.1","src_name":"n","count":2}');
});
