// A real MariaDB/MySQL for the tests: each test file gets its own database, dropped at the end.
// Where no server answers, the test fails with a message saying how to start one.
import mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';

export const DB_HOST = process.env.IPTA_TEST_DB_HOST ?? '127.0.0.1';
export const DB_PORT = Number(process.env.IPTA_TEST_DB_PORT ?? 3306);
export const DB_USER = process.env.IPTA_TEST_DB_USER ?? 'root';
export const DB_PASS = process.env.IPTA_TEST_DB_PASS ?? '';

export const HOW_TO_START =
  `no MariaDB/MySQL server answers on ${DB_HOST}:${DB_PORT} as ${DB_USER}. Start one with ` +
  `'bash .ci/run' (installs and starts MariaDB) or 'start-stop-daemon --start --oknodo --background ` +
  `--exec /usr/sbin/mariadbd', or point IPTA_TEST_DB_HOST/PORT/USER/PASS at a server.`;

export interface TestDb {
  name: string;
  /** connection options for the test database (as objects mysql2 takes) */
  options: { host: string; port: number; user: string; password: string; database: string };
  /** command-line flags that point an ipta command at the test database */
  flags: string[];
  conn: mysql.Connection;
  drop(): Promise<void>;
}

/** Create a fresh database `ipta_test_<random>` and connect to it. */
export async function createTestDb(prefix = 'ipta_test'): Promise<TestDb> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ host: DB_HOST, port: DB_PORT, user: DB_USER, password: DB_PASS, connectTimeout: 5000 });
  } catch (err) {
    throw new Error(`${HOW_TO_START} (${(err as Error).message})`);
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const options = { host: DB_HOST, port: DB_PORT, user: DB_USER, password: DB_PASS, database: name };
  const conn = await mysql.createConnection({ ...options, multipleStatements: false });
  return {
    name,
    options,
    flags: ['--db-host', DB_HOST, '--db-port', String(DB_PORT), '--db-user', DB_USER, '--db-pass', DB_PASS, '--db-name', name],
    conn,
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
