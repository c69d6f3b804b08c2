// One log line in, one record (or the reason it was skipped) out. Pure: the caller supplies the
// line number and the reference time; no I/O. Keeps the little state a log needs: the year of
// year-less stamps, the last converted stamp, the count of identical lines.
import type { IptaRecord } from '../record.js';
import { findFields, parseFields } from './fields.js';
import { type Header, StampKind, newHeader, parseHeader } from './header.js';
import { OccurrenceCounter, eventKey, type OccurrenceState } from './key.js';
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
    if (this.opts.noKeys === true) return this.build(lineNo, at, ts, '');
    const hd = this.hd;
    const raw = hd.rawStart === 0 ? line : line.slice(hd.rawStart);
    const host = hd.host ?? '';
    const first = eventKey(host, raw, 0);
    const stamp = this.stampKey();
    const n = this.occurrences.next(stamp, first);
    if (this.probe !== null) trackLead(this.probe, stamp, first);
    return this.build(lineNo, at, ts, n === 0 ? first : eventKey(host, raw, n));
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
