import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, normaliseKey } from '../../src/config/parse-config.js';
import { mergeDbSettings } from '../../src/config/save-db.js';
import { DB_DEFAULTS } from '../../src/store/options.js';

test('every key of the manual, in both spellings, no final newline', () => {
  const text = [
    '# ipta settings',
    'db.host = db.example.net',
    'db_user=alice',
    'db.pass = "s3 cr#et"',
    'db_name = ipta2',
    'db.table = fw_logs',
    'dns_table = fw_dns',
    'db_port = 3307',
    'db_socket = /run/mysqld/mysqld.sock',
    'db_ssl = yes',
    'db_ssl_ca = /etc/ssl/ca.pem',
    'analyzer limit = 25',
    'rdns = yes',
    'counter = no',
    'show-lo = no',
    'header = No',
    'ttl = 48',
  ].join('\n');
  const { values, warnings } = parseConfig(text);
  assert.deepEqual(warnings, []);
  assert.deepEqual(values, {
    db_host: 'db.example.net', db_user: 'alice', db_pass: 's3 cr#et', db_name: 'ipta2', db_table: 'fw_logs',
    dns_table: 'fw_dns', db_port: 3307, db_socket: '/run/mysqld/mysqld.sock', db_ssl: true, db_ssl_ca: '/etc/ssl/ca.pem',
    limit: 25, rdns: true, counter: false, show_lo: false, header: false, ttl: 48,
  });
});

test('key spellings normalise to one name', () => {
  assert.equal(normaliseKey(' DB.Host '), 'db_host');
  assert.equal(normaliseKey('analyzer   limit'), 'analyzer_limit');
  assert.equal(normaliseKey('show-lo'), 'show_lo');
});

test('comments, blank lines, CRLF, trailing comments, a # inside a bare value', () => {
  const { values, warnings } = parseConfig('\r\n# c\r\n  ; also a comment\r\ndb_pass = pa#ss  # the password\r\nheader = yes\r\n');
  assert.deepEqual(warnings, []);
  assert.deepEqual(values, { db_pass: 'pa#ss', header: true });
});

test('unknown keys, bad values and lines without = are warnings naming the line; the rest applies', () => {
  const { values, warnings } = parseConfig('db_host = h\ncolour = red\nanalyzer limit = 0\nanalyzer limit = 5000\nheader = maybe\ndb_port = 70000\njust words\ndb_table = x`; DROP TABLE y\nrdns = on');
  assert.deepEqual(values, { db_host: 'h', rdns: true });
  assert.deepEqual(warnings.map((w) => w.line), [2, 3, 4, 5, 6, 7, 8]);
  assert.match(warnings[0].message, /unknown key "colour"/);
  assert.match(warnings[1].message, /bad value "0" for analyzer limit: expected a number from 1 to 1000/);
  assert.match(warnings[3].message, /expected yes or no/);
  assert.match(warnings[5].message, /expected "key = value"/);
  assert.match(warnings[6].message, /table name/);
});

test('control characters in a bad line are not echoed raw', () => {
  const { warnings } = parseConfig('\u001b[31mevil = 1');
  assert.equal(warnings.length, 1);
  assert.doesNotMatch(warnings[0].message, /\u001b/);
});

test('--save-db text: db keys rewritten in place (any spelling), other lines kept, missing ones appended', () => {
  const old = '# mine\ndb.host = old\nanalyzer limit = 20\ndb_pass = old\ndb_host = dup\n';
  const s = { ...DB_DEFAULTS, host: 'new', password: 'p w', database: 'd' };
  const text = mergeDbSettings(old, s);
  assert.equal(text, [
    '# mine', 'db_host = new', 'analyzer limit = 20', 'db_pass = p w',
    'db_port = 3306', 'db_user = ipta', 'db_name = d', 'db_table = logs', 'dns_table = dns', '',
  ].join('\n'));
  // what was written reads back as the same settings
  const { values, warnings } = parseConfig(text);
  assert.deepEqual(warnings, []);
  assert.equal(values.db_pass, 'p w');
  assert.equal(values.limit, 20);
  assert.equal(parseConfig(mergeDbSettings('', { ...s, password: ' lead#' })).values.db_pass, ' lead#');
});
