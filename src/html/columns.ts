// Titles and columns of each analyzer module's table: taken from ipta-format's text tables
// (src/format/report-tables.ts), so the page and the terminal cannot drift apart. Here we only
// add how each field is shown and sorted on the page.
import type { ModuleName } from '../report/rows.js';
import { HEADINGS, MODULE_FIELDS, TITLES } from '../format/report-tables.js';

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

const KIND: Record<string, ColumnKind> = {
  count: 'num', denied: 'num', accepted: 'num', logged: 'num', ports: 'num', dsts: 'num', sources: 'num', hosts: 'num',
  spt: 'port', dpt: 'port', weekday: 'port', hour: 'port', busiest_port: 'port',
  src: 'addr', dst: 'addr', first: 'time', last: 'time', bucket: 'time', sample_ports: 'list',
};

function spec(module: ModuleName): ModuleSpec {
  return {
    title: TITLES[module] ?? module,
    columns: (MODULE_FIELDS[module] ?? ['count']).map((key) => {
      const kind = KIND[key] ?? 'text';
      const col: Column = { key, head: HEADINGS[key] ?? key, kind };
      if (kind === 'addr') col.nameKey = key === 'src' ? 'src_name' : 'dst_name';
      return col;
    }),
  };
}

export const MODULE_SPECS: Record<Exclude<ModuleName, 'summary'>, ModuleSpec> = {
  denied: spec('denied'),
  icmp: spec('icmp'),
  ports: spec('ports'),
  invalid: spec('invalid'),
  interfaces: spec('interfaces'),
  'port-actions': spec('port-actions'),
  'top-sources': spec('top-sources'),
  timeline: spec('timeline'),
  hosts: spec('hosts'),
  scanners: spec('scanners'),
  'new-sources': spec('new-sources'),
  heatmap: spec('heatmap'),
};
