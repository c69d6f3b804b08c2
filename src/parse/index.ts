// The parser's programmatic face: `parseRecords()` for the `ipta` wrapper (parse in-process,
// no JSON in between) and the batch generator the ipta-parse command streams from.
import type { Readable } from 'node:stream';
import type { IptaRecord } from '../record.js';
import { followFile, readInputs, type InputBatch } from '../io/inputs.js';
import { LineParser, type LineParserOptions, type LineSource, type SkipReason } from './line-parser.js';
import { plainRecord } from './record-shape.js';
import { JsonWriter } from './json-writer.js';
import { parseJsonParallel, parseThreads } from './parallel.js';

export { LineParser, type LineParserOptions, type LineSource, type SkipReason } from './line-parser.js';
export { recordJson } from './serialize.js';
export { plainRecord } from './record-shape.js';
export { canonicalIpv6 } from './ipv6.js';
export { VerdictTable } from './verdict.js';

export type SkipCounts = Record<SkipReason | 'too_long', number>;

/** Filled while parsing: what was read and what became of it. */
export interface ParseStats {
  /** input lines read (blank and overlong ones included) */
  lines: number;
  records: number;
  skipped: SkipCounts;
}

export function newStats(): ParseStats {
  return { lines: 0, records: 0, skipped: { blank: 0, not_netfilter: 0, prefix_mismatch: 0, too_long: 0 } };
}

export interface ParseOptions extends LineParserOptions {
  /** files to read in order (rotated siblings oldest first); empty/absent: stdin */
  files?: string[];
  /** follow this file (tail -F) instead of reading `files`; never ends unless `signal` aborts */
  follow?: string;
  /** with `follow`: read what the file holds first */
  fromStart?: boolean;
  /** longest line kept, in bytes (default: the reader's, 1 MiB) */
  maxLineLength?: number;
  /** filled as lines are read */
  stats?: ParseStats;
  /** stdin stand-in (tests, the wrapper) */
  stdin?: Readable;
  /** stops --follow */
  signal?: AbortSignal;
  /** called for each overlong line dropped by the reader, with its line number */
  onTooLong?: (lineNo: number, path: string | null) => void;
}

/** Where batches() puts each record, and what it yields per input batch (null: nothing). */
interface Sink<T> {
  add(rec: IptaRecord): void;
  take(): T | null;
}

/** The lines to parse: the followed file, else the files (stdin when none). */
export function openInput(opts: ParseOptions): AsyncIterable<InputBatch> {
  return opts.follow !== undefined
    ? followFile(opts.follow, { fromStart: opts.fromStart, maxLineLength: opts.maxLineLength, signal: opts.signal })
    : readInputs(opts.files ?? [], { maxLineLength: opts.maxLineLength, stdin: opts.stdin });
}

/**
 * The input's records in batches, each record passed to `sink` (one batch per input batch:
 * few async steps on a million lines). Line numbers run on across files as `cat` would number
 * them; overlong lines dropped by the reader count as lines.
 */
async function* batches<T>(opts: ParseOptions, sink: Sink<T>): AsyncGenerator<T> {
  const parser = new LineParser(opts);
  const stats = opts.stats ?? newStats();
  const input = openInput(opts);
  let lineNo = 0;
  let source: LineSource | null = null;
  const now = new Date();
  const tooLong = (path: string | null): void => {
    lineNo++;
    stats.lines++;
    stats.skipped.too_long++;
    opts.onTooLong?.(lineNo, path);
  };
  for await (const batch of input) {
    const ref = batch.mtime ?? now;
    if (source === null || source.path !== batch.path) source = { path: batch.path, ref };
    else source.ref = ref;
    const dropped = batch.dropped;
    let d = 0;
    const lines = batch.lines;
    for (let k = 0; k < lines.length; k++) {
      if (dropped !== undefined) while (d < dropped.length && dropped[d] === k) { tooLong(batch.path); d++; }
      lineNo++;
      stats.lines++;
      const r = parser.parse(lines[k], lineNo, source);
      if (typeof r === 'string') stats.skipped[r]++;
      else {
        stats.records++;
        sink.add(r);
      }
    }
    if (dropped !== undefined) for (; d < dropped.length; d++) tooLong(batch.path);
    const out = sink.take();
    if (out !== null) yield out;
  }
}

/**
 * The next batches are asked for before the current one is handed on, so the file is read (on
 * libuv's thread pool) while the current batch is parsed. An async generator runs queued next()
 * calls one after another, and the reader copies what it keeps from its buffer before it reads
 * again, so asking `depth` batches ahead is safe; memory: `depth` batches of lines (~64 KiB each).
 */
export async function* readAhead<T>(src: AsyncIterable<T>, depth = READ_AHEAD): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  let done = false;
  try {
    for (let k = 0; k < depth; k++) queue.push(it.next());
    while (queue.length > 0) {
      const r = await queue.shift()!;
      if (r.done) {
        done = true;
        return;
      }
      queue.push(it.next());
      yield r.value;
    }
  } finally {
    if (!done) {
      // stopped early (| head) or failed: reads still in flight may fail; nobody waits for them
      for (const p of queue) p.catch(() => {});
      await it.return?.();
    }
  }
}

/** Batches read ahead of the parser (see readAhead). */
const READ_AHEAD = 4;

class ArraySink<T> implements Sink<T[]> {
  private out: T[] = [];
  constructor(private readonly map: (rec: IptaRecord) => T) {}
  add(rec: IptaRecord): void {
    this.out.push(this.map(rec));
  }
  take(): T[] | null {
    if (this.out.length === 0) return null;
    const out = this.out;
    this.out = [];
    return out;
  }
}

class JsonSink implements Sink<Buffer> {
  private readonly w = new JsonWriter();
  add(rec: IptaRecord): void {
    this.w.record(rec);
  }
  take(): Buffer | null {
    return this.w.length === 0 ? null : this.w.take();
  }
}

/** Records in batches, as plain objects (absent fields are not keys). */
export function parseRecordBatches(opts: ParseOptions = {}): AsyncGenerator<IptaRecord[]> {
  return batches(opts, new ArraySink(plainRecord));
}

/** Every record of the input, in order, as plain objects (the wrapper's entry point). */
export async function* parseRecords(opts: ParseOptions = {}): AsyncGenerator<IptaRecord> {
  for await (const batch of parseRecordBatches(opts)) yield* batch;
}

/**
 * The records as NDJSON bytes, whole lines each ending in "\n", one Buffer per input batch: the
 * command's path, written to stdout as they are. On worker threads unless IPTA_PARSE_THREADS=0 (parallel.ts).
 */
export async function* parseNdjson(opts: ParseOptions = {}): AsyncGenerator<Buffer> {
  if (opts.follow === undefined) {
    // jobs of bytes (the byte lane), on worker threads unless there are none to use
    yield* parseJsonParallel(opts, (opts.stats ??= newStats()), parseThreads());
    return;
  }
  yield* batches(opts, new JsonSink());
}

/** The same as text: one string of NDJSON lines per input batch, without the last "\n". */
export async function* parseJsonBatches(opts: ParseOptions = {}): AsyncGenerator<string> {
  for await (const buf of parseNdjson(opts)) yield buf.toString('utf8', 0, buf.length - 1);
}
