// One log line in, one record (or the reason it was skipped) out. Pure: the caller supplies the
// line number and the reference time; no I/O. Keeps the little state a log needs: the year of
// year-less stamps, the last converted stamp, the count of identical lines.
import type { IptaRecord } from '../record.js';
import { findFields, parseFields } from './fields.js';
import type { JsonWriter } from './json-writer.js';
import { ByteScan, BytesCache, STAMP_BSD, latin1, laneFactWords, sameBytes, scanLine, type LaneFactWords } from './byte-lane.js';
import type { FactEncoder } from '../report/fact-batch.js';
import { type Header, StampKind, newHeader, parseHeader } from './header.js';
import { OccurrenceCounter, eventKey, keyOf, type OccurrenceState } from './key.js';
import { newRecord } from './record-shape.js';
import { type Zone, isoUtc, makeZone } from './time.js';
import { VerdictTable } from './verdict.js';

export interface LineParserOptions {
  /** year for year-less stamps (default: inferred from the reference time) */
  year?: number;
  /** zone of zone-less stamps: IANA name or `+01:00` (default: the process's local zone) */
  tz?: string;
  /** keep only lines whose prefix contains this text */
  prefix?: string;
  acceptWords?: string[];
  logWords?: string[];
  /** no `key` (and no counting of identical lines): for report facts, which do not use it */
  noKeys?: boolean;
}

/** Why a line gave no record. */
export type SkipReason = 'blank' | 'not_netfilter' | 'prefix_mismatch';

/** The input a line comes from: its name (null for stdin) and the reference time for year inference. */
export interface LineSource {
  path: string | null;
  /** reference time: the file's mtime, or now for stdin */
  ref: Date;
}

const DAY = 86_400_000;

export class LineParser {
  private readonly hd: Header = newHeader();
  private readonly zone: Zone;
  private readonly table: VerdictTable;
  private readonly occurrences = new OccurrenceCounter();
  // year inference, per input
  private source: LineSource | null = null;
  private year = 0;
  private lastMonth = -1;
  // the last converted stamp (lines of one second share it)
  private lastStamp = '';
  private lastYear = 0;
  private lastIso = '';
  private lastRawPrefix = '';
  private lastPrefix = '';
  private lastDescr: string | undefined;

  constructor(private readonly opts: LineParserOptions = {}) {
    this.zone = makeZone(opts.tz);
    this.table = new VerdictTable(opts);
  }

  /**
   * Parse one line (without its newline) numbered `lineNo` from `source`. The record has every
   * key of RECORD_KEYS, absent ones undefined (see record-shape.ts; plainRecord() drops them).
   */
  parse(line: string, lineNo: number, source: LineSource): IptaRecord | SkipReason {
    const at = this.front(line, source);
    if (typeof at === 'string') return at;
    const ts = this.timestamp();
    return this.build(lineNo, at, ts, this.key(line));
  }

  /** parse() and `w.record()` in one. null: a record was written. */
  parseJson(line: string, lineNo: number, source: LineSource, w: JsonWriter): SkipReason | null {
    const at = this.front(line, source);
    if (typeof at === 'string') return at;
    const ts = this.timestamp();
    const key = this.key(line);
    w.record(this.build(lineNo, at, ts, key));
    return null;
  }

  /**
   * parseJson() of the line b[a, e) (without its newline), straight from its bytes when it is a
   * line of the byte lane (see byte-lane.ts). undefined: it is not; decode it and use parseJson().
   */
  parseBytes(b: Buffer, a: number, e: number, lineNo: number, source: LineSource, w: JsonWriter): SkipReason | null | undefined {
    this.lane.wantMac = true;
    const pre = this.laneFront(b, a, e, source);
    if (pre === undefined || pre === 'prefix_mismatch') return pre;
    // from here on the line is the lane's: the state steps
    const sc = this.lane;
    const ts = this.laneStamp(b, sc);
    let key = '';
    if (this.opts.noKeys !== true) {
      const hostLen = sc.hostTo - sc.hostFrom;
      const n = hostLen + (e - a) + 3;
      if (n > this.keyBytes.length) this.keyBytes = Buffer.allocUnsafe(n * 2);
      const kb = this.keyBytes;
      for (let k = 0; k < hostLen; k++) kb[k] = b[sc.hostFrom + k];
      kb[hostLen] = 0;
      b.copy(kb, hostLen + 1, a, e);
      kb[n - 2] = 0;
      kb[n - 1] = 48;
      const first = keyOf(kb.subarray(0, n));
      const stamp = this.laneStampText(b, sc);
      const count = this.occurrences.next(stamp, first);
      if (this.probe !== null) trackLead(this.probe, stamp, first);
      key = count === 0 ? first : eventKey(latin1(b, sc.hostFrom, sc.hostTo), latin1(b, a, e), count);
    }
    w.byteRecord(b, sc, this.laneTsJson(ts), pre.head, lineNo, key);
    return null;
  }

  /**
   * The report fact of the line b[a, e) (`ipta --analyze FILE`), straight from its bytes into
   * `enc` when it is a line of the byte lane; what parse() and toFact() would give. undefined: it
   * is not a line of the lane; decode it and use parse().
   */
  parseFact(b: Buffer, a: number, e: number, source: LineSource, enc: FactEncoder): SkipReason | null | undefined {
    this.lane.wantMac = false;
    const pre = this.laneFront(b, a, e, source);
    if (pre === undefined || pre === 'prefix_mismatch') return pre;
    const sc = this.lane;
    const ts = this.laneStamp(b, sc);
    let us = NaN;
    if (!Number.isNaN(ts.t)) {
      // tsUs() of the record's ts: the fraction's first six digits are the microseconds
      let frac = 0;
      for (let k = 0; k < 6; k++) frac = frac * 10 + (sc.fracFrom + k < sc.fracTo ? b[sc.fracFrom + k] - 48 : 0);
      us = ts.t * 1000 + frac;
    }
    enc.addLane(b, sc, us, pre.fact);
    return null;
  }

  /** The lane's part of a line before the state: scanLine, the source, the prefix (see parseBytes). */
  private laneFront(b: Buffer, a: number, e: number, source: LineSource): LanePrefix | 'prefix_mismatch' | undefined {
    if (!scanLine(b, a, e, this.lane)) return undefined;
    if (source !== this.source) this.startSource(source);
    const pre = this.lanePrefix(b, this.lane.pos, this.lane.at);
    if (pre === null) return undefined;
    return pre.mismatch ? 'prefix_mismatch' : pre;
  }

  private readonly lane = new ByteScan();
  private keyBytes = Buffer.allocUnsafe(1024);

  /** The lane's prefix: cached by its bytes, with its encoded keys; null: not the lane's. */
  private lanePrefix(b: Uint8Array, from: number, to: number): LanePrefix | null {
    const hit = this.lanePrefixes.get(b, from, to);
    if (hit !== undefined) return hit;
    const [prefix, descr] = cleanPrefix(latin1(b, from, to));
    if (descr !== undefined) return null;
    const av = this.table.classify(prefix);
    let text = '';
    if (prefix !== '') text += `,"prefix":${JSON.stringify(prefix)}`;
    if (av.action !== undefined) text += `,"action":${JSON.stringify(av.action)}`;
    text += `,"verdict":${JSON.stringify(av.verdict)}`;
    const pre: LanePrefix = {
      head: new Uint8Array(Buffer.from(text, 'utf8')),
      mismatch: this.opts.prefix !== undefined && prefix.indexOf(this.opts.prefix) === -1,
      fact: laneFactWords(prefix, av.action, av.verdict),
    };
    this.lanePrefixes.set(b, from, to, pre);
    return pre;
  }

  private readonly lanePrefixes = new BytesCache<LanePrefix>();

  /**
   * The lane's stamp in UTC to the second (an instant; its JSON: laneTsJson), cached by its bytes
   * up to the minute, one cache per kind of stamp (logs gathered from several hosts interleave
   * them): within a minute only the seconds move. Year inference steps as timestamp() makes it step.
   */
  private laneStamp(b: Uint8Array, sc: ByteScan): LaneStampCache {
    const c = sc.stamp === STAMP_BSD ? this.bsdCache : this.isoCache;
    // the stamp's bytes up to the minute (`... HH:MM:`), then its zone
    const minLen = sc.secTo - 2 - sc.stampFrom;
    const zoneLen = sc.stampTo - sc.fracEnd;
    if (c.len === minLen + zoneLen && sameBytes(b, sc.stampFrom, sc.secTo - 2, c.bytes, minLen)
      && (zoneLen === 0 || sameZone(b, sc.fracEnd, zoneLen, c.bytes, minLen))
      && (sc.stamp !== STAMP_BSD || (c.year === this.year && sc.month0 === this.lastMonth && c.minuteSafe))) {
      // the same minute (a zone's offset changes on a whole minute): no calendar, no zone
      if (sc.s !== c.s) {
        c.t += (sc.s - c.s) * 1000;
        c.s = sc.s;
        const base = c.base;
        if (base !== null && base.length > 0 && c.aligned && sc.s < 60) {
          // the UTC second is the written one: its two digits, in place
          base[base.length - 2] = 48 + ((sc.s / 10) | 0);
          base[base.length - 1] = 48 + (sc.s % 10);
        } else {
          c.base = null;
        }
      }
      return c;
    }
    let t: number;
    if (sc.stamp === STAMP_BSD) {
      const hd = this.hd;
      hd.month0 = sc.month0; hd.day = sc.day; hd.h = sc.h; hd.mi = sc.mi; hd.s = sc.s;
      const year = this.inferYear();
      t = this.zone.toUtc(year, sc.month0, sc.day, sc.h, sc.mi, sc.s);
      // year inference looks at whether a stamp is more than a day after the reference: a minute
      // that lies wholly before that line needs no second look
      c.minuteSafe = this.opts.year !== undefined || t - sc.s * 1000 + 60_000 <= this.source!.ref.getTime() + DAY;
    } else {
      t = Number.isNaN(sc.offsetMin)
        ? this.zone.toUtc(sc.year, sc.month0, sc.day, sc.h, sc.mi, sc.s)
        : Date.UTC(sc.year, sc.month0, sc.day, sc.h, sc.mi, sc.s) - sc.offsetMin * 60_000;
    }
    // the general path's cache may not be the state's any more
    this.lastStamp = '';
    c.t = t;
    c.s = sc.s;
    c.base = null;
    // an offset of whole minutes (not some zone's old local mean time) keeps the written second
    c.aligned = ((Math.floor(t / 1000) % 60) + 60) % 60 === sc.s;
    c.year = this.year;
    if (minLen + zoneLen > c.bytes.length) c.bytes = new Uint8Array((minLen + zoneLen) * 2);
    for (let k = 0; k < minLen; k++) c.bytes[k] = b[sc.stampFrom + k];
    for (let k = 0; k < zoneLen; k++) c.bytes[minLen + k] = b[sc.fracEnd + k];
    c.len = minLen + zoneLen;
    return c;
  }

  /** `"ts":"YYYY-MM-DDTHH:MM:SS` of a stamp (empty when it has none), made when first asked for. */
  private laneTsJson(c: LaneStampCache): Uint8Array {
    if (c.base === null) c.base = Number.isNaN(c.t) ? NO_TS : new Uint8Array(Buffer.from(`"ts":"${isoUtc(c.t, '').slice(0, -1)}`, 'latin1'));
    return c.base;
  }

  private readonly bsdCache: LaneStampCache = { bytes: new Uint8Array(64), len: -1, base: null, t: NaN, s: 0, aligned: false, year: 0, minuteSafe: false };
  private readonly isoCache: LaneStampCache = { bytes: new Uint8Array(64), len: -1, base: null, t: NaN, s: 0, aligned: false, year: 0, minuteSafe: false };

  /** The stamp's text (the occurrence counter's stamp), the same string while the bytes repeat. */
  private laneStampText(b: Uint8Array, sc: ByteScan): string {
    const n = sc.stampTo - sc.stampFrom;
    if (sameBytes(b, sc.stampFrom, sc.stampTo, this.laneTextBytes, this.laneTextLen)) return this.laneText;
    if (n > this.laneTextBytes.length) this.laneTextBytes = new Uint8Array(n * 2);
    this.laneTextBytes.set(b.subarray(sc.stampFrom, sc.stampTo));
    this.laneTextLen = n;
    return (this.laneText = latin1(b, sc.stampFrom, sc.stampTo));
  }

  private laneText = '';
  private laneTextBytes = new Uint8Array(64);
  private laneTextLen = -1;

  /** The line's key ('' with noKeys); counts it among identical lines. */
  private key(line: string): string {
    if (this.opts.noKeys === true) return '';
    const hd = this.hd;
    const raw = hd.rawStart === 0 ? line : line.slice(hd.rawStart);
    const host = hd.host ?? '';
    const first = eventKey(host, raw, 0);
    const stamp = this.stampKey();
    const n = this.occurrences.next(stamp, first);
    if (this.probe !== null) trackLead(this.probe, stamp, first);
    return n === 0 ? first : eventKey(host, raw, n);
  }

  /**
   * Start a run of lines (a job of the parallel path, parallel.ts) from `source` with the given
   * year state and occurrence state (null: none, as at the start of an input), and record a probe:
   * what the run's first year-less stamp and first group of identical stamps were, so that the
   * caller can check afterwards whether the state it guessed was the state the lines before
   * would have left.
   */
  begin(source: LineSource, year: YearState, occ: OccurrenceState | null): void {
    this.startSource(source);
    this.year = year.year;
    this.lastMonth = year.lastMonth;
    this.occurrences.restore(occ);
    this.probe = { firstYearLess: null, lead: null };
  }

  /** The year state now (see begin()). */
  yearState(): YearState {
    return { year: this.year, lastMonth: this.lastMonth };
  }

  /** The occurrence state now (see begin()). */
  occurrenceState(): OccurrenceState {
    return this.occurrences.snapshot();
  }

  /** Set by begin(), filled by parse(). */
  probe: Probe | null = null;

  private prefix = '';
  private descr: string | undefined;

  /** Framing, fields position, prefix and the --prefix filter: where the fields start, or why not. */
  private front(line: string, source: LineSource): number | SkipReason {
    if (source !== this.source) this.startSource(source);
    const hd = this.hd;
    if (line.length === 0) return 'blank';
    if (!parseHeader(line, hd)) return 'not_netfilter';
    const text = hd.text;
    const at = findFields(text, hd.pos);
    if (at < 0) return text.trim() === '' && line.trim() === '' ? 'blank' : 'not_netfilter';
    // the prefix: what the rule's log-prefix printed before the fields (one per rule: cached)
    if (at - hd.pos !== this.lastRawPrefix.length || !text.startsWith(this.lastRawPrefix, hd.pos)) {
      const raw = text.slice(hd.pos, at);
      [this.lastPrefix, this.lastDescr] = cleanPrefix(raw);
      this.lastRawPrefix = raw;
    }
    this.prefix = this.lastPrefix;
    this.descr = this.lastDescr;
    if (this.opts.prefix !== undefined && this.prefix.indexOf(this.opts.prefix) === -1) return 'prefix_mismatch';
    return at;
  }

  private stampKey(): string {
    const hd = this.hd;
    return hd.stamp !== StampKind.None ? (hd.stamp === StampKind.Iso ? hd.iso : hd.stampText) : String(hd.kernelTs ?? '');
  }

  private build(lineNo: number, at: number, ts: string | undefined, key: string): IptaRecord {
    const hd = this.hd;
    const prefix = this.prefix;
    const descr = this.descr;
    const rec = newRecord();
    if (ts !== undefined) rec.ts = ts;
    if (hd.host !== undefined) rec.host = hd.host;
    if (hd.kernelTs !== undefined) rec.kernel_ts = hd.kernelTs;
    if (prefix !== '') rec.prefix = prefix;
    const av = this.table.classify(prefix);
    if (av.action !== undefined) rec.action = av.action;
    rec.verdict = av.verdict;
    parseFields(hd.text, at, rec);
    if (descr !== undefined || hd.pve !== undefined) {
      const extra = (rec.extra ??= {});
      if (descr !== undefined) extra.DESCR = descr;
      if (hd.pve !== undefined) {
        extra.PVE_VMID = hd.pve.vmid;
        extra.PVE_LEVEL = hd.pve.level;
        extra.PVE_CHAIN = hd.pve.chain;
      }
    }
    rec.line = lineNo;
    rec.key = key;
    return rec;
  }

  private startSource(source: LineSource): void {
    this.source = source;
    this.year = 0;
    this.lastMonth = -1;
    this.lastStamp = '';
    this.bsdCache.len = this.isoCache.len = -1;
  }

  /** The header's stamp as ISO UTC, or undefined. */
  private timestamp(): string | undefined {
    const hd = this.hd;
    switch (hd.stamp) {
      case StampKind.None:
        return undefined;
      case StampKind.Iso:
        return hd.iso;
      case StampKind.Full: {
        if (hd.stampText === this.lastStamp && this.lastYear === -1) return this.lastIso;
        const t = hd.offsetMin === null
          ? this.zone.toUtc(hd.year, hd.month0, hd.day, hd.h, hd.mi, hd.s)
          : Date.UTC(hd.year, hd.month0, hd.day, hd.h, hd.mi, hd.s) - hd.offsetMin * 60_000;
        this.bsdCache.len = this.isoCache.len = -1;
        if (Number.isNaN(t)) return undefined;
        this.lastStamp = hd.stampText;
        this.lastYear = -1;
        this.lastIso = isoUtc(t, hd.fraction);
        return this.lastIso;
      }
      default: {
        if (hd.stampText === this.lastStamp && this.lastYear !== -1) return this.lastIso;
        const year = this.inferYear();
        const t = this.zone.toUtc(year, hd.month0, hd.day, hd.h, hd.mi, hd.s);
        this.bsdCache.len = this.isoCache.len = -1;
        if (Number.isNaN(t)) return undefined;
        this.lastStamp = hd.stampText;
        this.lastYear = year;
        this.lastIso = isoUtc(t, hd.fraction);
        return this.lastIso;
      }
    }
  }

  /** The year of the header's year-less stamp (see inferYear), the state stepped on. */
  private inferYear(): number {
    const hd = this.hd;
    const state = { year: this.year, lastMonth: this.lastMonth };
    const y = inferYear(this.zone, state, hd, this.source!.ref.getTime(), this.opts.year);
    if (this.probe !== null && this.probe.firstYearLess === null) {
      this.probe.firstYearLess = { month0: hd.month0, day: hd.day, h: hd.h, mi: hd.mi, s: hd.s, year: y };
    }
    this.year = y;
    this.lastMonth = hd.month0;
    return y;
  }
}

/** Where year inference stands: the year and month (0-11) of the last year-less stamp, -1: none yet. */
export interface YearState {
  year: number;
  lastMonth: number;
}

/** The lane's prefix: its record keys encoded (`,"prefix":...,"verdict":...`), and the --prefix test. */
/** The last stamp of one kind the lane converted: its bytes up to the minute and its zone, and
 * for a year-less one the year state it was converted in (only valid while the state is that). */
interface LaneStampCache {
  bytes: Uint8Array;
  len: number;
  /** `"ts":"YYYY-MM-DDTHH:MM:SS` (NO_TS: none; null: not made yet) */
  base: Uint8Array | null;
  /** the instant to the second (ms), NaN: none; and its second of the minute */
  t: number;
  s: number;
  /** a year-less stamp's minute lies wholly before the reference's day after (see laneStamp) */
  minuteSafe: boolean;
  /** the instant's UTC second is the stamp's second */
  aligned: boolean;
  year: number;
}

const NO_TS = new Uint8Array(0);

function sameZone(b: Uint8Array, from: number, n: number, keep: Uint8Array, at: number): boolean {
  for (let k = 0; k < n; k++) if (b[from + k] !== keep[at + k]) return false;
  return true;
}

interface LanePrefix {
  head: Uint8Array;
  mismatch: boolean;
  /** its words as a fact has them */
  fact: LaneFactWords;
}

export const FRESH_YEAR: YearState = { year: 0, lastMonth: -1 };

/** The fields of a year-less stamp that its year depends on. */
export interface YearLessStamp {
  month0: number;
  day: number;
  h: number;
  mi: number;
  s: number;
}

/**
 * The year of a year-less stamp, after `state`. The first stamp of an input takes the reference's
 * year, or the year before when that would put it more than a day after the reference (a file's
 * mtime is when its last line was written). Later stamps keep that year and step to the next one
 * when the month wraps (Dec -> Jan), back when a stray line wraps the other way, and again never
 * land more than a day after the reference. `forced` (--year) fixes the first year; the steps
 * still apply.
 */
export function inferYear(zone: Zone, state: YearState, st: YearLessStamp, ref: number, forced: number | undefined): number {
  const m = st.month0;
  let y: number;
  if (state.lastMonth === -1) {
    y = forced ?? new Date(ref).getUTCFullYear() + 1;
  } else {
    y = state.year;
    if (m < state.lastMonth && state.lastMonth - m >= 6) y++;
    else if (m > state.lastMonth && m - state.lastMonth >= 6) y--;
  }
  if (forced === undefined) {
    // never more than a day after the reference
    let guard = 0;
    while (zone.toUtc(y, m, st.day, st.h, st.mi, st.s) > ref + DAY && guard++ < 3) y--;
  }
  return y;
}

/**
 * What a run of lines started with (see LineParser.begin): its first year-less stamp and the
 * year it got, and its lead: the first-occurrence keys of its first lines that share one stamp.
 * `open`: every record of the run had that stamp; `overflow`: the lead grew too long to check.
 */
export interface Probe {
  firstYearLess: (YearLessStamp & { year: number }) | null;
  lead: { stamp: string; keys: string[]; chars: number; open: boolean; overflow: boolean } | null;
}

function trackLead(probe: Probe, stamp: string, key: string): void {
  const lead = probe.lead;
  if (lead === null) {
    probe.lead = { stamp, keys: [key], chars: key.length, open: true, overflow: false };
  } else if (lead.open) {
    if (stamp !== lead.stamp) lead.open = false;
    else if (lead.keys.length >= LEAD_LIMIT) lead.overflow = true;
    else {
      lead.keys.push(key);
      lead.chars += key.length;
    }
  }
}

/** Keys kept of a lead; a longer one is not checked, its run is parsed again with the exact state. */
const LEAD_LIMIT = 1000;

/** The prefix as written, trimmed, without firewalld's quotes; UniFi's DESCR="..." split off. */
function cleanPrefix(raw: string): [string, string | undefined] {
  let prefix = raw.trim();
  let descr: string | undefined;
  if (prefix === '') return ['', undefined];
  const d = prefix.indexOf('DESCR="');
  if (d !== -1) {
    // UniFi: `[WAN_LOCAL-D-2147483647] DESCR="[WAN_LOCAL]Block All Traffic"`
    let q = prefix.indexOf('"', d + 7);
    while (q > 0 && prefix.charCodeAt(q - 1) === 92) q = prefix.indexOf('"', q + 1);
    descr = prefix.slice(d + 7, q === -1 ? prefix.length : q);
    prefix = (prefix.slice(0, d) + (q === -1 ? '' : prefix.slice(q + 1))).trim();
  }
  // firewalld prints its prefix in quotes: `"filter_IN_public_REJECT: "IN=`
  if (prefix.length >= 2 && prefix.charCodeAt(0) === 34 && prefix.charCodeAt(prefix.length - 1) === 34) {
    prefix = prefix.slice(1, -1).trim();
  }
  return [prefix, descr];
}
