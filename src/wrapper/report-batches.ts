// `ipta --analyze FILE`: the stream engine fed a batch of records at a time. reportFromRecords
// takes one record per `for await` step; the parser hands out batches of a few thousand, so
// feeding the accumulator inside the batch saves two async steps per line (about 15% of the
// time of a whole --analyze on the 1M-line log). Same accumulator, same rows, same diagnostics.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import type { ParseStats } from '../parse/index.js';
import { FactDecoder } from './fact-batch.js';
import type { WorkerInput, WorkerMessage } from './parse-worker.js';
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

/**
 * The same report with the parse in a second thread (parse-worker.ts): the parser and the report
 * each get a core, and only compact fact batches cross between them. `stats` is filled when the
 * worker ends. Errors in the worker (a missing file) are thrown here as the same error kind.
 */
export async function* reportFromFilesInWorker(
  parse: WorkerInput['parse'], opts: Partial<ReportOptions>, stats: ParseStats,
): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  const dec = new FactDecoder();
  const worker = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { parse } satisfies WorkerInput });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => { queue.push(m); wake?.(); });
  worker.on('error', (err) => { failure = err; wake?.(); });
  worker.on('exit', (code) => { if (code !== 0 && !failure) failure = new RuntimeError(`the parse thread stopped (exit ${code})`); wake?.(); });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = null;
        continue;
      }
      if (m.type === 'facts') {
        for (const f of dec.decode(m.batch)) acc.add(f);
        worker.postMessage('ack');
      } else if (m.type === 'done') {
        Object.assign(stats, m.stats);
        break;
      } else {
        throw m.kind === 'usage' ? new UsageError(m.message) : new RuntimeError(m.message, m.exitCode, m.hint);
      }
    }
  } finally {
    await worker.terminate();
  }
  yield* acc.rows();
}

/**
 * Parse in a second thread when it can pay: more than one core, files (not stdin) of at least
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
