// The DNS cache switches: --dns-create-table, --dns-cache-clear, -dp/--dns-prune, --dns-dump.
// Each maps onto one maintenance function of ipta-rdns (src/rdns/maintenance.ts).
import { diag } from '../cli/diag.js';
import { dnsCacheClear, dnsCreateTable, dnsDump, dumpLine, dnsPrune } from '../rdns/maintenance.js';
import type { Ctx } from './run.js';

export async function dnsCreate(ctx: Ctx): Promise<void> {
  const r = await dnsCreateTable(await ctx.conn(), ctx.settings().dnsTable);
  diag().warn(r.created ? `created DNS table ${r.table}` : `DNS table ${r.table} already exists`);
}

export async function dnsClear(ctx: Ctx): Promise<void> {
  const table = ctx.settings().dnsTable;
  const n = await dnsCacheClear(await ctx.conn(), table);
  diag().warn(`cleared DNS table ${table} (${n} entries deleted)`);
}

export async function dnsPruneOld(ctx: Ctx): Promise<void> {
  const table = ctx.settings().dnsTable;
  const ttl = ctx.plan.display.ttl;
  const n = await dnsPrune(await ctx.conn(), table, ttl);
  diag().warn(ttl === 0 ? `--ttl 0: cached names never expire, nothing pruned` : `pruned ${n} entries older than ${ttl} hours from ${table}`);
}

export async function dnsDumpAll(ctx: Ctx): Promise<void> {
  let buf = '';
  for await (const e of dnsDump(await ctx.conn(), ctx.settings().dnsTable)) {
    buf += dumpLine(e);
    if (buf.length > 64 * 1024) {
      ctx.out.write(buf);
      buf = '';
    }
  }
  if (buf) ctx.out.write(buf);
}
