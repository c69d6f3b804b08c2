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

/** A record -> its fact, or a reason it cannot be counted. */
export function toFact(r: Partial<IptaRecord> & Record<string, unknown>): Fact | string {
  const verdict = r.verdict;
  if (verdict !== 'accept' && verdict !== 'deny' && verdict !== 'log') return verdict === undefined ? 'no verdict' : 'bad verdict';
  const f: Fact = { verdict };
  if (typeof r.ts === 'string') {
    const us = parseIsoUs(r.ts);
    if (us !== undefined) f.ts = us;
  }
  const h = text(r.host, WIDTH.host); if (h !== undefined) f.host = h;
  const p = text(r.prefix, WIDTH.prefix); if (p !== undefined) f.prefix = p;
  const a = text(r.action, WIDTH.action); if (a !== undefined) f.action = a;
  const i = text(r.in, WIDTH.in); if (i !== undefined) f.in = i;
  const o = text(r.out, WIDTH.out); if (o !== undefined) f.out = o;
  const s = text(r.src, WIDTH.src); if (s !== undefined) f.src = s;
  const d = text(r.dst, WIDTH.dst); if (d !== undefined) f.dst = d;
  const pr = text(r.proto, WIDTH.proto); if (pr !== undefined) f.proto = pr;
  const sp = port(r.spt); if (sp !== undefined) f.spt = sp;
  const dp = port(r.dpt); if (dp !== undefined) f.dpt = dp;
  return f;
}

export const isIcmp = (proto: string | undefined): boolean => {
  const p = proto?.toUpperCase();
  return p === 'ICMP' || p === 'ICMPV6' || p === 'IPV6-ICMP';
};
export const isInvalid = (f: Fact): boolean =>
  (f.prefix !== undefined && f.prefix.toUpperCase().includes('INVALID')) || (f.action !== undefined && f.action.toUpperCase().includes('INVALID'));
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

const SEP = '\u0000';
const k = (...parts: (string | number | undefined)[]): string => parts.map((p) => (p === undefined ? '\u0001' : String(p))).join(SEP);

interface G { n: number }
interface GRep extends G { src: string; dpt?: number; action?: string; proto?: string; spt?: number; dst?: string }
interface GSrc extends G { src: string; denied: number; first?: number; last?: number }
interface GWin extends G { src: string; win: number; ports: Set<number>; dsts: Set<string>; first: number; last: number }

/** Accumulates facts; `rows()` gives the report. */
export class StreamReport {
  private readonly want: Set<ModuleName>;
  private readonly denied = new Map<string, GRep>();
  private readonly invalid = new Map<string, GRep>();
  private readonly icmp = new Map<string, G & { src: string; dst: string; action?: string; proto?: string }>();
  private readonly ports = new Map<string, G & { dpt: number; proto?: string; action?: string }>();
  private readonly ifaces = new Map<string, G & { in: string; action?: string; proto?: string }>();
  private readonly portActions = new Map<string, G & { dpt: number; action?: string }>();
  private readonly sources = new Map<string, GSrc>();
  private readonly hours = new Map<string, G & { h: number; verdict: string; action?: string }>();
  private readonly hosts = new Map<string, G & { host: string; denied: number; accepted: number }>();
  private readonly wins = new Map<string, GWin>();
  private readonly seen = new Map<string, { n: number; first: number; last: number }>();
  private seenMax: number | undefined;
  private readonly heat = new Map<number, number>();
  private readonly srcSet = new Set<string>();
  private readonly hostSet = new Set<string>();
  private readonly deniedPorts = new Map<number, number>();
  private total = 0;
  private byVerdict = { accept: 0, deny: 0, log: 0 };
  private first: number | undefined;
  private last: number | undefined;

  constructor(private readonly o: ReportOptions) {
    this.want = new Set(o.modules);
  }

  add(f: Fact): void {
    const o = this.o;
    if (!passesFilters(f, o.filters)) return;
    const { since, until } = o.filters;
    const timed = since !== undefined || until !== undefined;
    // new-sources looks before --since (to know a source was seen earlier)
    if (this.want.has('new-sources') && f.src !== undefined && f.ts !== undefined && (until === undefined || f.ts < until)) {
      const s = this.seen.get(f.src);
      if (s) { s.n++; if (f.ts < s.first) s.first = f.ts; if (f.ts > s.last) s.last = f.ts; } else this.seen.set(f.src, { n: 1, first: f.ts, last: f.ts });
      if (this.seenMax === undefined || f.ts > this.seenMax) this.seenMax = f.ts;
    }
    if (timed && (f.ts === undefined || (since !== undefined && f.ts < since) || (until !== undefined && f.ts >= until))) return;
    this.addSelected(f);
  }

  private addSelected(f: Fact): void {
    const w = this.want;
    const deny = f.verdict === 'deny';
    this.total++;
    this.byVerdict[f.verdict]++;
    if (f.ts !== undefined) {
      if (this.first === undefined || f.ts < this.first) this.first = f.ts;
      if (this.last === undefined || f.ts > this.last) this.last = f.ts;
    }
    if (deny && f.src !== undefined && w.has('denied')) rep(this.denied, f);
    if (f.src !== undefined && w.has('invalid') && isInvalid(f)) rep(this.invalid, f);
    if (f.src !== undefined && f.dst !== undefined && w.has('icmp') && isIcmp(f.proto)) {
      const key = k(f.src, f.dst, f.action, f.proto);
      const g = this.icmp.get(key);
      if (g) g.n++; else this.icmp.set(key, { n: 1, src: f.src, dst: f.dst, action: f.action, proto: f.proto });
    }
    if (deny && f.dpt !== undefined) {
      if (w.has('ports')) {
        const key = k(f.dpt, f.proto, f.action);
        const g = this.ports.get(key);
        if (g) g.n++; else this.ports.set(key, { n: 1, dpt: f.dpt, proto: f.proto, action: f.action });
      }
      if (w.has('port-actions')) {
        const key = k(f.dpt, f.action);
        const g = this.portActions.get(key);
        if (g) g.n++; else this.portActions.set(key, { n: 1, dpt: f.dpt, action: f.action });
      }
      if (w.has('summary')) this.deniedPorts.set(f.dpt, (this.deniedPorts.get(f.dpt) ?? 0) + 1);
    }
    if (f.in !== undefined && w.has('interfaces')) {
      const key = k(f.in, f.action, f.proto);
      const g = this.ifaces.get(key);
      if (g) g.n++; else this.ifaces.set(key, { n: 1, in: f.in, action: f.action, proto: f.proto });
    }
    if (f.src !== undefined && w.has('top-sources')) {
      const g = this.sources.get(f.src);
      if (g) {
        g.n++;
        if (deny) g.denied++;
        if (f.ts !== undefined) {
          if (g.first === undefined || f.ts < g.first) g.first = f.ts;
          if (g.last === undefined || f.ts > g.last) g.last = f.ts;
        }
      } else this.sources.set(f.src, { n: 1, src: f.src, denied: deny ? 1 : 0, first: f.ts, last: f.ts });
    }
    if (f.ts !== undefined) {
      const h = Math.floor(f.ts / US_PER_HOUR);
      if (w.has('timeline')) {
        const key = k(h, f.verdict, f.action);
        const g = this.hours.get(key);
        if (g) g.n++; else this.hours.set(key, { n: 1, h, verdict: f.verdict, action: f.action });
      }
      if (deny && w.has('heatmap')) {
        const cell = weekday(h) * 24 + (h % 24);
        this.heat.set(cell, (this.heat.get(cell) ?? 0) + 1);
      }
      if (f.src !== undefined && w.has('scanners')) {
        const win = Math.floor(f.ts / this.o.scanWindow);
        const key = k(f.src, win);
        let g = this.wins.get(key);
        if (!g) this.wins.set(key, g = { n: 0, src: f.src, win, ports: new Set(), dsts: new Set(), first: f.ts, last: f.ts });
        g.n++;
        if (f.dpt !== undefined) g.ports.add(f.dpt);
        if (f.dst !== undefined) g.dsts.add(f.dst);
        if (f.ts < g.first) g.first = f.ts;
        if (f.ts > g.last) g.last = f.ts;
      }
    }
    if (f.host !== undefined && w.has('hosts')) {
      const g = this.hosts.get(f.host);
      if (g) { g.n++; if (deny) g.denied++; else if (f.verdict === 'accept') g.accepted++; } else this.hosts.set(f.host, { n: 1, host: f.host, denied: deny ? 1 : 0, accepted: f.verdict === 'accept' ? 1 : 0 });
    }
    if (w.has('summary')) {
      if (f.src !== undefined) this.srcSet.add(f.src);
      if (f.host !== undefined) this.hostSet.add(f.host);
    }
  }

  /** The report, module by module in the fixed order. */
  *rows(): Generator<ReportRow> {
    const o = this.o;
    const L = o.limit;
    for (const m of o.modules) {
      switch (m) {
        case 'denied':
          for (const g of topN(this.denied.values(), L, (g) => g.n, (g) => [g.src, g.dpt, g.action, g.proto])) yield rowDenied(g.n, g.src, g.spt, g.dst, g.dpt, g.proto, g.action);
          break;
        case 'icmp':
          for (const g of topN(this.icmp.values(), L, (g) => g.n, (g) => [g.src, g.dst, g.action, g.proto])) yield rowIcmp(g.n, g.src, g.dst, g.action, g.proto);
          break;
        case 'ports':
          for (const g of topN(this.ports.values(), L, (g) => g.n, (g) => [g.dpt, g.proto, g.action])) yield rowPorts(g.n, g.dpt, g.proto, g.action);
          break;
        case 'invalid':
          for (const g of topN(this.invalid.values(), L, (g) => g.n, (g) => [g.src, g.dpt, g.action, g.proto])) yield rowInvalid(g.n, g.src, g.spt, g.dst, g.dpt, g.proto, g.action);
          break;
        case 'interfaces':
          for (const g of topN(this.ifaces.values(), L, (g) => g.n, (g) => [g.in, g.action, g.proto])) yield rowInterfaces(g.n, g.in, g.action, g.proto);
          break;
        case 'port-actions':
          for (const g of topN(this.portActions.values(), L, (g) => g.n, (g) => [g.dpt, g.action])) yield rowPortActions(g.n, g.dpt, g.action);
          break;
        case 'top-sources':
          for (const g of topN(this.sources.values(), L, (g) => g.n, (g) => [g.src])) yield rowTopSources(g.n, g.src, g.denied, g.first, g.last);
          break;
        case 'timeline': yield* this.timeline(); break;
        case 'hosts':
          for (const g of topN(this.hosts.values(), L, (g) => g.n, (g) => [g.host])) yield rowHosts(g.n, g.host, g.denied, g.accepted);
          break;
        case 'scanners': yield* this.scanners(); break;
        case 'new-sources': yield* this.newSources(); break;
        case 'heatmap':
          for (const cell of [...this.heat.keys()].sort((a, b) => a - b)) yield rowHeatmap(this.heat.get(cell)!, Math.floor(cell / 24), cell % 24);
          break;
        case 'summary': {
          let bp: number | undefined;
          let bc = 0;
          for (const [p, c] of this.deniedPorts) if (c > bc || (c === bc && p < bp!)) { bp = p; bc = c; }
          yield rowSummary({ count: this.total, first: this.first, last: this.last, denied: this.byVerdict.deny, accepted: this.byVerdict.accept, logged: this.byVerdict.log, sources: this.srcSet.size, hosts: this.hostSet.size, busiestPort: bp, busiestPortCount: bc });
          break;
        }
      }
    }
  }

  private *timeline(): Generator<ReportRow> {
    const unit = timelineUnit(this.o.timeline, this.first, this.last);
    const groups = new Map<string, { n: number; b: number; verdict: string; action?: string }>();
    for (const g of this.hours.values()) {
      const b = unit === 'day' ? Math.floor(g.h / 24) * 24 : g.h;
      const key = k(b, g.verdict, g.action);
      const x = groups.get(key);
      if (x) x.n += g.n; else groups.set(key, { n: g.n, b, verdict: g.verdict, action: g.action });
    }
    const list = [...groups.values()].sort((a, b) => a.b - b.b || cmpVal(a.verdict, b.verdict) || cmpVal(a.action, b.action));
    for (const g of list) yield rowTimeline(g.n, g.b * US_PER_HOUR, unit, g.action, g.verdict);
  }

  private *scanners(): Generator<ReportRow> {
    const best = new Map<string, GWin>();
    for (const g of this.wins.values()) {
      if (g.ports.size < this.o.scanPorts && g.dsts.size < this.o.scanHosts) continue;
      const b = best.get(g.src);
      if (!b || betterWindow(g, b)) best.set(g.src, g);
    }
    const order = (a: GWin, b: GWin): number => b.ports.size - a.ports.size || b.dsts.size - a.dsts.size || b.n - a.n || cmpVal(a.src, b.src);
    const top = [...best.values()].sort(order).slice(0, this.o.limit);
    for (const g of top) yield rowScanners(g.n, g.src, g.ports.size, g.dsts.size, g.first, g.last, [...g.ports].sort((a, b) => a - b).slice(0, SAMPLE_PORTS));
  }

  private *newSources(): Generator<ReportRow> {
    const since = this.o.filters.since ?? (this.seenMax === undefined ? undefined : this.seenMax - this.o.newWindow);
    if (since === undefined) return;
    const fresh: { n: number; src: string; first: number; last: number }[] = [];
    for (const [src, s] of this.seen) if (s.first >= since) fresh.push({ src, ...s });
    for (const g of topN(fresh, this.o.limit, (g) => g.n, (g) => [g.src])) yield rowNewSources(g.n, g.src, g.first, g.last);
  }
}

export const SAMPLE_PORTS = 10;

/** A source's reported window: most ports, then most destinations, then the earliest. */
function betterWindow(a: GWin, b: GWin): boolean {
  return a.ports.size > b.ports.size || (a.ports.size === b.ports.size && (a.dsts.size > b.dsts.size || (a.dsts.size === b.dsts.size && a.win < b.win)));
}

/** 1970-01-01 was a Thursday: weekday (0 = Sunday) of the hour number `h`. */
export const weekday = (h: number): number => (Math.floor(h / 24) + 4) % 7;

export function timelineUnit(opt: 'hour' | 'day' | 'auto', first: number | undefined, last: number | undefined): 'hour' | 'day' {
  if (opt !== 'auto') return opt;
  return first !== undefined && last !== undefined && last - first > 7 * 24 * US_PER_HOUR ? 'day' : 'hour';
}

function rep(map: Map<string, GRep>, f: Fact): void {
  const key = k(f.src, f.dpt, f.action, f.proto);
  const g = map.get(key);
  // the representative is the group's first packet in input order (the lowest id in the store)
  if (g) g.n++; else map.set(key, { n: 1, src: f.src!, dpt: f.dpt, action: f.action, proto: f.proto, spt: f.spt, dst: f.dst });
}
