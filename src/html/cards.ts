// The summary cards at the top of the page, from the summary row.
import type { SummaryRow } from '../report/rows.js';
import { escapeHtml as h } from './escape.js';
import { fmtDuration, fmtInt, fmtPct, fmtTime } from './values.js';

function card(label: string, value: string, sub = ''): string {
  return `<div class="card"><div class="label">${h(label)}</div><div class="value">${h(value)}</div>${sub ? `<div class="sub">${h(sub)}</div>` : ''}</div>`;
}

export function renderCards(s: SummaryRow): string {
  const t1 = s.first ? Date.parse(s.first) : NaN;
  const t2 = s.last ? Date.parse(s.last) : NaN;
  const span = Number.isNaN(t1) || Number.isNaN(t2) ? '' : fmtDuration(t2 - t1);
  const period = s.first || s.last ? `${fmtTime(s.first)} – ${fmtTime(s.last)}` : '';
  return `<section class="cards" aria-label="Summary">
${card('Period', span || '–', period ? 'first to last packet' : '')}
${card('Packets', fmtInt(s.count), `${fmtInt(s.accepted)} accepted · ${fmtInt(s.logged)} logged`)}
${card('Denied', fmtPct(s.denied, s.count), `${fmtInt(s.denied)} packets`)}
${card('Sources', fmtInt(s.sources), 'distinct source addresses')}
${card('Busiest port', s.busiest_port === undefined ? '–' : String(s.busiest_port), s.busiest_port_count === undefined ? '' : `${fmtInt(s.busiest_port_count)} packets`)}
${card('Hosts', fmtInt(s.hosts), 'firewalls logging')}
</section>`;
}
