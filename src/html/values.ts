// How values look on the page. Deterministic (no locale, no clock): the same rows always give
// the same bytes, whatever machine renders them.

/** 1234567 -> "1,234,567". */
export function fmtInt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1234 -> "1.2k", 15300000 -> "15M": for cells too small for the whole number. */
export function fmtCompact(n: number): string {
  if (n < 1000) return String(n);
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) {
    if (n >= v) {
      const x = n / v;
      return (x < 10 ? x.toFixed(1).replace(/\.0$/, '') : String(Math.round(x))) + u;
    }
  }
  return String(n);
}

/** 0.4567 -> "45.7 %". */
export function fmtPct(part: number, whole: number): string {
  if (!whole) return '–';
  return `${((100 * part) / whole).toFixed(1)} %`;
}

/** ISO 8601 UTC -> "2026-11-25 06:25:13 UTC"; anything unparseable is shown as given. */
export function fmtTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration in ms -> "3 d 4 h", "2 h 5 min", "42 s". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
