// The stream engine: every module computed in one pass over records, in memory bounded by the
// number of distinct groups (sources, ports, source x port...), never by the number of records.
import type { IptaRecord } from '../record.js';
import type { ModuleName, ReportRow } from './rows.js';
import type { ReportOptions } from './options.js';
import { inRanges } from './ip.js';
import { parseIsoUs, US_PER_HOUR } from './time.js';
import {
  rowDenied, rowHeatmap, rowHosts, rowIcmp, rowInterfaces, rowInvalid, rowNewSources, rowPortActions,
  rowPorts, rowScanners, rowSummary, rowTimeline, rowTopSources, topN, cmpVal,
} from './build.js';

/** The fields the report uses, cleaned as the store cleans them (empty text = absent, widths cut). */
export interface Fact {
  ts?: number; host?: string; prefix?: string; action?: string; verdict: 'accept' | 'deny' | 'log';
  in?: string; out?: string; src?: string; dst?: string; proto?: string; spt?: number; dpt?: number;
}

const WIDTH = { host: 255, prefix: 255, action: 64, in: 64, out: 64, src: 45, dst: 45, proto: 16 } as const;

function text(v: unknown, width: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return v.length > width ? [...v].slice(0, width).join('') : v;
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
const FRAC_RE = /^\.(\d{1,9})Z$/;

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
    if (ts.length === 20) {
      if (ts.charCodeAt(19) === 90 /* Z */) return lastSecondUs;
    } else {
      const m = FRAC_RE.exec(ts.slice(19));
      if (m) return lastSecondUs + Number((m[1]! + '00000').slice(0, 6));
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


// Hot path: one Map lookup per record and dimension family (source, port, interface, hour, host),
// keyed by the record's own strings (V8 caches their hashes) instead of built key strings; the
// few groups under one key live in a short array, upgraded to a Map when a key has many.

interface GRep { n: number; dpt?: number; action?: string; proto?: string; spt?: number; dst?: string }
interface GIcmp { n: number; dst: string; action?: string; proto?: string }
interface GWin { n: number; win: number; p?: number; ps?: Set<number>; d?: string; ds?: Set<string>; first: number; last: number }
interface SrcState {
  /** selected packets (top-sources, summary) */
  n: number; denied: number; first?: number; last?: number;
  /** packets before --since too (new-sources) */
  sn: number; sfirst?: number; slast?: number;
  /** denied / invalid groups: the first inline (most sources have one), all of them in dg/ig once there are two */
  d1?: GRep; dg?: Groups<GRep>; i1?: GRep; ig?: Groups<GRep>; cg?: GIcmp[];
  w?: GWin; ws?: Map<number, GWin>;
}
interface PortState { n: number; byAction: { action?: string; n: number }[]; byProto: { proto?: string; action?: string; n: number }[] }
interface HourState { deny: number; groups: { verdict: string; action?: string; n: number }[] }
interface HostState { n: number; denied: number; accepted: number }

/** Groups under one source: a short list, or a Map by (dpt, action, proto) once there are many. */
class Groups<T extends { dpt?: number; action?: string; proto?: string }> {
  list: T[] = [];
  map?: Map<string, T>;
  find(dpt: number | undefined, action: string | undefined, proto: string | undefined): T | undefined {
    if (this.map) return this.map.get(`${dpt}\u0000${action}\u0000${proto}`);
    const l = this.list;
    for (let i = 0; i < l.length; i++) {
      const g = l[i]!;
      if (g.dpt === dpt && g.action === action && g.proto === proto) return g;
    }
    return undefined;
  }
  add(g: T): void {
    this.list.push(g);
    if (this.map) this.map.set(`${g.dpt}\u0000${g.action}\u0000${g.proto}`, g);
    else if (this.list.length > 16) {
      this.map = new Map();
      for (const x of this.list) this.map.set(`${x.dpt}\u0000${x.action}\u0000${x.proto}`, x);
    }
  }
}

const portsOf = (g: GWin): number => (g.ps ? g.ps.size : g.p === undefined ? 0 : 1);
const dstsOf = (g: GWin): number => (g.ds ? g.ds.size : g.d === undefined ? 0 : 1);

/** Accumulates facts; `rows()` gives the report. */
export class StreamReport {
  private readonly want: Set<ModuleName>;
  private readonly w: { denied: boolean; invalid: boolean; icmp: boolean; ports: boolean; pa: boolean; ifs: boolean; srcs: boolean; hours: boolean; hosts: boolean; scan: boolean; fresh: boolean; summary: boolean };
  private readonly srcs = new Map<string, SrcState>();
  private readonly ports = new Map<number, PortState>();
  private readonly ifaces = new Map<string, { action?: string; proto?: string; n: number }[]>();
  private readonly hours = new Map<number, HourState>();
  private readonly hosts = new Map<string, HostState>();
  private seenMax: number | undefined;
  private total = 0;
  private byVerdict = { accept: 0, deny: 0, log: 0 };
  private first: number | undefined;
  private last: number | undefined;

  constructor(private readonly o: ReportOptions) {
    const w = this.want = new Set(o.modules);
    this.w = {
      denied: w.has('denied'), invalid: w.has('invalid'), icmp: w.has('icmp'), ports: w.has('ports'), pa: w.has('port-actions'),
      ifs: w.has('interfaces'), srcs: w.has('top-sources') || w.has('summary') || w.has('denied') || w.has('invalid') || w.has('icmp') || w.has('scanners') || w.has('new-sources'),
      hours: w.has('timeline') || w.has('heatmap'), hosts: w.has('hosts') || w.has('summary'), scan: w.has('scanners'), fresh: w.has('new-sources'), summary: w.has('summary'),
    };
  }

  private src(src: string): SrcState {
    let s = this.srcs.get(src);
    if (!s) this.srcs.set(src, s = { n: 0, denied: 0, sn: 0 });
    return s;
  }

  add(f: Fact): void {
    const o = this.o;
    if (!passesFilters(f, o.filters)) return;
    const { since, until } = o.filters;
    const timed = since !== undefined || until !== undefined;
    // new-sources looks before --since (to know a source was seen earlier)
    let st: SrcState | undefined;
    if (this.w.fresh && f.src !== undefined && f.ts !== undefined && (until === undefined || f.ts < until)) {
      const s = st = this.src(f.src);
      s.sn++;
      if (s.sfirst === undefined || f.ts < s.sfirst) s.sfirst = f.ts;
      if (s.slast === undefined || f.ts > s.slast) s.slast = f.ts;
      if (this.seenMax === undefined || f.ts > this.seenMax) this.seenMax = f.ts;
    }
    if (timed && (f.ts === undefined || (since !== undefined && f.ts < since) || (until !== undefined && f.ts >= until))) return;
    this.addSelected(f, st);
  }

  private addSelected(f: Fact, st: SrcState | undefined): void {
    const w = this.w;
    const deny = f.verdict === 'deny';
    const ts = f.ts;
    this.total++;
    this.byVerdict[f.verdict]++;
    if (ts !== undefined) {
      if (this.first === undefined || ts < this.first) this.first = ts;
      if (this.last === undefined || ts > this.last) this.last = ts;
    }
    if (f.src !== undefined && w.srcs) {
      const s = st ?? this.src(f.src);
      s.n++;
      if (deny) s.denied++;
      if (ts !== undefined) {
        if (s.first === undefined || ts < s.first) s.first = ts;
        if (s.last === undefined || ts > s.last) s.last = ts;
      }
      if (deny && w.denied) {
        const g = s.d1 && same(s.d1, f) ? s.d1 : s.dg?.find(f.dpt, f.action, f.proto);
        if (g) g.n++;
        else if (!s.d1) s.d1 = newRep(f);
        else { if (!s.dg) { s.dg = new Groups(); s.dg.add(s.d1); } s.dg.add(newRep(f)); }
      }
      if (w.invalid && isInvalid(f)) {
        const g = s.i1 && same(s.i1, f) ? s.i1 : s.ig?.find(f.dpt, f.action, f.proto);
        if (g) g.n++;
        else if (!s.i1) s.i1 = newRep(f);
        else { if (!s.ig) { s.ig = new Groups(); s.ig.add(s.i1); } s.ig.add(newRep(f)); }
      }
      if (f.dst !== undefined && w.icmp && isIcmp(f.proto)) {
        const l = s.cg ??= [];
        let g: GIcmp | undefined;
        for (let i = 0; i < l.length; i++) { const x = l[i]!; if (x.dst === f.dst && x.action === f.action && x.proto === f.proto) { g = x; break; } }
        if (g) g.n++; else l.push({ n: 1, dst: f.dst, action: f.action, proto: f.proto });
      }
      if (ts !== undefined && w.scan) {
        const win = Math.floor(ts / this.o.scanWindow);
        let g: GWin | undefined;
        if (s.w && s.w.win === win) g = s.w;
        else if (s.ws) g = s.ws.get(win);
        if (!g) {
          g = { n: 0, win, first: ts, last: ts };
          if (!s.w) s.w = g;
          else { if (!s.ws) { s.ws = new Map(); s.ws.set(s.w.win, s.w); } s.ws.set(win, g); }
        }
        g.n++;
        if (f.dpt !== undefined && g.p !== f.dpt) {
          if (g.p === undefined) g.p = f.dpt;
          else (g.ps ??= new Set([g.p])).add(f.dpt);
        }
        if (f.dst !== undefined && g.d !== f.dst) {
          if (g.d === undefined) g.d = f.dst;
          else (g.ds ??= new Set([g.d])).add(f.dst);
        }
        if (ts < g.first) g.first = ts;
        if (ts > g.last) g.last = ts;
      }
    }
    if (deny && f.dpt !== undefined && (w.ports || w.pa || w.summary)) {
      let p = this.ports.get(f.dpt);
      if (!p) this.ports.set(f.dpt, p = { n: 0, byAction: [], byProto: [] });
      p.n++;
      if (w.pa) {
        let g;
        for (const x of p.byAction) if (x.action === f.action) { g = x; break; }
        if (g) g.n++; else p.byAction.push({ action: f.action, n: 1 });
      }
      if (w.ports) {
        let g;
        for (const x of p.byProto) if (x.proto === f.proto && x.action === f.action) { g = x; break; }
        if (g) g.n++; else p.byProto.push({ proto: f.proto, action: f.action, n: 1 });
      }
    }
    if (f.in !== undefined && w.ifs) {
      let l = this.ifaces.get(f.in);
      if (!l) this.ifaces.set(f.in, l = []);
      let g;
      for (const x of l) if (x.action === f.action && x.proto === f.proto) { g = x; break; }
      if (g) g.n++; else l.push({ action: f.action, proto: f.proto, n: 1 });
    }
    if (ts !== undefined && w.hours) {
      const h = Math.floor(ts / US_PER_HOUR);
      let hs = this.hours.get(h);
      if (!hs) this.hours.set(h, hs = { deny: 0, groups: [] });
      if (deny) hs.deny++;
      let g;
      for (const x of hs.groups) if (x.verdict === f.verdict && x.action === f.action) { g = x; break; }
      if (g) g.n++; else hs.groups.push({ verdict: f.verdict, action: f.action, n: 1 });
    }
    if (f.host !== undefined && w.hosts) {
      let g = this.hosts.get(f.host);
      if (!g) this.hosts.set(f.host, g = { n: 0, denied: 0, accepted: 0 });
      g.n++;
      if (deny) g.denied++; else if (f.verdict === 'accept') g.accepted++;
    }
  }

  /** The report, module by module in the fixed order. */
  *rows(): Generator<ReportRow> {
    const o = this.o;
    const L = o.limit;
    for (const m of o.modules) {
      switch (m) {
        case 'denied': case 'invalid': {
          const all = (function* (srcs: Map<string, SrcState>) {
            for (const [src, s] of srcs) {
              const many = m === 'denied' ? s.dg : s.ig;
              const one = m === 'denied' ? s.d1 : s.i1;
              if (many) for (const g of many.list) yield { src, g };
              else if (one) yield { src, g: one };
            }
          })(this.srcs);
          const make = m === 'denied' ? rowDenied : rowInvalid;
          for (const { src, g } of topN(all, L, (x) => x.g.n, (x) => [x.src, x.g.dpt, x.g.action, x.g.proto])) yield make(g.n, src, g.spt, g.dst, g.dpt, g.proto, g.action);
          break;
        }
        case 'icmp': {
          const all = (function* (srcs: Map<string, SrcState>) { for (const [src, s] of srcs) for (const g of s.cg ?? []) yield { src, g }; })(this.srcs);
          for (const { src, g } of topN(all, L, (x) => x.g.n, (x) => [x.src, x.g.dst, x.g.action, x.g.proto])) yield rowIcmp(g.n, src, g.dst, g.action, g.proto);
          break;
        }
        case 'ports': {
          const all = (function* (ports: Map<number, PortState>) { for (const [dpt, p] of ports) for (const g of p.byProto) yield { dpt, g }; })(this.ports);
          for (const { dpt, g } of topN(all, L, (x) => x.g.n, (x) => [x.dpt, x.g.proto, x.g.action])) yield rowPorts(g.n, dpt, g.proto, g.action);
          break;
        }
        case 'interfaces': {
          const all = (function* (ifs: Map<string, { action?: string; proto?: string; n: number }[]>) { for (const [i, l] of ifs) for (const g of l) yield { i, g }; })(this.ifaces);
          for (const { i, g } of topN(all, L, (x) => x.g.n, (x) => [x.i, x.g.action, x.g.proto])) yield rowInterfaces(g.n, i, g.action, g.proto);
          break;
        }
        case 'port-actions': {
          const all = (function* (ports: Map<number, PortState>) { for (const [dpt, p] of ports) for (const g of p.byAction) yield { dpt, g }; })(this.ports);
          for (const { dpt, g } of topN(all, L, (x) => x.g.n, (x) => [x.dpt, x.g.action])) yield rowPortActions(g.n, dpt, g.action);
          break;
        }
        case 'top-sources': {
          const all = (function* (srcs: Map<string, SrcState>) { for (const [src, s] of srcs) if (s.n > 0) yield { src, s }; })(this.srcs);
          for (const { src, s } of topN(all, L, (x) => x.s.n, (x) => [x.src])) yield rowTopSources(s.n, src, s.denied, s.first, s.last);
          break;
        }
        case 'timeline': yield* this.timeline(); break;
        case 'hosts':
          for (const [host, g] of topN(this.hosts, L, (x) => x[1].n, (x) => [x[0]])) yield rowHosts(g.n, host, g.denied, g.accepted);
          break;
        case 'scanners': yield* this.scanners(); break;
        case 'new-sources': yield* this.newSources(); break;
        case 'heatmap': {
          const heat = new Map<number, number>();
          for (const [h, hs] of this.hours) if (hs.deny) { const cell = weekday(h) * 24 + (h % 24); heat.set(cell, (heat.get(cell) ?? 0) + hs.deny); }
          for (const cell of [...heat.keys()].sort((a, b) => a - b)) yield rowHeatmap(heat.get(cell)!, Math.floor(cell / 24), cell % 24);
          break;
        }
        case 'summary': {
          let bp: number | undefined;
          let bc = 0;
          for (const [p, st] of this.ports) if (st.n > bc || (st.n === bc && p < bp!)) { bp = p; bc = st.n; }
          let sources = 0;
          for (const s of this.srcs.values()) if (s.n > 0) sources++;
          yield rowSummary({ count: this.total, first: this.first, last: this.last, denied: this.byVerdict.deny, accepted: this.byVerdict.accept, logged: this.byVerdict.log, sources, hosts: this.hosts.size, busiestPort: bp, busiestPortCount: bc });
          break;
        }
      }
    }
  }

  private *timeline(): Generator<ReportRow> {
    const unit = timelineUnit(this.o.timeline, this.first, this.last);
    const buckets = new Map<number, { verdict: string; action?: string; n: number }[]>();
    for (const [h, hs] of this.hours) {
      const b = unit === 'day' ? Math.floor(h / 24) * 24 : h;
      let l = buckets.get(b);
      if (!l) buckets.set(b, l = []);
      for (const g of hs.groups) {
        const x = l.find((y) => y.verdict === g.verdict && y.action === g.action);
        if (x) x.n += g.n; else l.push({ ...g });
      }
    }
    for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
      const l = buckets.get(b)!.sort((x, y) => cmpVal(x.verdict, y.verdict) || cmpVal(x.action, y.action));
      for (const g of l) yield rowTimeline(g.n, b * US_PER_HOUR, unit, g.action, g.verdict);
    }
  }

  private *scanners(): Generator<ReportRow> {
    const P = this.o.scanPorts;
    const H = this.o.scanHosts;
    const best: { src: string; g: GWin }[] = [];
    for (const [src, s] of this.srcs) {
      if (!s.w) continue;
      let b: GWin | undefined;
      for (const g of s.ws ? s.ws.values() : [s.w]) {
        if (portsOf(g) < P && dstsOf(g) < H) continue;
        if (!b || betterWindow(g, b)) b = g;
      }
      if (b) best.push({ src, g: b });
    }
    const order = (a: { src: string; g: GWin }, b: { src: string; g: GWin }): number =>
      portsOf(b.g) - portsOf(a.g) || dstsOf(b.g) - dstsOf(a.g) || b.g.n - a.g.n || cmpVal(a.src, b.src);
    for (const { src, g } of best.sort(order).slice(0, this.o.limit)) {
      const ports = g.ps ? [...g.ps] : g.p === undefined ? [] : [g.p];
      yield rowScanners(g.n, src, portsOf(g), dstsOf(g), g.first, g.last, ports.sort((a, b) => a - b).slice(0, SAMPLE_PORTS));
    }
  }

  private *newSources(): Generator<ReportRow> {
    const since = this.o.filters.since ?? (this.seenMax === undefined ? undefined : this.seenMax - this.o.newWindow);
    if (since === undefined) return;
    const fresh = (function* (srcs: Map<string, SrcState>) {
      for (const [src, s] of srcs) if (s.sn > 0 && s.sfirst! >= since) yield { src, s };
    })(this.srcs);
    for (const { src, s } of topN(fresh, this.o.limit, (x) => x.s.sn, (x) => [x.src])) yield rowNewSources(s.sn, src, s.sfirst!, s.slast!);
  }
}

export const SAMPLE_PORTS = 10;

/** A source's reported window: most ports, then most destinations, then the earliest. */
function betterWindow(a: GWin, b: GWin): boolean {
  const pa = portsOf(a), pb = portsOf(b), da = dstsOf(a), db = dstsOf(b);
  return pa > pb || (pa === pb && (da > db || (da === db && a.win < b.win)));
}

/** 1970-01-01 was a Thursday: weekday (0 = Sunday) of the hour number `h`. */
export const weekday = (h: number): number => (Math.floor(h / 24) + 4) % 7;

export function timelineUnit(opt: 'hour' | 'day' | 'auto', first: number | undefined, last: number | undefined): 'hour' | 'day' {
  if (opt !== 'auto') return opt;
  return first !== undefined && last !== undefined && last - first > 7 * 24 * US_PER_HOUR ? 'day' : 'hour';
}

const same = (g: GRep, f: Fact): boolean => g.dpt === f.dpt && g.action === f.action && g.proto === f.proto;
// the representative is the group's first packet in input order (the lowest id in the store)
const newRep = (f: Fact): GRep => ({ n: 1, dpt: f.dpt, action: f.action, proto: f.proto, spt: f.spt, dst: f.dst });
