// -ai: a read-only SQL prompt on the configured database. node:readline gives line editing and
// history (kept in ~/.ipta_history, mode 0600). Two locks keep it read-only: only SELECT, SHOW,
// DESCRIBE and EXPLAIN are accepted (sql-guard.ts), and each statement runs inside a
// `START TRANSACTION READ ONLY` that is rolled back, so the server refuses any write that gets
// past the words. Results print as aligned tables. When stdin is not a terminal, statements are
// read one per line with no prompt (`echo 'SELECT ...' | ipta -ai`), and a failed statement makes
// the exit status 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import { diag } from '../cli/diag.js';
import { EXIT_RUNTIME } from '../cli/errors.js';
import type { Ctx } from './run.js';
import { checkReadOnly } from './sql-guard.js';
import { renderTable, type Cell } from './text-table.js';

const MAX_ROWS_SHOWN = 1000;
const HISTORY_SIZE = 500;

function historyPath(): string {
  return join(process.env.HOME || homedir(), '.ipta_history');
}

function loadHistory(): string[] {
  try {
    return readFileSync(historyPath(), 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(h: string[]): void {
  try {
    writeFileSync(historyPath(), [...h].reverse().join('\n') + '\n', { mode: 0o600 });
  } catch (err) {
    diag().warn(`cannot save the history to ${historyPath()}: ${(err as Error).message}`);
  }
}

const HELP_INTRO = `Read-only SQL: SELECT, SHOW, DESCRIBE, EXPLAIN (one statement per line; the ; is optional).
Commands: help (this, with the tables and their columns), quit (or exit, \\q, Ctrl-D).
Example: SELECT src, COUNT(*) AS n FROM logs WHERE verdict = 'deny' GROUP BY src ORDER BY n DESC LIMIT 10
`;

export async function interactive(ctx: Ctx): Promise<void> {
  const conn = await ctx.conn();
  const tty = Boolean(process.stdin.isTTY);
  const history = tty ? loadHistory() : [];
  const rl = createInterface({
    input: process.stdin,
    output: tty ? process.stderr : undefined,
    terminal: tty,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  if (tty) {
    process.stderr.write(`ipta: connected to ${ctx.settings().database}; type help for the tables and columns\n`);
    rl.setPrompt('ipta> ');
    rl.prompt();
  }
  let failed = 0;
  let current: string[] = history;
  rl.on('history', (h: string[]) => { current = h; });
  for await (const raw of rl) {
    const line = raw.trim();
    if (/^(quit|exit|\\q)\s*;?$/i.test(line)) break;
    if (line === '') {
      if (tty) rl.prompt();
      continue;
    }
    try {
      if (/^(help|\\h|\?)\s*;?$/i.test(line)) await help(ctx);
      else await runStatement(ctx, conn, line);
    } catch (err) {
      failed++;
      const e = err as { message?: string; sqlMessage?: string };
      process.stderr.write(`ipta: ${e.sqlMessage ?? e.message ?? String(err)}\n`);
    }
    if (tty) rl.prompt();
  }
  rl.close();
  if (tty) saveHistory(current);
  if (failed && !tty) process.exitCode = EXIT_RUNTIME;
}

async function runStatement(ctx: Ctx, conn: Awaited<ReturnType<Ctx['conn']>>, line: string): Promise<void> {
  const check = checkReadOnly(line);
  if (!check.ok) throw new Error(check.reason);
  await conn.query('START TRANSACTION READ ONLY');
  let rows: RowDataPacket[];
  let fields: FieldPacket[];
  try {
    [rows, fields] = (await conn.query({ sql: check.sql, rowsAsArray: true })) as [RowDataPacket[], FieldPacket[]];
  } finally {
    await conn.query('ROLLBACK');
  }
  if (!Array.isArray(rows) || !fields) {
    ctx.out.write('(no result)\n');
    return;
  }
  const headers = fields.map((f) => f.name);
  const shown = rows.slice(0, MAX_ROWS_SHOWN) as unknown as Cell[][];
  ctx.out.write(renderTable(headers, shown, { header: ctx.plan.display.header }));
  const more = rows.length > MAX_ROWS_SHOWN ? ` (first ${MAX_ROWS_SHOWN} shown; add a LIMIT)` : '';
  ctx.out.write(`(${rows.length} row${rows.length === 1 ? '' : 's'}${more})\n`);
}

async function help(ctx: Ctx): Promise<void> {
  const conn = await ctx.conn();
  const [cols] = await conn.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS ty FROM information_schema.COLUMNS ' +
      'WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION');
  const byTable = new Map<string, string[]>();
  for (const r of cols) {
    const t = String(r.t);
    if (!byTable.has(t)) byTable.set(t, []);
    byTable.get(t)!.push(`${r.c} ${r.ty}`);
  }
  let text = HELP_INTRO + `\nTables in ${ctx.settings().database}:\n`;
  if (byTable.size === 0) text += '  (none: create one with ipta --create-table)\n';
  for (const [t, c] of byTable) text += `  ${t}: ${c.join(', ')}\n`;
  ctx.out.write(text);
}
