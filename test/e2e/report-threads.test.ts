// ipta-report reads NDJSON on worker threads (src/report/ndjson-report.ts): cut into tiny jobs,
// with workers from the first byte, the rows and every diagnostic must be those of one thread,
// bad lines, blank lines, records without a verdict and an overlong line included; and the line
// numbers in the diagnostics those of the input, counted here line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, records, testEnv } from '../helpers/run-bin.js';
import { reportFixture, toNdjson, FIXTURE_NOW } from '../helpers/report-fixture.js';
import { preview } from '../../src/stream/ndjson-lines.js';

const fixture = reportFixture();

function input(): string {
  const lines = toNdjson(fixture).trimEnd().split('\n');
  // hostile and broken lines spread over the input, so that they land in different jobs
  const odd = ['not json', '', '{"verdict":"deny",', '[1,2]', '   ', JSON.stringify({ src: '1.2.3.4' }),
    JSON.stringify({ verdict: 'maybe', line: 7 }), `{"verdict":"deny","src":"${'9'.repeat(17 * 1024 * 1024)}"}`,
    '\u0000\u001b[31mcontrol', JSON.stringify({ verdict: 'deny', src: "x'; DROP TABLE logs; --", dpt: 22, ts: '2026-11-12T01:00:00Z' })];
  const out: string[] = [];
  lines.forEach((l, i) => { out.push(l); if (i % 37 === 5) out.push(odd[(i / 37) % odd.length | 0]!); });
  return out.join('\n') + '\n';
}

/** The messages about lines that are not JSON records, worked out line by line (1-based numbers). */
function badLines(text: string): string[] {
  const out: string[] = [];
  text.slice(0, -1).split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    if (l.length > 16 * 1024 * 1024) return void out.push(`line ${i + 1}: line longer than 16777216 bytes, skipped`);
    let v: unknown;
    try { v = JSON.parse(l); } catch { return void out.push(`line ${i + 1}: invalid JSON: ${preview(l)}`); }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) out.push(`line ${i + 1}: not a JSON object: ${preview(l)}`);
  });
  return out;
}

for (const args of [[], ['--no-local', '--since', '2026-11-12T00:00:00Z', '--limit', '50'], ['--src', '203.0.113.0/24', '-m', 'denied', '-m', 'scanners']]) {
  test(`worker threads give one thread's rows and diagnostics: ${args.join(' ') || '(no flags)'}`, async () => {
    const text = input();
    const one = await run('ipta-report', ['--now', FIXTURE_NOW, ...args], text, { env: testEnv({ IPTA_REPORT_THREADS: '0' }) });
    const many = await run('ipta-report', ['--now', FIXTURE_NOW, ...args], text, {
      env: testEnv({ IPTA_REPORT_THREADS: '2', IPTA_REPORT_INLINE_BYTES: '0', IPTA_REPORT_JOB_BYTES: '3000' }),
    });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(many.code, 0, many.stderr);
    assert.ok(records(one.stdout).length > 0);
    assert.equal(many.stdout, one.stdout);
    assert.equal(many.stderr, one.stderr);
    // the first five are shown, then counted
    const bad = badLines(text);
    assert.ok(bad.length >= 5 && bad.some((m) => m.includes('longer than')));
    const shown = one.stderr.split('\n').filter((l) => /^ipta-report: line \d+: /.test(l));
    assert.deepEqual(shown, bad.slice(0, 5).map((m) => `ipta-report: ${m}`));
    assert.match(one.stderr, new RegExp(`^ipta-report: ${bad.length} line\\(s\\) were not JSON records and were skipped$`, 'm'));
    assert.match(one.stderr, /record of line 7: bad verdict, skipped/);
  });
}
