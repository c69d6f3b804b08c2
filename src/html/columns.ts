// Titles and columns of each analyzer module's table: the same as ipta-format's text tables
// (the manual's "Analyzer modules output" chapter for the six original modules).
import type { ModuleName } from '../report/rows.js';

/** num: a count, grouped and right-aligned; port: a number shown as is; text/time: sorted as text; addr: an address with its resolved name; list: numbers joined. */
export type ColumnKind = 'num' | 'port' | 'text' | 'addr' | 'time' | 'list';

export interface Column {
  key: string;
  head: string;
  kind: ColumnKind;
  /** for addr columns: the row field holding the resolved name (ipta-rdns) */
  nameKey?: 'src_name' | 'dst_name';
}

export interface ModuleSpec { title: string; columns: Column[] }

const count: Column = { key: 'count', head: 'Count', kind: 'num' };
const src: Column = { key: 'src', head: 'Source IP', kind: 'addr', nameKey: 'src_name' };
const dst: Column = { key: 'dst', head: 'Dest IP', kind: 'addr', nameKey: 'dst_name' };
const spt: Column = { key: 'spt', head: 'SPort', kind: 'port' };
const dpt: Column = { key: 'dpt', head: 'DPort', kind: 'port' };
const proto: Column = { key: 'proto', head: 'Proto', kind: 'text' };
const action: Column = { key: 'action', head: 'Action', kind: 'text' };
const first: Column = { key: 'first', head: 'First seen', kind: 'time' };
const last: Column = { key: 'last', head: 'Last seen', kind: 'time' };

export const MODULE_SPECS: Record<Exclude<ModuleName, 'summary'>, ModuleSpec> = {
  denied: { title: 'Denied traffic grouped by IP, destport and action', columns: [count, src, spt, dst, dpt, proto, action] },
  icmp: { title: 'ICMP traffic', columns: [count, src, dst, proto, action] },
  ports: { title: 'Most denied ports', columns: [count, dpt, proto, action] },
  invalid: { title: 'Invalid packets source', columns: [count, src, spt, dst, dpt, proto, action] },
  interfaces: { title: 'Interface statistics', columns: [count, { key: 'in', head: 'IF', kind: 'text' }, proto, action] },
  'port-actions': { title: 'Denied packets per port and action', columns: [count, dpt, action] },
  'top-sources': { title: 'Top sources', columns: [count, { key: 'denied', head: 'Denied', kind: 'num' }, src, first, last] },
  timeline: {
    title: 'Timeline',
    columns: [{ key: 'bucket', head: 'Time', kind: 'time' }, { key: 'unit', head: 'Unit', kind: 'text' },
      { key: 'verdict', head: 'Verdict', kind: 'text' }, action, count],
  },
  hosts: {
    title: 'Hosts',
    columns: [count, { key: 'host', head: 'Host', kind: 'text' }, { key: 'denied', head: 'Denied', kind: 'num' },
      { key: 'accepted', head: 'Accepted', kind: 'num' }],
  },
  scanners: {
    title: 'Scanners',
    columns: [count, src, { key: 'ports', head: 'Ports', kind: 'num' }, { key: 'dsts', head: 'Dests', kind: 'num' },
      first, last, { key: 'sample_ports', head: 'Sample ports', kind: 'list' }],
  },
  'new-sources': { title: 'New sources', columns: [count, src, first, last] },
  heatmap: {
    title: 'Denied packets by weekday and hour',
    columns: [{ key: 'weekday', head: 'Weekday', kind: 'port' }, { key: 'hour', head: 'Hour', kind: 'port' }, count],
  },
};
