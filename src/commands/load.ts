// ipta-load: NDJSON records (stdin or files) -> the MySQL/MariaDB log table, plus the table
// lifecycle flags the `ipta` wrapper reuses (--create-table, --clear, --list-tables...).
import { createReadStream, fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Connection } from 'mysql2/promise';
import type { AnyCommand } from '../cli/run-command.js';
import { runCommand } from '../cli/run-command.js';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import { createProgress, type Progress } from '../cli/progress.js';
import { fileError } from '../io/inputs.js';
import { ndjsonLines, preview, type NdjsonStats } from '../stream/ndjson-lines.js';
import { connect, resolveDbSettings } from '../store/connect.js';
import { checkIdentifier } from '../store/ident.js';
import { RAW_JSON } from '../store/row.js';
import { LoadFailedError, loadRecords, summaryLine, type LoadMethod, type LoadSummary } from '../store/load.js';
import { withDbOptions, type DbSettings } from '../store/options.js';
import {
  clearTable, createDnsTable, createLogTable, deleteAllTables, deleteTable, iptaTables, listTables,
} from '../store/tables.js';

export interface LoadArgs {
  files?: string[];
  method?: LoadMethod;
  strict?: boolean;
  'batch-rows'?: number;
  'flush-ms'?: number;
  'create-table'?: string | boolean;
  'create-dns-table'?: boolean;
  clear?: boolean;
  'list-tables'?: boolean;
  'delete-table'?: string;
  'delete-all-tables'?: boolean;
  yes?: boolean;
  stdin?: boolean;
  [k: string]: unknown;
}

/** True when any table lifecycle flag is set (then stdin is only read with --stdin). */
export function hasTableAction(a: LoadArgs): boolean {
  return a['create-table'] !== undefined || Boolean(a['create-dns-table'] || a.clear || a['list-tables'] || a['delete-table'] !== undefined || a['delete-all-tables']);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * The lifecycle actions in their natural order: delete all, delete one, create, clear, list.
 * Messages go to stderr, the table list to stdout. Exported for the wrapper.
 */
export async function runTableActions(conn: Connection, a: LoadArgs, s: DbSettings, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const say = (m: string) => diag().warn(m);
  if (a['delete-all-tables']) {
    const mine = await iptaTables(conn);
    if (!mine.length) say(`no ipta tables in database ${s.database}`);
    else {
      const names = mine.map((t) => `${t.table} (${t.rows} rows)`).join(', ');
      if (!a.yes) {
        if (!(process.stdin.isTTY && process.stderr.isTTY)) {
          throw new UsageError(`--delete-all-tables would delete ${names}: add --yes to confirm (no terminal to ask)`);
        }
        if (!(await confirm(`Delete ${mine.length} ipta table(s) in database ${s.database}: ${names}? [y/N] `))) {
          throw new RuntimeError('nothing deleted');
        }
      }
      const gone = await deleteAllTables(conn);
      say(`deleted ${gone.length} table(s): ${gone.join(', ')}`);
    }
  }
  if (a['delete-table'] !== undefined) {
    const name = checkIdentifier(String(a['delete-table']));
    await deleteTable(conn, name);
    say(`deleted table ${name}`);
  }
  if (a['create-table'] !== undefined) {
    const name = typeof a['create-table'] === 'string' && a['create-table'] !== '' ? checkIdentifier(a['create-table']) : s.table;
    const r = await createLogTable(conn, name);
    say(r.created ? `created table ${name}` : `table ${name} already exists`);
  }
  if (a['create-dns-table']) {
    const r = await createDnsTable(conn, s.dnsTable);
    say(r.created ? `created DNS table ${s.dnsTable}` : `DNS table ${s.dnsTable} already exists`);
  }
  if (a.clear) {
    const n = await clearTable(conn, s.table);
    say(`cleared table ${s.table} (${n} rows removed)`);
  }
  if (a['list-tables']) {
    const tables = await listTables(conn);
    const tty = (out as NodeJS.WriteStream).isTTY;
    if (tty) {
      const w = Math.max(5, ...tables.map((t) => t.table.length));
      let text = `${'TABLE'.padEnd(w)}  KIND     ROWS\n`;
      for (const t of tables) text += `${t.table.padEnd(w)}  ${(t.kind ?? '-').padEnd(7)}  ${t.rows}\n`;
      out.write(text);
    } else {
      out.write(tables.map((t) => JSON.stringify(t) + '\n').join(''));
    }
  }
}

/** Files (in order; '-' is stdin) as one byte stream, a newline between files that lack one. */
function concatInputs(files: string[], onBytes: (n: number) => void): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    for (const f of files) {
      const src: AsyncIterable<Buffer> = f === '-' ? process.stdin : createReadStream(f);
      let lastByte = 10;
      try {
        for await (const chunk of src) {
          onBytes(chunk.length);
          if (chunk.length) lastByte = chunk[chunk.length - 1]!;
          yield chunk;
        }
      } catch (err) {
        throw fileError(f, err);
      }
      if (lastByte !== 10) yield Buffer.from('\n');
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

async function totalSize(files: string[]): Promise<number | undefined> {
  let total = 0;
  for (const f of files) {
    if (f === '-') {
      return undefined;
    }
    let fh;
    try {
      fh = await open(f, 'r');
      const st = await fh.stat();
      if (st.isDirectory()) throw new RuntimeError(`cannot read ${f}: is a directory`);
      total += st.size;
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw fileError(f, err);
    } finally {
      await fh?.close();
    }
  }
  return total;
}

function stdinSize(): number | undefined {
  try {
    const st = fstatSync(0);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** Import NDJSON from `files` (stdin when empty) into the table; prints the summary line. */
export async function importNdjson(files: string[], s: DbSettings, a: LoadArgs, conn?: Connection): Promise<LoadSummary> {
  const d = diag();
  const inputs = files.length ? files : ['-'];
  const size = inputs.length === 1 && inputs[0] === '-' ? stdinSize() : await totalSize(inputs);
  const progress: Progress = createProgress({ unit: 'bytes', total: size, label: 'ipta-load' });
  let bytes = 0;
  const source = concatInputs(inputs, (n) => { bytes += n; });
  const stats: NdjsonStats = { lines: 0, objects: 0, bad: 0 };
  const warn = (kind: string, msg: string) => { progress.clear(); d.warnLimited(kind, msg); };
  const records = ndjsonLines(source, {
    strict: a.strict,
    // each record's own text is stored in `rec` as is: serialising it again would cost a third of the time
    rawKey: RAW_JSON,
    stats,
    onBad: (raw, lineNo, why) => warn('bad-line', `line ${lineNo}: ${why}${raw ? `: ${preview(raw)}` : ''}`),
  });
  const fold = (sum: LoadSummary): LoadSummary => ({ ...sum, read: sum.read + stats.bad, rejected: sum.rejected + stats.bad });
  try {
    const sum = await loadRecords(records, s, {
      method: a.method ?? 'auto',
      strict: a.strict,
      batchRows: a['batch-rows'],
      flushMs: a['flush-ms'],
      connection: conn,
      onReject: (why, rec) => warn('bad-record', `record ${stats.lines}${typeof rec.line === 'number' ? ` (source line ${rec.line})` : ''}: ${why}, not stored`),
      onBatch: (sm) => progress.update(bytes, `${sm.inserted} inserted`),
      onInfo: (m) => { progress.clear(); d.warn(m); },
    });
    progress.done();
    const total = fold(sum);
    d.warn(summaryLine(total));
    return total;
  } catch (err) {
    progress.done();
    if (err instanceof LoadFailedError) {
      const total = fold(err.summary);
      d.warn(`${summaryLine(total)}; stopped: ${total.committed} records committed`);
    }
    throw err;
  }
}

export const command: AnyCommand = {
  command: 'load [files..]',
  describe: 'NDJSON records (stdin or files) -> the MySQL/MariaDB log table, idempotently',
  builder: (y) => withDbOptions(
    y.positional('files', { type: 'string', array: true, describe: 'NDJSON files (default stdin)' })
      .option('method', { choices: ['auto', 'load-data', 'insert'] as const, default: 'auto', describe: 'bulk path: LOAD DATA LOCAL INFILE streamed from memory, or multi-row INSERT; auto uses LOAD DATA when the server allows it' })
      .option('strict', { type: 'boolean', describe: 'stop at the first malformed line or record that cannot be stored (exit 1)' })
      .option('batch-rows', { type: 'number', describe: 'rows per batch (default 20000)' })
      .option('flush-ms', { type: 'number', describe: 'write a batch when its oldest record waited this long, for live input (default 500)' })
      .option('create-table', { type: 'string', describe: 'create the log table NAME (default: --db-table); says so when it exists', group: 'Tables:' })
      .option('create-dns-table', { type: 'boolean', describe: 'create the DNS cache table (--dns-table)', group: 'Tables:' })
      .option('clear', { type: 'boolean', describe: 'delete every row of the log table (before importing)', group: 'Tables:' })
      .option('list-tables', { type: 'boolean', describe: 'list the tables of the database with their row counts (NDJSON when stdout is not a terminal)', group: 'Tables:' })
      .option('delete-table', { type: 'string', describe: 'delete the ipta table NAME', group: 'Tables:' })
      .option('delete-all-tables', { type: 'boolean', describe: 'delete every table ipta created in the database (asks on a terminal; needs --yes otherwise)', group: 'Tables:' })
      .option('stdin', { type: 'boolean', describe: 'with a table flag: import stdin as well (after the table actions)', group: 'Tables:' })
      .option('yes', { type: 'boolean', describe: 'confirm --delete-all-tables without asking', group: 'Tables:' })
      .check((a) => {
        for (const k of ['batch-rows', 'flush-ms'] as const) {
          const v = a[k];
          if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) throw new UsageError(`--${k} must be a positive integer`);
        }
        if (a['delete-table'] !== undefined) checkIdentifier(String(a['delete-table']));
        if (typeof a['create-table'] === 'string' && a['create-table'] !== '') checkIdentifier(a['create-table']);
        return true;
      })
      .example('ipta-parse /var/log/iptables.log | ipta-load', 'import a log (again: nothing is added twice)')
      .example('ipta-load --db mysql://ipta@db.example:3306/ipta records.ndjson', 'import a file into another server (password from IPTA_DB_PASS)')
      .example('ipta-parse --follow /var/log/iptables.log | ipta-load', 'keep the table current (a batch at least every 0.5 s)')
      .example('ipta-load --list-tables', 'tables and row counts')
      .epilogue('Prints "records read N, inserted N, already present N, rejected N" on stderr. Malformed lines and records ' +
        'without key or verdict are counted, reported and skipped (exit 0) unless --strict. With a table flag and no files, ' +
        "stdin is not read (give '-' to import it too). Database settings: defaults < ~/.ipta < IPTA_DB_HOST, IPTA_DB_PORT, " +
        'IPTA_DB_USER, IPTA_DB_PASS (or MYSQL_PWD), IPTA_DB_NAME < flags. Exit status: 0 success, 1 runtime error ' +
        '(server unreachable, server gone mid-import: the summary says how much was committed and running the same import ' +
        'again completes it), 2 usage error.'),
  ),
  handler: async (argv: LoadArgs) => {
    const s = resolveDbSettings(argv);
    const files = (argv.files ?? []).map(String);
    const doImport = files.length > 0 || Boolean(argv.stdin) || !hasTableAction(argv);
    if (hasTableAction(argv)) {
      const conn = await connect(s);
      try {
        await runTableActions(conn, argv, s);
        if (doImport) await importNdjson(files, s, argv, conn);
      } finally {
        await conn.end().catch(() => conn.destroy());
      }
      return;
    }
    if (doImport) await importNdjson(files, s, argv);
  },
};

export const main = (): Promise<void> => runCommand(command, 'ipta-load');
