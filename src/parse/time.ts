// Wall-clock times -> UTC instants, for the zone-less stamps of syslog (local time, or --tz).
// Offsets come from Intl (the platform's tz database), cached per quarter hour, so a log of a
// million lines asks Intl a few thousand times at most.

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;

/** A time zone that turns wall-clock fields into an instant. */
export interface Zone {
  readonly name: string;
  /** The instant (ms since epoch, whole seconds) of a wall-clock time in this zone. */
  toUtc(year: number, month0: number, day: number, h: number, mi: number, s: number): number;
}

/**
 * `name`: an IANA zone (`Europe/Berlin`), `UTC`, or a fixed offset (`+01:00`, `-0530`);
 * undefined: the process's local zone (TZ). Throws RangeError for an unknown zone.
 */
export function makeZone(name?: string): Zone {
  if (name !== undefined) {
    const m = /^(?:UTC|GMT)?([+-])(\d\d):?(\d\d)$/.exec(name);
    if (m) {
      const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * MINUTE;
      return fixedZone(name, off);
    }
    if (/^(?:UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(name)) return fixedZone(name, 0);
  }
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const zoneName = fmt.resolvedOptions().timeZone;
  if (/^(?:UTC|Etc\/UTC|Etc\/GMT|GMT)$/.test(zoneName)) return fixedZone(zoneName, 0);
  return new IntlZone(zoneName, fmt);
}

function fixedZone(name: string, offsetMs: number): Zone {
  return {
    name,
    toUtc: (y, mo, d, h, mi, s) => Date.UTC(y, mo, d, h, mi, s) - offsetMs,
  };
}

class IntlZone implements Zone {
  private readonly offsets = new Map<number, number>();
  constructor(readonly name: string, private readonly fmt: Intl.DateTimeFormat) {}

  /** UTC offset (ms) in effect at instant t. */
  offsetAt(t: number): number {
    const bucket = Math.floor(t / QUARTER);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = this.compute(bucket * QUARTER);
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(bucket, off);
    }
    return off;
  }

  private compute(t: number): number {
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return wall - t;
  }

  // Ambiguous wall times (the hour repeated when clocks go back) take the earlier instant;
  // times that do not exist (skipped when clocks go forward) move forward by the gap —
  // Temporal's "compatible" disambiguation.
  toUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
    const wall = Date.UTC(y, mo, d, h, mi, s);
    const before = this.offsetAt(wall - 86_400_000);
    const after = this.offsetAt(wall + 86_400_000);
    if (before === after) {
      const t = wall - before;
      // a transition within the day but not around this time: check the exact offset
      const o = this.offsetAt(t);
      if (o === before) return t;
      const t2 = wall - o;
      if (this.offsetAt(t2) === o) return t2;
      return t;
    }
    const tb = wall - before;
    const ta = wall - after;
    const okB = this.offsetAt(tb) === before;
    const okA = this.offsetAt(ta) === after;
    if (okB && okA) return Math.min(tb, ta);
    if (okB) return tb;
    if (okA) return ta;
    return wall - before; // in the gap: shift forward
  }
}

const PAD2: string[] = [];
for (let i = 0; i < 61; i++) PAD2.push(i < 10 ? `0${i}` : String(i));
let dayNo = NaN;
let dayText = '';

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z` for an instant in whole seconds plus the source's fraction
 * digits (kept as written: the precision of the source). The date part is cached per day.
 */
export function isoUtc(t: number, fraction: string): string {
  const day = Math.floor(t / 86_400_000);
  if (day !== dayNo) {
    dayNo = day;
    dayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let sec = Math.floor((t - day * 86_400_000) / 1000);
  const h = Math.floor(sec / 3600);
  sec -= h * 3600;
  const m = Math.floor(sec / 60);
  sec -= m * 60;
  const base = `${dayText}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}`;
  return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}
