// rdnsStream: the engine with its real parts attached (node:dns, the MySQL DNS table), for the
// ipta-rdns command and the `ipta` wrapper alike.
import type { Connection } from 'mysql2/promise';
import { diag } from '../cli/diag.js';
import { connect } from '../store/connect.js';
import type { DbSettings } from '../store/options.js';
import { createDnsTable, tableExists } from '../store/tables.js';
import { rdnsBatchEngine, type RdnsStats } from './rdns-engine.js';
import { createPtrLookup, resolveDnsServers, type PtrLookup } from './lookup.js';
import { mysqlCache } from './mysql-cache.js';

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_TTL_HOURS = 336;

export interface RdnsOptions {
  /** record fields holding addresses (default src, dst); each gets `<field>_name` */
  fields?: readonly string[];
  /** DNS servers as c-ares takes them (see parseDnsServers); default the system's resolvers */
  servers?: string[];
  /** per lookup (default 2000 ms) */
  timeoutMs?: number;
  /** lookups in flight at most (default 32) */
  concurrency?: number;
  /** cached answers older than this are asked again (default 336; 0: never expire) */
  ttlHours?: number;
  /** the database holding the DNS table (settings.dnsTable); null/absent: in-memory cache only */
  db?: DbSettings | null;
  /** an open connection to use instead of opening one from `db` (left open) */
  conn?: Connection;
  /** replaces DNS (the wrapper's tests, experiments) */
  lookup?: PtrLookup;
  stats?: RdnsStats;
  /** records waiting for names at most (default 10,000) */
  maxQueue?: number;
  /** read the whole DNS table once this many addresses were asked of it (default 2000; 0: never) */
  preloadAfter?: number;
}

/**
 * Records in, the same records with `src_name` / `dst_name` (or `<field>_name`) out, in order.
 * Report rows work the same way: any object carrying the fields.
 */
export async function* rdnsStream(
  items: AsyncIterable<Record<string, unknown>>,
  opts: RdnsOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  async function* singles(): AsyncGenerator<Record<string, unknown>[]> {
    for await (const r of items) yield [r];
  }
  for await (const batch of rdnsBatchStream(singles(), opts)) yield* batch;
}

/** The same for records arriving in arrays (one per chunk read): yields arrays, in order. */
export async function* rdnsBatchStream(
  batches: AsyncIterable<Record<string, unknown>[]>,
  opts: RdnsOptions = {},
): AsyncGenerator<Record<string, unknown>[]> {
  let conn: Connection | null = opts.conn ?? null;
  const own = !opts.conn && !!opts.db;
  const table = opts.db?.dnsTable ?? 'dns';
  if (opts.conn && !opts.db) throw new Error('rdnsStream: opts.conn needs opts.db (for the DNS table name)');
  if (own) conn = await connect(opts.db!);
  try {
    if (conn && !(await tableExists(conn, table))) await createDnsTable(conn, table);
    const dns = opts.lookup
      ? { lookup: opts.lookup, cancel: () => {} }
      : createPtrLookup({ servers: await resolveDnsServers(opts.servers), timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    yield* rdnsBatchEngine(batches, {
      fields: opts.fields,
      lookup: dns.lookup,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      cache: conn ? mysqlCache(conn, table, opts.ttlHours ?? DEFAULT_TTL_HOURS) : null,
      maxQueue: opts.maxQueue,
      preloadAfter: opts.preloadAfter,
      stats: opts.stats,
      onCacheError: (err) => diag().warn(`the DNS cache table ${table} failed (${(err as Error)?.message ?? err}); continuing without it`),
      onClose: dns.cancel,
    });
  } finally {
    if (own) await conn!.end().catch(() => { /* already gone */ });
  }
}
