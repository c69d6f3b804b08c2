// Database settings from defaults, ~/.ipta, environment and flags, and the one place that opens
// a connection. Precedence: defaults < config file < environment < command line.
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import { readConfigFile, type ConfigValues } from '../config/config-file.js';
import { DB_DEFAULTS, type DbSettings } from './options.js';
import { checkIdentifier } from './ident.js';

export type { DbSettings } from './options.js';

/** The flags withDbOptions adds, as yargs hands them over (camelCase or dashed). */
type DbArgv = Record<string, unknown>;

function pick(argv: DbArgv, name: string): unknown {
  const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return argv[name] ?? argv[camel];
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return str(v[v.length - 1]);
  return String(v);
}

function port(v: unknown, where: string): number | undefined {
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${where}: port must be 1-65535, got ${JSON.stringify(s)}`);
  return n;
}

/** mysql://user:pass@host:port/db (also mariadb://). Parts left out keep their earlier value. */
export function parseDbUrl(url: string): Partial<DbSettings> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--db: not a URL: ${JSON.stringify(url)} (expected mysql://user:pass@host:port/db)`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new UsageError(`--db: scheme must be mysql:// or mariadb://, got ${JSON.stringify(u.protocol)}`);
  }
  const out: Partial<DbSettings> = {};
  if (u.hostname) out.host = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) out.port = port(u.port, '--db');
  if (u.username) out.user = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  const socket = u.searchParams.get('socket');
  if (socket) out.socket = socket;
  const ssl = u.searchParams.get('ssl');
  if (ssl !== null) out.ssl = ssl !== 'false' && ssl !== '0';
  return out;
}

function fromConfig(c: ConfigValues): Partial<DbSettings> {
  const out: Partial<DbSettings> = {};
  if (c.db_host !== undefined) out.host = c.db_host;
  if (c.db_port !== undefined) out.port = port(c.db_port, 'config file db_port');
  if (c.db_socket !== undefined) out.socket = c.db_socket;
  if (c.db_user !== undefined) out.user = c.db_user;
  if (c.db_pass !== undefined) out.password = c.db_pass;
  if (c.db_name !== undefined) out.database = c.db_name;
  if (c.db_table !== undefined) out.table = c.db_table;
  if (c.dns_table !== undefined) out.dnsTable = c.dns_table;
  if (c.db_ssl !== undefined) out.ssl = c.db_ssl;
  if (c.db_ssl_ca !== undefined) out.sslCa = c.db_ssl_ca;
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv): Partial<DbSettings> {
  const out: Partial<DbSettings> = {};
  if (env.IPTA_DB_HOST) out.host = env.IPTA_DB_HOST;
  if (env.IPTA_DB_PORT) out.port = port(env.IPTA_DB_PORT, 'IPTA_DB_PORT');
  if (env.IPTA_DB_SOCKET) out.socket = env.IPTA_DB_SOCKET;
  if (env.IPTA_DB_USER) out.user = env.IPTA_DB_USER;
  // MYSQL_PWD is the mysql client's own variable; IPTA_DB_PASS wins when both are set.
  if (env.MYSQL_PWD !== undefined) out.password = env.MYSQL_PWD;
  if (env.IPTA_DB_PASS !== undefined) out.password = env.IPTA_DB_PASS;
  if (env.IPTA_DB_NAME) out.database = env.IPTA_DB_NAME;
  if (env.IPTA_DB_TABLE) out.table = env.IPTA_DB_TABLE;
  if (env.IPTA_DNS_TABLE) out.dnsTable = env.IPTA_DNS_TABLE;
  return out;
}

function fromFlags(argv: DbArgv, env: NodeJS.ProcessEnv): Partial<DbSettings> {
  const out: Partial<DbSettings> = {};
  const url = str(pick(argv, 'db'));
  if (url) {
    const u = parseDbUrl(url);
    // mysql://root@host/db names a user without a password: that user's password is empty,
    // unless the environment supplies one (a password is best kept out of the URL)
    if (u.user !== undefined && u.password === undefined) u.password = env.IPTA_DB_PASS ?? env.MYSQL_PWD ?? '';
    Object.assign(out, u);
  }
  const host = str(pick(argv, 'db-host'));
  if (host) out.host = host;
  const p = port(pick(argv, 'db-port'), '--db-port');
  if (p !== undefined) out.port = p;
  const socket = str(pick(argv, 'db-socket'));
  if (socket) out.socket = socket;
  const user = str(pick(argv, 'db-user'));
  if (user) out.user = user;
  const pass = str(pick(argv, 'db-pass'));
  if (pass !== undefined) out.password = pass;
  const name = str(pick(argv, 'db-name'));
  if (name) out.database = name;
  const table = str(pick(argv, 'db-table'));
  if (table) out.table = table;
  const dns = str(pick(argv, 'dns-table'));
  if (dns) out.dnsTable = dns;
  const ssl = pick(argv, 'db-ssl');
  if (ssl !== undefined) out.ssl = Boolean(ssl);
  const ca = str(pick(argv, 'db-ssl-ca'));
  if (ca) {
    out.sslCa = ca;
    out.ssl ??= true;
  }
  return out;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** the config file's values (default: readConfigFile()) */
  config?: ConfigValues;
  /** warn about --db-pass on stderr (default true) */
  warn?: boolean;
}

/**
 * The database settings for this run. `argv` is the parsed command line (flags of withDbOptions).
 * Table names are validated here so a hostile name never reaches SQL.
 */
export function resolveDbSettings(argv: DbArgv = {}, opts: ResolveOptions = {}): DbSettings {
  const env = opts.env ?? process.env;
  const settings: DbSettings = {
    ...DB_DEFAULTS,
    ...fromConfig(opts.config ?? readConfigFile()),
    ...fromEnv(env),
    ...fromFlags(argv, env),
  };
  const urlHasPass = (() => {
    const url = str(pick(argv, 'db'));
    try { return url ? new URL(url).password !== '' : false; } catch { return false; }
  })();
  if ((pick(argv, 'db-pass') !== undefined || urlHasPass) && opts.warn !== false) {
    diag().warn('warning: a password on the command line is visible in the process list; prefer IPTA_DB_PASS or ~/.ipta');
  }
  checkIdentifier(settings.table, 'table name');
  checkIdentifier(settings.dnsTable, 'DNS table name');
  return settings;
}

/** Where we tried to connect, for messages: `localhost:3306 as user ipta`. */
export function describeTarget(s: DbSettings): string {
  const where = s.socket ? `socket ${s.socket}` : `${s.host}:${s.port}`;
  return `${where} as user ${s.user}`;
}

/** mysql2 options for these settings (shared by every connection ipta opens). */
export function connectionOptions(s: DbSettings): ConnectionOptions {
  const o: ConnectionOptions = {
    user: s.user,
    password: s.password,
    database: s.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 10_000,
    multipleStatements: false,
  };
  if (s.socket) o.socketPath = s.socket;
  else {
    o.host = s.host;
    o.port = s.port;
  }
  if (s.ssl || s.sslCa) {
    let ca: string | undefined;
    if (s.sslCa) {
      try {
        ca = readFileSync(s.sslCa, 'utf8');
      } catch (err) {
        throw new RuntimeError(`cannot read the TLS CA file ${s.sslCa}: ${(err as Error).message}`);
      }
    }
    o.ssl = ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: true };
  }
  return o;
}

/** Explain a connection failure: what happened, where, and what to check. */
export function connectError(s: DbSettings, err: unknown): RuntimeError {
  const e = err as { code?: string; errno?: number; message?: string };
  const target = describeTarget(s);
  const msg = e?.message ?? String(err);
  let hint: string;
  if (e?.code === 'ER_ACCESS_DENIED_ERROR' || e?.code === 'ER_DBACCESS_DENIED_ERROR' || e?.errno === 1045 || e?.errno === 1044) {
    hint = `check the credentials (--db-user, IPTA_DB_PASS or ~/.ipta) and the grants: see README "MySQL setup" ` +
      `(CREATE USER 'ipta'@'localhost' IDENTIFIED BY '...'; GRANT ALL ON ipta.* TO 'ipta'@'localhost')`;
  } else if (e?.code === 'ER_BAD_DB_ERROR' || e?.errno === 1049) {
    hint = `the database ${JSON.stringify(s.database)} does not exist: CREATE DATABASE \`${s.database}\` CHARACTER SET utf8mb4; or choose one with --db-name`;
  } else {
    hint = `check: is the server running (for the tests, 'bash .ci/run' starts one)? ` +
      `are host and port right (--db-host, --db-port, --db-socket, --db)? ` +
      `are the credentials right (--db-user, IPTA_DB_PASS, ~/.ipta)?`;
  }
  return new RuntimeError(`cannot connect to MySQL/MariaDB at ${target}: ${msg}`, 1, hint);
}

/** Open a connection, or fail with one clear RuntimeError (exit 1) naming host, port and user. */
export async function connect(settings: DbSettings, extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
  const opts = { ...connectionOptions(settings), ...extra };
  try {
    return await mysql.createConnection(opts);
  } catch (err) {
    throw connectError(settings, err);
  }
}
