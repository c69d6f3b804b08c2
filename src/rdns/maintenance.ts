// DNS table maintenance, shared by ipta-rdns and the `ipta` wrapper: create, clear, prune, dump.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { qid } from '../store/ident.js';
import { clearTable, createDnsTable, type CreateResult } from '../store/tables.js';
import { cleanName } from './clean-name.js';
import { ttlSeconds } from './mysql-cache.js';

export interface DnsEntry { addr: string; name: string | null }

/** CREATE the DNS table unless it exists ({created: false} then). */
export function dnsCreateTable(conn: Connection, table: string): Promise<CreateResult> {
  return createDnsTable(conn, table);
}

/** Delete every entry; returns how many there were. Refuses a table ipta did not create. */
export function dnsCacheClear(conn: Connection, table: string): Promise<number> {
  return clearTable(conn, table);
}

/** Delete the entries older than the TTL (none when ttlHours is 0: never expire); returns how many. */
export async function dnsPrune(conn: Connection, table: string, ttlHours: number): Promise<number> {
  const ttl = ttlSeconds(ttlHours);
  if (ttl === 0) return 0;
  const [res] = await conn.query(`DELETE FROM ${qid(table, 'DNS table name')} WHERE looked_up < UTC_TIMESTAMP(6) - INTERVAL ? SECOND`, [ttl]);
  return (res as { affectedRows: number }).affectedRows;
}

/**
 * Every entry, sorted by address: IPv4 before IPv6, each numerically (INET6_ATON gives 4 or 16
 * bytes), streamed from the server so memory stays flat. Names are cleaned for printing.
 */
export async function* dnsDump(conn: Connection, table: string): AsyncGenerator<DnsEntry> {
  const sql = `SELECT addr, name FROM ${qid(table, 'DNS table name')} ` +
    'ORDER BY LENGTH(INET6_ATON(addr)), INET6_ATON(addr), addr';
  // the promise wrapper has no streaming query: use the underlying connection
  const core = (conn as unknown as { connection: { query(sql: string): { stream(o?: object): AsyncIterable<RowDataPacket> } } }).connection;
  for await (const row of core.query(sql).stream({ highWaterMark: 1000 })) {
    yield { addr: cleanName(String(row.addr)) ?? '', name: row.name === null ? null : cleanName(String(row.name)) };
  }
}

/** One dump line: address, a tab, the name (`-`: no PTR record). */
export function dumpLine(e: DnsEntry): string {
  return `${e.addr}\t${e.name ?? '-'}\n`;
}
