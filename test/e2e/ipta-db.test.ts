// The traditional command line against a real MariaDB: tables, import, analyze from the
// database, action order, the DNS cache switches, --save-db, -pi, -p and the -ai prompt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { bin, testEnv } from '../helpers/run-bin.js';
import { FIXTURE, sandbox, tableRows, type Sandbox } from './ipta-fixture.js';

let db: TestDb;
let sb: Sandbox;
let log: string;
let F: string[];
before(async () => {
  db = await createTestDb('ipta_test_wrap');
  sb = sandbox();
  log = sb.file('fw.log', FIXTURE);
  // no --db-pass: the test server's password is empty and comes from the environment
  F = ['-h', db.options.host, '--db-port', String(db.options.port), '-u', db.options.user, '-d', db.name];
});
after(async () => {
  await db.drop();
  sb.remove();
});

const env = () => ({ IPTA_DB_PASS: db.options.password });
const ipta = (args: string[], input?: string, extra: Record<string, string | undefined> = {}) =>
  sb.ipta(args, { input, env: { ...env(), ...extra } });
const count = async (table: string) => Number((await db.conn.query(`SELECT COUNT(*) AS n FROM \`${table}\``) as [{ n: number }[], unknown])[0][0].n);

test('-ct creates the log table and says so; again: already exists; -ct NAME; -lt lists them with row counts', async () => {
  let r = await ipta([...F, '-ct']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^ipta: created table logs$/m);
  r = await ipta([...F, '--create-table']);
  assert.match(r.stderr, /^ipta: table logs already exists$/m);
  r = await ipta([...F, '-ct', 'other_logs', '--dns-create-table']);
  assert.match(r.stderr, /created table other_logs/);
  assert.match(r.stderr, /created DNS table dns/);
  r = await ipta([...F, '-lt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Table\s+Type\s+Rows$/m);
  assert.match(r.stdout, /^logs\s+log\s+0$/m);
  assert.match(r.stdout, /^other_logs\s+log\s+0$/m);
  assert.match(r.stdout, /^dns\s+dns\s+0$/m);
});

test('-i imports (idempotent); -c -i clears first; `-a -i f -c` clears, imports, then analyzes', async () => {
  let r = await ipta([...F, '-i', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /records read 9, inserted 9, already present 0, rejected 0/);
  assert.equal(await count('logs'), 9);
  r = await ipta([...F, '--import', log]);
  assert.match(r.stderr, /records read 9, inserted 0, already present 9/);
  assert.equal(await count('logs'), 9);
  r = await ipta([...F, '-a', '-i', log, '-c', '--module', 'ports']);
  assert.equal(r.code, 0, r.stderr);
  const order = ['cleared table logs (9 rows deleted)', 'inserted 9'].map((s) => r.stderr.indexOf(s));
  assert.ok(order[0] >= 0 && order[1] > order[0], r.stderr);
  assert.match(tableRows(r.stdout, 'Most denied ports')[0], /^\s+3\s+22 TCP\s+DROP$/);
  assert.equal(await count('logs'), 9);
});

test('--analyze from the database prints exactly what --analyze FILE prints', async () => {
  const fromDb = await ipta([...F, '--analyze', '-l', '20']);
  const fromFile = await ipta(['--analyze', log, '-l', '20', '-q']);
  assert.equal(fromDb.code, 0, fromDb.stderr);
  assert.equal(fromDb.stdout, fromFile.stdout);
  assert.match(fromDb.stdout, /Showing denied traffic/);
  const nl = await ipta([...F, '--analyze', '--no-local', '--no-accept', '--module', 'interfaces']);
  assert.doesNotMatch(nl.stdout, /\blo\b|ACCEPT/);
});

test('--html without files: the page from the database', async () => {
  const out = `${sb.dir}/db.html`;
  const r = await ipta([...F, '--html', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /203\.0\.113\.5/);
});

test('-dt deletes one of ipta\'s tables, refuses others; -da needs --yes without a terminal', async () => {
  await db.conn.query('CREATE TABLE not_ipta (x INT)');
  let r = await ipta([...F, '-dt', 'not_ipta']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not created by ipta/);
  r = await ipta([...F, '-dt', 'other_logs']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /deleted table other_logs/);
  r = await ipta([...F, '-da']);
  assert.equal(r.code, 2);
  // the log and DNS tables, and the report's summary tables of logs (logs__r_...)
  assert.match(r.stderr, /would delete \d+ table\(s\) \(dns, logs(, logs__\w+)*\): add --yes/);
  assert.equal(await count('logs'), 9);
  r = await ipta([...F, '-da', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  r = await ipta([...F, '-lt']);
  assert.match(r.stdout, /^not_ipta\s+-\s+0$/m);
  assert.doesNotMatch(r.stdout, /^logs/m);
  await db.conn.query('DROP TABLE not_ipta');
});

test('DNS cache: --dns-table, --dns-dump sorted, -dp prunes by --ttl, --dns-cache-clear', async () => {
  let r = await ipta([...F, '--dns-create-table', '--dns-table', 'names']);
  assert.match(r.stderr, /created DNS table names/);
  await db.conn.query(`INSERT INTO names (addr, name, looked_up) VALUES
    ('2001:db8::1', 'six.example', UTC_TIMESTAMP()), ('192.0.2.10', 'ten.example', UTC_TIMESTAMP() - INTERVAL 48 HOUR),
    ('192.0.2.9', NULL, UTC_TIMESTAMP())`);
  r = await ipta([...F, '--dns-table', 'names', '--dns-dump']);
  assert.equal(r.stdout, '192.0.2.9\t-\n192.0.2.10\tten.example\n2001:db8::1\tsix.example\n');
  r = await ipta([...F, '--dns-table', 'names', '-dp', '--dns-ttl', '24']);
  assert.match(r.stderr, /pruned 1 entries older than 24 hours/);
  assert.equal(await count('names'), 2);
  r = await ipta([...F, '--dns-table', 'names', '--dnsc-clear']);
  assert.match(r.stderr, /cleared DNS table names \(2 entries deleted\)/);
  assert.equal(await count('names'), 0);
});

test('-p works and warns that the password is visible in the process list', async () => {
  const r = await ipta([...F, '-p', db.options.password, '-lt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /visible in the process list/);
});

/** A user with a real password, for -pi and --save-db. */
async function withUser(fn: (user: string, pass: string) => Promise<void>): Promise<void> {
  const user = `ipta_u_${randomBytes(3).toString('hex')}`;
  const pass = `pw'${randomBytes(4).toString('hex')}"#x`;
  await db.conn.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', pass]);
  await db.conn.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [user, '%']);
  try {
    await fn(user, pass);
  } finally {
    await db.conn.query('DROP USER ?@?', [user, '%']);
  }
}

test('-pi reads the password from stdin when it is not a terminal; a wrong one is refused (exit 1)', async () => {
  await withUser(async (user, pass) => {
    const base = ['-h', db.options.host, '--db-port', String(db.options.port), '-d', db.name, '-u', user, '-pi', '-lt'];
    let r = await sb.ipta(base, { input: `${pass}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(pass.replace(/[^a-z0-9]/g, '.')));
    r = await sb.ipta(base, { input: 'wrong\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot connect .* as user ipta_u_\w+: Access denied/);
  });
});

test('-pi on a terminal: prompt on the pseudo-terminal, the password is not echoed', async () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  assert.ok(hasScript, 'script(1) from util-linux is needed for this test');
  await withUser(async (user, pass) => {
    const cmd = [process.execPath, bin('ipta'), '-h', db.options.host, '--db-port', String(db.options.port), '-d', db.name, '-u', user, '-pi', '-lt']
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const c = spawn('script', ['-qec', cmd, '/dev/null'], { env: testEnv({ HOME: sb.home }) });
      let text = '';
      let sent = false;
      c.stdout.on('data', (b: Buffer) => {
        text += b.toString();
        if (!sent && text.includes('Database password: ')) {
          sent = true;
          // type it slowly enough to be read in raw mode, as a person would
          setTimeout(() => c.stdin.write(`${pass}\r`), 200);
        }
      });
      const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
      c.on('close', (code) => { clearTimeout(t); resolve({ code, text }); });
    });
    assert.equal(out.code, 0, out.text);
    assert.ok(!out.text.includes(pass), `password echoed: ${out.text}`);
    assert.match(out.text, /Table\s+Type\s+Rows/);
  });
});

test('--save-db writes ~/.ipta with mode 0600; later commands need no flags; warns when it was readable', async () => {
  await withUser(async (user, pass) => {
    const path = `${sb.home}/.ipta`;
    writeFileSync(path, '# mine\nanalyzer limit = 3\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    let r = await sb.ipta(['-h', db.options.host, '--db-port', String(db.options.port), '-d', db.name, '-u', user, '-pi', '-s'], { input: `${pass}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /was readable by other users \(mode 0644\)/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^# mine\nanalyzer limit = 3\n/);
    assert.match(text, new RegExp(`^db_user = ${user}$`, 'm'));
    r = await sb.ipta(['-lt']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Table\s+Type\s+Rows/);
  });
  assert.ok(existsSync(`${sb.home}/.ipta`));
  writeFileSync(`${sb.home}/.ipta`, '');
});

test('-ai: read-only SQL from stdin, ipta tables, refusals, help with tables and columns', async () => {
  await ipta([...F, '-ct', '-i', log, '-q']);
  const input = [
    'SELECT src, COUNT(*) AS n FROM logs GROUP BY src ORDER BY n DESC, src LIMIT 2;',
    'DELETE FROM logs',
    'SELECT 1; DROP TABLE logs',
    'help',
    'DESCRIBE logs',
  ].join('\n') + '\n';
  const r = await ipta([...F, '-ai'], input);
  assert.equal(r.code, 1, 'a refused statement makes a scripted session fail');
  assert.match(r.stdout, /^src\s+n\n-+ -+\n203\.0\.113\.5\s+4\n127\.0\.0\.1\s+1\n\(2 rows\)$/m);
  assert.match(r.stderr, /DELETE is not allowed/);
  assert.match(r.stderr, /one statement at a time/);
  assert.match(r.stdout, /Tables in ipta_test_wrap_\w+:\n(.*\n)*\s+logs: id bigint/);
  assert.match(r.stdout, /^Field\s+Type/m);
  assert.equal(await count('logs'), 9);
});

test('-ai: the server refuses a write that gets past the words (READ ONLY transaction)', async () => {
  await db.conn.query('CREATE SEQUENCE ipta_seq');
  // NEXTVAL writes to the sequence table: a SELECT that writes
  const r = await ipta([...F, '-ai'], 'SELECT NEXTVAL(ipta_seq)\n');
  await db.conn.query('DROP SEQUENCE ipta_seq');
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /READ ONLY/i);
});

test('-t names the log table every action uses; --db URL; hostile table names are refused before any SQL', async () => {
  let r = await ipta([...F, '-t', 'fw_b', '-ct', '-i', log, '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /created table fw_b/);
  assert.equal(await count('fw_b'), 9);
  r = await ipta(['--db', `mysql://${db.options.user}@${db.options.host}:${db.options.port}/${db.name}`, '--db-table', 'fw_b', '-a', '--module', 'ports', '-l', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(tableRows(r.stdout, 'Most denied ports')[0], /^\s+3\s+22 TCP\s+DROP$/);
  for (const bad of ['x`; DROP TABLE fw_b; --', "a' OR '1'='1", 'fw_b\u001b[2J']) {
    r = await ipta([...F, '-t', bad, '-c']);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /invalid table name/);
    assert.doesNotMatch(r.stderr, /\u001b/);
  }
  assert.equal(await count('fw_b'), 9);
});

test('-r: the analyzer from the database with names, cached in the DNS table', async () => {
  const { startDnsServer, ptrName } = await import('../helpers/dns-server.js');
  const dns = await startDnsServer(new Map([[ptrName('203.0.113.5'), { ptr: ['scanner.example.net'] }]]));
  try {
    await ipta([...F, '-t', 'fw_r', '-ct', '-i', log, '-q']);
    const args = [...F, '-t', 'fw_r', '--dns-table', 'names_r', '-a', '-r', '--module', 'denied', '-l', '1', '--dns-server', dns.spec];
    let r = await ipta(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(tableRows(r.stdout, 'Showing denied traffic')[0], /^\s+3 scanner\.example\.net /);
    assert.equal(dns.countFor('203.0.113.5'), 1);
    const [rows] = await db.conn.query('SELECT name FROM names_r WHERE addr = ?', ['203.0.113.5']) as [{ name: string }[], unknown];
    assert.equal(rows[0]?.name, 'scanner.example.net');
    // the second run is answered from the cache
    r = await ipta(args);
    assert.match(r.stdout, /scanner\.example\.net/);
    assert.equal(dns.countFor('203.0.113.5'), 1);
  } finally {
    await dns.close();
  }
});

test('-da on a terminal asks first: n keeps the tables, y deletes them', async () => {
  const dbName = db.name;
  await ipta([...F, '-t', 'ask_me', '-ct']);
  const answer = (key: string) => new Promise<string>((resolve) => {
    const cmd = [process.execPath, bin('ipta'), ...F, '-da'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const c = spawn('script', ['-qec', cmd, '/dev/null'], { env: testEnv({ HOME: sb.home, IPTA_DB_PASS: db.options.password }) });
    let text = '';
    let sent = false;
    c.stdout.on('data', (b: Buffer) => {
      text += b.toString();
      if (!sent && text.includes('[y/N]')) {
        sent = true;
        setTimeout(() => c.stdin.write(`${key}\r`), 100);
      }
    });
    const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
    c.on('close', () => { clearTimeout(t); resolve(text); });
  });
  let text = await answer('n');
  assert.match(text, new RegExp(`Delete \\d+ ipta table\\(s\\) in database ${dbName} \\(.*ask_me.*\\)\\? \\[y/N\\]`));
  assert.match(text, /nothing deleted/);
  assert.equal(await count('ask_me'), 0);
  text = await answer('y');
  assert.match(text, /deleted \d+ table\(s\): .*ask_me/);
  const [rows] = await db.conn.query("SHOW TABLES LIKE 'ask_me'") as [unknown[], unknown];
  assert.equal(rows.length, 0);
});
