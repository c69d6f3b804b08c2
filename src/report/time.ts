// Time for the report: instants are integers of microseconds since 1970-01-01 UTC (the precision
// of the store's DATETIME(6)), so both engines bucket, compare and print them identically.
import { UsageError } from '../cli/errors.js';

export const US_PER_S = 1_000_000;
export const US_PER_HOUR = 3_600_000_000;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 text -> microseconds (no zone: UTC). Undefined when it is not a valid time. */
export function parseIsoUs(s: string): number | undefined {
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  if (+mi > 59 || +sec > 60 || +h > 23) return undefined;
  // a leap second (:60) has no DATETIME: the store keeps it as :59, and so do we
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, Math.min(+sec, 59));
  if (!Number.isFinite(ms)) return undefined;
  const check = new Date(ms);
  if (check.getUTCDate() !== +d! || check.getUTCHours() !== +h || check.getUTCMonth() !== +mo! - 1) return undefined;
  let us = ms * 1000 + (frac ? Number((frac + '00000').slice(0, 6)) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const off = (+z[2]! * 60 + +z[3]!) * 60 * US_PER_S;
    us += z[1] === '+' ? -off : off;
  }
  return us;
}

/** Microseconds -> ISO 8601 UTC: `2026-11-25T06:25:13Z`, or with the fraction (trailing zeros cut). */
export function formatUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const frac = us - Math.floor(us / US_PER_S) * US_PER_S;
  const base = new Date(ms).toISOString().slice(0, 19);
  if (frac === 0) return base + 'Z';
  return `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}Z`;
}

/** Microseconds -> `YYYY-MM-DD HH:MM:SS.ffffff`, the literal MySQL compares with DATETIME(6). */
export function sqlDatetime(us: number): string {
  const frac = us - Math.floor(us / US_PER_S) * US_PER_S;
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19).replace('T', ' ')}.${String(frac).padStart(6, '0')}`;
}

const REL_RE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;
const UNIT_US: Record<string, number> = { s: US_PER_S, m: 60 * US_PER_S, h: US_PER_HOUR, d: 24 * US_PER_HOUR, w: 168 * US_PER_HOUR };

/** `--since`/`--until`: ISO (UTC unless a zone is given) or relative to `nowUs` (`24h`, `7d`, `30m`, `90s`, `2w`). */
export function parseTimeArg(s: string, nowUs: number, flag: string): number {
  const rel = REL_RE.exec(s.trim());
  if (rel) return nowUs - Math.round(Number(rel[1]) * UNIT_US[rel[2]!.toLowerCase()]!);
  const abs = parseIsoUs(s.trim());
  if (abs === undefined) throw new UsageError(`${flag}: expected an ISO time (2026-11-25T06:00:00Z) or a relative one (24h, 7d, 30m), got ${JSON.stringify(s)}`);
  return abs;
}

/** A duration flag (`--scan-window 1h`) -> microseconds. */
export function parseDuration(s: string, flag: string): number {
  const rel = REL_RE.exec(String(s).trim());
  if (!rel || Number(rel[1]) <= 0) throw new UsageError(`${flag}: expected a duration like 1h, 30m, 1d, got ${JSON.stringify(s)}`);
  return Math.round(Number(rel[1]) * UNIT_US[rel[2]!.toLowerCase()]!);
}
