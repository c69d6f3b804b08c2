// Traffic over time: the timeline rows (bucket, unit, action, verdict, count) drawn as stacked
// SVG bars, one bar per time slot, one segment per verdict. Drawn by hand: a few dozen lines of
// rectangles and ticks cost less than any chart library would weigh in the file.
import type { TimelineRow } from '../report/rows.js';
import { escapeHtml as h } from './escape.js';
import { fmtCompact, fmtInt, fmtTime } from './values.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Stacking order, bottom up: what was denied is what an admin looks for first. */
export const VERDICT_ORDER = ['deny', 'log', 'accept'];
/** Above this many hourly slots the chart shows days: bars under a pixel wide say nothing. */
export const MAX_HOUR_SLOTS = 24 * 31;

export interface Bar { t: number; slot: number; byVerdict: Map<string, number>; total: number }
export interface TimelineModel {
  unit: 'hour' | 'day';
  /** number of slots from the first bucket to the last (gaps included) */
  slots: number;
  bars: Bar[];
  /** verdicts present, in stacking order */
  verdicts: string[];
  totals: Map<string, number>;
  max: number;
  /** rows whose bucket is not a time */
  skipped: number;
}

/** Group timeline rows into bars (actions summed; hours merged into days when the span is long). */
export function timelineModel(rows: TimelineRow[]): TimelineModel | undefined {
  const parsed: { t: number; unit: string; verdict: string; count: number }[] = [];
  let skipped = 0;
  for (const r of rows) {
    const t = Date.parse(r.bucket);
    if (Number.isNaN(t) || !Number.isFinite(r.count)) { skipped++; continue; }
    parsed.push({ t, unit: r.unit, verdict: String(r.verdict ?? 'other'), count: r.count });
  }
  if (parsed.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const p of parsed) { min = Math.min(min, p.t); max = Math.max(max, p.t); }
  const allHours = parsed.every((p) => p.unit === 'hour');
  const unit: 'hour' | 'day' = allHours && (max - min) / HOUR + 1 <= MAX_HOUR_SLOTS ? 'hour' : 'day';
  const step = unit === 'hour' ? HOUR : DAY;
  const start = Math.floor(min / step) * step;
  const bars = new Map<number, Bar>();
  const totals = new Map<string, number>();
  for (const p of parsed) {
    const slot = Math.floor((p.t - start) / step);
    let bar = bars.get(slot);
    if (!bar) { bar = { t: start + slot * step, slot, byVerdict: new Map(), total: 0 }; bars.set(slot, bar); }
    bar.byVerdict.set(p.verdict, (bar.byVerdict.get(p.verdict) ?? 0) + p.count);
    bar.total += p.count;
    totals.set(p.verdict, (totals.get(p.verdict) ?? 0) + p.count);
  }
  const verdicts = [...totals.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const list = [...bars.values()].filter((b) => b.total > 0).sort((a, b) => a.slot - b.slot);
  return {
    unit,
    slots: Math.floor((max - start) / step) + 1,
    bars: list,
    verdicts,
    totals,
    max: list.reduce((m, b) => Math.max(m, b.total), 0),
    skipped,
  };
}

function rank(v: string): number {
  const i = VERDICT_ORDER.indexOf(v);
  return i < 0 ? VERDICT_ORDER.length : i;
}

/** CSS class of a verdict: only known words, anything else is "other". */
export function verdictClass(v: string): string {
  return VERDICT_ORDER.includes(v) ? v : 'other';
}

/** A round step so that `max` spans about `n` steps: 1, 2, 5 x 10^k. */
export function niceStep(max: number, n = 4): number {
  if (max <= 0) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return Math.max(1, 10 * p);
}

const r1 = (x: number): string => String(Math.round(x * 10) / 10);

function slotLabel(t: number, unit: 'hour' | 'day'): string {
  const iso = new Date(t).toISOString();
  return unit === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00 UTC` : `${iso.slice(0, 10)} UTC`;
}

/** The stacked bar chart as an <svg> element. */
export function renderTimelineSvg(m: TimelineModel): string {
  const W = 960, H = 250, ml = 52, mr = 10, mt = 10, mb = 34;
  const pw = W - ml - mr, ph = H - mt - mb;
  const stepY = niceStep(m.max);
  const top = Math.max(stepY, Math.ceil(m.max / stepY) * stepY);
  const slotW = pw / m.slots;
  const barW = Math.min(48, slotW >= 4 ? slotW * 0.8 : slotW * 0.92); // a lone bar is not a wall
  const base = mt + ph;
  const out: string[] = [];
  out.push(`<svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="Packets per ${m.unit}, stacked by verdict" xmlns="http://www.w3.org/2000/svg">`);
  // y grid and labels
  for (let v = 0; v <= top; v += stepY) {
    const y = r1(base - (v / top) * ph);
    out.push(`<line class="grid" x1="${ml}" x2="${W - mr}" y1="${y}" y2="${y}"/><text class="ylab" x="${ml - 6}" y="${y}" dy="0.32em">${fmtCompact(v)}</text>`);
  }
  // x labels: about eight, on round hours/days
  const step = m.unit === 'hour' ? HOUR : DAY;
  const t0 = m.bars.length ? m.bars[0]!.t - m.bars[0]!.slot * step : 0;
  const choices = m.unit === 'hour' ? [1, 2, 3, 6, 12, 24, 48, 96, 168] : [1, 2, 7, 14, 28, 56, 91, 182, 364];
  const every = choices.find((c) => m.slots / c <= 9) ?? Math.ceil(m.slots / 9);
  for (let s = 0; s < m.slots; s++) {
    const t = t0 + s * step;
    const unitsSinceEpoch = Math.floor(t / step);
    if (unitsSinceEpoch % every !== 0) continue;
    const x = r1(ml + (s + 0.5) * slotW);
    const iso = new Date(t).toISOString();
    const text = m.unit === 'hour' && iso.slice(11, 13) !== '00' ? `${iso.slice(11, 13)}:00` : iso.slice(5, 10);
    // a label near either end is anchored inwards so it is not cut off
    const edge = Number(x) < ml + 20 ? ' first' : Number(x) > W - mr - 20 ? ' last' : '';
    out.push(`<line class="tick" x1="${x}" x2="${x}" y1="${base}" y2="${base + 4}"/><text class="xlab${edge}" x="${x}" y="${base + 16}">${text}</text>`);
  }
  // bars
  for (const b of m.bars) {
    const x = r1(ml + b.slot * slotW + (slotW - barW) / 2);
    const parts = m.verdicts.filter((v) => b.byVerdict.get(v)).map((v) => `${v} ${fmtInt(b.byVerdict.get(v))}`);
    out.push(`<g class="bar" data-total="${b.total}"><title>${h(`${slotLabel(b.t, m.unit)}: ${fmtInt(b.total)} packets (${parts.join(', ')})`)}</title>`);
    let y = base;
    for (const v of m.verdicts) {
      const c = b.byVerdict.get(v);
      if (!c) continue;
      const hgt = (c / top) * ph;
      y -= hgt;
      out.push(`<rect class="seg ${verdictClass(v)}" data-count="${c}" x="${x}" y="${r1(y)}" width="${r1(barW)}" height="${r1(Math.max(hgt, 0.5))}"/>`);
    }
    out.push('</g>');
  }
  out.push(`<line class="axis" x1="${ml}" x2="${W - mr}" y1="${base}" y2="${base}"/>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The legend under the chart: verdict colours with their totals. */
export function renderLegend(m: TimelineModel): string {
  return `<ul class="legend">${m.verdicts.map((v) =>
    `<li><span class="sw ${verdictClass(v)}"></span>${h(v)} <b>${fmtInt(m.totals.get(v))}</b></li>`).join('')}</ul>`;
}

/**
 * The chart's numbers as a table, one row per bar and one column per verdict (actions summed):
 * readable without the chart, and a fraction of the size of one row per bucket and action.
 */
export function renderTimelineTable(m: TimelineModel): string {
  const head = ['<th scope="col">Time</th>', ...m.verdicts.map((v) => `<th scope="col" class="num" data-sort="num">${h(v)}</th>`),
    '<th scope="col" class="num" data-sort="num">Total</th>'].join('');
  const num = (n: number): string => (n >= 1000 ? `<td class="num" data-v="${n}">${fmtInt(n)}</td>` : `<td class="num">${n}</td>`);
  const body = m.bars.map((b) => {
    const t = m.unit === 'hour' ? fmtTime(new Date(b.t).toISOString()).replace(':00:00 UTC', ':00') : new Date(b.t).toISOString().slice(0, 10);
    return `<tr><td>${t}</td>${m.verdicts.map((v) => num(b.byVerdict.get(v) ?? 0)).join('')}${num(b.total)}</tr>`;
  }).join('\n');
  return `<table class="sortable" data-module="timeline"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}
