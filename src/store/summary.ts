// Summary tables of a log table, kept current by the loader (refreshSummaries after each
// committed batch) and read by the MySQL report engine (src/report/sql-engine.ts). Two kinds:
//
// Hourly rollups: rows counted per UTC hour and per combination of the filter dimensions.
//   <table>__r_if  hour, host, verdict, action, proto, lo, inv, in_if  (interfaces, timeline, hosts, heatmap, totals)
//   <table>__r_p   hour, host, verdict, action, proto, lo, inv, dpt    (ports, port-actions, busiest port)
//   <table>__r_inv hour, host, verdict, action, proto, lo, inv, src, dpt, of INVALID packets only
//                  (invalid: few rows, where the log table needs a row read per packet for its prefix)
// They answer those modules under any filter on their columns and any --since/--until (whole
// hours from the rollup, the partial hours at the edges from the log table's ts index).
//
// All-time tables keyed exactly by a module's groups, with a descending index on the count, so
// the top rows of an unfiltered report are an index read however many groups there are:
//   <table>__m_denied  src, dpt, action, proto (verdict deny)      cnt, min_id
//   <table>__m_invalid src, dpt, action, proto (INVALID packets)   cnt, min_id
//   <table>__m_icmp    src, dst, action, proto (ICMP, ICMPv6)      cnt
//   <table>__m_src     src                                         cnt, denied, cnt_ts, min_ts, max_ts
//   <table>__m_port    dpt, proto, action (verdict deny)           cnt
// each also keyed by lo (in or out interface lo), so that --no-local reads them too.
// (Per-source groups are as many as the packets of one-off sources: an hourly rollup by source
// is nearly as big as the log itself, measured, so source modules under filters read the log.)
//
// Hourly sets for scanners (sources that touched many ports or destinations in a window): one row
// per UTC hour, source and port, and per hour, source and destination, so that the distinct ports
// and destinations of a (source, hour) are a count of rows read in key order, not a COUNT(DISTINCT)
// over the packets. (Nearly as many rows as the log, as said above: kept for their order.)
//   <table>__s_port    hour, src, dpt (-1: no port, so every timed packet of a source counts)  cnt, min_ts, max_ts
//   <table>__s_dst     hour, src, dst                                                            cnt
//
// `<table>__r_meta` holds the watermark: the highest log id already counted and that row's
// ev_key. refreshSummaries adds the rows above the watermark (the loader only ever inserts new
// keys, so a re-import adds nothing twice); when the row at the watermark is gone or is another
// row (the table was cleared and reloaded), everything is rebuilt from scratch.
// Text columns use binary collations and '' / -1 for "absent", so that GROUP BY and ORDER BY
// agree byte for byte with the stream engine (the log table's text columns are case-insensitive).
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { DbSettings } from './options.js';
import { IDENT_RE, qid } from './ident.js';
import { registerTable } from './tables.js';

/** Bump when a rollup's definition changes: the rollups are then dropped and rebuilt. */
export const SUMMARY_VERSION = 7;

const EPOCH = "'1970-01-01 00:00:00'";
export const BIN = 'utf8mb4_bin';

/** SQL over the log table's columns giving each dimension as the rollups store it. */
export const RAW_EXPR = {
  h: `COALESCE(TIMESTAMPDIFF(HOUR, ${EPOCH}, \`ts\`), -1)`,
  host: `COALESCE(\`host\` COLLATE ${BIN}, '')`,
  verdict: '`verdict`',
  action: `COALESCE(\`action\` COLLATE ${BIN}, '')`,
  proto: `COALESCE(\`proto\` COLLATE ${BIN}, '')`,
  lo: `(COALESCE(\`in_if\` COLLATE ${BIN}, '') = 'lo' OR COALESCE(\`out_if\` COLLATE ${BIN}, '') = 'lo')`,
  inv: `(UPPER(COALESCE(\`prefix\` COLLATE ${BIN}, '')) LIKE '%INVALID%' OR UPPER(COALESCE(\`action\` COLLATE ${BIN}, '')) LIKE '%INVALID%')`,
  src: "COALESCE(`src`, '')",
  dst: "COALESCE(`dst`, '')",
  dpt: 'COALESCE(`dpt`, -1)',
  spt: 'COALESCE(`spt`, -1)',
  in_if: `COALESCE(\`in_if\` COLLATE ${BIN}, '')`,
  tsus: `TIMESTAMPDIFF(MICROSECOND, ${EPOCH}, \`ts\`)`,
} as const;
export type Dim = keyof typeof RAW_EXPR;

const DDL: Partial<Record<Dim, string>> = {
  h: 'INT NOT NULL',
  host: `VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${BIN} NOT NULL`,
  verdict: "ENUM('accept','deny','log') NOT NULL",
  action: `VARCHAR(64) CHARACTER SET utf8mb4 COLLATE ${BIN} NOT NULL`,
  proto: `VARCHAR(16) CHARACTER SET utf8mb4 COLLATE ${BIN} NOT NULL`,
  lo: 'TINYINT NOT NULL',
  inv: 'TINYINT NOT NULL',
  src: 'VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NOT NULL',
  dst: 'VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NOT NULL',
  dpt: 'INT NOT NULL',
  in_if: `VARCHAR(64) CHARACTER SET utf8mb4 COLLATE ${BIN} NOT NULL`,
};

const COMMON: Dim[] = ['h', 'host', 'verdict', 'action', 'proto', 'lo', 'inv'];
/** Hourly rollups, smallest first (the report engine takes the first that has what it needs). */
export const ROLLUPS = {
  r_if: [...COMMON, 'in_if'] as Dim[],
  r_p: [...COMMON, 'dpt'] as Dim[],
} as const;
/** The hourly rollup of INVALID packets alone (few: the invalid module over a time range). */
const INVALID_ROLLUP: Dim[] = [...COMMON, 'src', 'dpt'];
export type RollupName = keyof typeof ROLLUPS | 'r_inv';

type Agg = 'cnt' | 'min_id' | 'denied' | 'cnt_ts' | 'min_ts' | 'max_ts';
const AGG_SQL: Record<Agg, { ddl: string; sel: string; upd: string }> = {
  cnt: { ddl: 'BIGINT UNSIGNED NOT NULL', sel: 'COUNT(*)', upd: 'cnt = cnt + VALUES(cnt)' },
  min_id: { ddl: 'BIGINT UNSIGNED NOT NULL', sel: 'MIN(id)', upd: 'min_id = LEAST(min_id, VALUES(min_id))' },
  denied: { ddl: 'BIGINT UNSIGNED NOT NULL', sel: "SUM(`verdict` = 'deny')", upd: 'denied = denied + VALUES(denied)' },
  cnt_ts: { ddl: 'BIGINT UNSIGNED NOT NULL', sel: 'COUNT(`us`)', upd: 'cnt_ts = cnt_ts + VALUES(cnt_ts)' },
  min_ts: { ddl: 'BIGINT NULL', sel: 'MIN(`us`)', upd: 'min_ts = LEAST(COALESCE(min_ts, VALUES(min_ts)), COALESCE(VALUES(min_ts), min_ts))' },
  max_ts: { ddl: 'BIGINT NULL', sel: 'MAX(`us`)', upd: 'max_ts = GREATEST(COALESCE(max_ts, VALUES(max_ts)), COALESCE(VALUES(max_ts), max_ts))' },
};

interface SummaryDef { dims: Dim[]; aggs: Agg[]; where?: string; topIndex?: boolean }
export const ICMP_PROTOS = ['ICMP', 'ICMPV6', 'IPV6-ICMP'];
const IS_ICMP = `UPPER(COALESCE(\`proto\` COLLATE ${BIN}, '')) IN (${ICMP_PROTOS.map((p) => `'${p}'`).join(', ')})`;

/** Every summary table: suffix -> definition (`where` over the staging table's columns). */
export const SUMMARIES: Record<string, SummaryDef> = {
  r_if: { dims: ROLLUPS.r_if, aggs: ['cnt', 'min_ts', 'max_ts'] },
  r_p: { dims: ROLLUPS.r_p, aggs: ['cnt', 'min_ts', 'max_ts'] },
  r_inv: { dims: INVALID_ROLLUP, aggs: ['cnt', 'min_id', 'min_ts', 'max_ts'], where: '`inv` = 1' },
  m_denied: { dims: ['src', 'dpt', 'action', 'proto', 'lo'], aggs: ['cnt', 'min_id'], where: "`verdict` = 'deny' AND `src` <> ''", topIndex: true },
  m_invalid: { dims: ['src', 'dpt', 'action', 'proto', 'lo'], aggs: ['cnt', 'min_id'], where: "`inv` = 1 AND `src` <> ''", topIndex: true },
  m_icmp: { dims: ['src', 'dst', 'action', 'proto', 'lo'], aggs: ['cnt'], where: "`icmp` = 1 AND `src` <> '' AND `dst` <> ''", topIndex: true },
  m_src: { dims: ['src', 'lo'], aggs: ['cnt', 'denied', 'cnt_ts', 'min_ts', 'max_ts'], where: "`src` <> ''", topIndex: true },
  m_port: { dims: ['dpt', 'proto', 'action', 'lo'], aggs: ['cnt'], where: "`verdict` = 'deny' AND `dpt` >= 0" },
  s_port: { dims: ['h', 'src', 'dpt'], aggs: ['cnt', 'min_ts', 'max_ts'], where: "`src` <> '' AND `h` >= 0" },
  s_dst: { dims: ['h', 'src', 'dst'], aggs: ['cnt'], where: "`src` <> '' AND `h` >= 0 AND `dst` <> ''" },
};
export type SummaryName = keyof typeof SUMMARIES;
export const SUMMARY_COMMENT = 'ipta:summary:v1';

/** The summary tables' names for log table `table`, or undefined when the names would be too long. */
export function summaryTables(table: string): { meta: string; tables: Record<string, string> } | undefined {
  const tables = Object.fromEntries(Object.keys(SUMMARIES).map((k) => [k, `${table}__${k}`]));
  const meta = `${table}__r_meta`;
  return [meta, ...Object.values(tables)].every((n) => IDENT_RE.test(n)) ? { meta, tables } : undefined;
}

/** How many log ids one refresh statement covers (bounds the server's temporary tables). */
const CHUNK = Number(process.env.IPTA_SUMMARY_CHUNK) || 500_000;

async function one<T = RowDataPacket>(conn: Connection, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, params);
  return rows[0] as T | undefined;
}

/** Connections that already created the tables of a log table (skip 16 statements per batch). */
const created = new WeakMap<Connection, Set<string>>();

async function createRollups(conn: Connection, table: string): Promise<void> {
  const done = created.get(conn) ?? new Set<string>();
  created.set(conn, done);
  if (done.has(table)) return;
  const t = summaryTables(table)!;
  for (const [name, def] of Object.entries(SUMMARIES)) {
    const cols = [...def.dims.map((d) => `\`${d}\` ${DDL[d]}`), ...def.aggs.map((a) => `\`${a}\` ${AGG_SQL[a].ddl}`)];
    const keys = [`PRIMARY KEY (${def.dims.map((d) => `\`${d}\``).join(', ')})`];
    // lo first: --no-local reads `lo = 0` top-down; without it the two halves are merged (sql-engine.ts)
    if (def.topIndex) keys.push(`KEY \`ix_top\` (\`lo\`, \`cnt\` DESC, ${def.dims.filter((d) => d !== 'lo').map((d) => `\`${d}\``).join(', ')})`);
    // registered before it is created: a process stopped in between leaves no table ipta would
    // not own (a registered name without a table is simply not listed)
    await registerTable(conn, t.tables[name]!, 'summary');
    await conn.query(`CREATE TABLE IF NOT EXISTS ${qid(t.tables[name]!)} (${[...cols, ...keys].join(', ')}) ` +
      `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${BIN} COMMENT='${SUMMARY_COMMENT}'`);
  }
  await registerTable(conn, t.meta, 'summary');
  await conn.query(`CREATE TABLE IF NOT EXISTS ${qid(t.meta)} (\`one\` TINYINT NOT NULL PRIMARY KEY, \`version\` INT NOT NULL, ` +
    `\`id_w\` BIGINT UNSIGNED NOT NULL, \`key_w\` BINARY(16) NULL) ENGINE=InnoDB COMMENT='${SUMMARY_COMMENT}'`);
  done.add(table);
}

/** Drop the summary tables of `table` (call when the log table itself is dropped). */
export async function dropSummaries(conn: Connection, table: string): Promise<void> {
  const t = summaryTables(table);
  if (!t) return;
  for (const name of [...Object.values(t.tables), t.meta]) await conn.query(`DROP TABLE IF EXISTS ${qid(name)}`);
  created.get(conn)?.delete(table);
}

const STAGE = '`ipta_summary_stage`';
const STAGE_COLS: Dim[] = ['h', 'host', 'verdict', 'action', 'proto', 'lo', 'inv', 'src', 'dst', 'dpt', 'in_if'];

/**
 * Add log rows (lo, hi] to every summary table. The rows' dimensions are computed once into a
 * narrow temporary table, then each summary is grouped from it: one read of the wide log rows
 * instead of one per summary table.
 */
async function addRange(conn: Connection, table: string, lo: number, hi: number): Promise<void> {
  const t = summaryTables(table)!;
  await conn.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${STAGE} (\`id\` BIGINT UNSIGNED NOT NULL, \`us\` BIGINT NULL, ` +
    `${STAGE_COLS.map((d) => `\`${d}\` ${DDL[d]}`).join(', ')}, \`icmp\` TINYINT NOT NULL) ENGINE=InnoDB`);
  await conn.query(`DELETE FROM ${STAGE}`);
  await conn.query(`INSERT INTO ${STAGE} SELECT id, ${RAW_EXPR.tsus}, ${STAGE_COLS.map((d) => RAW_EXPR[d]).join(', ')}, ${IS_ICMP} ` +
    `FROM ${qid(table)} WHERE id > ? AND id <= ?`, [lo, hi]);
  for (const [name, def] of Object.entries(SUMMARIES)) {
    const dims = def.dims.map((d) => `\`${d}\``).join(', ');
    await conn.query(
      `INSERT INTO ${qid(t.tables[name]!)} (${dims}, ${def.aggs.join(', ')}) ` +
      `SELECT ${dims}, ${def.aggs.map((a) => AGG_SQL[a].sel).join(', ')} FROM ${STAGE}` +
      `${def.where ? ` WHERE ${def.where}` : ''} GROUP BY ${dims} ` +
      `ON DUPLICATE KEY UPDATE ${def.aggs.map((a) => AGG_SQL[a].upd).join(', ')}`);
  }
  await conn.query(`DELETE FROM ${STAGE}`);
}

export interface RefreshResult { watermark: number; added: number; rebuilt: boolean }

export interface RefreshOptions {
  /**
   * Skip the refresh while fewer than LAZY_ROWS rows wait and the last refresh of this table (in
   * this process) is less than LAZY_MS old: the loader calls after every batch, and fewer, larger
   * refreshes cost less. Default true; the report engine passes false (it needs every row).
   */
  lazy?: boolean;
}
const LAZY_ROWS = 100_000;
const LAZY_MS = 2_000;
const lastRefresh = new Map<string, number>();

/**
 * Bring the rollups of settings.table up to date (create them on first use). Serialised per
 * table with GET_LOCK, so the loader and a report never count the same rows twice.
 */
export async function refreshSummaries(conn: Connection, settings: DbSettings, opts: RefreshOptions = {}): Promise<RefreshResult | undefined> {
  const table = settings.table;
  const t = summaryTables(table);
  // IPTA_SUMMARIES=0: the loader leaves the summaries alone (the next report catches up)
  if (!t || (opts.lazy !== false && process.env.IPTA_SUMMARIES === '0')) return undefined;
  const stateKey = `${settings.host}:${settings.port}/${settings.database}.${table}`;
  const last = lastRefresh.get(stateKey);
  if (opts.lazy !== false && last !== undefined && Date.now() - last < LAZY_MS) {
    const w = await summaryWatermark(conn, table).catch(() => undefined);
    const top = await one(conn, `SELECT MAX(id) AS m FROM ${qid(table)}`);
    if (w !== undefined && Number(top?.m ?? 0) - w < LAZY_ROWS) return { watermark: w, added: 0, rebuilt: false };
  }
  const lockName = `ipta_sum:${settings.database}.${table}`;
  const got = await one(conn, 'SELECT GET_LOCK(?, 600) AS ok', [lockName]);
  if (!got || Number(got.ok) !== 1) throw new Error(`could not lock the summary tables of ${table}`);
  try {
    await createRollups(conn, table);
    const meta = await one(conn, `SELECT version, id_w, HEX(key_w) AS k FROM ${qid(t.meta)} WHERE one = 1`);
    let w = meta ? Number(meta.id_w) : 0;
    let valid = !!meta && Number(meta.version) === SUMMARY_VERSION;
    if (valid && w > 0) {
      const row = await one(conn, `SELECT HEX(ev_key) AS k FROM ${qid(table)} WHERE id = ?`, [w]);
      valid = !!row && row.k === meta!.k;
    }
    const rebuilt = !!meta && !valid;
    if (!valid) {
      if (meta && Number(meta.version) !== SUMMARY_VERSION) {
        await dropSummaries(conn, table);
        await createRollups(conn, table);
      }
      for (const name of Object.values(t.tables)) await conn.query(`TRUNCATE TABLE ${qid(name)}`);
      await conn.query(`REPLACE INTO ${qid(t.meta)} (one, version, id_w, key_w) VALUES (1, ?, 0, NULL)`, [SUMMARY_VERSION]);
      w = 0;
    }
    const top = await one(conn, `SELECT MAX(id) AS m FROM ${qid(table)}`);
    const max = top?.m === null || top?.m === undefined ? 0 : Number(top.m);
    const start = w;
    while (w < max) {
      const hi = Math.min(max, w + CHUNK);
      await conn.beginTransaction();
      try {
        try {
          await addRange(conn, table, w, hi);
        } catch (err) {
          // MariaDB sometimes loses an internal temporary file (errno 6, EE_DELETE) on a busy
          // machine; the statement is rolled back, so the chunk is simply tried again once
          if ((err as { errno?: number }).errno !== 6) throw err;
          await conn.rollback();
          await conn.beginTransaction();
          await addRange(conn, table, w, hi);
        }
        // the watermark row: the highest id <= hi that exists (ids may have gaps)
        const last = await one(conn, `SELECT id, ev_key FROM ${qid(table)} WHERE id <= ? ORDER BY id DESC LIMIT 1`, [hi]);
        if (last) await conn.query(`UPDATE ${qid(t.meta)} SET id_w = ?, key_w = ? WHERE one = 1`, [last.id, last.ev_key]);
        await conn.commit();
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        throw err;
      }
      w = hi;
    }
    lastRefresh.set(stateKey, Date.now());
    return { watermark: w, added: w - start, rebuilt };
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
  }
}

/** The watermark as committed (for the report engine, inside its snapshot). */
export async function summaryWatermark(conn: Connection, table: string): Promise<number | undefined> {
  const t = summaryTables(table);
  if (!t) return undefined;
  const m = await one(conn, `SELECT id_w FROM ${qid(t.meta)} WHERE one = 1 AND version = ?`, [SUMMARY_VERSION]).catch(() => undefined);
  return m ? Number(m.id_w) : undefined;
}
