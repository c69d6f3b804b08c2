// Row construction and ordering shared by both engines: every row is built here, so its keys come
// in the same order whichever engine computed it, and absent values are omitted the same way.
import type {
  DeniedRow, HeatmapRow, HostsRow, IcmpRow, InterfacesRow, InvalidRow, NewSourcesRow, PortActionsRow,
  PortsRow, ScannersRow, SummaryRow, TimelineRow, TopSourcesRow,
} from './rows.js';
import { formatUs } from './time.js';

type Opt<T> = T | undefined | null;

/** Copy `o` without undefined/null values and without empty strings (absent in both engines). */
function clean<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '' && v !== -1) out[k] = v;
  return out as T;
}
const ts = (us: Opt<number>): string | undefined => (us === undefined || us === null ? undefined : formatUs(us));

export const rowDenied = (count: number, src: string, spt: Opt<number>, dst: Opt<string>, dpt: Opt<number>, proto: Opt<string>, action: Opt<string>): DeniedRow =>
  clean({ module: 'denied', count, src, spt, dst, dpt, proto, action }) as DeniedRow;
export const rowInvalid = (count: number, src: string, spt: Opt<number>, dst: Opt<string>, dpt: Opt<number>, proto: Opt<string>, action: Opt<string>): InvalidRow =>
  clean({ module: 'invalid', count, src, spt, dst, dpt, proto, action }) as InvalidRow;
export const rowIcmp = (count: number, src: string, dst: string, action: Opt<string>, proto: Opt<string>): IcmpRow =>
  clean({ module: 'icmp', count, src, dst, action, proto }) as IcmpRow;
export const rowPorts = (count: number, dpt: number, proto: Opt<string>, action: Opt<string>): PortsRow =>
  clean({ module: 'ports', count, dpt, proto, action }) as PortsRow;
export const rowInterfaces = (count: number, inIf: string, action: Opt<string>, proto: Opt<string>): InterfacesRow =>
  clean({ module: 'interfaces', count, in: inIf, action, proto }) as InterfacesRow;
export const rowPortActions = (count: number, dpt: number, action: Opt<string>): PortActionsRow =>
  clean({ module: 'port-actions', count, dpt, action }) as PortActionsRow;
export const rowTopSources = (count: number, src: string, denied: number, first: Opt<number>, last: Opt<number>): TopSourcesRow =>
  ({ module: 'top-sources', count, src, denied, ...clean({ first: ts(first), last: ts(last) }) });
export const rowTimeline = (count: number, bucketUs: number, unit: 'hour' | 'day', action: Opt<string>, verdict: string): TimelineRow =>
  clean({ module: 'timeline', count, bucket: formatUs(bucketUs), unit, action, verdict }) as TimelineRow;
export const rowHosts = (count: number, host: string, denied: number, accepted: number): HostsRow =>
  ({ module: 'hosts', count, host, denied, accepted });
export const rowScanners = (count: number, src: string, ports: number, dsts: number, first: number, last: number, samplePorts: number[]): ScannersRow =>
  ({ module: 'scanners', count, src, ports, dsts, first: formatUs(first), last: formatUs(last), sample_ports: samplePorts });
export const rowNewSources = (count: number, src: string, first: number, last: number): NewSourcesRow =>
  ({ module: 'new-sources', count, src, first: formatUs(first), last: formatUs(last) });
export const rowHeatmap = (count: number, weekday: number, hour: number): HeatmapRow =>
  ({ module: 'heatmap', count, weekday, hour });
export function rowSummary(s: { count: number; first: Opt<number>; last: Opt<number>; denied: number; accepted: number; logged: number; sources: number; hosts: number; busiestPort: Opt<number>; busiestPortCount: Opt<number> }): SummaryRow {
  return {
    module: 'summary', count: s.count, ...clean({ first: ts(s.first), last: ts(s.last) }),
    denied: s.denied, accepted: s.accepted, logged: s.logged, sources: s.sources, hosts: s.hosts,
    ...(s.busiestPort !== undefined && s.busiestPort !== null && s.busiestPortCount ? { busiest_port: s.busiestPort, busiest_port_count: s.busiestPortCount } : {}),
  };
}

/** Ascending, absent first; text by code unit (byte order for ASCII, as MySQL's _bin collations), numbers numerically. */
export function cmpVal(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * The `limit` first entries by count descending, ties by `keys` ascending (see cmpVal).
 * Keeps a small sorted array instead of sorting every group: groups are many, limits small.
 */
export function topN<T>(items: Iterable<T>, limit: number, count: (t: T) => number, keys: (t: T) => (string | number | undefined)[]): T[] {
  const cmp = (a: T, b: T): number => {
    const d = count(b) - count(a);
    if (d !== 0) return d;
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
      const c = cmpVal(ka[i], kb[i]);
      if (c !== 0) return c;
    }
    return 0;
  };
  const top: T[] = [];
  for (const it of items) {
    if (top.length === limit && cmp(it, top[limit - 1]!) >= 0) continue;
    let i = top.length;
    while (i > 0 && cmp(it, top[i - 1]!) < 0) i--;
    top.splice(i, 0, it);
    if (top.length > limit) top.pop();
  }
  return top;
}
