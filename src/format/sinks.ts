// One sink per output format: item() takes one record or report row and returns the text to
// print now ('' when it must wait, e.g. a table that needs all of a module's rows); end() returns
// what is left. Pure: the text goes back to formatStream, never to a stream.
import { stringify } from 'csv-stringify/sync';
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';
import { renderHtml } from '../html/report.js';
import type { ReportRow } from '../report/rows.js';
import { preview } from '../stream/ndjson-lines.js';
import { BlockList } from './blocklist.js';
import { PacketRows } from './packet-rows.js';
import { ALL_REPORT_FIELDS, MODULE_FIELDS, reportTable } from './report-tables.js';
import { renderMarkdown, renderText } from './text-table.js';
import type { FormatOptions } from './options.js';

type Row = Record<string, unknown>;

export interface Sink {
  item(obj: Row): string;
  /** a line that is not a JSON object */
  bad(line: string, lineNo: number, why: string): string;
  end(): string;
}

/** Report rows carry their module's name; everything else is a record. */
export const isReportRow = (o: Row): boolean => typeof o.module === 'string';

/** CSV/TSV columns for records when --columns is not given. */
export const RECORD_FIELDS = ['ts', 'host', 'in', 'out', 'src', 'spt', 'dst', 'dpt', 'proto', 'action', 'verdict', 'prefix', 'src_name', 'dst_name'];

function warnBad(lineNo: number, why: string, line: string): string {
  diag().warnLimited('bad-json', `line ${lineNo}: ${why}${line ? `: ${preview(line)}` : ''}`);
  return '';
}

function keep(o: FormatOptions, r: Row): boolean {
  return !o.modules || !isReportRow(r) || o.modules.includes(r.module as string);
}

/** table and markdown: packet rows for records, a titled table per module for report rows. */
export class TableSink implements Sink {
  private packets?: PacketRows;
  private block: Row[] = [];
  private module = '';
  private printed = false;
  private inPackets = false;

  constructor(private readonly o: FormatOptions, private readonly markdown = false) {}

  item(r: Row): string {
    // the hot path: one more packet row
    if (this.inPackets && typeof r.module !== 'string') return `${this.packets!.row(r)}\n`;
    if (!keep(this.o, r)) return '';
    if (isReportRow(r)) {
      const out = r.module === this.module ? '' : this.flush();
      this.module = r.module as string;
      this.block.push(r);
      return out;
    }
    let out = this.flush();
    if (!this.inPackets && this.printed) {
      out += '\n';
      this.packets?.newSection();
    }
    this.inPackets = true;
    this.printed = true;
    this.packets ??= new PacketRows(this.o, this.markdown);
    return `${out}${this.packets.row(r)}\n`;
  }

  /** Lines that are not JSON go through unchanged in the table format (as pino-pretty does). */
  bad(line: string, lineNo: number, why: string): string {
    if (this.markdown) return warnBad(lineNo, why, line);
    return `${line}\n`;
  }

  end(): string {
    return this.flush();
  }

  private flush(): string {
    if (!this.block.length) return '';
    const t = reportTable(this.module, this.block, { utc: this.o.utc, addrWidth: this.o.addrWidth, columns: this.o.columns });
    const ro = { header: this.o.header, color: this.o.color && !this.markdown };
    const text = this.markdown ? renderMarkdown(t, ro) : renderText(t, ro);
    const sep = this.printed ? '\n' : '';
    this.block = [];
    this.module = '';
    this.printed = true;
    this.inPackets = false;
    return `${sep}${text}\n`;
  }
}

/** A field of a record or report row, with the pseudo-fields `if`, `count` and `time`. */
function field(r: Row, k: string, n: number, report: boolean): unknown {
  if (k === 'if') return typeof r.in === 'string' && r.in !== '' ? r.in : r.out;
  if (k === 'count' && !report) return n;
  if (k === 'time') return r.ts;
  return r[k];
}

/** A value as a CSV/TSV field: numbers stay numbers (never formula-escaped), arrays space-joined. */
function plain(v: unknown): string | number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(' ');
  return JSON.stringify(v);
}

// The characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"),
// the same list csv-stringify's escape_formulas uses.
const FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** TSV (linear TSV): `\`, tab, newline and CR as `\\`, `\t`, `\n`, `\r`; formulas escaped with `'`. */
export function tsvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = FORMULA.test(v) ? `'${v}` : v;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** csv and tsv: a header line, then one line per record or row. */
export class DelimitedSink implements Sink {
  private cols?: string[];
  private n = 0;

  constructor(private readonly o: FormatOptions, private readonly tsv: boolean) {}

  item(r: Row): string {
    if (!keep(this.o, r)) return '';
    const report = isReportRow(r);
    let out = '';
    if (!this.cols) {
      const one = this.o.modules?.length === 1 ? MODULE_FIELDS[this.o.modules[0]!] : undefined;
      this.cols = this.o.columns ?? (report ? one ?? ALL_REPORT_FIELDS : RECORD_FIELDS);
      if (this.o.header) out = this.line(this.cols);
    }
    const n = report ? 0 : ++this.n;
    return out + this.line(this.cols.map((k) => plain(field(r, k, n, report))));
  }

  private line(cells: Array<string | number | undefined>): string {
    if (this.tsv) return `${cells.map(tsvField).join('\t')}\n`;
    return stringify([cells], { escape_formulas: true, eof: true });
  }

  bad(line: string, lineNo: number, why: string): string {
    return warnBad(lineNo, why, line);
  }

  end(): string {
    return '';
  }
}

/** ndjson: the objects again (projected with --columns, filtered with --module). */
export class NdjsonSink implements Sink {
  private n = 0;
  constructor(private readonly o: FormatOptions) {}

  item(r: Row): string {
    if (!keep(this.o, r)) return '';
    const report = isReportRow(r);
    const n = report ? 0 : ++this.n;
    if (!this.o.columns) return `${JSON.stringify(r)}\n`;
    const out: Row = {};
    for (const k of this.o.columns) {
      const v = field(r, k, n, report);
      if (v !== undefined) out[k] = v;
    }
    return `${JSON.stringify(out)}\n`;
  }

  bad(line: string, lineNo: number, why: string): string {
    return warnBad(lineNo, why, line);
  }

  end(): string {
    return '';
  }
}

/** plain, ipset, nft: printed once the input ends. */
export class BlockListSink implements Sink {
  private readonly list: BlockList;
  constructor(private readonly o: FormatOptions) {
    this.list = new BlockList(o);
  }

  item(r: Row): string {
    if (!keep(this.o, r)) return '';
    if (isReportRow(r)) this.list.addReportRow(r);
    else this.list.addRecord(r);
    return '';
  }

  bad(line: string, lineNo: number, why: string): string {
    return warnBad(lineNo, why, line);
  }

  end(): string {
    const res = this.list.render();
    const d = diag();
    for (const [s, c] of res.invalid) {
      d.warnLimited('not-an-address', `not an address, not listed: ${preview(s)} (${c} time${c === 1 ? '' : 's'})`);
    }
    if (res.excluded.size) {
      const parts = [...res.excluded].map(([why, c]) => `${c} ${why}`);
      d.warn(`left out of the block list: ${parts.join(', ')} (see --allow, --include-private)`);
    }
    if (res.wrongFamily) {
      d.warn(`left out of the block list: ${res.wrongFamily} address(es) of the other family (--nft-family ${this.o.nftFamily})`);
    }
    return res.text;
  }
}

/** html: the report rows, handed to the HTML page once the input ends. */
export class HtmlSink implements Sink {
  private readonly rows: Row[] = [];
  private records = 0;
  constructor(private readonly o: FormatOptions) {}

  item(r: Row): string {
    if (!keep(this.o, r)) return '';
    if (isReportRow(r)) this.rows.push(r);
    else this.records++;
    return '';
  }

  bad(line: string, lineNo: number, why: string): string {
    return warnBad(lineNo, why, line);
  }

  end(): string {
    if (this.records) diag().warn(`${this.records} record(s) left out: --format html shows report rows (pipe through ipta-report first)`);
    try {
      return renderHtml(this.rows as unknown as ReportRow[], this.o.title === undefined ? {} : { title: this.o.title });
    } catch (err) {
      throw new RuntimeError(`--format html: ${(err as Error).message}`);
    }
  }
}

export function createSink(o: FormatOptions): Sink {
  switch (o.format) {
    case 'table': return new TableSink(o);
    case 'markdown': return new TableSink(o, true);
    case 'csv': return new DelimitedSink(o, false);
    case 'tsv': return new DelimitedSink(o, true);
    case 'ndjson': return new NdjsonSink(o);
    case 'html': return new HtmlSink(o);
    default: return new BlockListSink(o);
  }
}
