// Database settings shared by every command that talks to MySQL/MariaDB (load, report, rdns, ipta).
// Precedence: defaults < config file (~/.ipta) < environment < command line; resolved by
// resolveDbSettings (src/store/connect.ts).
import type { Argv } from 'yargs';
import { readConfigFile } from '../config/config-file.js';

export interface DbSettings {
  host: string;
  port: number;
  socket?: string;
  user: string;
  password: string;
  database: string;
  table: string;
  dnsTable: string;
  ssl?: boolean;
  sslCa?: string;
}

/** The original tool's defaults. */
export const DB_DEFAULTS: DbSettings = {
  host: 'localhost', port: 3306, user: 'ipta', password: 'ipta', database: 'ipta', table: 'logs', dnsTable: 'dns',
};

/** Add the database flags to a yargs command line (grouped under "Database:"). */
export function withDbOptions<T>(y: Argv<T>) {
  return y
    .option('db', { type: 'string', describe: 'database URL mysql://user[:pass]@host[:port]/db (parts not given keep their value)', group: 'Database:' })
    .option('db-host', { type: 'string', describe: 'server host (default localhost; env IPTA_DB_HOST)', group: 'Database:' })
    .option('db-port', { type: 'number', describe: 'server port (default 3306; env IPTA_DB_PORT)', group: 'Database:' })
    .option('db-socket', { type: 'string', describe: 'unix socket path, instead of host and port (env IPTA_DB_SOCKET)', group: 'Database:' })
    .option('db-user', { type: 'string', describe: 'user (default ipta; env IPTA_DB_USER)', group: 'Database:' })
    .option('db-pass', { type: 'string', describe: 'password (visible in the process list: prefer env IPTA_DB_PASS or MYSQL_PWD, or ~/.ipta)', group: 'Database:' })
    .option('db-name', { type: 'string', describe: 'database (default ipta; env IPTA_DB_NAME)', group: 'Database:' })
    .option('db-table', { type: 'string', describe: 'log table (default logs; env IPTA_DB_TABLE)', group: 'Database:' })
    .option('dns-table', { type: 'string', describe: 'DNS cache table (default dns; env IPTA_DNS_TABLE)', group: 'Database:' })
    .option('db-ssl', { type: 'boolean', describe: 'connect with TLS', group: 'Database:' })
    .option('db-ssl-ca', { type: 'string', describe: 'CA file for TLS', group: 'Database:' });
}
