// Pure: column headings + rows of SQL values -> an ipta-format table (numbers right-aligned),
// for what the wrapper prints itself (-lt, -ai results).
import { renderText, type TableModel } from '../format/text-table.js';

export type Cell = string | number | bigint | boolean | null | undefined | Date;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A value as it is printed: NULL for null, never a terminal control character. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return (v as Buffer).toString('hex');
  if (typeof v === 'object') return JSON.stringify(v).replace(CONTROL, '?');
  return String(v).replace(CONTROL, '?');
}

const isNumeric = (v: Cell): boolean => typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));

/** Rendered by ipta-format's table renderer, so -lt and -ai look like every other ipta table. */
export function renderTable(headers: string[], rows: Cell[][], opts: { header?: boolean; title?: string } = {}): string {
  const text = rows.map((r) => r.map(cellText));
  const model: TableModel = {
    ...(opts.title ? { title: opts.title } : {}),
    columns: headers.map((h, i) => ({
      header: h,
      align: rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || isNumeric(r[i])) ? 'r' : 'l',
      min: 0,
    })),
    rows: text.map((cells) => ({ cells })),
  };
  const out = renderText(model, { header: opts.header !== false, color: false });
  return out ? out + '\n' : '';
}
