// Records -> the log table, in batches. Each batch is one statement (atomic in InnoDB): either
// `LOAD DATA LOCAL INFILE ... IGNORE` streamed from memory, or a multi-row `INSERT IGNORE`.
// The unique ev_key makes every batch idempotent: records already stored are skipped and
// counted as duplicates, so re-running an interrupted import completes it exactly.
import { Readable } from 'node:stream';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { RuntimeError } from '../cli/errors.js';
import { connect, describeTarget } from './connect.js';
import { qid } from './ident.js';
import type { DbSettings } from './options.js';
import { LOAD_COLUMNS } from './schema.js';
import { TsvEncoder, recordToRow, type RowValues } from './row.js';
import { createLogTable } from './tables.js';
import { SummaryRefresher } from './summary-refresher.js';

export type LoadMethod = 'auto' | 'load-data' | 'insert';

export interface LoadSummary {
  /** records received */
  read: number;
  /** rows added to the table */
  inserted: number;
  /** records whose key was already stored (or appeared earlier in the same input) */
  duplicates: number;
  /** records that could not become a row (no key, bad field types...) */
  rejected: number;
  /** records in batches the server confirmed (inserted + duplicates of those batches) */
  committed: number;
  /** committed batches */
  batches: number;
  /** the method the batches used ('load-data' or 'insert'; 'auto' before the first batch) */
  method: LoadMethod;
}

export interface LoadOptions {
  /** table name (default settings.table) */
  table?: string;
  method?: LoadMethod;
  /** flush a batch at this many rows (default 20,000) */
  batchRows?: number;
  /** ... or at this many bytes of row data (default 8 MiB; INSERT also stays under max_allowed_packet) */
  batchBytes?: number;
  /** ... or when the oldest record in it has waited this long (default 500 ms) */
  flushMs?: number;
  /** the first rejected record is fatal */
  strict?: boolean;
  /** create the table when it does not exist (default true) */
  createTable?: boolean;
  /** use this connection instead of opening one (it is left open) */
  connection?: Connection;
  /** a record that cannot be stored: `index` is its 1-based position in `records` */
  onReject?: (why: string, record: Record<string, unknown>, index: number) => void;
  /** after each committed batch */
  onBatch?: (summary: LoadSummary) => void;
  /** told once, e.g. 'created table logs' or the method fallback */
  onInfo?: (message: string) => void;
}

/** The import stopped part-way: `summary` says how much was committed before the failure. */
export class LoadFailedError extends RuntimeError {
  constructor(message: string, readonly summary: LoadSummary, hint?: string) {
    super(message, 1, hint);
  }
}

/**
 * One batch. For LOAD DATA each row is encoded as it arrives (the record and its row array die
 * young, which keeps the garbage collector cheap); `ends` marks where each row's text ends so
 * rows can still be left out. For INSERT the rows are kept as values.
 */
interface Batch { keys: string[]; ends: number[]; enc: TsvEncoder | null; rows: RowValues[]; bytes: number }

/** Split a buffer into packets' worth for mysql2 (each chunk becomes one protocol packet). */
function chunked(buf: Buffer, size = 512 * 1024): Readable {
  let off = 0;
  return new Readable({
    read() {
      if (off >= buf.length) { this.push(null); return; }
      this.push(buf.subarray(off, off + size));
      off += size;
    },
  });
}

/** What one batch did: rows added, and records skipped because their key was already stored. */
interface BatchResult { inserted: number; duplicates: number }

class Writer {
  private readonly loadCols: string;
  private readonly insertCols: string;
  private readonly infileName = 'ipta-batch.tsv';
  /** look up the batch's keys first: set while batches keep meeting stored keys */
  private precheck = true;
  /** warnings of the last statement(s); duplicate keys give one each */
  private warnings = 0;
  /** encoders of written batches, reused (two are enough: one written, one filling) */
  private spare: TsvEncoder[] = [];

  constructor(private conn: Connection, private table: string, public method: 'load-data' | 'insert', public maxStatement: number,
    private onWarning: (message: string) => void = () => undefined) {
    this.loadCols = LOAD_COLUMNS.map((c) => (c === 'ev_key' ? '@k' : qid(c, 'column'))).join(', ');
    this.insertCols = LOAD_COLUMNS.map((c) => qid(c, 'column')).join(', ');
  }

  newBatch(): Batch {
    const enc = this.method === 'load-data' ? (this.spare.pop() ?? new TsvEncoder()) : null;
    enc?.reset();
    return { keys: [], ends: [], enc, rows: [], bytes: 0 };
  }

  add(b: Batch, row: RowValues): void {
    b.keys.push(row[0] as string);
    if (b.enc) {
      b.enc.add(row);
      b.ends.push(b.enc.bytes);
      b.bytes = b.enc.bytes;
    } else {
      b.rows.push(row);
      b.bytes += (row[18] as string).length + 200;
    }
  }

  /** Is the LOAD DATA path usable? (an empty LOAD DATA: the server says no at once if not) */
  async probe(): Promise<boolean> {
    try {
      await this.loadData(Buffer.alloc(0));
      return true;
    } catch (err) {
      if (NO_LOCAL_INFILE.has((err as { errno?: number }).errno ?? 0)) return false;
      throw err;
    }
  }

  /**
   * Write one batch (one statement per batch for LOAD DATA; INSERT splits at max_allowed_packet).
   * Rows whose key is stored already are left out before sending when a pre-check is on:
   * `IGNORE` on a duplicate costs the server more than inserting a row, so a re-import would
   * otherwise be slower than the first import. The pre-check runs on the first batch and after
   * any batch that met duplicates; IGNORE stays the guarantee either way (concurrent loaders).
   */
  async write(b: Batch): Promise<BatchResult> {
    const n = b.keys.length;
    let sent = n;
    let stored: Set<string> | null = null;
    if (this.precheck) {
      stored = await this.storedKeys(b.keys);
      if (stored.size) sent = b.keys.reduce((acc, k) => acc + (stored!.has(k) ? 0 : 1), 0);
      else {
        stored = null;
        this.precheck = false;
      }
    }
    let inserted = 0;
    if (sent) {
      if (b.enc) inserted = await this.loadData(stored ? this.without(b, stored) : b.enc.take());
      else inserted = await this.insert(stored ? b.rows.filter((r) => !stored!.has(r[0] as string)) : b.rows);
    }
    if (b.enc) this.spare.push(b.enc);
    if (this.warnings > sent - inserted) await this.reportWarnings();
    this.warnings = 0;
    if (inserted < sent) this.precheck = true;
    return { inserted, duplicates: n - inserted };
  }

  /** The batch's text without the rows whose key is in `stored`. */
  private without(b: Batch, stored: Set<string>): Buffer {
    const all = b.enc!.take();
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < b.keys.length; i++) {
      const end = b.ends[i]!;
      if (!stored.has(b.keys[i]!)) parts.push(all.subarray(start, end));
      start = end;
    }
    return Buffer.concat(parts);
  }

  /** Rows are validated so that only duplicate keys are skipped; anything else the server says is shown. */
  private async reportWarnings(): Promise<void> {
    const [rows] = await this.conn.query<RowDataPacket[]>('SHOW WARNINGS LIMIT 10');
    for (const w of rows) if (Number(w.Code) !== 1062) this.onWarning(`server warning ${w.Code}: ${w.Message}`);
  }

  private async storedKeys(keys: string[]): Promise<Set<string>> {
    const bin = keys.map((k) => Buffer.from(k, 'hex'));
    const [found] = await this.conn.query<RowDataPacket[]>(
      { sql: `SELECT ev_key FROM ${qid(this.table)} WHERE ev_key IN (?)`, rowsAsArray: true }, [bin]);
    return new Set((found as unknown as Buffer[][]).map((r) => r[0]!.toString('hex')));
  }

  private async loadData(buf: Buffer): Promise<number> {
    const expected = this.infileName;
    const sql = `LOAD DATA LOCAL INFILE '${expected}' IGNORE INTO TABLE ${qid(this.table)} CHARACTER SET utf8mb4 ` +
      "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' " +
      `(${this.loadCols}) SET \`ev_key\` = UNHEX(@k)`;
    const [res] = await this.conn.query<ResultSetHeader>({
      sql,
      // the server names the file it wants; we only ever send our own batch, whatever it asks for
      infileStreamFactory: (path: string) => (path === expected ? chunked(buf) : Readable.from([])),
    } as never);
    this.warnings += res.warningStatus ?? 0;
    return res.affectedRows;
  }

  private async insert(rows: RowValues[]): Promise<number> {
    let inserted = 0;
    let part: unknown[][] = [];
    let size = 0;
    const flush = async () => {
      if (!part.length) return;
      const [res] = await this.conn.query<ResultSetHeader>(`INSERT IGNORE INTO ${qid(this.table)} (${this.insertCols}) VALUES ?`, [part]);
      inserted += res.affectedRows;
      this.warnings += res.warningStatus ?? 0;
      part = [];
      size = 0;
    };
    for (const r of rows) {
      const v: unknown[] = r.slice();
      v[0] = Buffer.from(r[0] as string, 'hex');
      // escaped text can double in size; numbers and quotes add the rest
      const est = (r[18] as string).length * 2 + 400;
      if (size + est > this.maxStatement) await flush();
      part.push(v);
      size += est;
    }
    await flush();
    return inserted;
  }
}

const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ERR_STREAM_DESTROYED']);
/** ER_NOT_ALLOWED_COMMAND (1148), ER_CLIENT_LOCAL_FILES_DISABLED (3948), ER_LOAD_INFILE_CAPABILITY_DISABLED (4166) */
const NO_LOCAL_INFILE = new Set([1148, 3948, 4166]);

function isLost(err: unknown): boolean {
  const e = err as { code?: string; fatal?: boolean; message?: string };
  return Boolean(e && (e.fatal || (e.code && LOST_CODES.has(e.code)) || /closed state|connection lost|server has gone away/i.test(e.message ?? '')));
}

async function chooseMethod(conn: Connection, wanted: LoadMethod): Promise<'load-data' | 'insert'> {
  if (wanted === 'insert') return 'insert';
  const [rows] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.local_infile AS li');
  const on = Number(rows[0]?.li) === 1;
  if (wanted === 'load-data' && !on) {
    throw new RuntimeError('--method load-data: the server does not allow LOAD DATA LOCAL INFILE (local_infile is OFF)', 1,
      "enable it with SET GLOBAL local_infile = 1 (or local_infile=ON in the server's config), or use --method insert");
  }
  return on ? 'load-data' : 'insert';
}

/**
 * Load records into the log table. Batches flush by rows, bytes and time (a slow live input is
 * never more than `flushMs` plus one write behind) and no record is pulled from `records` while
 * a batch is being written. Throws LoadFailedError (with the summary so far) when the server
 * fails mid-import, RuntimeError when it cannot be reached at all.
 */
export async function loadRecords(records: AsyncIterable<Record<string, unknown>>, settings: DbSettings, opts: LoadOptions = {}): Promise<LoadSummary> {
  const table = opts.table ?? settings.table;
  qid(table);
  const batchRows = opts.batchRows ?? 20_000;
  const flushMs = opts.flushMs ?? 500;
  const summary: LoadSummary = { read: 0, inserted: 0, duplicates: 0, rejected: 0, committed: 0, batches: 0, method: opts.method ?? 'auto' };
  const conn = opts.connection ?? (await connect(settings));
  const fail = (what: string, err: unknown, inFlight: number): LoadFailedError => {
    const lost = isLost(err);
    const msg = `${lost ? 'lost the connection to the server' : 'the server refused a batch'} at ${describeTarget(settings)} ` +
      `(${(err as Error)?.message ?? String(err)}) ${what}: ${summary.committed} records committed in ${summary.batches} batches` +
      (inFlight ? `; the ${inFlight} records of the batch in flight may or may not be stored` : '');
    return new LoadFailedError(msg, summary,
      'run the same import again to complete it: records already stored are recognised by their key and skipped');
  };
  try {
    let writer: Writer;
    try {
      if (opts.createTable !== false) {
        const r = await createLogTable(conn, table);
        if (r.created) opts.onInfo?.(`created table ${table}`);
      }
      const method = await chooseMethod(conn, opts.method ?? 'auto');
      const [mp] = await conn.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS m');
      const maxStatement = Math.max(64 * 1024, Math.min(Number(mp[0]?.m ?? 4 << 20) - 64 * 1024, 4 << 20));
      writer = new Writer(conn, table, method, maxStatement, (m) => opts.onInfo?.(m));
      // local_infile ON is not the whole story (a proxy, a client-side policy): try it once, empty
      if (method === 'load-data' && !(await writer.probe())) {
        if (opts.method === 'load-data') {
          throw new RuntimeError('--method load-data: the server refused LOAD DATA LOCAL INFILE', 1, 'use --method insert (or --method auto)');
        }
        opts.onInfo?.('LOAD DATA LOCAL INFILE refused by the server; using INSERT');
        writer.method = 'insert';
      }
      summary.method = writer.method;
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw fail('before the import started', err, 0);
    }
    const batchBytes = opts.batchBytes ?? (writer.method === 'insert' ? 4 << 20 : 8 << 20);

    // the report engine's summary tables, refreshed after committed batches on a second connection
    const summaries = new SummaryRefresher({ ...settings, table }, opts.onInfo);
    const flush = async (b: Batch): Promise<void> => {
      const n = b.keys.length;
      if (!n) return;
      let res: BatchResult;
      try {
        res = await writer.write(b);
      } catch (err) {
        throw fail('during the import', err, n);
      }
      summary.inserted += res.inserted;
      summary.duplicates += res.duplicates;
      summary.committed += n;
      summary.batches++;
      summaries.kick();
      opts.onBatch?.(summary);
    };

    const it = records[Symbol.asyncIterator]();
    let batch = writer.newBatch();
    let pending: Promise<IteratorResult<Record<string, unknown>>> | null = null;
    let tick: Promise<'tick'> | null = null;
    let timer: NodeJS.Timeout | undefined;
    const armTimer = () => {
      tick = new Promise((resolve) => { timer = setTimeout(() => resolve('tick'), flushMs); });
    };
    // One batch is written while the next one fills (the records' parsing overlaps the server's
    // work); when the next one is full too, nothing more is pulled until the first is committed.
    // Memory stays bounded by two batches.
    let inflight: Promise<void> | null = null;
    let failure: unknown = null;
    let serverOk = false;
    const submit = async (b: Batch) => {
      if (inflight) await inflight;
      if (failure) throw failure;
      if (!b.keys.length) return;
      inflight = flush(b).catch((err: unknown) => { failure = err; }).finally(() => { inflight = null; });
    };
    const flushNow = async () => {
      clearTimeout(timer);
      tick = null;
      const b = batch;
      await submit(b);
      // (after submit: the encoder of the batch just written is free again)
      batch = writer.newBatch();
    };
    try {
      for (;;) {
        pending ??= it.next();
        const res: IteratorResult<Record<string, unknown>> | 'tick' = tick ? await Promise.race<IteratorResult<Record<string, unknown>> | 'tick'>([pending, tick]) : await pending;
        if (res === 'tick') {
          await flushNow();
          continue;
        }
        pending = null;
        if (res.done) break;
        if (failure) throw failure;
        summary.read++;
        const r = recordToRow(res.value);
        if (!r.ok) {
          summary.rejected++;
          if (opts.strict) {
            serverOk = true;
            throw new LoadFailedError(`record ${summary.read}: ${r.why} (--strict)`, summary);
          }
          opts.onReject?.(r.why, res.value, summary.read);
          continue;
        }
        if (!batch.keys.length) armTimer();
        writer.add(batch, r.row);
        if (batch.keys.length >= batchRows || batch.bytes >= batchBytes) await flushNow();
      }
      await flushNow();
      if (inflight) await inflight;
      if (failure) throw failure;
      await summaries.close();
    } catch (err) {
      if (inflight) await inflight;
      // stopped by --strict, the server fine: let a refresh in flight finish (no half-made summary
      // table left behind); otherwise the server may be gone: do not wait for it
      if (serverOk && !failure) await summaries.close().catch(() => summaries.abort());
      else summaries.abort();
      if (err instanceof RuntimeError && !(err instanceof LoadFailedError)) err = new LoadFailedError(err.message, summary, err.hint);
      // stop the source too (e.g. the NDJSON reader), without waiting on a pending read
      void Promise.resolve(it.return?.()).catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return summary;
  } finally {
    if (!opts.connection) await conn.end().catch(() => conn.destroy());
  }
}

/** `records read N, inserted N, already present N, rejected N` (the line ipta-load prints). */
export function summaryLine(s: LoadSummary): string {
  return `records read ${s.read}, inserted ${s.inserted}, already present ${s.duplicates}, rejected ${s.rejected}`;
}
