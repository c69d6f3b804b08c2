// The HTML page from report rows: escaping, chart elements matching the rows, tables, size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderHtml } from '../../src/html/report.js';
import { escapeHtml } from '../../src/html/escape.js';
import { WEEKDAY_ORDER } from '../../src/html/heatmap.js';
import { MODULE_SPECS } from '../../src/html/columns.js';
import type { ReportRow, TimelineRow, HeatmapRow } from '../../src/report/rows.js';
import { bigReport, HOSTILE, HOSTILE_SCRIPT, smallReport } from './html-fixture.js';

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;
const attrs = (s: string, re: RegExp): string[] => [...s.matchAll(re)].map((m) => m[1]!);

test('escapeHtml: markup characters, quotes and control characters', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'],
    [HOSTILE, '&lt;img src=x onerror=alert(1)&gt;'],
    [`a"b'c&d`, 'a&quot;b&#39;c&amp;d'],
    ['&amp;', '&amp;amp;'],
    ['tab\tnl\nnul\u0000esc\u001bdel\u007f', 'tab\tnl\nnul\\x00esc\\x1bdel\\x7f'],
    [42, '42'],
    [undefined, ''],
    [null, ''],
  ];
  for (const [input, want] of cases) assert.equal(escapeHtml(input), want, JSON.stringify(input));
});

test('hostile strings from the log are text, in content and in attributes', () => {
  const html = renderHtml(smallReport(), { title: `report ${HOSTILE}` });
  assert.ok(!html.includes('<img'), 'no <img element in the page');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the hostile action is shown, escaped');
  // one <script> element (ours), closed once; the interface name "</script><script>..." does not end it
  assert.equal(count(html, /<script/gi), 1);
  assert.equal(count(html, /<\/script/gi), 1);
  assert.equal(count(html, /<!--/g), 0);
  assert.ok(html.includes(escapeHtml(HOSTILE_SCRIPT)));
  assert.ok(html.includes(`<title>report ${escapeHtml(HOSTILE)}</title>`));
  // a resolved name lands in a title attribute too: quotes cannot end it
  const rows: ReportRow[] = [{ module: 'denied', count: 1, src: '192.0.2.9', src_name: `x" onmouseover="alert(3)` }];
  const page = renderHtml(rows);
  assert.ok(!page.includes('" onmouseover="'));
  assert.ok(page.includes('title="x&quot; onmouseover=&quot;alert(3)"'));
});

test('the page fetches nothing: no src/href, a CSP that allows only our own script', () => {
  const html = renderHtml(smallReport());
  const tags = html.replace(/"[^"]*"/g, '""'); // attribute values aside (log text may say "src=")
  assert.equal(count(tags, /<[a-z][^>]*\s(src|srcset|data|poster|action|xlink:href)=/gi), 0, 'no element loads anything');
  // links only within the page (the navigation line)
  const hrefs = attrs(html, /\shref="([^"]*)"/g);
  assert.ok(hrefs.length > 5);
  for (const href of hrefs) assert.match(href, /^#m-[a-z-]+$/);
  const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => u !== 'http://www.w3.org/2000/svg');
  assert.deepEqual(urls, []);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`script-src 'sha256-${hash}'`), 'the CSP hash is the hash of the inline script');
});

test('timeline: one bar per time bucket, one segment per verdict in it, heights by count', () => {
  const rows = smallReport();
  const tl = rows.filter((r): r is TimelineRow => r.module === 'timeline');
  const html = renderHtml(rows);
  const buckets = new Set(tl.map((r) => r.bucket));
  const segs = new Set(tl.map((r) => `${r.bucket} ${r.verdict}`));
  assert.equal(count(html, /<g class="bar"/g), buckets.size);
  assert.equal(count(html, /<rect class="seg /g), segs.size);
  // every bar's segments add up to its total; all segments share one scale (height / count)
  const total = tl.reduce((n, r) => n + r.count, 0);
  const barTotals = attrs(html, /<g class="bar" data-total="(\d+)"/g).map(Number);
  assert.equal(barTotals.reduce((a, b) => a + b, 0), total);
  const scales = [...html.matchAll(/<rect class="seg \w+" data-count="(\d+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)]
    .map((m) => Number(m[2]) / Number(m[1]));
  assert.equal(scales.length, segs.size);
  for (const s of scales) assert.ok(Math.abs(s - scales[0]!) < 0.1, `segment scale ${s} vs ${scales[0]}`);
  // the deny segment of the first bucket sums two actions (DROP 10 + REJECT 2)
  const deny = tl.filter((r) => r.bucket === tl[0]!.bucket && r.verdict === 'deny').reduce((n, r) => n + r.count, 0);
  assert.ok(html.includes(`<rect class="seg deny" data-count="${deny}"`));
  assert.ok(html.includes('per hour, UTC'));
});

test('timeline: hourly rows over more than a month are drawn per day', () => {
  const rows: ReportRow[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let hr = 0; hr < 24 * 40; hr += 5) {
    rows.push({ module: 'timeline', bucket: new Date(start + hr * 3_600_000).toISOString(), unit: 'hour', verdict: hr % 2 ? 'deny' : 'accept', count: 1 });
  }
  const html = renderHtml(rows);
  const days = new Set(rows.map((r) => (r as TimelineRow).bucket.slice(0, 10)));
  assert.equal(count(html, /<g class="bar"/g), days.size);
  assert.ok(html.includes('per day, UTC'));
  const dayVerdicts = new Set(rows.map((r) => `${(r as TimelineRow).bucket.slice(0, 10)} ${(r as TimelineRow).verdict}`));
  assert.equal(count(html, /<rect class="seg /g), dayVerdicts.size);
});

test('heatmap: 7 x 24 cells, each with the count of its weekday and hour', () => {
  const rows = smallReport();
  const hm = rows.filter((r): r is HeatmapRow => r.module === 'heatmap');
  const html = renderHtml(rows);
  const cells = attrs(html, /<td class="hm" data-count="(\d+)"/g).map(Number);
  assert.equal(cells.length, 7 * 24);
  assert.equal(cells.filter((c) => c > 0).length, new Set(hm.map((r) => `${r.weekday}/${r.hour}`)).size);
  for (const r of hm) {
    const index = WEEKDAY_ORDER.indexOf(r.weekday) * 24 + r.hour;
    assert.equal(cells[index], r.count, `weekday ${r.weekday} hour ${r.hour}`);
  }
  assert.equal(cells.reduce((a, b) => a + b, 0), hm.reduce((n, r) => n + r.count, 0));
});

test('every table module is a table with its title, columns and rows; resolved names beside addresses', () => {
  const rows = smallReport();
  const html = renderHtml(rows);
  for (const [module, spec] of Object.entries(MODULE_SPECS)) {
    if (module === 'timeline' || module === 'heatmap') continue;
    const m = new RegExp(`<section class="panel" id="m-${module}"><h2>([^<]*)[\\s\\S]*?<table class="sortable" data-module="${module}"><thead><tr>(.*?)</tr></thead>\\n<tbody>\\n([\\s\\S]*?)\\n</tbody>`).exec(html);
    assert.ok(m, `table for ${module}`);
    assert.equal(m[1]!.trim(), escapeHtml(spec.title));
    assert.deepEqual(attrs(m[2]!, /<th[^>]*>([^<]*)<\/th>/g), spec.columns.map((c) => c.head), `${module} headings`);
    const want = rows.filter((r) => r.module === module).length;
    assert.equal(count(m[3]!, /<tr>/g), want, `${module} rows`);
  }
  assert.match(html, /<span class="name" title="scanner\.example\.net">scanner\.example\.net<\/span> <span class="ip">203\.0\.113\.7<\/span>/);
  // a full report (with a summary) shows modules without rows as empty tables
  const noScanners = renderHtml(rows.filter((r) => r.module !== 'scanners'));
  assert.match(noScanners, /data-module="scanners">[\s\S]*?<tr class="empty"><td colspan="7">nothing to show<\/td><\/tr>/);
  // a partial report shows only what it has
  const partial = renderHtml(rows.filter((r) => r.module === 'ports'));
  assert.equal(count(partial, /<table class="sortable"/g), 1);
  assert.ok(!partial.includes('class="cards"'));
});

test('summary cards: period, packets, share denied, sources, busiest port, hosts', () => {
  const html = renderHtml(smallReport());
  const cards = /<section class="cards"[\s\S]*?<\/section>/.exec(html)![0];
  const labels = attrs(cards, /<div class="label">([^<]*)</g);
  assert.deepEqual(labels, ['Period', 'Packets', 'Denied', 'Sources', 'Busiest port', 'Hosts']);
  const values = attrs(cards, /<div class="value">([^<]*)</g);
  assert.deepEqual(values, ['36 h 9 min', '43', '69.8 %', '6', '22', '2']);
});

test('the same rows give the same bytes', () => {
  assert.equal(renderHtml(smallReport()), renderHtml(smallReport()));
});

test('size: the report of a 1M-line log with default limits stays under 1 MB', () => {
  const rows = bigReport(10);
  const bytes = Buffer.byteLength(renderHtml(rows));
  console.log(`html size for ${rows.length} rows: ${bytes} bytes`);
  assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  // --limit 100 still renders (size grows with the tables, not beyond reason)
  const bytes100 = Buffer.byteLength(renderHtml(bigReport(100)));
  console.log(`html size with --limit 100: ${bytes100} bytes`);
  assert.ok(bytes100 < 3_000_000);
});

test('rows of the wrong shape do not break the page, and stay escaped', () => {
  const junk = [
    null,
    { module: 'timeline', count: 3 },
    { module: 'timeline', bucket: 'yesterday', unit: 'hour', verdict: 'deny', count: 1 },
    { module: 'timeline', bucket: '2026-11-25T06:00:00Z', unit: 'hour', verdict: HOSTILE, count: 2 },
    { module: 'heatmap', weekday: '3', hour: 25, count: 1 },
    { module: 'denied', count: '7', src: { toString: 'x' }, dpt: [1, 2], action: HOSTILE },
    { module: 'scanners', count: 1, src: '192.0.2.1', sample_ports: HOSTILE },
    { module: HOSTILE, count: 1 },
    { module: 'constructor', count: 1 },
    { module: 'summary', count: 'many' },
  ] as unknown as ReportRow[];
  const html = renderHtml(junk);
  assert.ok(!html.includes('<img'));
  assert.equal(count(html, /<g class="bar"/g), 1, 'the one timeline row with a time is drawn');
  assert.ok(html.includes('2 rows without a valid time left out'));
  assert.ok(html.includes(`<rect class="seg other"`), 'an unknown verdict is drawn as "other"');
  assert.ok(html.includes('3 rows of unknown modules not shown'), 'the null row, the hostile module and "constructor"');
  assert.equal(count(html, /<td class="hm" data-count="0"/g), 168, 'out-of-range heatmap rows are left out');
});

test('no rows: a page that says so', () => {
  const html = renderHtml([]);
  assert.match(html, /No report rows to show/);
  assert.equal(count(html, /<table/g), 0);
});
