// Report rows -> titled tables, one per module, in the style of IPTA 0.2's "Analyzer modules
// output" (titles and headings of the six seed modules as the original printed them; the new
// modules in the same style). Pure, no I/O.
import { actionVerdict, cellText, formatBucket, formatTime, verdictColor } from './cells.js';
import type { TableColumn, TableModel, TableRow } from './text-table.js';

type Row = Record<string, unknown>;

export interface ReportTableOptions {
  utc: boolean;
  /** fixed width of address columns (undefined: 25 to 39 as needed) */
  addrWidth?: number;
  /** fields chosen with --columns (undefined: the module's own columns) */
  columns?: string[];
}

/** What a field is called in a heading, as the original wrote it where it had one. */
export const HEADINGS: Record<string, string> = {
  count: 'Count', src: 'Source IP', spt: 'SPort', dst: 'Dest IP', dpt: 'DPort', proto: 'Proto',
  action: 'Action', in: 'IF In', out: 'IF Out', if: 'IF', host: 'Host', denied: 'Denied',
  accepted: 'Accepted', logged: 'Logged', first: 'First seen', last: 'Last seen', bucket: 'Period',
  verdict: 'Verdict', ports: 'Ports', dsts: 'Dests', sample_ports: 'Sample ports', weekday: 'Day',
  hour: 'Hour', sources: 'Sources', hosts: 'Hosts', busiest_port: 'Busiest port',
  busiest_port_count: 'Busiest port count', unit: 'Unit', ts: 'Time', module: 'Module',
  src_name: 'Source name', dst_name: 'Dest name', prefix: 'Prefix',
};

const MIN: Record<string, number> = { count: 6, spt: 5, dpt: 5, proto: 6, action: 10, in: 10, src: 25, dst: 25 };
const TIME_FIELDS = new Set(['ts', 'first', 'last']);
const ADDR_FIELDS = new Set(['src', 'dst']);

/** The module's own columns, in order: the CSV fields and the table columns. */
export const MODULE_FIELDS: Record<string, string[]> = {
  'denied': ['count', 'src', 'spt', 'dst', 'dpt', 'proto', 'action'],
  'icmp': ['count', 'src', 'dst', 'proto', 'action'],
  'ports': ['count', 'dpt', 'proto', 'action'],
  'invalid': ['count', 'src', 'spt', 'dst', 'dpt', 'proto', 'action'],
  'interfaces': ['count', 'in', 'action', 'proto'],
  'port-actions': ['count', 'dpt', 'action'],
  'top-sources': ['count', 'src', 'denied', 'first', 'last'],
  'timeline': ['count', 'bucket', 'unit', 'verdict', 'action'],
  'hosts': ['count', 'host', 'denied', 'accepted'],
  'scanners': ['count', 'src', 'ports', 'dsts', 'first', 'last', 'sample_ports'],
  'new-sources': ['count', 'src', 'first', 'last'],
  'heatmap': ['count', 'weekday', 'hour'],
  'summary': ['count', 'first', 'last', 'denied', 'accepted', 'logged', 'sources', 'hosts', 'busiest_port', 'busiest_port_count'],
};

export const TITLES: Record<string, string> = {
  'denied': 'Showing denied traffic grouped by IP, destination port, action taken and protocol.',
  'icmp': 'Showing ICMP traffic statistics',
  'ports': 'Most denied ports',
  'invalid': 'Most invalid packets come from',
  'interfaces': 'Interface statistics',
  'port-actions': 'Denied traffic per destination port and action',
  'top-sources': 'Top sources',
  'timeline': 'Traffic over time',
  'hosts': 'Traffic per host',
  'scanners': 'Scanners: sources touching many ports or hosts',
  'new-sources': 'New sources, first seen in this period',
  'heatmap': 'Denied packets by weekday and hour (UTC)',
  'summary': 'Summary',
};

/** The union of every module's fields, `module` first: CSV columns for a mixed report. */
export const ALL_REPORT_FIELDS: string[] = ['module', ...new Set(Object.values(MODULE_FIELDS).flat()), 'src_name', 'dst_name'];

/** A field's cell: names replace addresses, times shown local or UTC, the rest made printable. */
export function reportCell(row: Row, field: string, o: ReportTableOptions): string {
  if (ADDR_FIELDS.has(field)) {
    const name = row[`${field}_name`];
    return typeof name === 'string' && name ? cellText(name) : cellText(row[field]);
  }
  const v = row[field];
  if (TIME_FIELDS.has(field) && typeof v === 'string') return formatTime(v, { utc: o.utc, date: true });
  if (field === 'bucket') return formatBucket(v, row.unit, o.utc);
  return cellText(v);
}

function column(field: string, sample: Row | undefined, o: ReportTableOptions): TableColumn {
  const header = HEADINGS[field] ?? field;
  const numeric = typeof sample?.[field] === 'number' || field === 'count';
  if (ADDR_FIELDS.has(field)) {
    if (o.addrWidth !== undefined) return { header, align: 'l', min: o.addrWidth, max: o.addrWidth };
    return { header, align: 'l', min: MIN[field]!, max: 39 };
  }
  return { header, align: numeric ? 'r' : 'l', min: MIN[field] ?? header.length };
}

function rowColor(row: Row): string | undefined {
  return verdictColor(typeof row.verdict === 'string' ? row.verdict : actionVerdict(row.action));
}

/** The table of one module's rows (heatmap as a weekday x hour grid, summary as a list). */
export function reportTable(module: string, rows: Row[], o: ReportTableOptions): TableModel {
  const title = TITLES[module] ?? module;
  if (!o.columns && module === 'heatmap') return heatmapTable(title, rows);
  if (!o.columns && module === 'summary') return summaryTable(title, rows, o);
  let fields = o.columns ?? MODULE_FIELDS[module];
  if (!fields) fields = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'module' && !k.endsWith('_name'));
  if (!o.columns && module === 'timeline') fields = fields.filter((f) => f !== 'unit');
  const columns = fields.map((f) => column(f, rows.find((r) => r[f] !== undefined), o));
  const out: TableRow[] = rows.map((r) => ({ cells: fields.map((f) => reportCell(r, f, o)), color: rowColor(r) }));
  return { title, columns, rows: out };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function heatmapTable(title: string, rows: Row[]): TableModel {
  const grid = DAYS.map(() => Array<number>(24).fill(0));
  for (const r of rows) {
    const d = Number(r.weekday);
    const h = Number(r.hour);
    if (Number.isInteger(d) && d >= 0 && d < 7 && Number.isInteger(h) && h >= 0 && h < 24) grid[d]![h]! += Number(r.count) || 0;
  }
  const columns: TableColumn[] = [{ header: 'Day', align: 'l', min: 3 }];
  for (let h = 0; h < 24; h++) columns.push({ header: String(h).padStart(2, '0'), align: 'r', min: 2 });
  columns.push({ header: 'Total', align: 'r', min: 5 });
  const out = grid.map((hours, d) => ({
    cells: [DAYS[d]!, ...hours.map((n) => (n ? String(n) : '-')), String(hours.reduce((a, b) => a + b, 0))],
  }));
  return { title, columns, rows: out };
}

function summaryTable(title: string, rows: Row[], o: ReportTableOptions): TableModel {
  const out: TableRow[] = [];
  const t = (v: unknown): string => (typeof v === 'string' ? formatTime(v, { utc: o.utc, date: true }) : '');
  for (const r of rows) {
    const items: Array<[string, string]> = [
      ['Period', r.first || r.last ? `${t(r.first)} - ${t(r.last)}` : ''],
      ['Packets', cellText(r.count)],
      ['Denied', cellText(r.denied)],
      ['Accepted', cellText(r.accepted)],
      ['Logged', cellText(r.logged)],
      ['Sources', cellText(r.sources)],
      ['Hosts', cellText(r.hosts)],
      ['Busiest port', r.busiest_port === undefined ? '' : `${cellText(r.busiest_port)} (${cellText(r.busiest_port_count)} packets)`],
    ];
    for (const [k, v] of items) out.push({ cells: [k, v] });
  }
  return { title, columns: [{ header: 'Item', align: 'l', min: 12 }, { header: 'Value', align: 'l', min: 5 }], rows: out };
}
