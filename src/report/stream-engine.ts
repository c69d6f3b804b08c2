// The stream engine: every module computed in one pass over records, in memory bounded by the
// number of distinct groups (sources, ports, source x port...), never by the number of records.
import { WIDTH, text } from './fact-text.js';
import type { IptaRecord } from '../record.js';
import type { ModuleName, ReportRow } from './rows.js';
import type { ReportOptions } from './options.js';
import { inRanges } from './ip.js';
import { parseIsoUs, US_PER_HOUR } from './time.js';
import { AddrDict, CountTable, Dict, KeyTable, grow } from './tables.js';
import { NO_WORD, type FactBatch } from './fact-batch.js';
import {
  rowDenied, rowHeatmap, rowHosts, rowIcmp, rowInterfaces, rowInvalid, rowNewSources, rowPortActions,
  rowPorts, rowScanners, rowSummary, rowTimeline, rowTopSources, topN, cmpVal,
} from './build.js';

/** The fields the report uses, cleaned as the store cleans them (empty text = absent, widths cut). */
export interface Fact {
  ts?: number; host?: string; prefix?: string; action?: string; verdict: 'accept' | 'deny' | 'log';
  in?: string; out?: string; src?: string; dst?: string; proto?: string; spt?: number; dpt?: number;
}

function port(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : undefined;
}

/** A record -> its fact, or a reason it cannot be counted. Every field is set (one object shape). */
export function toFact(r: Partial<IptaRecord> & Record<string, unknown>): Fact | string {
  const verdict = r.verdict;
  if (verdict !== 'accept' && verdict !== 'deny' && verdict !== 'log') return verdict === undefined ? 'no verdict' : 'bad verdict';
  return {
    ts: typeof r.ts === 'string' ? tsUs(r.ts) : undefined,
    host: text(r.host, WIDTH.host), prefix: text(r.prefix, WIDTH.prefix), action: text(r.action, WIDTH.action), verdict,
    in: text(r.in, WIDTH.in), out: text(r.out, WIDTH.out), src: text(r.src, WIDTH.src), dst: text(r.dst, WIDTH.dst),
    proto: text(r.proto, WIDTH.proto), spt: port(r.spt), dpt: port(r.dpt),
  };
}

// Records come in time order, many in the same second: the whole-second part is parsed once.
let lastSecond = '';
let lastSecondUs = 0;
let lastMinute = '\u0000';
let lastMinuteUs = 0;

/** Record time -> microseconds; fast path for `YYYY-MM-DDTHH:MM:SS[.f]Z`, else parseIsoUs. */
export function tsUs(ts: string): number | undefined {
  if (ts.length >= 20 && ts.charCodeAt(10) === 84 /* T */) {
    if (!ts.startsWith(lastSecond) || lastSecond === '') {
      // a new second: when only the seconds digits changed, no calendar work
      const sec = (ts.charCodeAt(17) - 48) * 10 + ts.charCodeAt(18) - 48;
      if (lastSecond !== '' && ts.charCodeAt(16) === 58 && sec >= 0 && sec <= 59 && ts.startsWith(lastMinute)) {
        lastSecondUs = lastMinuteUs + sec * 1_000_000;
        lastSecond = ts.slice(0, 19);
      } else {
        const whole = ts.slice(0, 19);
        const us = parseIsoUs(whole + 'Z');
        if (us === undefined) return parseIsoUs(ts);
        lastSecond = whole;
        lastSecondUs = us;
        lastMinute = ts.slice(0, 17);
        lastMinuteUs = us - Math.min(sec, 59) * 1_000_000;
      }
    }
    const n = ts.length;
    if (n === 20) {
      if (ts.charCodeAt(19) === 90 /* Z */) return lastSecondUs;
    } else if (n >= 22 && n <= 30 && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(n - 1) === 90) {
      // `.f` to `.fffffffff` before the Z: the first six digits are the microseconds
      let us = 0;
      for (let i = 20; i < 26; i++) {
        if (i >= n - 1) { us *= 10; continue; }
        const d = ts.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return parseIsoUs(ts);
        us = us * 10 + d;
      }
      for (let i = 26; i < n - 1; i++) {
        const d = ts.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return parseIsoUs(ts);
      }
      return lastSecondUs + us;
    }
  }
  return parseIsoUs(ts);
}

const ICMP_RE = /^(?:icmp|icmpv6|ipv6-icmp)$/i;
const INVALID_RE = /invalid/i;
export const isIcmp = (proto: string | undefined): boolean =>
  proto === 'ICMP' || proto === 'ICMPv6' || (proto !== undefined && proto.length <= 9 && ICMP_RE.test(proto));
/** INVALID in the prefix or the action, any case (as the SQL's UPPER(...) LIKE '%INVALID%'). */
export const isInvalid = (f: Fact): boolean =>
  (f.prefix !== undefined && INVALID_RE.test(f.prefix)) || (f.action !== undefined && INVALID_RE.test(f.action));
export const isLocal = (f: Fact): boolean => f.in === 'lo' || f.out === 'lo';

/** Every filter except the time range. */
export function passesFilters(f: Fact, o: ReportOptions['filters']): boolean {
  if (o.noLocal && isLocal(f)) return false;
  if (o.noAccept && f.verdict === 'accept') return false;
  if (o.hosts && (f.host === undefined || !o.hosts.includes(f.host.toUpperCase()))) return false;
  if (o.actions && (f.action === undefined || !o.actions.includes(f.action.toUpperCase()))) return false;
  if (o.protos && (f.proto === undefined || !o.protos.includes(f.proto.toUpperCase()))) return false;
  if (o.dports && (f.dpt === undefined || !o.dports.includes(f.dpt))) return false;
  if (o.src && !inRanges(f.src, o.src)) return false;
  if (o.dst && !inRanges(f.dst, o.dst)) return false;
  return true;
}


// The accumulator. Words (sources, destinations, actions...) are numbered once (Dict); every group
// is an entry of a KeyTable found by two numbers, its counters columns of typed arrays indexed by
// entry. A record costs a handful of array reads and writes and no allocation (tables.ts).

const V_ACCEPT = 0, V_DENY = 1, V_LOG = 2;
const VERDICT_NAMES = ['accept', 'deny', 'log'] as const;
const TWO32 = 4294967296;
/** per-word test results cached in an Int8Array: not yet known, true, false */
const UNKNOWN = 0, YES = 1, NO = 2;

/** Room for index i in a column (new entries 0, or `fill`). */
function fit<T extends Float64Array | Int32Array | Int8Array>(arr: T, i: number, fill = 0): T {
  if (i < arr.length) return arr;
  const out = grow(arr as unknown as Int32Array, (i + 1) * 2) as unknown as T;
  if (fill !== 0) out.fill(fill, arr.length);
  return out;
}

/** The report's dictionaries: the words of a record's text fields, numbered (see addRecord). */
export interface Dicts {
  src: AddrDict; dst: AddrDict; host: Dict; prefix: Dict; action: Dict; iface: Dict; proto: Dict;
}

/** Accumulates facts; `rows()` gives the report. */
export class StreamReport {
  private readonly w: { denied: boolean; invalid: boolean; icmp: boolean; ports: boolean; pa: boolean; ifs: boolean; srcs: boolean; hours: boolean; hosts: boolean; scan: boolean; fresh: boolean; summary: boolean };
  readonly dicts: Dicts = { src: new AddrDict(), dst: new AddrDict(), host: new Dict(), prefix: new Dict(), action: new Dict(), iface: new Dict(), proto: new Dict() };
  private readonly filtered: boolean;
  private total = 0;
  private readonly byVerdict = [0, 0, 0];
  private first = NaN;
  private last = NaN;
  private seenMax = NaN;
  // per word: cached tests (filters, icmp, invalid, lo)
  private hostOk = new Int8Array(16);
  private actionOk = new Int8Array(16);
  private protoOk = new Int8Array(16);
  private srcOk = new Int8Array(16);
  private dstOk = new Int8Array(16);
  private icmpProto = new Int8Array(16);
  private invalidPrefix = new Int8Array(16);
  private invalidAction = new Int8Array(16);
  private loIface = 0;
  // per source (src id): selected packets, denied ones, first/last; and packets before --since too (new-sources)
  private sN = new Float64Array(1024);
  private sDenied = new Float64Array(1024);
  private sFirst = new Float64Array(1024).fill(NaN);
  private sLast = new Float64Array(1024).fill(NaN);
  private sSeen = new Float64Array(1024);
  private sSeenFirst = new Float64Array(1024).fill(NaN);
  private sSeenLast = new Float64Array(1024).fill(NaN);
  /** (action, proto) -> one number, for keys that need both */
  private readonly ap = new KeyTable();
  // denied and invalid groups: (src, dpt + 1, action+proto), with the first packet's spt and dst
  private readonly denied = new GroupTable();
  private readonly invalid = new GroupTable();
  // icmp: (src, (dst, action+proto))
  private readonly dstAp = new KeyTable();
  private readonly icmp = new CountTable(1024);
  // scanners: windows (src, window number), the distinct ports and destinations of each
  private readonly win = new KeyTable(1024);
  private winN = new Float64Array(1024);
  private winFirst = new Float64Array(1024);
  private winLast = new Float64Array(1024);
  private winPorts = new Int32Array(1024);
  private winDsts = new Int32Array(1024);
  /** each window's first port (-1: none yet) and destination (0: none yet) */
  private winPort1 = new Int32Array(1024);
  private winDst1 = new Int32Array(1024);
  /** (window, port) and (window, destination) of the windows with more than one */
  private readonly winPort = new KeyTable(1024);
  private readonly winDst = new KeyTable(1024);
  // ports: denied packets per port; per (port, action) and (port, action+proto)
  private portN = new Float64Array(65536);
  private readonly portAction = new CountTable();
  private readonly portAp = new CountTable();
  // interfaces: (in, action+proto)
  private readonly ifAp = new CountTable();
  // hours: (action, hour * 4 + verdict); denied per hour: (0, hour)
  private readonly hourGroup = new CountTable();
  private readonly hourDeny = new CountTable();
  /** the hour last counted, its entries in hourGroup by action * 3 + verdict, and in hourDeny */
  private hour = NaN;
  private readonly hourEntries = new Int32Array(1024 * 3).fill(-1);
  private hourDenyEntry = -1;
  /** apOf()'s direct table for small action and proto ids */
  private readonly apCache = new Int32Array(256 * 64);
  // hosts (host id)
  private hostN = new Float64Array(16);
  private hostDenied = new Float64Array(16);
  private hostAccepted = new Float64Array(16);

  constructor(private readonly o: ReportOptions) {
    const w = new Set(o.modules);
    this.w = {
      denied: w.has('denied'), invalid: w.has('invalid'), icmp: w.has('icmp'), ports: w.has('ports'), pa: w.has('port-actions'),
      ifs: w.has('interfaces'), srcs: w.has('top-sources') || w.has('summary') || w.has('denied') || w.has('invalid') || w.has('icmp') || w.has('scanners') || w.has('new-sources'),
      hours: w.has('timeline') || w.has('heatmap'), hosts: w.has('hosts') || w.has('summary'), scan: w.has('scanners'), fresh: w.has('new-sources'), summary: w.has('summary'),
    };
    const f = o.filters;
    this.filtered = f.noLocal || f.noAccept || f.hosts !== undefined || f.actions !== undefined || f.protos !== undefined
      || f.dports !== undefined || f.src !== undefined || f.dst !== undefined;
    this.loIface = this.dicts.iface.id('lo');
  }

  /** One fact (see toFact). */
  add(f: Fact): void {
    const d = this.dicts;
    this.addRecord(f.ts ?? NaN, f.verdict === 'accept' ? V_ACCEPT : f.verdict === 'deny' ? V_DENY : V_LOG, f.spt ?? -1, f.dpt ?? -1,
      d.host.id(f.host), d.prefix.id(f.prefix), d.action.id(f.action), d.iface.id(f.in), d.iface.id(f.out), d.proto.id(f.proto),
      d.src.id(f.src), d.dst.id(f.dst));
  }

  /** A batch of facts in columns (fact-batch.ts), its words numbered into the report's dictionaries. */
  addBatch(b: FactBatch): void {
    const d = this.dicts;
    const words = b.words;
    // per dictionary field (host, prefix, action, in, out, proto): the batch's word codes -> ids
    const ids = (dict: Dict, codes: Uint32Array): Int32Array => {
      const map = new Int32Array(words.length).fill(-1);
      const out = new Int32Array(b.n);
      for (let i = 0; i < b.n; i++) {
        const c = codes[i]!;
        if (c === NO_WORD) continue;
        let id = map[c]!;
        if (id === -1) id = map[c] = dict.id(words[c]);
        out[i] = id;
      }
      return out;
    };
    const [host, prefix, action, inIf, outIf, proto] = b.codes as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const hosts = ids(d.host, host), prefixes = ids(d.prefix, prefix), actions = ids(d.action, action);
    const ins = ids(d.iface, inIf), outs = ids(d.iface, outIf), protos = ids(d.proto, proto);
    const addr = (dict: AddrDict, n: number, text: string | null | undefined): number =>
      n >= 0 ? dict.idV4(n) : text === null || text === undefined ? 0 : dict.id(text);
    for (let i = 0; i < b.n; i++) {
      this.addRecord(b.ts[i]!, b.verdict[i]!, b.spt[i]!, b.dpt[i]!, hosts[i]!, prefixes[i]!, actions[i]!, ins[i]!, outs[i]!, protos[i]!,
        addr(d.src, b.src4[i]!, b.src[i]), addr(d.dst, b.dst4[i]!, b.dst[i]));
    }
  }

  /**
   * One record as numbers: the text fields as ids of the report's dictionaries (`dicts`), 0 for
   * absent; ts in microseconds, NaN for absent; ports -1 for absent; verdict 0 accept, 1 deny, 2 log.
   */
  addRecord(ts: number, verdict: number, spt: number, dpt: number, host: number, prefix: number, action: number,
    inIf: number, outIf: number, proto: number, src: number, dst: number): void {
    if (this.filtered && !this.passes(verdict, dpt, host, action, inIf, outIf, proto, src, dst)) return;
    const { since, until } = this.o.filters;
    // new-sources looks before --since (to know a source was seen earlier)
    if (this.w.fresh && src !== 0 && ts === ts && (until === undefined || ts < until)) {
      this.fitSource(src);
      this.sSeen[src]++;
      if (!(ts >= this.sSeenFirst[src]!)) this.sSeenFirst[src] = ts;
      if (!(ts <= this.sSeenLast[src]!)) this.sSeenLast[src] = ts;
      if (!(ts <= this.seenMax)) this.seenMax = ts;
    }
    if ((since !== undefined || until !== undefined) && (ts !== ts || (since !== undefined && ts < since) || (until !== undefined && ts >= until))) return;
    this.addSelected(ts, verdict, spt, dpt, host, prefix, action, inIf, proto, src, dst);
  }

  private passes(verdict: number, dpt: number, host: number, action: number, inIf: number, outIf: number, proto: number, src: number, dst: number): boolean {
    const o = this.o.filters;
    const d = this.dicts;
    if (o.noLocal && (inIf === this.loIface || outIf === this.loIface)) return false;
    if (o.noAccept && verdict === V_ACCEPT) return false;
    if (o.hosts && !cached(this.hostOk = fit(this.hostOk, host), host, () => host !== 0 && o.hosts!.includes(d.host.word(host)!.toUpperCase()))) return false;
    if (o.actions && !cached(this.actionOk = fit(this.actionOk, action), action, () => action !== 0 && o.actions!.includes(d.action.word(action)!.toUpperCase()))) return false;
    if (o.protos && !cached(this.protoOk = fit(this.protoOk, proto), proto, () => proto !== 0 && o.protos!.includes(d.proto.word(proto)!.toUpperCase()))) return false;
    if (o.dports && (dpt < 0 || !o.dports.includes(dpt))) return false;
    if (o.src && !cached(this.srcOk = fit(this.srcOk, src), src, () => inRanges(d.src.word(src), o.src!))) return false;
    if (o.dst && !cached(this.dstOk = fit(this.dstOk, dst), dst, () => inRanges(d.dst.word(dst), o.dst!))) return false;
    return true;
  }

  private fitSource(src: number): void {
    if (src < this.sN.length) return;
    this.sN = fit(this.sN, src);
    this.sDenied = fit(this.sDenied, src);
    this.sFirst = fit(this.sFirst, src, NaN);
    this.sLast = fit(this.sLast, src, NaN);
    this.sSeen = fit(this.sSeen, src);
    this.sSeenFirst = fit(this.sSeenFirst, src, NaN);
    this.sSeenLast = fit(this.sSeenLast, src, NaN);
  }

  private addSelected(ts: number, verdict: number, spt: number, dpt: number, host: number, prefix: number, action: number,
    inIf: number, proto: number, src: number, dst: number): void {
    const w = this.w;
    const deny = verdict === V_DENY;
    const timed = ts === ts;
    this.total++;
    this.byVerdict[verdict]++;
    if (timed) {
      if (!(ts >= this.first)) this.first = ts;
      if (!(ts <= this.last)) this.last = ts;
    }
    const ap = this.apOf(action, proto);
    if (src !== 0 && w.srcs) {
      this.fitSource(src);
      this.sN[src]++;
      if (deny) this.sDenied[src]++;
      if (timed) {
        if (!(ts >= this.sFirst[src]!)) this.sFirst[src] = ts;
        if (!(ts <= this.sLast[src]!)) this.sLast[src] = ts;
      }
      const key = (dpt + 1) * TWO32 + ap;
      if (deny && w.denied) this.denied.add(src, key, spt, dst);
      if (w.invalid && this.isInvalid(prefix, action)) this.invalid.add(src, key, spt, dst);
      if (dst !== 0 && w.icmp && this.isIcmp(proto)) {
        this.icmp.count(src, this.dstAp.get(dst, ap));
      }
      if (timed && w.scan) {
        const t = this.win;
        const g = t.get(src, Math.floor(ts / this.o.scanWindow));
        if (t.added) {
          if (g >= this.winN.length) {
            this.winN = fit(this.winN, g);
            this.winFirst = fit(this.winFirst, g);
            this.winLast = fit(this.winLast, g);
            this.winPorts = fit(this.winPorts, g);
            this.winDsts = fit(this.winDsts, g);
            this.winPort1 = fit(this.winPort1, g);
            this.winDst1 = fit(this.winDst1, g);
          }
          this.winFirst[g] = ts;
          this.winLast[g] = ts;
          this.winPort1[g] = -1;
        }
        this.winN[g]++;
        // a window's first port and destination are kept inline: most windows never see another,
        // and only those that do go to the distinct-pair tables
        if (dpt >= 0 && dpt !== this.winPort1[g]) {
          if (this.winPorts[g] === 0) {
            this.winPort1[g] = dpt;
            this.winPorts[g] = 1;
          } else {
            if (this.winPorts[g] === 1) this.winPort.get(g, this.winPort1[g]!);
            this.winPort.get(g, dpt);
            if (this.winPort.added) this.winPorts[g]++;
          }
        }
        if (dst !== 0 && dst !== this.winDst1[g]) {
          if (this.winDsts[g] === 0) {
            this.winDst1[g] = dst;
            this.winDsts[g] = 1;
          } else {
            if (this.winDsts[g] === 1) this.winDst.get(g, this.winDst1[g]!);
            this.winDst.get(g, dst);
            if (this.winDst.added) this.winDsts[g]++;
          }
        }
        if (ts < this.winFirst[g]!) this.winFirst[g] = ts;
        if (ts > this.winLast[g]!) this.winLast[g] = ts;
      }
    }
    if (deny && dpt >= 0 && (w.ports || w.pa || w.summary)) {
      this.portN[dpt]++;
      if (w.pa) this.portAction.count(dpt, action);
      if (w.ports) this.portAp.count(dpt, ap);
    }
    if (inIf !== 0 && w.ifs) this.ifAp.count(inIf, ap);
    if (timed && w.hours) {
      const h = Math.floor(ts / US_PER_HOUR);
      if (h !== this.hour) {
        // records come mostly in time order: the entries of the current hour are kept at hand
        this.hour = h;
        this.hourEntries.fill(-1);
        this.hourDenyEntry = -1;
      }
      const slot = action < 1024 ? action * 3 + verdict : -1;
      const e = slot >= 0 ? this.hourEntries[slot]! : -1;
      if (e !== -1) this.hourGroup.n[e]++;
      else {
        const added = this.hourGroup.count(action, h * 4 + verdict);
        if (slot >= 0) this.hourEntries[slot] = added;
      }
      if (deny) {
        if (this.hourDenyEntry !== -1) this.hourDeny.n[this.hourDenyEntry]++;
        else this.hourDenyEntry = this.hourDeny.count(0, h);
      }
    }
    if (host !== 0 && w.hosts) {
      if (host >= this.hostN.length) {
        this.hostN = fit(this.hostN, host);
        this.hostDenied = fit(this.hostDenied, host);
        this.hostAccepted = fit(this.hostAccepted, host);
      }
      this.hostN[host]++;
      if (deny) this.hostDenied[host]++;
      else if (verdict === V_ACCEPT) this.hostAccepted[host]++;
    }
  }

  /** The number of an (action, proto) pair, 0 for neither: from a small direct table while the ids are small. */
  private apOf(action: number, proto: number): number {
    if (action === 0 && proto === 0) return 0;
    const slot = action < 256 && proto < 64 ? action * 64 + proto : -1;
    if (slot >= 0) {
      const v = this.apCache[slot]!;
      if (v !== 0) return v;
    }
    const ap = this.ap.get(action, proto) + 1;
    if (slot >= 0) this.apCache[slot] = ap;
    return ap;
  }

  private isIcmp(proto: number): boolean {
    return proto !== 0 && cached(this.icmpProto = fit(this.icmpProto, proto), proto, () => isIcmp(this.dicts.proto.word(proto)));
  }

  /** INVALID in the prefix or the action, any case (as the SQL's UPPER(...) LIKE '%INVALID%'). */
  private isInvalid(prefix: number, action: number): boolean {
    const d = this.dicts;
    return (prefix !== 0 && cached(this.invalidPrefix = fit(this.invalidPrefix, prefix), prefix, () => INVALID_RE.test(d.prefix.word(prefix)!)))
      || (action !== 0 && cached(this.invalidAction = fit(this.invalidAction, action), action, () => INVALID_RE.test(d.action.word(action)!)));
  }

  /** The action and protocol behind an `ap` number (0: both absent). */
  private apWords(ap: number): [string | undefined, string | undefined] {
    if (ap === 0) return [undefined, undefined];
    return [this.dicts.action.word(this.ap.a[ap - 1]!), this.dicts.proto.word(this.ap.b[ap - 1]!)];
  }

  /** The report, module by module in the fixed order. */
  *rows(): Generator<ReportRow> {
    const o = this.o;
    const L = o.limit;
    const d = this.dicts;
    const srcs = d.src;
    const ts = (x: number): number | undefined => (x === x ? x : undefined);
    const port = (x: number): number | undefined => (x >= 0 ? x : undefined);
    for (const m of o.modules) {
      switch (m) {
        case 'denied': case 'invalid': {
          const t = m === 'denied' ? this.denied : this.invalid;
          const dpt = (e: number): number | undefined => port(Math.floor(t.b[e]! / TWO32) - 1);
          const top = topN(range(t.size), L, (e) => t.n[e]!, (e) => [srcs.word(t.a[e]!), dpt(e), ...this.apWords(t.b[e]! % TWO32)]);
          const make = m === 'denied' ? rowDenied : rowInvalid;
          for (const e of top) {
            const [action, proto] = this.apWords(t.b[e]! % TWO32);
            yield make(t.n[e]!, srcs.word(t.a[e]!)!, port(t.spt[e]!), d.dst.word(t.dst[e]!), dpt(e), proto, action);
          }
          break;
        }
        case 'icmp': {
          const t = this.icmp;
          const dstOf = (e: number): string => d.dst.word(this.dstAp.a[t.b[e]!]!)!;
          const apOf = (e: number): number => this.dstAp.b[t.b[e]!]!;
          const top = topN(range(t.size), L, (e) => t.n[e]!, (e) => { const [a, p] = this.apWords(apOf(e)); return [srcs.word(t.a[e]!), dstOf(e), a, p]; });
          for (const e of top) {
            const [action, proto] = this.apWords(apOf(e));
            yield rowIcmp(t.n[e]!, srcs.word(t.a[e]!)!, dstOf(e), action, proto);
          }
          break;
        }
        case 'ports': {
          const t = this.portAp;
          const top = topN(range(t.size), L, (e) => t.n[e]!, (e) => { const [a, p] = this.apWords(t.b[e]!); return [t.a[e]!, p, a]; });
          for (const e of top) {
            const [action, proto] = this.apWords(t.b[e]!);
            yield rowPorts(t.n[e]!, t.a[e]!, proto, action);
          }
          break;
        }
        case 'interfaces': {
          const t = this.ifAp;
          const top = topN(range(t.size), L, (e) => t.n[e]!, (e) => [d.iface.word(t.a[e]!), ...this.apWords(t.b[e]!)]);
          for (const e of top) {
            const [action, proto] = this.apWords(t.b[e]!);
            yield rowInterfaces(t.n[e]!, d.iface.word(t.a[e]!)!, action, proto);
          }
          break;
        }
        case 'port-actions': {
          const t = this.portAction;
          const top = topN(range(t.size), L, (e) => t.n[e]!, (e) => [t.a[e]!, d.action.word(t.b[e]!)]);
          for (const e of top) yield rowPortActions(t.n[e]!, t.a[e]!, d.action.word(t.b[e]!));
          break;
        }
        case 'top-sources': {
          const top = topN(sources(this.sN, d.src.size), L, (s) => this.sN[s]!, (s) => [srcs.word(s)]);
          for (const s of top) yield rowTopSources(this.sN[s]!, srcs.word(s)!, this.sDenied[s]!, ts(this.sFirst[s]!), ts(this.sLast[s]!));
          break;
        }
        case 'timeline': yield* this.timeline(); break;
        case 'hosts': {
          const top = topN(sources(this.hostN, d.host.size), L, (h) => this.hostN[h]!, (h) => [d.host.word(h)]);
          for (const h of top) yield rowHosts(this.hostN[h]!, d.host.word(h)!, this.hostDenied[h]!, this.hostAccepted[h]!);
          break;
        }
        case 'scanners': yield* this.scanners(); break;
        case 'new-sources': yield* this.newSources(); break;
        case 'heatmap': {
          const heat = new Map<number, number>();
          const t = this.hourDeny;
          for (let e = 0; e < t.size; e++) {
            const h = t.b[e]!;
            const cell = weekday(h) * 24 + (h % 24);
            heat.set(cell, (heat.get(cell) ?? 0) + t.n[e]!);
          }
          for (const cell of [...heat.keys()].sort((a, b) => a - b)) yield rowHeatmap(heat.get(cell)!, Math.floor(cell / 24), cell % 24);
          break;
        }
        case 'summary': {
          let bp: number | undefined;
          let bc = 0;
          for (let p = 0; p < 65536; p++) if (this.portN[p]! > bc) { bp = p; bc = this.portN[p]!; }
          let sources = 0;
          for (let s = 1; s < d.src.size; s++) if (this.sN[s]! > 0) sources++;
          let hosts = 0;
          for (let h = 1; h < d.host.size; h++) if (this.hostN[h]! > 0) hosts++;
          const [accepted, denied, logged] = this.byVerdict as [number, number, number];
          yield rowSummary({ count: this.total, first: ts(this.first), last: ts(this.last), denied, accepted, logged, sources, hosts, busiestPort: bp, busiestPortCount: bc });
          break;
        }
      }
    }
  }

  private *timeline(): Generator<ReportRow> {
    const unit = timelineUnit(this.o.timeline, this.first === this.first ? this.first : undefined, this.last === this.last ? this.last : undefined);
    const t = this.hourGroup;
    // (bucket, verdict, action) summed over the hours of a bucket
    const sums = new CountTable();
    for (let e = 0; e < t.size; e++) {
      const code = t.b[e]!;
      const h = Math.floor(code / 4);
      const bucket = unit === 'day' ? Math.floor(h / 24) * 24 : h;
      sums.count(t.a[e]!, bucket * 4 + (code - h * 4), t.n[e]!);
    }
    const actions = this.dicts.action.words;
    const order = range(sums.size).sort((x, y) => {
      const bx = Math.floor(sums.b[x]! / 4), by = Math.floor(sums.b[y]! / 4);
      return bx - by || cmpVal(VERDICT_NAMES[sums.b[x]! - bx * 4], VERDICT_NAMES[sums.b[y]! - by * 4]) || cmpVal(actions[sums.a[x]!], actions[sums.a[y]!]);
    });
    for (const g of order) {
      const b = Math.floor(sums.b[g]! / 4);
      yield rowTimeline(sums.n[g]!, b * US_PER_HOUR, unit, actions[sums.a[g]!], VERDICT_NAMES[sums.b[g]! - b * 4]!);
    }
  }

  private *scanners(): Generator<ReportRow> {
    const P = this.o.scanPorts;
    const H = this.o.scanHosts;
    const t = this.win;
    const srcs = this.dicts.src;
    // each source's reported window: most ports, then most destinations, then the earliest
    const best = new Int32Array(this.dicts.src.size).fill(-1);
    const better = (a: number, b: number): boolean => {
      const pa = this.winPorts[a]!, pb = this.winPorts[b]!, da = this.winDsts[a]!, db = this.winDsts[b]!;
      return pa > pb || (pa === pb && (da > db || (da === db && t.b[a]! < t.b[b]!)));
    };
    const chosen: number[] = [];
    for (let g = 0; g < t.size; g++) {
      if (this.winPorts[g]! < P && this.winDsts[g]! < H) continue;
      const s = t.a[g]!;
      const b = best[s]!;
      if (b === -1) chosen.push(s);
      if (b === -1 || better(g, b)) best[s] = g;
    }
    const order = (x: number, y: number): number => {
      const a = best[x]!, b = best[y]!;
      return this.winPorts[b]! - this.winPorts[a]! || this.winDsts[b]! - this.winDsts[a]! || this.winN[b]! - this.winN[a]! || cmpVal(srcs.word(x), srcs.word(y));
    };
    const top = chosen.sort(order).slice(0, this.o.limit);
    // the ports of the windows reported
    const ports = new Map<number, number[]>(top.map((s) => [best[s]!, []]));
    const wp = this.winPort;
    for (let e = 0; e < wp.size; e++) ports.get(wp.a[e]!)?.push(wp.b[e]!);
    for (const [g, list] of ports) if (this.winPorts[g] === 1) list.push(this.winPort1[g]!);
    for (const s of top) {
      const g = best[s]!;
      const sample = ports.get(g)!.sort((a, b) => a - b).slice(0, SAMPLE_PORTS);
      yield rowScanners(this.winN[g]!, srcs.word(s)!, this.winPorts[g]!, this.winDsts[g]!, this.winFirst[g]!, this.winLast[g]!, sample);
    }
  }

  private *newSources(): Generator<ReportRow> {
    const since = this.o.filters.since ?? (this.seenMax === this.seenMax ? this.seenMax - this.o.newWindow : undefined);
    if (since === undefined) return;
    const srcs = this.dicts.src;
    const fresh: number[] = [];
    for (let s = 1; s < this.dicts.src.size && s < this.sSeen.length; s++) if (this.sSeen[s]! > 0 && this.sSeenFirst[s]! >= since) fresh.push(s);
    for (const s of topN(fresh, this.o.limit, (x) => this.sSeen[x]!, (x) => [srcs.word(x)])) yield rowNewSources(this.sSeen[s]!, srcs.word(s)!, this.sSeenFirst[s]!, this.sSeenLast[s]!);
  }
}

/** Denied or invalid groups: (src, (dpt + 1) * 2^32 + action+proto), counted, with the first packet's spt and dst. */
class GroupTable extends CountTable {
  spt = new Int32Array(1024);
  dst = new Int32Array(1024);

  add(src: number, key: number, spt: number, dst: number): void {
    const e = this.count(src, key);
    if (this.added) {
      if (e >= this.spt.length) {
        this.spt = fit(this.spt, e);
        this.dst = fit(this.dst, e);
      }
      // the representative is the group's first packet in input order (the lowest id in the store)
      this.spt[e] = spt;
      this.dst[e] = dst;
    }
  }
}

/** A test of word `id`, computed once. */
function cached(memo: Int8Array, id: number, test: () => boolean): boolean {
  const v = memo[id]!;
  if (v !== UNKNOWN) return v === YES;
  const r = test();
  memo[id] = r ? YES : NO;
  return r;
}

function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** The ids 1..size-1 whose count is above 0. */
function* sources(n: Float64Array, size: number): Generator<number> {
  for (let i = 1; i < size && i < n.length; i++) if (n[i]! > 0) yield i;
}

export const SAMPLE_PORTS = 10;

/** 1970-01-01 was a Thursday: weekday (0 = Sunday) of the hour number `h`. */
export const weekday = (h: number): number => (Math.floor(h / 24) + 4) % 7;

export function timelineUnit(opt: 'hour' | 'day' | 'auto', first: number | undefined, last: number | undefined): 'hour' | 'day' {
  if (opt !== 'auto') return opt;
  return first !== undefined && last !== undefined && last - first > 7 * 24 * US_PER_HOUR ? 'day' : 'hour';
}

