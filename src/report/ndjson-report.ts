// The stream engine's command-line path: NDJSON text -> facts -> rows. The main thread reads and
// cuts the input into jobs of whole lines (not decoded there) and counts; worker threads decode the
// JSON and make report facts (fact-job.ts), which come back as typed arrays, in input order, to the
// accumulator on the main thread. A small input is read on the main thread alone, and so is every
// input with IPTA_REPORT_THREADS=0: the same jobs, the same rows, the same diagnostics.
import { availableParallelism } from 'node:os';
import { diag } from '../cli/diag.js';
import { LineSplitter, type LineBatch } from '../io/lines.js';
import { WorkerPool, envNumber } from '../io/worker-pool.js';
import { JobBytes } from '../io/job-bytes.js';
import type { NdjsonStats } from '../stream/ndjson-lines.js';
import type { ReportRow } from './rows.js';
import { reportOptions, type ReportOptions } from './options.js';
import { StreamReport } from './stream-engine.js';
import { runFactJob, type FactJob, type FactJobResult } from './fact-job.js';
import type { StreamStats } from './index.js';

const MAX_LINE = 16 * 1024 * 1024;
/** input read on the main thread before workers are started (a worker's start costs ~30 ms) */
const INLINE_BYTES = envNumber('IPTA_REPORT_INLINE_BYTES') ?? 4 * 1024 * 1024;

/** Worker threads that decode NDJSON: IPTA_REPORT_THREADS (0: none), by default one per core beyond the first, at most 3. */
export function reportThreads(): number {
  const n = envNumber('IPTA_REPORT_THREADS');
  return n !== undefined ? Math.min(n, 16) : Math.min(availableParallelism() - 1, 3);
}

export async function* reportFromNdjson(input: AsyncIterable<Buffer | string>, opts: Partial<ReportOptions>, lineStats: NdjsonStats, stats: StreamStats): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  const d = diag();
  for await (const res of factJobs(input, reportThreads())) {
    for (const [kind, message] of res.notes) d.warnLimited(kind, message);
    lineStats.lines += res.lines;
    lineStats.objects += res.objects;
    lineStats.bad += res.bad;
    stats.records += res.objects;
    stats.skipped += res.skipped;
    acc.addBatch(res.facts);
  }
  yield* acc.rows();
}

/**
 * Bytes of input per job, and jobs in flight per worker (8: the worker always has one queued;
 * 4 left it waiting at times, ~4% slower). Jobs of 1 MiB and 32 MB young generations
 * on the workers (the objects JSON.parse makes die young): measured ~10% faster than 256 KiB and 4 MB.
 */
const JOB_BYTES = envNumber('IPTA_REPORT_JOB_BYTES') ?? 1024 * 1024;
const IN_FLIGHT = 8;

/** The input's jobs, run on `threads` worker threads once the input is big enough, results in order. */
async function* factJobs(input: AsyncIterable<Buffer | string>, threads: number): AsyncGenerator<FactJobResult> {
  const splitter = new LineSplitter({ maxLineLength: MAX_LINE, raw: true });
  let pool: WorkerPool<FactJob, FactJobResult> | null = null;
  const pending: Array<Promise<FactJobResult>> = [];
  let lineNo = 0;
  let bytesIn = 0;
  const acc = new JobBytes(JOB_BYTES);
  const take = (): FactJob | null => {
    const count = acc.lines;
    const bytes = acc.take();
    if (bytes === null) return null;
    const job: FactJob = { bytes, firstLine: lineNo + 1, maxLine: MAX_LINE };
    lineNo += count;
    return job;
  };
  /** Jobs of a splitter batch: bytes are gathered; decoded lines (a line was dropped) make a job of their own. */
  const jobs = (b: LineBatch, last: boolean): FactJob[] => {
    const out: FactJob[] = [];
    const push = (j: FactJob | null): void => { if (j !== null) out.push(j); };
    if (b.bytes !== undefined) {
      for (const _full of acc.fill(b.bytes)) push(take());
    } else if (b.lines.length > 0 || b.dropped !== undefined) {
      push(take());
      out.push({ lines: b.lines, dropped: b.dropped, firstLine: lineNo + 1, maxLine: MAX_LINE });
      lineNo += b.lines.length + (b.dropped?.length ?? 0);
    }
    if (acc.length >= JOB_BYTES || last) push(take());
    return out;
  };
  /** A result handed on; its job's buffer back to the gatherer. */
  const done = (r: FactJobResult): FactJobResult => {
    acc.recycle(r.bytes);
    return r;
  };
  const run = (j: FactJob): Promise<FactJobResult> | FactJobResult => {
    if (pool === null && threads > 0 && bytesIn >= INLINE_BYTES) pool = new WorkerPool(threads, new URL('./fact-worker.js', import.meta.url), null, 'report', 32);
    if (pool === null) return runFactJob(j);
    return pool.run(j, j.bytes !== undefined ? [j.bytes.buffer as ArrayBuffer] : []);
  };
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytesIn += buf.length;
      for (const j of jobs(splitter.push(buf), false)) {
        const r = run(j);
        if (!(r instanceof Promise) && pending.length === 0) yield done(r);
        else pending.push(Promise.resolve(r));
      }
      // a few jobs per thread in flight, no more: memory stays bounded
      while (pending.length > 0 && pending.length >= threads * IN_FLIGHT) yield done(await pending.shift()!);
    }
    for (const j of jobs(splitter.end(), true)) pending.push(Promise.resolve(run(j)));
    while (pending.length > 0) yield done(await pending.shift()!);
  } finally {
    (pool as WorkerPool<FactJob, FactJobResult> | null)?.close();
    for (const p of pending) p.catch(() => {});
  }
}
