import { access, constants } from 'node:fs/promises';
import type { Argv } from 'yargs';
import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import type { NdjsonStats } from '../stream/ndjson-lines.js';
import { reportFromNdjson } from '../report/ndjson-report.js';
import { readChunks } from '../io/inputs.js';
import { ndjsonOut } from '../stream/ndjson-out.js';
import { runPipeline } from '../stream/run-pipeline.js';
import { withDbOptions } from '../store/options.js';
import { reportFromDb, reportOptionsFromArgv, withReportOptions, type StreamStats } from '../report/index.js';
import { MODULES } from '../report/rows.js';

const DB_FLAGS = ['db', 'db-host', 'db-port', 'db-socket', 'db-user', 'db-pass', 'db-name', 'db-table'];

/** Which engine: --engine, else mysql when any --db* flag is given, else the stream on stdin/files. */
export function chooseEngine(argv: Record<string, unknown>): 'stream' | 'mysql' {
  const e = argv.engine as string | undefined;
  if (e === 'stream' || e === 'mysql') return e;
  return DB_FLAGS.some((f) => argv[f] !== undefined) ? 'mysql' : 'stream';
}

/**
 * Files in order (`-` is stdin), as one stream of bytes, like `cat`; every file is checked before
 * any output. A file is read into one reused buffer (the reader copies what it keeps).
 */
async function inputOf(files: string[] | undefined): Promise<AsyncIterable<Buffer>> {
  if (!files || files.length === 0) return process.stdin;
  for (const f of files) {
    if (f === '-') continue;
    try {
      await access(f, constants.R_OK);
    } catch (err) {
      throw new RuntimeError(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }
  return (async function* () {
    for (const f of files) {
      if (f === '-') yield* process.stdin as AsyncIterable<Buffer>;
      else yield* readChunks(f, 256 * 1024);
    }
  })();
}

export const command: AnyCommand = {
  command: 'report [files..]',
  describe: 'analyzer: the report modules as NDJSON rows, from records (stdin/files) or from the MySQL store',
  builder: (y: Argv) => withDbOptions(withReportOptions(y))
    .positional('files', { type: 'string', array: true, describe: 'NDJSON record files (default stdin; - is stdin)' })
    .option('engine', { type: 'string', choices: ['stream', 'mysql'], describe: 'stream: records on stdin or in files, no database; mysql: the store. Default: mysql when any --db* flag is given, else stream', group: 'Report:' })
    .usage('$0 [options] [files..]\n\nThe analyzer. Reads ipta records (NDJSON from ipta-parse) on stdin or from files, or with\n--db*/--engine mysql queries the MySQL store, and writes one NDJSON row per result row, each with\nits "module". Modules, in this order: ' + MODULES.join(', ') + '.\nOrdering: count descending, ties by the group fields ascending (text byte-wise, absent first);\nscanners by distinct ports, then destinations, then count; timeline and heatmap by time.\nThe stream engine decodes big inputs on worker threads (IPTA_REPORT_THREADS=N, default one per\ncore beyond the first; 0: none): the same rows and messages.')
    .example('ipta-parse /var/log/kern.log | $0 --since 24h | ipta-format', 'last day, from the log, no database')
    .example('$0 --db mysql://ipta:ipta@localhost/ipta -m denied -m scanners --limit 20', 'from the store'),
  handler: async (argv: Record<string, unknown>) => {
    const opts = reportOptionsFromArgv(argv);
    const engine = chooseEngine(argv);
    if (engine === 'mysql') {
      if ((argv.files as string[] | undefined)?.length) throw new UsageError('files are read by the stream engine only; leave them out with --db*/--engine mysql');
      const { resolveDbSettings } = await import('../store/connect.js');
      const settings = resolveDbSettings(argv);
      await runPipeline(reportFromDb(settings, opts), ndjsonOut, process.stdout);
      return;
    }
    const stats: NdjsonStats = { lines: 0, objects: 0, bad: 0 };
    const rstats: StreamStats = { records: 0, skipped: 0 };
    await runPipeline(reportFromNdjson(await inputOf(argv.files as string[] | undefined), opts, stats, rstats), ndjsonOut, process.stdout);
    if (stats.bad) diag().warn(`${stats.bad} line(s) were not JSON records and were skipped`);
    if (rstats.skipped) diag().warn(`${rstats.skipped} record(s) had no valid verdict and were skipped`);
  },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-report');
