// Table lifecycle: create, clear, list, delete. ipta records every table it creates in a registry
// table (`ipta_tables`) and marks it with a COMMENT ('ipta:log:v1'...): delete-all drops only
// tables that carry both, so nothing else in the database is ever touched.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { RuntimeError } from '../cli/errors.js';
import { checkIdentifier, qid } from './ident.js';
import { dropSummaries } from './summary.js';
import { DNS_TABLE_COMMENT, LOG_TABLE_COMMENT, dnsTableSql, logTableSql } from './schema.js';

export const REGISTRY_TABLE = 'ipta_tables';
export type TableKind = 'log' | 'dns' | 'summary';

export interface CreateResult { table: string; created: boolean }
export interface TableInfo {
  table: string;
  /** 'log', 'dns', 'summary' for ipta's tables, null for anything else in the database */
  kind: TableKind | null;
  rows: number;
}

async function ensureRegistry(conn: Connection): Promise<void> {
  await conn.query(
    `CREATE TABLE IF NOT EXISTS ${qid(REGISTRY_TABLE)} (\n` +
    '  `name` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,\n' +
    "  `kind` ENUM('log','dns','summary') NOT NULL,\n" +
    '  `created` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)\n' +
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='ipta:registry:v1'",
  );
}

/** Record that ipta created `name` (for summary tables the report engine creates, too). */
export async function registerTable(conn: Connection, name: string, kind: TableKind): Promise<void> {
  checkIdentifier(name);
  await ensureRegistry(conn);
  await conn.query(`INSERT INTO ${qid(REGISTRY_TABLE)} (name, kind) VALUES (?, ?) ON DUPLICATE KEY UPDATE kind = VALUES(kind)`, [name, kind]);
}

/** True when a table (or view) of that name exists in the current database. */
export async function tableExists(conn: Connection, name: string): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [checkIdentifier(name)]);
  return rows.length > 0;
}

async function tableComment(conn: Connection, name: string): Promise<string | undefined> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [name]);
  return rows.length ? String(rows[0]!.c ?? '') : undefined;
}

async function create(conn: Connection, name: string, kind: 'log' | 'dns', sql: string, marker: string): Promise<CreateResult> {
  checkIdentifier(name);
  const before = await tableComment(conn, name);
  if (before !== undefined) {
    if (before !== marker) {
      throw new RuntimeError(`table ${name} already exists and is not an ipta ${kind} table (comment ${JSON.stringify(before)}); choose another name`);
    }
    await registerTable(conn, name, kind);
    return { table: name, created: false };
  }
  // registered first: a process stopped in between leaves no table ipta would not own
  await registerTable(conn, name, kind);
  await conn.query(sql);
  return { table: name, created: true };
}

/** CREATE the log table `name` unless it exists ({created: false} then: "already exists"). */
export function createLogTable(conn: Connection, name: string): Promise<CreateResult> {
  return create(conn, name, 'log', logTableSql(name, { ifNotExists: true }), LOG_TABLE_COMMENT);
}

/** CREATE the DNS cache table `name` (addr, name, looked_up) unless it exists. */
export function createDnsTable(conn: Connection, name: string): Promise<CreateResult> {
  return create(conn, name, 'dns', dnsTableSql(name, { ifNotExists: true }), DNS_TABLE_COMMENT);
}

async function registry(conn: Connection): Promise<Map<string, TableKind>> {
  if (!(await tableExists(conn, REGISTRY_TABLE))) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT name, kind FROM ${qid(REGISTRY_TABLE)}`);
  return new Map(rows.map((r) => [String(r.name), r.kind as TableKind]));
}

async function mustBeIptaTable(conn: Connection, name: string): Promise<TableKind> {
  checkIdentifier(name);
  const comment = await tableComment(conn, name);
  if (comment === undefined) throw new RuntimeError(`table ${name} does not exist`);
  const kind = (await registry(conn)).get(name);
  if (!kind || !comment.startsWith('ipta:')) {
    throw new RuntimeError(`table ${name} was not created by ipta; refusing to change it`);
  }
  return kind;
}

/** Remove every row of one of ipta's tables (TRUNCATE); returns how many rows it had. */
export async function clearTable(conn: Connection, name: string): Promise<number> {
  await mustBeIptaTable(conn, name);
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${qid(name)}`);
  await conn.query(`TRUNCATE TABLE ${qid(name)}`);
  return Number(rows[0]!.n);
}

/** Every base table of the current database with its exact row count and ipta kind. */
export async function listTables(conn: Connection): Promise<TableInfo[]> {
  const reg = await registry(conn);
  const [rows] = await conn.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS t, TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
  const out: TableInfo[] = [];
  for (const r of rows) {
    const table = String(r.t);
    if (table === REGISTRY_TABLE) continue;
    const kind = reg.get(table) && String(r.c ?? '').startsWith('ipta:') ? reg.get(table)! : null;
    // names come from the server, but still only plain identifiers are counted (others: -1)
    let n = -1;
    if (/^[A-Za-z0-9_]{1,64}$/.test(table)) {
      const [c] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${qid(table)}`);
      n = Number(c[0]!.n);
    }
    out.push({ table, kind, rows: n });
  }
  return out;
}

/** DROP one of ipta's tables (never a table ipta did not create). */
export async function deleteTable(conn: Connection, name: string): Promise<void> {
  await mustBeIptaTable(conn, name);
  await dropSummaries(conn, name); // the report engine's `<name>__*` tables go with it
  await conn.query(`DROP TABLE ${qid(name)}`);
  await conn.query(`DELETE FROM ${qid(REGISTRY_TABLE)} WHERE name = ?`, [name]);
}

/** The tables deleteAllTables would drop: registered by ipta and carrying ipta's COMMENT. */
export async function iptaTables(conn: Connection): Promise<TableInfo[]> {
  return (await listTables(conn)).filter((t) => t.kind !== null);
}

/** DROP every table ipta created in this database, then the registry; returns their names. */
export async function deleteAllTables(conn: Connection): Promise<string[]> {
  const mine = await iptaTables(conn);
  for (const t of mine) {
    await conn.query(`DROP TABLE ${qid(t.table)}`);
    await conn.query(`DELETE FROM ${qid(REGISTRY_TABLE)} WHERE name = ?`, [t.table]);
  }
  if (await tableExists(conn, REGISTRY_TABLE)) await conn.query(`DROP TABLE ${qid(REGISTRY_TABLE)}`);
  return mine.map((t) => t.table);
}
