// The maintenance flags as one action: create, clear, prune, then dump, in that order whatever
// the order on the command line. Status lines go to stderr, the dump to `out`.
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';
import { connect } from '../store/connect.js';
import { tableExists } from '../store/tables.js';
import type { DbSettings } from '../store/options.js';
import { dnsCacheClear, dnsCreateTable, dnsDump, dnsPrune, dumpLine } from './maintenance.js';

export interface DnsMaintenance {
  createTable?: boolean;
  clear?: boolean;
  prune?: boolean;
  dump?: boolean;
}

/** True when any maintenance action is asked for. */
export function wantsMaintenance(m: DnsMaintenance): boolean {
  return !!(m.createTable || m.clear || m.prune || m.dump);
}

export function maintenanceFromArgv(argv: Record<string, unknown>): DnsMaintenance {
  return { createTable: !!argv['dns-create-table'], clear: !!argv['dns-cache-clear'], prune: !!argv['dns-prune'], dump: !!argv['dns-dump'] };
}

export async function runDnsMaintenance(db: DbSettings, m: DnsMaintenance, ttlHours: number, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const conn = await connect(db);
  const t = db.dnsTable;
  try {
    if (m.createTable) {
      const r = await dnsCreateTable(conn, t);
      diag().warn(r.created ? `DNS table ${t} created` : `DNS table ${t} already exists`);
    }
    if ((m.clear || m.prune || m.dump) && !(await tableExists(conn, t))) {
      throw new RuntimeError(`DNS table ${t} does not exist in database ${db.database} (create it with --dns-create-table, or choose one with --dns-table)`);
    }
    if (m.clear) diag().warn(`DNS table ${t}: ${await dnsCacheClear(conn, t)} entries deleted`);
    if (m.prune) {
      if (ttlHours === 0) diag().warn(`DNS table ${t}: TTL 0 (never expire), nothing pruned`);
      else diag().warn(`DNS table ${t}: ${await dnsPrune(conn, t, ttlHours)} entries older than ${ttlHours} h deleted`);
    }
    if (m.dump) {
      let buf = '';
      for await (const e of dnsDump(conn, t)) {
        buf += dumpLine(e);
        if (buf.length >= 65536) {
          if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
          buf = '';
        }
      }
      if (buf) out.write(buf);
    }
  } finally {
    await conn.end().catch(() => { /* already gone */ });
  }
}
