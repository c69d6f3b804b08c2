// The HTML report in a real browser: Debian's chromium driven by playwright-core (no browser
// download). The page of examples/iptables.log (plus one line with a hostile prefix) goes
// through the real pipeline, ipta-parse | ipta-report | ipta-format --format html, and is
// checked against the report rows it was made from; the unit fixture's page, with hostile
// strings in every position, is checked too. Screenshots land in test-output/ (gitignored).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { example, records, ROOT, run } from '../helpers/run-bin.js';
import { ptrName, startDnsServer } from '../helpers/dns-server.js';
import { renderHtml } from '../../src/html/report.js';
import { WEEKDAY_ORDER } from '../../src/html/heatmap.js';
import type { HeatmapRow, ReportRow, TimelineRow } from '../../src/report/rows.js';
import { HOSTILE, HOSTILE_SCRIPT, smallReport } from '../unit/html-fixture.js';

const CHROMIUM = process.env.IPTA_TEST_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'ipta-html-'));

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: 'bash .ci/run' installs it (Debian's chromium package; ` +
      `or apt-get install chromium), or set IPTA_TEST_CHROMIUM to a Chromium binary`);
  }
  // playwright's launch() gives the browser a fresh temporary --user-data-dir of its own
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Opened { page: Page; context: BrowserContext; problems: string[] }

/** Open `html` from a file:// URL; every console error, page error, dialog or network request is a problem. */
async function open(html: string, name: string, opts: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark' } = {}): Promise<Opened> {
  const file = join(work, `${name}.html`);
  writeFileSync(file, html);
  const context = await browser.newContext({ viewport: { width: 1240, height: 900 }, ...opts });
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  return { page, context, problems };
}

/** The index of the column headed `head` in the table of `module`. */
async function columnIndex(page: Page, module: string, head: string): Promise<number> {
  const i = await page.$$eval(`table[data-module="${module}"] thead th`, (ths, want) => ths.findIndex((th) => th.textContent!.trim() === want), head);
  assert.ok(i >= 0, `${module} has a column ${head}`);
  return i;
}

/** The texts of column `col` of the table of `module`, top to bottom. */
function columnTexts(page: Page, module: string, col: number): Promise<string[]> {
  return page.$$eval(`table[data-module="${module}"] tbody tr`, (trs, c) => trs.map((tr) => (tr as HTMLTableRowElement).cells[c]!.textContent!.trim()), col);
}

/** How many packets carry the hostile prefix: enough for its group to make the denied table's top rows. */
const HOSTILE_PACKETS = 40;

/** The example log plus packets whose prefix is markup, written like the log's own complete TCP lines. */
function hostileLog(): string {
  const log = readFileSync(example('iptables.log'), 'utf8');
  const lines = log.split('\n').filter((l) => /kernel: .* IN=\S* .* SRC=.* URGP=\d+/.test(l));
  const model = lines[lines.length - 1];
  assert.ok(model, 'examples/iptables.log has complete netfilter TCP lines');
  const m = /^(.*?kernel:\s*(?:\[\s*[\d.]+\]\s*)?)(.*?)(IN=.*)$/.exec(model);
  assert.ok(m, `a kernel line to model the hostile line on: ${model}`);
  const line = `${m[1]}${HOSTILE} ${m[3]!.replace(/ SRC=\S+/, ' SRC=203.0.113.66')}\n`;
  return log.replace(/\n?$/, '\n') + line.repeat(HOSTILE_PACKETS);
}

async function pipelineReport(): Promise<{ rows: ReportRow[]; html: string }> {
  const logFile = join(work, 'hostile.log');
  writeFileSync(logFile, hostileLog());
  const parsed = await run('ipta-parse', ['--year', '2026', logFile]);
  assert.equal(parsed.code, 0, `ipta-parse: ${parsed.stderr}`);
  const report = await run('ipta-report', [], parsed.stdout);
  assert.equal(report.code, 0, `ipta-report: ${report.stderr}`);
  const formatted = await run('ipta-format', ['--format', 'html'], report.stdout);
  assert.equal(formatted.code, 0, `ipta-format --format html: ${formatted.stderr}`);
  return { rows: records<ReportRow>(report.stdout), html: formatted.stdout };
}

const collator = new Intl.Collator('en', { numeric: true });

test('the example log\'s report in Chromium: charts match the rows, sorting, hostile prefix as text, screenshot', async () => {
  const { rows, html } = await pipelineReport();
  assert.ok(html.startsWith('<!DOCTYPE html>'), 'ipta-format --format html writes a page');
  const { page, context, problems } = await open(html, 'example');
  try {
    // timeline: one bar per bucket, one segment per (bucket, verdict)
    const tl = rows.filter((r): r is TimelineRow => r.module === 'timeline' && r.count > 0);
    assert.ok(tl.length > 0, 'the report has timeline rows');
    const times = tl.map((r) => Date.parse(r.bucket));
    assert.ok(Math.max(...times) - Math.min(...times) <= 31 * 86_400_000, 'the example spans at most a month (drawn as the rows are bucketed)');
    assert.equal(await page.locator('svg.timeline g.bar').count(), new Set(tl.map((r) => r.bucket)).size, 'bars');
    assert.equal(await page.locator('svg.timeline rect.seg').count(), new Set(tl.map((r) => `${r.bucket} ${r.verdict}`)).size, 'segments');
    const drawn = await page.$$eval('svg.timeline rect.seg', (els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0));
    assert.equal(drawn, tl.reduce((n, r) => n + r.count, 0), 'the segments add up to the timeline');
    const box = await page.locator('svg.timeline g.bar rect').first().boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, 'bars are drawn with a size');

    // heatmap: 168 cells, each with its weekday/hour count
    const hm = rows.filter((r): r is HeatmapRow => r.module === 'heatmap');
    const cells = await page.$$eval('table.heatmap td.hm', (tds) => tds.map((td) => Number(td.getAttribute('data-count'))));
    assert.equal(cells.length, 168);
    assert.equal(cells.filter((c) => c > 0).length, hm.filter((r) => r.count > 0).length, 'non-empty cells');
    for (const r of hm) assert.equal(cells[WEEKDAY_ORDER.indexOf(r.weekday) * 24 + r.hour], r.count, `cell ${r.weekday}/${r.hour}`);

    // every module's table has its rows
    for (const module of new Set(rows.map((r) => r.module))) {
      if (module === 'summary' || module === 'timeline' || module === 'heatmap') continue;
      const n = rows.filter((r) => r.module === module).length;
      assert.equal(await page.locator(`table[data-module="${module}"] tbody tr`).count(), n, `${module} rows`);
    }
    assert.equal(await page.locator('.cards .card').count(), 6, 'summary cards');

    // clicking a heading re-sorts: Source IP ascending, again descending, then Count descending
    const table = 'denied';
    const srcCol = await columnIndex(page, table, 'Source IP');
    const before = await columnTexts(page, table, srcCol);
    const ascending = [...before].sort(collator.compare);
    assert.notDeepEqual(before, ascending, 'the denied table does not already come ordered by source');
    await page.locator(`table[data-module="${table}"] thead th`).nth(srcCol).click();
    assert.deepEqual(await columnTexts(page, table, srcCol), ascending);
    assert.equal(await page.locator(`table[data-module="${table}"] thead th`).nth(srcCol).getAttribute('aria-sort'), 'ascending');
    await page.locator(`table[data-module="${table}"] thead th`).nth(srcCol).click();
    assert.deepEqual(await columnTexts(page, table, srcCol), [...ascending].reverse());
    await page.locator(`table[data-module="${table}"] thead th`).nth(0).click();
    const counts = (await columnTexts(page, table, 0)).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'Count sorted descending');

    // the hostile prefix is text: no element made from it, no dialog
    assert.ok(rows.some((r) => r.module === 'denied' && r.action === HOSTILE), 'the hostile prefix reaches the denied table\'s rows');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element');
    const text = await page.locator('body').innerText();
    assert.ok(text.includes(HOSTILE), 'the hostile prefix shows as text');

    // tooltips: hovering a bar shows its numbers
    await page.locator('svg.timeline g.bar rect').first().hover();
    const tip = page.locator('.tip');
    assert.ok(await tip.isVisible(), 'tooltip shown');
    assert.match((await tip.textContent())!, /packets/);

    await page.screenshot({ path: join(OUT, 'html-report.png'), fullPage: true });
    await page.screenshot({ path: join(OUT, 'html-report-top.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('hostile strings in every position stay text; no script, no request, no dialog', async () => {
  const { page, context, problems } = await open(renderHtml(smallReport(), { title: HOSTILE }), 'fixture');
  try {
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 1, 'only our own script element');
    assert.equal(await page.title(), HOSTILE);
    const body = await page.locator('body').innerText();
    assert.ok(body.includes(HOSTILE_SCRIPT), 'the interface name "</script>..." is text');
    // the resolved name that is markup sits in an attribute, intact
    assert.equal(await page.locator('table[data-module="scanners"] .name').getAttribute('title'), HOSTILE);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('sorting compares addresses and numbers as such, by the value behind a resolved name', async () => {
  const { page, context, problems } = await open(renderHtml(smallReport()), 'sorting');
  try {
    const heading = page.locator('table[data-module="top-sources"] thead th');
    const src = await columnIndex(page, 'top-sources', 'Source IP');
    const denied = await columnIndex(page, 'top-sources', 'Denied');
    const keys = (): Promise<string[]> => page.$$eval('table[data-module="top-sources"] tbody tr',
      (trs, c) => trs.map((tr) => { const td = (tr as HTMLTableRowElement).cells[c]!; return td.getAttribute('data-v') ?? td.textContent!; }), src);
    assert.deepEqual(await keys(), ['203.0.113.7', '10.0.0.10', '10.0.0.9']);
    await heading.nth(src).click();
    assert.deepEqual(await keys(), ['10.0.0.9', '10.0.0.10', '203.0.113.7']);
    await heading.nth(denied).click(); // numeric: the first click sorts descending
    assert.deepEqual(await columnTexts(page, 'top-sources', denied), ['12', '9', '8']);
    await heading.nth(denied).click();
    assert.deepEqual(await columnTexts(page, 'top-sources', denied), ['8', '9', '12']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('resolved names from ipta-rdns are shown beside the address, hostile PTR names as text', async () => {
  const dns = await startDnsServer(new Map([
    [ptrName('203.0.113.7'), { ptr: ['scanner.example.net'] }],
    [ptrName('198.51.100.23'), { ptr: [[Buffer.from(HOSTILE), Buffer.from('example'), Buffer.from('org')]] }],
  ]));
  try {
    // the fixture's rows without their names, named by the real ipta-rdns against a loopback DNS server
    const input = smallReport().map((r) => { const { src_name: _s, dst_name: _d, ...rest } = r; return JSON.stringify(rest); }).join('\n') + '\n';
    const named = await run('ipta-rdns', ['--dns-server', dns.spec, '--timeout', '2000'], input);
    assert.equal(named.code, 0, named.stderr);
    const rows = records<Record<string, unknown>>(named.stdout);
    assert.ok(rows.some((r) => r.src === '203.0.113.7' && r.src_name === 'scanner.example.net'), 'ipta-rdns named the rows');
    const formatted = await run('ipta-format', ['--format', 'html'], named.stdout);
    assert.equal(formatted.code, 0, formatted.stderr);
    const { page, context, problems } = await open(formatted.stdout, 'rdns');
    try {
      const cell = page.locator('table[data-module="denied"] td.addr').filter({ hasText: 'scanner.example.net' }).first();
      assert.equal(await cell.locator('.name').textContent(), 'scanner.example.net');
      assert.equal(await cell.locator('.ip').textContent(), '203.0.113.7');
      assert.equal(await page.locator('img').count(), 0);
      const hostileName = rows.find((r) => r.src === '198.51.100.23')?.src_name;
      if (hostileName !== undefined) {
        // whatever ipta-rdns made of the markup name, the page shows exactly that, as text
        assert.equal(await page.locator('table[data-module="denied"] td.addr[data-v="198.51.100.23"] .name').textContent(), hostileName);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  } finally {
    await dns.close();
  }
});

test('with scripts disabled the tables and charts are all there', async () => {
  const rows = smallReport();
  const { page, context, problems } = await open(renderHtml(rows), 'noscript', { javaScriptEnabled: false });
  try {
    assert.equal(await page.locator('table[data-module="denied"] tbody tr').count(), rows.filter((r) => r.module === 'denied').length);
    assert.equal(await page.locator('th button.sort').count(), 0, 'no sort buttons without the script');
    assert.ok(await page.locator('svg.timeline g.bar').first().isVisible());
    assert.match((await page.locator('svg.timeline g.bar title').first().textContent())!, /packets/, 'native SVG tooltips');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('light and dark colour schemes follow the viewer\'s preference', async () => {
  const html = renderHtml(smallReport());
  const colours: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    const { page, context, problems } = await open(html, `scheme-${colorScheme}`, { colorScheme });
    try {
      colours.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  assert.notEqual(colours[0], colours[1]);
});
