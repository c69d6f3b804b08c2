// The self-contained HTML report: one file with its CSS, script and SVG inline, no network at
// view time (a Content-Security-Policy forbids any fetch and any script but our own), light and
// dark schemes from prefers-color-scheme. Every log-derived string is escaped (escape.ts).
import { createHash } from 'node:crypto';
import type { HeatmapRow, ModuleName, ReportRow, SummaryRow, TimelineRow } from '../report/rows.js';
import { VERSION } from '../cli/version.js';
import { renderCards } from './cards.js';
import { MODULE_SPECS } from './columns.js';
import { escapeHtml as h } from './escape.js';
import { renderHeatmap } from './heatmap.js';
import { PAGE_CSS } from './page-css.js';
import { PAGE_SCRIPT } from './page-script.js';
import { renderTable } from './table.js';
import { renderLegend, renderTimelineSvg, renderTimelineTable, timelineModel } from './timeline.js';
import { fmtInt, fmtTime } from './values.js';

export interface HtmlOptions {
  /** the page title (default "ipta report") */
  title?: string;
  /** shown in the footer when given (ISO 8601); left out by default so the same rows give the same bytes */
  generatedAt?: string;
}

type TableModule = Exclude<ModuleName, 'summary' | 'timeline' | 'heatmap'>;

/** Page order: the at-a-glance modules first, then the manual's six, then per host. */
const PAGE_ORDER: TableModule[][] = [
  ['top-sources', 'new-sources'],
  ['scanners'],
  ['denied'],
  ['ports', 'port-actions'],
  ['icmp', 'invalid'],
  ['interfaces', 'hosts'],
];

const SCRIPT_HASH = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; form-action 'none'; base-uri 'none'`;

const plural = (n: number, word: string): string => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;

/** Sections on the page, for the navigation line: [anchor, short name]. */
type NavEntry = [string, string];
const SHORT: Record<string, string> = {
  timeline: 'Traffic', heatmap: 'Heatmap', 'top-sources': 'Top sources', 'new-sources': 'New sources', scanners: 'Scanners',
  denied: 'Denied', ports: 'Ports', 'port-actions': 'Port actions', icmp: 'ICMP', invalid: 'Invalid', interfaces: 'Interfaces', hosts: 'Hosts',
};

function panel(module: string, title: string, body: string, note = ''): string {
  return `<section class="panel" id="m-${h(module)}"><h2>${h(title)}${note ? ` <small>${h(note)}</small>` : ''}</h2>\n${body}\n</section>`;
}

/** Report rows (as ipta-report writes them) -> one complete HTML document. */
export function renderHtml(rows: ReportRow[], opts: HtmlOptions = {}): string {
  const by = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const m = typeof r?.module === 'string' ? r.module : '';
    let list = by.get(m);
    if (!list) by.set(m, (list = []));
    list.push(r);
  }
  const summary = by.get('summary')?.[0] as SummaryRow | undefined;
  // A full report (it has a summary) shows every module, empty ones too; a partial one (--module) what it has.
  const full = summary !== undefined;
  const title = opts.title ?? 'ipta report';
  const parts: string[] = [];
  const nav: NavEntry[] = [];

  if (summary) parts.push(renderCards(summary));

  const timelineRows = (by.get('timeline') ?? []) as TimelineRow[];
  const tm = timelineModel(timelineRows);
  if (tm) {
    const skipped = tm.skipped ? ` (${plural(tm.skipped, 'row')} without a valid time left out)` : '';
    nav.push(['m-timeline', SHORT.timeline!]);
    parts.push(panel('timeline', MODULE_SPECS.timeline.title, `${renderTimelineSvg(tm)}\n${renderLegend(tm)}
<details><summary>The numbers (${fmtInt(tm.bars.length)} ${tm.unit}s)</summary>
${renderTimelineTable(tm)}
</details>`, `per ${tm.unit}, UTC, stacked by verdict${skipped}`));
  } else if (timelineRows.length || (full && by.has('timeline'))) {
    nav.push(['m-timeline', SHORT.timeline!]);
    parts.push(panel('timeline', MODULE_SPECS.timeline.title, renderTable('timeline', MODULE_SPECS.timeline, timelineRows)));
  }

  const heatRows = (by.get('heatmap') ?? []) as HeatmapRow[];
  if (heatRows.length || full) {
    nav.push(['m-heatmap', SHORT.heatmap!]);
    parts.push(panel('heatmap', MODULE_SPECS.heatmap.title, `${renderHeatmap(heatRows)}
<p class="note">The stronger the colour, the more packets. Each cell is one hour of the week (UTC), summed over the period.</p>`));
  }

  for (const group of PAGE_ORDER) {
    const panels = group.filter((m) => full || by.has(m)).map((m) => {
      nav.push([`m-${m}`, SHORT[m] ?? m]);
      const spec = MODULE_SPECS[m];
      const list = by.get(m) ?? [];
      return panel(m, spec.title, renderTable(m, spec, list, { sortedBy: 'count' }));
    });
    if (panels.length === 1) parts.push(panels[0]!);
    else if (panels.length) parts.push(`<div class="grid2">\n${panels.join('\n')}\n</div>`);
  }

  if (parts.length === 0) parts.push('<p class="note">No report rows to show: the input held none (pipe ipta-report\'s output in).</p>');

  const unknown = [...by.keys()].filter((m) => m !== 'summary' && !Object.hasOwn(MODULE_SPECS, m));
  const unknownRows = unknown.reduce((n, m) => n + by.get(m)!.length, 0);
  const period = summary && (summary.first || summary.last) ? `${fmtTime(summary.first)} – ${fmtTime(summary.last)}` : '';
  const footer = [
    `Made by ipta ${h(VERSION)}`,
    opts.generatedAt ? `generated ${h(fmtTime(opts.generatedAt))}` : '',
    unknownRows ? `${plural(unknownRows, 'row')} of unknown modules not shown` : '',
  ].filter(Boolean).join(' · ');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="color-scheme" content="light dark">
<title>${h(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>${h(title)}</h1>${period ? `<div class="sub">${h(period)} · all times UTC</div>` : ''}
<nav>${nav.map(([id, name]) => `<a href="#${id}">${h(name)}</a>`).join(' ')}</nav></header>
<main>
${parts.join('\n')}
</main>
<footer>${footer}</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
