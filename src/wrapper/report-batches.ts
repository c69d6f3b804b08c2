// `ipta --analyze FILE`: the stream engine fed a batch of records at a time. reportFromRecords
// takes one record per `for await` step; the parser hands out batches of a few thousand, so
// feeding the accumulator inside the batch saves two async steps per line (about 15% of the
// time of a whole --analyze on the 1M-line log). Same accumulator, same rows, same diagnostics.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { diag } from '../cli/diag.js';
import type { ParseOptions, ParseStats } from '../parse/index.js';
import { DEFAULT_TUNING, parseParallel } from '../parse/parallel.js';
import { envNumber } from '../io/worker-pool.js';
import type { IptaRecord } from '../record.js';
import { reportOptions, type ReportOptions } from '../report/options.js';
import type { ReportRow } from '../report/rows.js';
import { StreamReport, toFact } from '../report/stream-engine.js';

export async function* reportFromBatches(batches: AsyncIterable<IptaRecord[]>, opts: Partial<ReportOptions>): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  let n = 0;
  for await (const batch of readAhead(batches)) {
    for (const r of batch) {
      n++;
      const f = toFact(r as unknown as Parameters<typeof toFact>[0]);
      if (typeof f === 'string') {
        diag().warnLimited('skipped', `record of line ${r.line ?? n}: ${f}, skipped`);
        continue;
      }
      acc.add(f);
    }
  }
  yield* acc.rows();
}

/**
 * Ask for the next batch before handing out the current one: the parser then starts its next
 * file read while the accumulator works, instead of the process idling on the read afterwards.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      yield r.value;
    }
  } finally {
    // an early end (an error downstream): let the source close its files
    await it.return?.();
  }
}

/** Jobs of 1 MiB: a fact batch is small, and fewer jobs are fewer messages for the busy main thread. */
const FACT_TUNING = { ...DEFAULT_TUNING, jobBytes: envNumber('IPTA_PARSE_JOB_BYTES') ?? 1024 * 1024 };

/**
 * The same report with the parse on worker threads (parse/parallel.ts), this thread keeping the
 * report: only compact fact batches cross between them. `stats` is filled as jobs are accepted.
 */
export async function* reportFromFilesParallel(parse: ParseOptions, opts: Partial<ReportOptions>, stats: ParseStats): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  // one parse worker per core beyond this one's (the report's): two workers on two cores measured slower
  for await (const res of parseParallel(parse, stats, Math.max(1, Math.min(availableParallelism() - 1, 3)), 'facts', false, FACT_TUNING)) {
    if (res.noFact) for (const [line, why] of res.noFact) diag().warnLimited('skipped', `record of line ${line}: ${why}, skipped`);
    acc.addBatch(res.facts!);
  }
  yield* acc.rows();
}

/**
 * Parse on worker threads when it can pay: more than one core, files (not stdin) of at least
 * 8 MB. IPTA_PARSE_THREAD=1 forces it, =0 forbids it (tests compare both).
 */
export function useParseThread(files: string[]): boolean {
  const force = process.env.IPTA_PARSE_THREAD;
  if (force === '0') return false;
  if (files.length === 0) return false;
  if (force === '1') return true;
  if (availableParallelism() < 2) return false;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      return false; // the reader reports it, in the main thread
    }
  }
  return bytes >= 8 * 1024 * 1024;
}
