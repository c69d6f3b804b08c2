// ipta-rdns: `ipta-parse log | ipta-rdns | ipta-format` — records (or report rows) in, the same
// with src_name / dst_name out, in order. Also the DNS table's maintenance flags.
import { createReadStream, fstatSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { diag } from '../cli/diag.js';
import { fileError } from '../io/inputs.js';
import type { NdjsonStats } from '../stream/ndjson-lines.js';
import { ndjsonBatches } from '../stream/ndjson-lines.js';
import { RAW, rdnsBatchOut } from '../rdns/rdns-out.js';
import { runPipeline } from '../stream/run-pipeline.js';
import { connect } from '../store/connect.js';
import { newStats, type RdnsStats } from '../rdns/rdns-engine.js';
import { rdnsBatchStream } from '../rdns/rdns-stream.js';
import { resolveDnsServers } from '../rdns/lookup.js';
import { rdnsOptionsFromArgv, withRdnsCommandOptions } from '../rdns/options.js';
import { maintenanceFromArgv, runDnsMaintenance, wantsMaintenance } from '../rdns/maintain.js';

const EPILOGUE = `Reads NDJSON records or report rows (files in order; "-" or none: stdin) and writes them \
with names added. Each record (or report row) carrying src / dst gets src_name / dst_name from a PTR lookup (IPv4 and IPv6). \
An address without a PTR record gets no name, and that answer is cached too; a lookup that fails or times out \
leaves the record without a name. Values that are not IP addresses pass through untouched. One lookup per \
address per run, at most --concurrency in flight; output order is input order, and the stream \
never stalls much longer than one --timeout waiting for names. Lines that are not JSON objects are reported \
and skipped; at the end failed lookups are counted on stderr (--stats: all the counts).

Persistent cache: give any database flag (--db, --db-host, --db-name, ... or --dns-table; or settings in \
~/.ipta / IPTA_DB_* with --cache mysql) and answers are also kept in the DNS table (created when missing): \
read before DNS is asked, written in batches, fresh for --ttl hours. The maintenance flags use the same \
database settings (flags, ~/.ipta, IPTA_DB_*), run in the order create, clear, prune, dump, and read no input.

Examples:
  ipta-parse /var/log/iptables.log | ipta-rdns | ipta-format
  ipta-report log.ndjson | ipta-rdns --dns-server 192.0.2.53 --timeout 500
  ipta-rdns --db-name ipta --dns-dump | sort -t$'\\t' -k2`;

async function* filesInOrder(paths: string[]): AsyncGenerator<Buffer> {
  for (const p of paths) {
    if (p === '-') {
      for await (const chunk of stdin()) yield chunk as Buffer;
      continue;
    }
    try {
      yield* createReadStream(p, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
    } catch (err) {
      throw fileError(p, err);
    }
  }
}

async function checkFiles(paths: string[]): Promise<void> {
  for (const p of paths) {
    if (p === '-') continue;
    try {
      await access(p, constants.R_OK);
      if ((await stat(p)).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (err) {
      throw fileError(p, err);
    }
  }
}

/** stdin; read in big chunks when it is a regular file (`< file`), the common benchmark case. */
function stdin(): AsyncIterable<Buffer> {
  try {
    if (fstatSync(0).isFile()) return createReadStream('', { fd: 0, highWaterMark: 256 * 1024, autoClose: false });
  } catch { /* not a file */ }
  return process.stdin;
}

function summary(stats: RdnsStats, nd: NdjsonStats, verbose: boolean): void {
  const d = diag();
  if (nd.bad) d.warn(`${nd.bad} input line${nd.bad === 1 ? ' was' : 's were'} not a JSON object and ${nd.bad === 1 ? 'was' : 'were'} skipped`);
  const failed = Object.entries(stats.failed);
  const nFailed = failed.reduce((a, [, n]) => a + n, 0);
  if (nFailed) {
    d.warn(`${nFailed} lookup${nFailed === 1 ? '' : 's'} failed (${failed.map(([c, n]) => `${c} ${n}`).join(', ')}): those addresses have no name`);
  }
  if (verbose) {
    d.warn(`${stats.records} records, ${stats.addresses} addresses, ${stats.cacheHits} from the DNS table ` +
      `(whole-table read: ${stats.preloaded} entries), ` +
      `${stats.lookups} lookups: ${stats.names} names, ${stats.negative} without PTR record, ${nFailed} failed; ` +
      `${stats.written} entries written to the DNS table; ${stats.unparseable} values not IP addresses`);
  }
}

export const command: AnyCommand = {
  command: 'rdns [files..]',
  describe: 'add reverse DNS names (src_name, dst_name) to records or report rows',
  builder: (y) => withRdnsCommandOptions(
    y.positional('files', { type: 'string', array: true, describe: 'NDJSON files (default: stdin)' }),
  )
    .option('stats', { type: 'boolean', describe: 'print counts (records, lookups, cache hits) on stderr at the end' })
    .epilogue(EPILOGUE),
  handler: async (argv: Record<string, unknown>) => {
    const maint = maintenanceFromArgv(argv);
    const opts = rdnsOptionsFromArgv(argv, { needDb: wantsMaintenance(maint) });
    if (wantsMaintenance(maint)) {
      await runDnsMaintenance(opts.db!, maint, opts.ttlHours);
      return;
    }
    const files = ((argv.files as string[] | undefined) ?? []).map(String);
    await checkFiles(files);
    opts.servers = await resolveDnsServers(opts.servers); // a bad name fails before any input is read
    const stats = newStats();
    const keys = opts.fields!.map((f) => `${f}_name`);
    const nd: NdjsonStats = { lines: 0, objects: 0, bad: 0 };
    const source: AsyncIterable<Buffer> = files.length ? filesInOrder(files) : stdin();
    // connect before reading anything: an unreachable database fails the run up front
    const conn = opts.db ? await connect(opts.db) : undefined;
    try {
      await runPipeline(
        source,
        (chunks: AsyncIterable<Buffer>) => ndjsonBatches(chunks, { stats: nd, rawKey: RAW }),
        (batches: AsyncIterable<Array<Record<string, unknown>>>) => rdnsBatchStream(batches, { ...opts, conn, stats }),
        rdnsBatchOut(keys),
        process.stdout,
      );
    } finally {
      await conn?.end().catch(() => { /* already gone */ });
      summary(stats, nd, !!argv.stats);
    }
  },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-rdns');
