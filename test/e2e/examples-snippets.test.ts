// The deployment snippets in examples/ are checked by the tools that read them: systemd's unit
// verifier, rsyslog's config validation and logrotate itself (a forced rotation of a copy), then
// `ipta -i` reads the rotated set oldest first. .ci/run installs rsyslog for this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, bin, testEnv } from '../helpers/run-bin.js';
import { FIXTURE } from './ipta-fixture.js';

let tmp: string;
before(() => { tmp = mkdtempSync(join(tmpdir(), 'ipta-snippets-')); });
after(() => rmSync(tmp, { recursive: true, force: true }));

function need(tool: string, pkg: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  assert.equal(r.status, 0, `${tool} is needed for this test: apt-get install ${pkg} (bash .ci/run does)`);
  return r.stdout.toString().trim();
}

test('examples/systemd/ipta-follow.service passes systemd-analyze verify and runs ipta --import --follow', () => {
  need('systemd-analyze', 'systemd');
  const unit = readFileSync(join(ROOT, 'examples/systemd/ipta-follow.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/bin\/ipta --import --follow \/var\/log\/iptables\.log$/m);
  assert.match(unit, /^KillSignal=SIGTERM$/m);
  // verify with the real binary in place of /usr/bin/ipta (not installed here)
  const copy = join(tmp, 'ipta-follow.service');
  writeFileSync(copy, unit.replace('/usr/bin/ipta', join(ROOT, 'bin/ipta')));
  // --man=no: whether this machine has the man page the unit points to is not the unit's problem
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8' });
  const problems = (r.stderr + r.stdout).split('\n').filter((l) => l.includes('ipta-follow.service'));
  assert.deepEqual(problems, [], r.stderr);
});

test('examples/rsyslog/10-iptables.conf passes rsyslogd -N1', () => {
  need('rsyslogd', 'rsyslog');
  const r = spawnSync('rsyslogd', ['-N1', '-f', join(ROOT, 'examples/rsyslog/10-iptables.conf')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.doesNotMatch(r.stderr + r.stdout, /error|warning/i);
});

test('examples/logrotate/iptables rotates a copy; ipta -i reads the rotated files oldest first', () => {
  need('logrotate', 'logrotate');
  const log = join(tmp, 'iptables.log');
  const lines = FIXTURE.trimEnd().split('\n');
  const conf = readFileSync(join(ROOT, 'examples/logrotate/iptables'), 'utf8')
    .replace(/^\/var\/log\/iptables\.log \{/m, `${log} {`)
    .replace(/create 0640 root adm/, 'create 0640')
    .replace(/postrotate[\s\S]*endscript/, 'postrotate\n        true\n    endscript');
  const confFile = join(tmp, 'logrotate.conf');
  writeFileSync(confFile, conf);
  const state = join(tmp, 'state');
  // day 1, rotate, day 2, rotate, day 3 (live): .2.gz, .1, live
  writeFileSync(log, lines.slice(0, 3).join('\n') + '\n');
  for (const part of [lines.slice(3, 6), lines.slice(6)]) {
    const r = spawnSync('logrotate', ['-f', '-s', state, confFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    writeFileSync(log, part.join('\n') + '\n');
  }
  assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('iptables.log')).sort(), ['iptables.log', 'iptables.log.1', 'iptables.log.2.gz']);
  // the shell's order is .log .log.1 .log.2.gz; ipta reads them oldest first
  const r = spawnSync(process.execPath, [bin('ipta'), '--scan', log, `${log}.1`, `${log}.2.gz`, '--no-header', '-q'],
    { encoding: 'utf8', env: testEnv({ HOME: tmp }) });
  assert.equal(r.status, 0, r.stderr);
  const times = r.stdout.trimEnd().split('\n').map((l) => l.slice(0, 8));
  assert.deepEqual(times, ['10:00:01', '10:00:02', '10:00:03', '10:00:04', '10:00:05', '10:00:06', '10:00:07', '10:00:09', '10:00:10']);
  assert.ok(existsSync(state));
});
