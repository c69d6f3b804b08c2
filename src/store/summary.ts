// Summary tables ("rollups") of a log table, kept current by the loader and read by the MySQL
// report engine (src/report/sql-engine.ts). Each rollup counts the log rows per UTC hour and per
// combination of the dimensions the report groups or filters on:
//   <table>__r_sp  hour, host, verdict, action, proto, lo, inv, src, dpt   (most modules)
//   <table>__r_sd  hour, host, verdict, action, proto, lo, inv, src, dst   (icmp, scanners)
//   <table>__r_if  hour, host, verdict, action, proto, lo, inv, in_if      (interfaces)
// with cnt, the lowest id (the representative row) and the first/last time in microseconds.
// `<table>__r_meta` holds the watermark: the highest log id already counted and that row's
// ev_key. refreshSummaries adds the rows above the watermark (the loader only ever inserts new
// keys, so a re-import adds nothing twice); when the row at the watermark is gone or is another
// row (the table was cleared and reloaded), the rollups are rebuilt from scratch.
// Text dimensions use binary collations and '' / -1 for "absent", so that GROUP BY and ORDER BY
// agree byte for byte with the stream engine (the log table's text columns are case-insensitive).
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { DbSettings } from './options.js';
import { IDENT_RE, qid } from './ident.js';
import { registerTable } from './tables.js';

/** Bump when a rollup's definition changes: the rollups are then dropped and rebuilt. */
export const SUMMARY_VERSION = 1;

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
export const ROLLUPS = {
  r_sp: [...COMMON, 'src', 'dpt'] as Dim[],
  r_sd: [...COMMON, 'src', 'dst'] as Dim[],
  r_if: [...COMMON, 'in_if'] as Dim[],
} as const;
export type RollupName = keyof typeof ROLLUPS;
export const SUMMARY_COMMENT = 'ipta:summary:v1';

/** The rollup tables' names for log table `table`, or undefined when the names would be too long. */
export function summaryTables(table: string): { meta: string; rollups: Record<RollupName, string> } | undefined {
  const names = { meta: `${table}__r_meta`, rollups: { r_sp: `${table}__r_sp`, r_sd: `${table}__r_sd`, r_if: `${table}__r_if` } };
  return IDENT_RE.test(names.meta) && IDENT_RE.test(names.rollups.r_sp) ? names : undefined;
}

/** How many log ids one refresh statement covers (bounds the server's temporary tables). */
const CHUNK = 250_000;

async function one<T = RowDataPacket>(conn: Connection, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, params);
  return rows[0] as T | undefined;
}

async function createRollups(conn: Connection, table: string): Promise<void> {
  const t = summaryTables(table)!;
  for (const [name, dims] of Object.entries(ROLLUPS) as [RollupName, Dim[]][]) {
    const cols = dims.map((d) => `\`${d}\` ${DDL[d]}`);
    await conn.query(`CREATE TABLE IF NOT EXISTS ${qid(t.rollups[name])} (${cols.join(', ')}, ` +
      '`cnt` BIGINT UNSIGNED NOT NULL, `min_id` BIGINT UNSIGNED NOT NULL, `min_ts` BIGINT NULL, `max_ts` BIGINT NULL, ' +
      `PRIMARY KEY (${dims.map((d) => `\`${d}\``).join(', ')})) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${BIN} COMMENT='${SUMMARY_COMMENT}'`);
    await registerTable(conn, t.rollups[name], 'summary');
  }
  await conn.query(`CREATE TABLE IF NOT EXISTS ${qid(t.meta)} (\`one\` TINYINT NOT NULL PRIMARY KEY, \`version\` INT NOT NULL, ` +
    `\`id_w\` BIGINT UNSIGNED NOT NULL, \`key_w\` BINARY(16) NULL) ENGINE=InnoDB COMMENT='${SUMMARY_COMMENT}'`);
  await registerTable(conn, t.meta, 'summary');
}

/** Drop the rollups of `table` (call when the log table itself is dropped). */
export async function dropSummaries(conn: Connection, table: string): Promise<void> {
  const t = summaryTables(table);
  if (!t) return;
  for (const name of [...Object.values(t.rollups), t.meta]) await conn.query(`DROP TABLE IF EXISTS ${qid(name)}`);
}

/** Add log rows (lo, hi] to every rollup. */
async function addRange(conn: Connection, table: string, lo: number, hi: number): Promise<void> {
  const t = summaryTables(table)!;
  for (const [name, dims] of Object.entries(ROLLUPS) as [RollupName, Dim[]][]) {
    const sel = dims.map((d) => `${RAW_EXPR[d]} AS \`${d}\``).join(', ');
    await conn.query(
      `INSERT INTO ${qid(t.rollups[name])} (${dims.map((d) => `\`${d}\``).join(', ')}, cnt, min_id, min_ts, max_ts) ` +
      `SELECT ${sel}, COUNT(*), MIN(id), MIN(${RAW_EXPR.tsus}), MAX(${RAW_EXPR.tsus}) FROM ${qid(table)} ` +
      `WHERE id > ? AND id <= ? GROUP BY ${dims.map((d) => `\`${d}\``).join(', ')} ` +
      'ON DUPLICATE KEY UPDATE cnt = cnt + VALUES(cnt), min_id = LEAST(min_id, VALUES(min_id)), ' +
      'min_ts = LEAST(min_ts, VALUES(min_ts)), max_ts = GREATEST(max_ts, VALUES(max_ts))',
      [lo, hi]);
  }
}

export interface RefreshResult { watermark: number; added: number; rebuilt: boolean }

/**
 * Bring the rollups of settings.table up to date (create them on first use). Serialised per
 * table with GET_LOCK, so the loader and a report never count the same rows twice.
 */
export async function refreshSummaries(conn: Connection, settings: DbSettings): Promise<RefreshResult | undefined> {
  const table = settings.table;
  const t = summaryTables(table);
  if (!t) return undefined;
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
      for (const name of Object.values(t.rollups)) await conn.query(`DELETE FROM ${qid(name)}`);
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
        await addRange(conn, table, w, hi);
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
