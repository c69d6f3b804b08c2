// The database switches: --save-db, -ct, --dns-create-table, -c, -lt, -dt, -da. Thin: each maps
// onto one function of the store (src/store/tables.ts); messages go to stderr, lists to stdout.
import { createInterface } from 'node:readline/promises';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import { configPath } from '../config/config-file.js';
import { saveDbSettings } from '../config/save-db.js';
import { clearTable, createDnsTable, createLogTable, deleteAllTables, deleteTable, iptaTables, listTables } from '../store/tables.js';
import type { Action } from './plan.js';
import type { Ctx } from './run.js';
import { renderTable } from './text-table.js';

export async function saveDb(ctx: Ctx): Promise<void> {
  const path = configPath();
  saveDbSettings(path, ctx.settings());
  diag().warn(`saved the database settings to ${path}`);
}

export async function createTable(action: Extract<Action, { kind: 'create-table' }>, ctx: Ctx): Promise<void> {
  const name = action.table ?? ctx.settings().table;
  const r = await createLogTable(await ctx.conn(), name);
  diag().warn(r.created ? `created table ${r.table}` : `table ${r.table} already exists`);
}

export async function dnsCreateTable(ctx: Ctx): Promise<void> {
  const r = await createDnsTable(await ctx.conn(), ctx.settings().dnsTable);
  diag().warn(r.created ? `created DNS table ${r.table}` : `DNS table ${r.table} already exists`);
}

export async function clear(ctx: Ctx): Promise<void> {
  const name = ctx.settings().table;
  const n = await clearTable(await ctx.conn(), name);
  diag().warn(`cleared table ${name} (${n} rows deleted)`);
}

export async function listAll(ctx: Ctx): Promise<void> {
  const tables = await listTables(await ctx.conn());
  const rows = tables.map((t) => [t.table, t.kind ?? '-', t.rows < 0 ? '?' : t.rows]);
  ctx.out.write(renderTable(['Table', 'Type', 'Rows'], rows, { header: ctx.plan.display.header }));
  if (tables.length === 0) diag().warn(`no tables in database ${ctx.settings().database} (create one: ipta --create-table)`);
}

export async function dropOne(action: Extract<Action, { kind: 'delete-table' }>, ctx: Ctx): Promise<void> {
  await deleteTable(await ctx.conn(), action.table);
  diag().warn(`deleted table ${action.table}`);
}

export async function dropAll(ctx: Ctx): Promise<void> {
  const conn = await ctx.conn();
  const mine = await iptaTables(conn);
  if (mine.length === 0) {
    diag().warn(`no ipta tables in database ${ctx.settings().database}`);
    return;
  }
  const names = mine.map((t) => t.table).join(', ');
  if (!ctx.args.yes) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new UsageError(`--delete-all-tables would delete ${mine.length} table(s) (${names}): add --yes to confirm`);
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Delete ${mine.length} ipta table(s) in database ${ctx.settings().database} (${names})? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) throw new RuntimeError('nothing deleted');
  }
  const dropped = await deleteAllTables(conn);
  diag().warn(`deleted ${dropped.length} table(s): ${dropped.join(', ')}`);
}
