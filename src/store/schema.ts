// The log table. Column names are a contract: the MySQL report engine writes SQL against them.
// One column per field that reports group or filter on; the whole record is kept in `rec` (JSON),
// so nothing ipta-parse found is lost. Works under STRICT_TRANS_TABLES,ONLY_FULL_GROUP_BY on
// MariaDB 10.11 and MySQL 8 (tested with that sql_mode).
import { qid } from './ident.js';

export interface ColumnDef {
  name: string;
  /** the column's SQL type and attributes */
  sql: string;
  /** longest text accepted, in characters (longer values are cut; the full value stays in rec) */
  maxChars?: number;
}

/** Columns in table order. Text widths: the kernel's interface names are <= 15 bytes, nftables
 *  prefixes <= 127; the widths below leave room and are enforced by the loader (see maxChars). */
export const LOG_COLUMNS: readonly ColumnDef[] = [
  { name: 'id', sql: 'BIGINT UNSIGNED NOT NULL AUTO_INCREMENT' },
  // the record's `key` (32 hex digits) as 16 bytes: UNHEX(key); HEX(ev_key) gives it back (upper case)
  { name: 'ev_key', sql: 'BINARY(16) NOT NULL' },
  // UTC; NULL when the source had no wall-clock time (e.g. dmesg uptime stamps only)
  { name: 'ts', sql: 'DATETIME(6) NULL' },
  { name: 'host', sql: 'VARCHAR(255) NULL', maxChars: 255 },
  { name: 'prefix', sql: 'VARCHAR(255) NULL', maxChars: 255 },
  { name: 'action', sql: 'VARCHAR(64) NULL', maxChars: 64 },
  { name: 'verdict', sql: "ENUM('accept','deny','log') NOT NULL" },
  { name: 'in_if', sql: 'VARCHAR(64) NULL', maxChars: 64 },
  { name: 'out_if', sql: 'VARCHAR(64) NULL', maxChars: 64 },
  { name: 'family', sql: 'TINYINT UNSIGNED NULL' },
  { name: 'src', sql: 'VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NULL', maxChars: 45 },
  { name: 'dst', sql: 'VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NULL', maxChars: 45 },
  { name: 'proto', sql: 'VARCHAR(16) NULL', maxChars: 16 },
  { name: 'spt', sql: 'SMALLINT UNSIGNED NULL' },
  { name: 'dpt', sql: 'SMALLINT UNSIGNED NULL' },
  { name: 'icmp_type', sql: 'TINYINT UNSIGNED NULL' },
  { name: 'icmp_code', sql: 'TINYINT UNSIGNED NULL' },
  { name: 'len', sql: 'INT UNSIGNED NULL' },
  // IPv4 TTL, or IPv6 HOPLIMIT
  { name: 'ttl', sql: 'TINYINT UNSIGNED NULL' },
  // the full record as ipta-parse wrote it (MariaDB: LONGTEXT with a json_valid check)
  { name: 'rec', sql: 'JSON NOT NULL' },
];

export interface IndexDef {
  name: string;
  /** column names, optionally with a prefix length: 'prefix(32)' */
  columns: string[];
  unique?: boolean;
}

/**
 * Secondary indexes of the log table. The report engine may extend this array (and only this
 * array); every index costs load speed, so each should serve a query that needs it.
 */
export const LOG_INDEXES: IndexDef[] = [
  // by time, and covering what the report groups a time range by (every column its relation reads
  // but prefix, spt and rec): `--since 24h` reads the index alone, not a row per packet (denied
  // over 1M rows: 1.2 s -> 0.35 s). ts first: rows come in time order, so inserts append to it.
  { name: 'ix_ts', columns: ['ts', 'verdict', 'src', 'dpt', 'action', 'proto', 'in_if', 'out_if', 'dst', 'host'] },
];

const COL_RE = /^([a-z_]+)(?:\((\d{1,3})\))?$/;

function indexSql(ix: IndexDef): string {
  const cols = ix.columns.map((c) => {
    const m = COL_RE.exec(c);
    if (!m || !LOG_COLUMNS.some((d) => d.name === m[1])) throw new Error(`LOG_INDEXES ${ix.name}: unknown column ${c}`);
    return m[2] ? `${qid(m[1]!, 'column')}(${m[2]})` : qid(m[1]!, 'column');
  });
  return `${ix.unique ? 'UNIQUE ' : ''}KEY ${qid(ix.name, 'index name')} (${cols.join(', ')})`;
}

/** Marker in the table COMMENT: ipta only ever deletes tables carrying it (and registered). */
export const LOG_TABLE_COMMENT = 'ipta:log:v1';
export const DNS_TABLE_COMMENT = 'ipta:dns:v1';
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** CREATE TABLE for a log table called `name` (validated). */
export function logTableSql(name: string, opts: { ifNotExists?: boolean; temporary?: boolean; indexes?: boolean } = {}): string {
  const defs = LOG_COLUMNS.map((c) => `  ${qid(c.name, 'column')} ${c.sql}`);
  defs.push('  PRIMARY KEY (`id`)', '  UNIQUE KEY `ux_ev_key` (`ev_key`)');
  if (opts.indexes !== false) for (const ix of LOG_INDEXES) defs.push('  ' + indexSql(ix));
  return `CREATE ${opts.temporary ? 'TEMPORARY ' : ''}TABLE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${qid(name)} (\n` +
    `${defs.join(',\n')}\n) ${TABLE_OPTIONS} COMMENT='${LOG_TABLE_COMMENT}'`;
}

/** The DNS cache table: address, name (NULL: no PTR record, a cached negative answer), lookup time. */
export function dnsTableSql(name: string, opts: { ifNotExists?: boolean } = {}): string {
  return `CREATE TABLE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${qid(name)} (\n` +
    '  `addr` VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,\n' +
    '  `name` VARCHAR(255) NULL,\n' +
    '  `looked_up` DATETIME(6) NOT NULL,\n' +
    '  PRIMARY KEY (`addr`),\n' +
    '  KEY `ix_looked_up` (`looked_up`)\n' +
    `) ${TABLE_OPTIONS} COMMENT='${DNS_TABLE_COMMENT}'`;
}

/** Column names the loader fills, in the order of the TSV / VALUES it sends (id is automatic). */
export const LOAD_COLUMNS: readonly string[] = LOG_COLUMNS.filter((c) => c.name !== 'id').map((c) => c.name);
