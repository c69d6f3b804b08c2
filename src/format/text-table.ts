// A titled table of ready-made cell strings, rendered the way IPTA 0.2 printed its analyzer
// output (title line, headings, a dashed rule, space-separated columns, numbers right-aligned)
// or as a Markdown table. Pure, no I/O.
import { SGR, fitLeft, fitRight } from './cells.js';

export interface TableColumn {
  header: string;
  align: 'l' | 'r';
  /** narrowest width (the manual's widths: 6 for Count, 25 for addresses...) */
  min: number;
  /** widest width; longer cells show as `*` + their end (undefined: no limit) */
  max?: number;
}

export interface TableRow { cells: string[]; color?: string }

export interface TableModel { title?: string; columns: TableColumn[]; rows: TableRow[] }

export interface RenderOptions { header: boolean; color: boolean }

/** The widths a table needs: each column fits its heading and cells, within min..max. */
export function columnWidths(t: TableModel): number[] {
  return t.columns.map((c, i) => {
    let w = Math.max(c.min, c.header.length);
    for (const r of t.rows) w = Math.max(w, r.cells[i]?.length ?? 0);
    return c.max === undefined ? w : Math.min(w, Math.max(c.max, c.header.length));
  });
}

/** One line of cells, each fitted to its width; the last column unpadded, no trailing blanks. */
export function joinCells(cells: string[], widths: number[], cols: TableColumn[]): string {
  let line = '';
  const last = cells.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = cells[i]!;
    const w = widths[i]!;
    if (i > 0) line += ' ';
    if (i === last && c.length <= w && cols[i]!.align === 'l') line += c;
    else line += cols[i]!.align === 'r' ? fitRight(c, w) : fitLeft(c, w);
  }
  return line.trimEnd();
}

/** The text rendering: title, headings, dashes, rows. Lines joined with `\n`, no final newline. */
export function renderText(t: TableModel, o: RenderOptions): string {
  const widths = columnWidths(t);
  const lines: string[] = [];
  if (o.header) {
    if (t.title) lines.push(o.color ? `${SGR.bold}${t.title}${SGR.reset}` : t.title);
    lines.push(joinCells(t.columns.map((c) => c.header), widths, t.columns));
    lines.push(widths.map((w) => '-'.repeat(w)).join(' '));
  }
  for (const r of t.rows) {
    const line = joinCells(r.cells, widths, t.columns);
    lines.push(o.color && r.color ? `${r.color}${line}${SGR.reset}` : line);
  }
  return lines.join('\n');
}

/** Markdown: every character that could start markup is backslash-escaped; `|` cannot split a cell. */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

export function markdownRow(cells: string[]): string {
  return `| ${cells.map(mdEscape).join(' | ')} |`;
}

export function markdownHead(cols: TableColumn[]): string {
  return `${markdownRow(cols.map((c) => c.header))}\n| ${cols.map((c) => (c.align === 'r' ? '---:' : ':---')).join(' | ')} |`;
}

/** The Markdown rendering: `### title`, a header row, an alignment row, the rows. */
export function renderMarkdown(t: TableModel, o: RenderOptions): string {
  const lines: string[] = [];
  if (o.header && t.title) lines.push(`### ${mdEscape(t.title)}`, '');
  lines.push(markdownHead(t.columns));
  for (const r of t.rows) lines.push(markdownRow(r.cells));
  return lines.join('\n');
}
