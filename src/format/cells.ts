// Cell text for the human formats: values made printable, fitted to a width, times shown in
// local time or UTC. Pure, no I/O.

// C0/C1 controls and DEL, plus the bidi overrides that reorder text on a terminal ("Trojan
// source"): a log line or a PTR name must not move the cursor, change colours or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_G = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The string with every control character replaced by `?`. */
export function clean(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_G, '?') : s;
}

/** Any JSON value as one printable line: arrays joined with `,`, objects as JSON. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return clean(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(',');
  return clean(JSON.stringify(v));
}

/**
 * Exactly `width` characters, left-aligned. Too wide: `*` followed by the rightmost characters
 * (the manual's `*6f44.cust.bredbandsbolaget.se`): the end of a name (its domain) or of an
 * address is what tells one from another.
 */
export function fitLeft(s: string, width: number): string {
  if (s.length > width) return width <= 0 ? '' : `*${s.slice(s.length - width + 1)}`;
  return s.length === width ? s : s + blanks(width - s.length);
}

const BLANKS = ' '.repeat(256);
const blanks = (n: number): string => (n <= 256 ? BLANKS.slice(0, n) : ' '.repeat(n));

/** Exactly `width` characters, right-aligned, cut the same way as fitLeft. */
export function fitRight(s: string, width: number): string {
  if (s.length > width) return fitLeft(s, width);
  return s.length === width ? s : blanks(width - s.length) + s;
}

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const ISO_UTC = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(?:Z|[+-]00:?00)$/;

export interface TimeOptions {
  /** show UTC instead of the local time zone (TZ) */
  utc: boolean;
  /** `YYYY-MM-DD HH:MM:SS` instead of `HH:MM:SS` */
  date: boolean;
}

/**
 * ISO 8601 text -> `HH:MM:SS` (or with the date) in local time or UTC. The last answer is kept:
 * consecutive records mostly share their second, so a log costs one Date per second of traffic.
 * Text that is not a time is shown as it is (made printable).
 */
export function timeFormatter(o: TimeOptions): (ts: unknown) => string {
  let lastTs = '';
  let lastKey = '';
  let lastOut = '';
  return (ts) => {
    if (ts === lastTs) return lastOut;
    if (typeof ts !== 'string' || ts === '') return '';
    lastTs = ts;
    const key = ts.length > 19 ? ts.slice(0, 19) + ts.slice(-6) : ts;
    if (key === lastKey) return lastOut;
    lastKey = key;
    lastOut = formatTime(ts, o);
    return lastOut;
  };
}

export function formatTime(ts: string, o: TimeOptions): string {
  if (o.utc) {
    const m = ISO_UTC.exec(ts);
    if (m) return o.date ? `${m[1]} ${m[2]}` : m[2]!;
  }
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return clean(ts);
  const [Y, M, D, h, m, s] = o.utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const t = `${p2(h)}:${p2(m)}:${p2(s)}`;
  return o.date ? `${Y}-${p2(M)}-${p2(D)} ${t}` : t;
}

/** A timeline bucket: `YYYY-MM-DD HH:00` for hours (local or UTC), the UTC date for days. */
export function formatBucket(ts: unknown, unit: unknown, utc: boolean): string {
  if (typeof ts !== 'string') return cellText(ts);
  if (unit === 'day') return clean(ts.slice(0, 10));
  const full = formatTime(ts, { utc, date: true });
  return /^\d{4}-\d\d-\d\d \d\d:/.test(full) ? `${full.slice(0, 13)}:00` : full;
}

export const SGR = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

/** The colour of a row: deny red, accept green, log yellow. */
export function verdictColor(verdict: unknown): string | undefined {
  if (verdict === 'deny') return SGR.red;
  if (verdict === 'accept') return SGR.green;
  if (verdict === 'log') return SGR.yellow;
  return undefined;
}

/** The verdict an action word implies, for report rows that carry only the action. */
export function actionVerdict(action: unknown): string | undefined {
  if (typeof action !== 'string' || !action) return undefined;
  const a = action.toUpperCase();
  if (/\b(ACCEPT|ALLOW|PASS)\b/.test(a)) return 'accept';
  if (/^(LOG|AUDIT)\b/.test(a)) return 'log';
  return 'deny';
}
