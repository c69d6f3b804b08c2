// The persistent cache: the DNS table (addr, name, looked_up). Read in batches before DNS is
// asked, written in batches after; names always travel as parameters. Times are the server's
// UTC clock on both sides (written with UTC_TIMESTAMP, compared with it), so client time zones
// and clock skew between hosts do not matter.
import type { Connection } from 'mysql2/promise';
import { qid } from '../store/ident.js';

export interface PersistentCache {
  /** The entries among `addrs` that are fresh: a name, or null for a cached "no PTR record". */
  read(addrs: string[]): Promise<Map<string, string | null>>;
  /**
   * Every fresh entry at once, when the table holds at most `max` rows (by the server's
   * estimate): one query instead of a batch per few hundred addresses. `complete` says that no
   * fresh entry was left out, so an address not found needs no batched read. Null: too big.
   */
  preload?(max: number): Promise<{ entries: Array<[string, string | null]>; complete: boolean } | null>;
  /** Insert or refresh entries (null name: no PTR record). */
  write(entries: ReadonlyArray<readonly [string, string | null]>): Promise<void>;
}

/** `looked_up` newer than this many seconds counts as fresh; 0: never expires. */
export function ttlSeconds(ttlHours: number): number {
  return Math.round(ttlHours * 3600);
}

export function mysqlCache(conn: Connection, table: string, ttlHours: number): PersistentCache {
  const t = qid(table, 'DNS table name');
  const ttl = ttlSeconds(ttlHours);
  return {
    async read(addrs) {
      const out = new Map<string, string | null>();
      if (addrs.length === 0) return out;
      const [rows] = ttl === 0
        ? await conn.query(`SELECT addr, name FROM ${t} WHERE addr IN (?)`, [addrs])
        : await conn.query(`SELECT addr, name FROM ${t} WHERE addr IN (?) AND looked_up >= UTC_TIMESTAMP(6) - INTERVAL ? SECOND`, [addrs, ttl]);
      for (const r of rows as Array<{ addr: string; name: string | null }>) out.set(r.addr, r.name);
      return out;
    },
    async preload(max) {
      if (max <= 0) return null;
      const [est] = await conn.query(
        'SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
      const n = Number((est as Array<{ n: unknown }>)[0]?.n ?? Infinity);
      if (!(n <= max)) return null;
      // no ORDER BY (a filesort costs more than the read): if the estimate was low and the limit
      // cuts, `complete` is false and the rest is read in batches as usual
      const where = ttl === 0 ? '' : 'WHERE looked_up >= UTC_TIMESTAMP(6) - INTERVAL ? SECOND ';
      const [rows] = await conn.query({ sql: `SELECT addr, name FROM ${t} ${where}LIMIT ?`, rowsAsArray: true },
        ttl === 0 ? [max + 1] : [ttl, max + 1]);
      const list = rows as Array<[string, string | null]>;
      const complete = list.length <= max;
      if (!complete) list.length = max;
      return { entries: list, complete };
    },
    async write(entries) {
      if (entries.length === 0) return;
      const values = entries.map(() => '(?, ?, UTC_TIMESTAMP(6))').join(', ');
      const params: Array<string | null> = [];
      for (const [addr, name] of entries) params.push(addr, name);
      await conn.query(
        `INSERT INTO ${t} (addr, name, looked_up) VALUES ${values} ` +
          'ON DUPLICATE KEY UPDATE name = VALUES(name), looked_up = VALUES(looked_up)',
        params,
      );
    },
  };
}
