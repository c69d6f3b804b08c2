// Pure: column headings + rows -> an aligned text table (numbers right-aligned), the look of
// ipta-format's tables, for what the wrapper prints itself (-lt, -ai results, --dns-dump).

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

export function renderTable(headers: string[], rows: Cell[][], opts: { header?: boolean } = {}): string {
  const text = rows.map((r) => r.map(cellText));
  const right = headers.map((_h, i) => rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || isNumeric(r[i])));
  const width = headers.map((h, i) => Math.max(opts.header === false ? 0 : h.length, ...text.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  const out: string[] = [];
  if (opts.header !== false) {
    out.push(line(headers));
    out.push(width.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of text) out.push(line(r));
  return out.join('\n') + '\n';
}
