// A throwaway MariaDB server for tests that must kill one: its own data directory (made by
// mariadb-install-db in a temp dir), its own port and socket, no grant checks. The data
// directory and the process are removed however the test ends (also on process exit).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

export interface ScratchServer {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly running: boolean;
  /** (re)start mariadbd on the same data directory and port; resolves once it answers */
  start(): Promise<void>;
  /** send a signal (default SIGKILL: no shutdown, as a crash) and wait until the process is gone */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** kill (if running) and delete the data directory */
  destroy(): Promise<void>;
  /** a root connection (no password: grant tables are skipped) */
  connect(database?: string): Promise<mysql.Connection>;
  /** flags pointing an ipta command at this server and `database` */
  flags(database: string): string[];
  /** the server's error log, for failure messages */
  log(): Promise<string>;
}

function findBin(names: string[]): string | undefined {
  for (const n of names) {
    for (const d of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
      if (existsSync(join(d, n))) return join(d, n);
    }
  }
  return undefined;
}

const live = new Set<{ child: ChildProcess | null; dir: string }>();
process.on('exit', () => {
  for (const s of live) {
    try { s.child?.kill('SIGKILL'); } catch { /* gone */ }
    try { rmSync(s.dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});

async function answers(port: number): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Install a fresh data directory and start a server on port 3407 + random. */
export async function startScratchServer(opts: { sqlMode?: string } = {}): Promise<ScratchServer> {
  const mariadbd = findBin(['mariadbd', 'mysqld']);
  const installDb = findBin(['mariadb-install-db', 'mysql_install_db']);
  if (!mariadbd || !installDb) {
    throw new Error('mariadbd / mariadb-install-db not found: install mariadb-server (bash .ci/run does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'ipta-mariadb-'));
  const state: { child: ChildProcess | null; dir: string } = { child: null, dir };
  live.add(state);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  try {
    await run(installDb, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db',
      ...(asRoot ? ['--user=root'] : [])], { timeout: 60_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    live.delete(state);
    throw new Error(`mariadb-install-db failed: ${(err as Error).message}`);
  }
  let port = 0;
  let exited: Promise<void> = Promise.resolve();

  const server: ScratchServer = {
    host: '127.0.0.1',
    get port() { return port; },
    dir,
    get running() { return state.child !== null; },
    async start() {
      if (state.child) return;
      for (let attempt = 0; attempt < 5; attempt++) {
        port ||= 3407 + Math.floor(Math.random() * 20_000);
        const child = spawn(mariadbd, [
          '--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1',
          `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`,
          '--skip-grant-tables', '--skip-name-resolve', '--local-infile=1',
          '--innodb-buffer-pool-size=64M', '--innodb-log-file-size=32M', '--max-connections=20',
          `--log-error=${join(dir, 'error.log')}`,
          // its own tmpdir: at start-up mariadbd deletes the #sql* files in its tmpdir, which in
          // /tmp are the shared server's temporary tables (its queries then fail with errno 6)
          `--tmpdir=${dir}`,
          ...(opts.sqlMode !== undefined ? [`--sql-mode=${opts.sqlMode}`] : []),
          ...(asRoot ? ['--user=root'] : []),
        ], { stdio: 'ignore' });
        state.child = child;
        exited = new Promise((resolve) => child.once('exit', () => { if (state.child === child) state.child = null; resolve(); }));
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && state.child === child) {
          if (await answers(port)) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (state.child === child) {
          await server.kill();
          throw new Error(`mariadbd did not answer on port ${port} within 30 s:\n${await server.log()}`);
        }
        // it exited: most likely the port was taken; try another one (only before the first success)
        if (attempt === 4) throw new Error(`mariadbd would not start:\n${await server.log()}`);
        port = 0;
      }
    },
    async kill(signal = 'SIGKILL') {
      const child = state.child;
      if (!child) return;
      child.kill(signal);
      await exited;
      state.child = null;
    },
    async destroy() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
      live.delete(state);
    },
    connect(database?: string) {
      return mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database, connectTimeout: 5000 });
    },
    flags(database: string) {
      return ['--db-host', '127.0.0.1', '--db-port', String(port), '--db-user', 'root', '--db-name', database];
    },
    async log() {
      try {
        const { readFile } = await import('node:fs/promises');
        return (await readFile(join(dir, 'error.log'), 'utf8')).split('\n').slice(-30).join('\n');
      } catch {
        return '(no error log)';
      }
    },
  };
  try {
    await server.start();
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}
