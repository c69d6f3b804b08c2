// Records -> the follow/scan rows of IPTA 0.2:
//   Time     Count IF    Source          Port  Destination     Port  Proto Action
// One record in, its line(s) out, so rows can be written as they arrive. Columns start at the
// manual's widths and grow (never shrink) when a wider value comes, up to a maximum set by the
// terminal width; the header is printed again whenever the layout changes, so every row lines up
// with the header above it. Values wider than the maximum show as `*` + their end. Pure, no I/O.
import { SGR, cellText, fitLeft, fitRight, timeFormatter, verdictColor } from './cells.js';
import { HEADINGS } from './report-tables.js';
import { markdownHead, markdownRow, type TableColumn } from './text-table.js';
import type { FormatOptions } from './options.js';

type Rec = Record<string, unknown>;

interface PacketColumn extends TableColumn {
  key: string;
  max: number;
  width: number;
  addr?: boolean;
  get: (r: Rec, n: number) => string;
}

const str = (v: unknown): string => (typeof v === 'string' ? cellText(v) : v === undefined || v === null ? '' : cellText(v));
const num = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v));
const name = (r: Rec, k: 'src' | 'dst'): string => {
  const n = r[`${k}_name`];
  return typeof n === 'string' && n !== '' ? cellText(n) : str(r[k]);
};

/** Widest address column by default (a full IPv6 address is 39 characters). */
export const ADDR_MAX = 39;
export const ADDR_MIN = 15;
export const DEFAULT_PACKET_COLUMNS = ['time', 'count', 'if', 'src', 'spt', 'dst', 'dpt', 'proto', 'action'];

function columnFor(key: string, o: FormatOptions): PacketColumn {
  const c = (header: string, align: 'l' | 'r', min: number, max: number, get: PacketColumn['get']): PacketColumn =>
    ({ key, header, align, min, max: Math.max(max, min), width: min, get });
  switch (key) {
    case 'time':
    case 'ts': {
      const t = timeFormatter({ utc: o.utc, date: o.date });
      const w = o.date ? 19 : 8;
      return c('Time', 'l', w, w + 13, (r) => t(r.ts));
    }
    case 'count': return c('Count', 'r', 5, 15, (_r, n) => String(n));
    case 'if': return c('IF', 'l', 5, 15, (r) => str(typeof r.in === 'string' && r.in !== '' ? r.in : r.out));
    case 'in': return c('IF In', 'l', 5, 15, (r) => str(r.in));
    case 'out': return c('IF Out', 'l', 6, 15, (r) => str(r.out));
    case 'src': return { ...c('Source', 'l', ADDR_MIN, ADDR_MAX, (r) => name(r, 'src')), addr: true };
    case 'dst': return { ...c('Destination', 'l', ADDR_MIN, ADDR_MAX, (r) => name(r, 'dst')), addr: true };
    case 'spt': return c('Port', 'l', 5, 5, (r) => num(r.spt));
    case 'dpt': return c('Port', 'l', 5, 5, (r) => num(r.dpt));
    case 'proto': return c('Proto', 'l', 5, 10, (r) => str(r.proto));
    case 'action': return c('Action', 'l', 6, 24, (r) => str(r.action ?? r.verdict));
    default: {
      const h = HEADINGS[key] ?? key;
      return c(h, 'l', h.length, 40, (r) => str(r[key]));
    }
  }
}

/** The packet-row formatter: call row() per record; it returns the text to print (no final newline). */
export class PacketRows {
  readonly columns: PacketColumn[];
  private n = 0;
  private sinceHeader = 0;
  private headed = false;
  /** reused for every row: one array less per record */
  private readonly cells: string[] = [];

  constructor(private readonly o: FormatOptions, private readonly markdown = false) {
    let keys = o.columns ?? DEFAULT_PACKET_COLUMNS;
    if (!o.counter) keys = keys.filter((k) => k !== 'count');
    this.columns = keys.map((k) => columnFor(k, o));
    const addr = this.columns.filter((c) => c.addr);
    if (o.addrWidth !== undefined) {
      for (const c of addr) c.min = c.max = c.width = o.addrWidth;
    } else if (o.width !== undefined && addr.length) {
      // the terminal's width decides how far the address columns may grow
      const rest = this.columns.reduce((s, c) => s + (c.addr ? 0 : c.min) + 1, 0) - 1;
      const each = Math.floor((o.width - rest) / addr.length);
      for (const c of addr) c.max = Math.min(ADDR_MAX, Math.max(ADDR_MIN, each));
    }
  }

  /** Lines for one record: maybe a header, then the row. */
  row(r: Rec): string {
    const n = ++this.n;
    const cols = this.columns;
    const cells = this.cells;
    let grew = false;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      const v = c.get(r, n);
      cells[i] = v;
      if (v.length > c.width && c.width < c.max && i < cols.length - 1) {
        c.width = Math.min(v.length, c.max);
        grew = true;
      }
    }
    if (this.markdown) {
      const line = markdownRow(cells);
      if (this.headed) return line;
      this.headed = true;
      return `${markdownHead(cols)}\n${line}`;
    }
    let out = '';
    if (this.o.header && (!this.headed || grew || (this.o.headerEvery > 0 && this.sinceHeader >= this.o.headerEvery))) {
      out = this.header() + '\n';
      this.sinceHeader = 0;
    }
    this.headed = true;
    this.sinceHeader++;
    const line = this.line(cells);
    if (!this.o.color) return out + line;
    const color = verdictColor(r.verdict);
    return color ? `${out}${color}${line}${SGR.reset}` : out + line;
  }

  /** After something else was printed (a report table): the next row gets a header again. */
  newSection(): void {
    this.headed = false;
  }

  header(): string {
    const line = this.line(this.columns.map((c) => c.header));
    return this.o.color ? `${SGR.bold}${line}${SGR.reset}` : line;
  }

  private line(cells: string[]): string {
    const cols = this.columns;
    const last = cols.length - 1;
    let s = '';
    for (let i = 0; i < last; i++) {
      const c = cols[i]!;
      s += (c.align === 'r' ? fitRight(cells[i]!, c.width) : fitLeft(cells[i]!, c.width)) + ' ';
    }
    // the last column is not padded (no trailing blanks), and not cut unless it is a fixed width
    const c = cols[last]!;
    const v = cells[last]!;
    s += c.addr && v.length > c.max ? fitLeft(v, c.max) : c.align === 'r' ? fitRight(v, c.width) : v;
    return v === '' ? s.trimEnd() : s;
  }
}
