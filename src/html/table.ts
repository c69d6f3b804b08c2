// One analyzer module as a real HTML table: readable with scripts disabled; the page script
// only adds click-to-sort on the headings. Each cell carries its sort key in data-v when the
// shown text differs from the value (grouped numbers, names in place of addresses, times).
import type { ReportRow } from '../report/rows.js';
import type { Column, ModuleSpec } from './columns.js';
import { escapeHtml as h } from './escape.js';
import { fmtInt, fmtTime } from './values.js';

function cell(row: Record<string, unknown>, col: Column): string {
  const v = row[col.key];
  if (v === undefined || v === null || v === '') return col.kind === 'num' || col.kind === 'port' ? '<td class="num" data-v=""></td>' : '<td></td>';
  switch (col.kind) {
    case 'num':
      if (typeof v !== 'number') return `<td class="num">${h(v)}</td>`;
      // the sort key only where the text is not the number itself (1,234)
      return Number.isInteger(v) && v >= 0 && v < 1000 ? `<td class="num">${v}</td>` : `<td class="num" data-v="${v}">${fmtInt(v)}</td>`;
    case 'port':
      return `<td class="num">${h(v)}</td>`;
    case 'time':
      // "2026-11-25 06:25:13" sorts as its ISO form does; the page says once that times are UTC
      return `<td class="time">${h(fmtTime(String(v)).replace(/ UTC$/, ''))}</td>`;
    case 'list':
      return Array.isArray(v)
        ? `<td class="list" data-v="${v.length}">${h(v.join(', '))}</td>`
        : `<td>${h(v)}</td>`;
    case 'addr': {
      const name = col.nameKey ? row[col.nameKey] : undefined;
      if (typeof name === 'string' && name && name !== v) {
        return `<td class="addr" data-v="${h(v)}"><span class="name" title="${h(name)}">${h(name)}</span> <span class="ip">${h(v)}</span></td>`;
      }
      return `<td class="addr">${h(v)}</td>`;
    }
    default:
      return `<td>${h(v)}</td>`;
  }
}

export interface TableOptions {
  /** the column the rows arrive sorted by, descending (ipta-report orders by count) */
  sortedBy?: string;
  /** text shown when there are no rows */
  empty?: string;
}

/** A module's rows as <table class="sortable">. */
export function renderTable(module: string, spec: ModuleSpec, rows: ReportRow[], opts: TableOptions = {}): string {
  const head = spec.columns.map((c) => {
    // data-sort="num": the script compares data-v as numbers (a list sorts by its length)
    const cls = c.kind === 'num' || c.kind === 'port' ? ' class="num" data-sort="num"' : c.kind === 'list' ? ' data-sort="num"' : '';
    const sorted = c.key === opts.sortedBy ? ' aria-sort="descending"' : '';
    return `<th scope="col"${cls}${sorted}>${h(c.head)}</th>`;
  }).join('');
  let body: string;
  if (rows.length === 0) {
    body = `<tr class="empty"><td colspan="${spec.columns.length}">${h(opts.empty ?? 'nothing to show')}</td></tr>`;
  } else {
    body = rows.map((r) => `<tr>${spec.columns.map((c) => cell(r as unknown as Record<string, unknown>, c)).join('')}</tr>`).join('\n');
  }
  return `<table class="sortable" data-module="${h(module)}"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}
