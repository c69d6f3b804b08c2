// ipta-rdns's flags (also offered by the `ipta` wrapper) and their translation into RdnsOptions.
import type { Argv } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { resolveDbSettings } from '../store/connect.js';
import { withDbOptions } from '../store/options.js';
import type { DbSettings } from '../store/options.js';
import { parseDnsServers } from './lookup.js';
import { DEFAULT_PRELOAD_AFTER, PRELOAD_MAX_ROWS } from './rdns-engine.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, DEFAULT_TTL_HOURS, type RdnsOptions } from './rdns-stream.js';

export const RDNS_FIELDS = ['src', 'dst'] as const;

/** The lookup and cache flags (group "Reverse DNS:") and the DNS table maintenance flags. */
export function withRdnsOptions<T>(y: Argv<T>) {
  return y
    .option('dns-server', { type: 'string', describe: 'DNS server(s) to ask: HOST[:PORT] (an IP address, or a name looked up once), [IPV6]:PORT, comma-separated (default: the system resolvers of /etc/resolv.conf)', group: 'Reverse DNS:' })
    .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_MS, describe: 'milliseconds to wait for one answer; a record never waits longer for a name', group: 'Reverse DNS:' })
    .option('concurrency', { type: 'number', default: DEFAULT_CONCURRENCY, describe: 'lookups in flight at most', group: 'Reverse DNS:' })
    .option('rdns-fields', { type: 'string', default: 'src,dst', describe: 'address fields to resolve (src, dst; comma-separated); each gets <field>_name', group: 'Reverse DNS:' })
    .option('cache', { choices: ['auto', 'memory', 'mysql'] as const, default: 'auto' as const, describe: 'where answers are cached: memory (this run only), mysql (also the DNS table, across runs); auto: mysql when any --db* or --dns-table flag is given, else memory', group: 'Reverse DNS:' })
    .option('cache-preload', { type: 'number', default: DEFAULT_PRELOAD_AFTER, describe: `with the MySQL cache: once this many addresses were looked up in the DNS table, read the rest of it in one query (if it holds at most ${PRELOAD_MAX_ROWS.toLocaleString('en-US')} entries) instead of in batches; 0: batches only`, group: 'Reverse DNS:' })
    .option('ttl', { type: 'number', default: DEFAULT_TTL_HOURS, describe: 'hours a cached answer stays fresh (also what --dns-prune keeps); 0: never expire', group: 'Reverse DNS:' })
    .option('dns-create-table', { type: 'boolean', describe: 'create the DNS table (says so when it exists), then exit', group: 'DNS cache maintenance (then exit):' })
    .option('dns-cache-clear', { type: 'boolean', describe: 'delete every entry of the DNS table', group: 'DNS cache maintenance (then exit):' })
    .option('dns-prune', { type: 'boolean', describe: 'delete the entries older than --ttl hours', group: 'DNS cache maintenance (then exit):' })
    .option('dns-dump', { type: 'boolean', describe: 'print the DNS table: address TAB name ("-": no PTR record), IPv4 before IPv6, numerically', group: 'DNS cache maintenance (then exit):' });
}

/** withDbOptions + withRdnsOptions: every flag ipta-rdns takes. */
export function withRdnsCommandOptions<T>(y: Argv<T>) {
  return withRdnsOptions(withDbOptions(y));
}

type Argvish = Record<string, unknown>;

const DB_FLAGS = ['db', 'db-host', 'db-port', 'db-socket', 'db-user', 'db-pass', 'db-name', 'db-table', 'dns-table', 'db-ssl', 'db-ssl-ca'];

/** True when the command line names a database: any --db* flag or --dns-table. */
export function dbFlagGiven(argv: Argvish): boolean {
  return DB_FLAGS.some((f) => argv[f] !== undefined);
}

function num(argv: Argvish, name: string, min: number, max: number, integer: boolean, def: number): number {
  const raw = argv[name] ?? def;
  const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(String(v))}`);
  }
  return n;
}

/** The address fields from `--rdns-fields`. */
export function parseFields(spec: unknown): string[] {
  const raw = Array.isArray(spec) ? spec.join(',') : String(spec ?? '');
  const fields = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  for (const f of fields) {
    if (!(RDNS_FIELDS as readonly string[]).includes(f)) throw new UsageError(`--rdns-fields: unknown field ${JSON.stringify(f)} (use ${RDNS_FIELDS.join(', ')})`);
  }
  if (fields.length === 0) throw new UsageError('--rdns-fields: no field given');
  return fields;
}

export interface RdnsArgs extends RdnsOptions {
  /** the database for the cache and the maintenance actions (null: memory only) */
  db: DbSettings | null;
  ttlHours: number;
}

/** Validate the flags; resolve the database settings when the MySQL cache is in use. */
export function rdnsOptionsFromArgv(argv: Argvish, opts: { needDb?: boolean } = {}): RdnsArgs {
  const cacheMode = String(argv.cache ?? 'auto');
  const useDb = opts.needDb || cacheMode === 'mysql' || (cacheMode === 'auto' && dbFlagGiven(argv));
  const server = argv['dns-server'];
  return {
    fields: parseFields(argv['rdns-fields'] ?? 'src,dst'),
    servers: server === undefined ? undefined : parseDnsServers(Array.isArray(server) ? server.join(',') : String(server)),
    timeoutMs: num(argv, 'timeout', 1, 600_000, true, DEFAULT_TIMEOUT_MS),
    concurrency: num(argv, 'concurrency', 1, 10_000, true, DEFAULT_CONCURRENCY),
    ttlHours: num(argv, 'ttl', 0, 1_000_000, false, DEFAULT_TTL_HOURS),
    preloadAfter: num(argv, 'cache-preload', 0, 100_000_000, true, DEFAULT_PRELOAD_AFTER),
    db: useDb ? resolveDbSettings(argv) : null,
  };
}
