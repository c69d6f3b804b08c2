// Weekday x hour heatmap of denied packets, as table cells: a real table (readable and
// searchable without scripts), coloured by a CSS custom property per cell.
import type { HeatmapRow } from '../report/rows.js';
import { fmtCompact, fmtInt, WEEKDAYS } from './values.js';

/** Monday first, as a working week reads; the rows say 0 = Sunday (UTC). */
export const WEEKDAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** counts[weekday][hour], summed over the rows (rows out of range are ignored and counted). */
export function heatmapGrid(rows: HeatmapRow[]): { counts: number[][]; max: number; skipped: number } {
  const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  let skipped = 0;
  for (const r of rows) {
    if (!Number.isInteger(r.weekday) || !Number.isInteger(r.hour) || r.weekday < 0 || r.weekday > 6 || r.hour < 0 || r.hour > 23 || !Number.isFinite(r.count)) {
      skipped++;
      continue;
    }
    counts[r.weekday]![r.hour]! += r.count;
  }
  let max = 0;
  for (const row of counts) for (const c of row) max = Math.max(max, c);
  return { counts, max, skipped };
}

/** 7 x 24 cells; each carries data-count, a tooltip and a colour level (square root scale, so a few busy hours do not wash out the rest). */
export function renderHeatmap(rows: HeatmapRow[]): string {
  const { counts, max } = heatmapGrid(rows);
  const hours = Array.from({ length: 24 }, (_, i) => `<th scope="col">${String(i).padStart(2, '0')}</th>`).join('');
  const body = WEEKDAY_ORDER.map((wd) => {
    const cells = counts[wd]!.map((c, hr) => {
      const level = max > 0 && c > 0 ? Math.max(0.08, Math.sqrt(c / max)) : 0;
      const tip = `${WEEKDAYS[wd]} ${String(hr).padStart(2, '0')}:00–${String(hr).padStart(2, '0')}:59 UTC: ${fmtInt(c)} denied`;
      return `<td class="hm" data-count="${c}" title="${tip}" style="--l:${level.toFixed(2)}">${c ? fmtCompact(c) : ''}</td>`;
    }).join('');
    return `<tr><th scope="row">${WEEKDAYS[wd]}</th>${cells}</tr>`;
  }).join('\n');
  return `<table class="heatmap"><thead><tr><th></th>${hours}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}
