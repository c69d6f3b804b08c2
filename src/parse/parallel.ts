// ipta-parse on more than one core. The main thread reads and does the cheap, order-dependent
// part of parsing (framing, --prefix, year inference, counting identical lines: prepare()); worker
// threads do the expensive, independent part (fields, key hash, JSON: parseAs()) on batches of
// lines, and the results are written in input order. The output is byte for byte the output of
// the one-thread path (a test compares them). Small inputs never start a worker. Off by default
// (see parseThreads).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LineParser, type LineParserOptions, type LineSource } from './line-parser.js';
import { openInput, readAhead, type ParseOptions, type ParseStats } from './index.js';
import { JsonWriter } from './json-writer.js';

/** One batch of prepared lines. */
export interface Job {
  lines: string[];
  lineNos: Int32Array;
  years: Int32Array;
  occs: Int32Array;
}

/** Lines parsed on the main thread before workers are worth starting (their start costs ~30 ms). */
const START_AFTER = 20_000;

/**
 * Worker threads to use: IPTA_PARSE_THREADS (default 0: none). Opt-in, because each worker is a
 * V8 heap of its own: on the shared 2-core machine two workers made a 1M-line parse ~1.4x faster
 * in wall time but raised the peak RSS from ~112 MB to ~137 MB, over the 120 MB budget.
 */
export function parseThreads(): number {
  const env = process.env.IPTA_PARSE_THREADS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), availableParallelism() * 2, 16);
  return 0;
}

class Pool {
  private readonly workers: Worker[] = [];
  /** per worker, the resolvers of its jobs in the order they were sent (it answers in order) */
  private readonly waiting: Array<Array<{ resolve: (b: Buffer) => void; reject: (e: Error) => void }>> = [];
  private next = 0;

  constructor(n: number, opts: LineParserOptions) {
    const data: LineParserOptions = { year: opts.year, tz: opts.tz, prefix: opts.prefix, acceptWords: opts.acceptWords, logWords: opts.logWords };
    for (let i = 0; i < n; i++) {
      // a small young generation keeps each worker's heap (and the peak RSS) small
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
      const queue: Array<{ resolve: (b: Buffer) => void; reject: (e: Error) => void }> = [];
      // the worker's NDJSON bytes arrive as a transferred ArrayBuffer: no copy
      w.on('message', (m: { buf: ArrayBuffer; off: number; len: number }) => queue.shift()?.resolve(Buffer.from(m.buf, m.off, m.len)));
      w.on('error', (err) => { for (const q of queue.splice(0)) q.reject(err); });
      this.workers.push(w);
      this.waiting.push(queue);
    }
  }

  /** Run a job on the next worker (round robin). */
  run(job: Job): Promise<Buffer> {
    const i = this.next;
    this.next = (i + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      this.waiting[i].push({ resolve, reject });
      this.workers[i].postMessage(job, [job.lineNos.buffer as ArrayBuffer, job.years.buffer as ArrayBuffer, job.occs.buffer as ArrayBuffer]);
    });
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/**
 * NDJSON text of the input's records, one string per input batch, on `threads` workers (the
 * first `startAfter` lines on the main thread).
 */
export async function* parseJsonParallel(opts: ParseOptions, stats: ParseStats, threads: number, startAfter = START_AFTER): AsyncGenerator<Buffer> {
  const main = new LineParser(opts);
  const local = new LineParser(opts);
  const input = openInput(opts);
  const writer = new JsonWriter();
  let pool: Pool | null = null;
  const pending: Array<Promise<Buffer>> = [];
  let lineNo = 0;
  let source: LineSource | null = null;
  const now = new Date();
  const tooLong = (path: string | null): void => {
    lineNo++;
    stats.lines++;
    stats.skipped.too_long++;
    opts.onTooLong?.(lineNo, path);
  };
  try {
    for await (const batch of input) {
      const ref = batch.mtime ?? now;
      if (source === null || source.path !== batch.path) source = { path: batch.path, ref };
      else source.ref = ref;
      const lines = batch.lines;
      const dropped = batch.dropped;
      const jobLines: string[] = [];
      const lineNos = new Int32Array(lines.length);
      const years = new Int32Array(lines.length);
      const occs = new Int32Array(lines.length);
      let d = 0;
      for (let k = 0; k < lines.length; k++) {
        if (dropped !== undefined) while (d < dropped.length && dropped[d] === k) { tooLong(batch.path); d++; }
        lineNo++;
        stats.lines++;
        const r = main.prepare(lines[k], source);
        if (typeof r === 'string') {
          stats.skipped[r]++;
          continue;
        }
        const j = jobLines.length;
        jobLines.push(lines[k]);
        lineNos[j] = lineNo;
        years[j] = main.preparedYear;
        occs[j] = r;
      }
      if (dropped !== undefined) for (; d < dropped.length; d++) tooLong(batch.path);
      const n = jobLines.length;
      if (n === 0) continue;
      stats.records += n;
      const job: Job = { lines: jobLines, lineNos: lineNos.slice(0, n), years: years.slice(0, n), occs: occs.slice(0, n) };
      if (pool === null && threads > 0 && lineNo >= startAfter) pool = new Pool(threads, opts);
      if (pool === null) {
        // no workers (yet): the same work on this thread
        for (let k = 0; k < n; k++) writer.record(local.parseAs(job.lines[k], job.lineNos[k], job.years[k], job.occs[k]));
        yield writer.take();
        continue;
      }
      pending.push(pool.run(job));
      // keep every worker busy with two jobs, no more: memory stays bounded
      while (pending.length >= threads * 2) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    pool?.close();
  }
}
