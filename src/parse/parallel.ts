// ipta-parse on more than one core. The main thread reads: it cuts the input into jobs of whole
// lines (~64 KiB of bytes, not decoded there), numbers them, and hands on the results in input
// order. Worker threads, and for ipta-parse the main thread in its turn, do the rest (decoding,
// framing, fields, keys, then NDJSON, or report facts for `ipta --analyze FILE`).
//
// Parsing is not quite stateless: a year-less stamp takes its year from the stamps before it, and
// identical lines are told apart by how many came before them under the same stamp. A job is
// therefore started from a guess of that state — the last state known for sure for the year, and
// no earlier lines for the counts — and its result says what the guess was used for: the first
// year-less stamp and the year it got, and the keys of the first lines sharing one stamp. When the
// previous job is accepted, the exact state is known and the guess is checked against it; a job
// whose guess would have made a difference (a year boundary crossed between jobs, identical lines
// split by a job boundary: rare) is parsed again on the main thread from the exact state. So the
// output is byte for byte the output of one thread, whatever the input (tests compare them).
import { availableParallelism } from 'node:os';
import { WorkerPool, envNumber } from '../io/worker-pool.js';
import { JobBytes } from '../io/job-bytes.js';
import { readInputs, type InputBatch } from '../io/inputs.js';
import { OCCURRENCE_LIMIT, OCCURRENCE_MAX_CHARS, type OccurrenceState } from './key.js';
import { FRESH_YEAR, inferYear, type LineParserOptions, type YearState } from './line-parser.js';
import { JobRunner, type Job, type JobOutput, type JobResult } from './job.js';
import { makeZone } from './time.js';
import type { ParseOptions, ParseStats } from './index.js';

/** How the input is cut; tests make jobs tiny to put many job boundaries in a small log. */
export interface Tuning {
  /** bytes of input per job (IPTA_PARSE_JOB_BYTES) */
  jobBytes: number;
  /** input parsed on the main thread alone before workers are started (IPTA_PARSE_INLINE_BYTES) */
  inlineBytes: number;
  /** called for each job parsed again because its guessed state made a difference */
  onReparse?: (firstLine: number) => void;
}

export const DEFAULT_TUNING: Tuning = {
  jobBytes: envNumber('IPTA_PARSE_JOB_BYTES') ?? 64 * 1024,
  // a worker's start costs ~30 ms: not worth it for a small input
  inlineBytes: envNumber('IPTA_PARSE_INLINE_BYTES') ?? 4 * 1024 * 1024,
};

/**
 * Worker threads to use besides the main thread, which parses its share too: IPTA_PARSE_THREADS
 * (0: none), by default one per core beyond the first, at most 3.
 */
export function parseThreads(): number {
  const n = envNumber('IPTA_PARSE_THREADS');
  if (n !== undefined) return Math.min(n, availableParallelism() * 2, 16);
  return Math.min(availableParallelism() - 1, 3);
}

/** How long the input may pause before what is held back is handed on anyway. */
const IDLE_MS = 50;
const IDLE = Symbol('idle');

/** `p`, or IDLE when it takes longer than IDLE_MS. */
async function idleOr<T>(p: Promise<T>): Promise<T | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => { timer = setTimeout(() => resolve(IDLE), IDLE_MS); });
  try {
    return await Promise.race([p, idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** A job sent: `fresh` when it starts an input, `exact` when it was given the exact state. */
interface Pending {
  job: Job;
  fresh: boolean;
  exact: boolean;
  result: Promise<JobResult> | JobResult | null;
}

const NO_OCC: OccurrenceState = { stamp: '', seen: [], chars: 0 };

/** The records of the input as NDJSON bytes, one Buffer per job, on `threads` worker threads. */
export async function* parseJsonParallel(opts: ParseOptions, stats: ParseStats, threads: number, tuning: Tuning = DEFAULT_TUNING): AsyncGenerator<Buffer> {
  for await (const res of parseParallel(opts, stats, threads, 'json', true, tuning)) yield Buffer.from(res.out.buffer, res.out.byteOffset, res.out.length);
}

/**
 * The input's jobs, parsed on `threads` worker threads (and on this one when `mainShare`; else
 * this thread only cuts the input, checks results and parses again what needs it), each result
 * in input order, counted in `stats`.
 */
export async function* parseParallel(
  opts: ParseOptions, stats: ParseStats, threads: number, output: JobOutput, mainShare: boolean, tuning: Tuning = DEFAULT_TUNING,
): AsyncGenerator<JobResult> {
  const inline = new JobRunner(opts, output);
  const zone = makeZone(opts.tz);
  const input = readInputs(opts.files ?? [], { maxLineLength: opts.maxLineLength, stdin: opts.stdin, raw: true });
  const now = Date.now();
  let pool: WorkerPool<Job, JobResult> | null = null;
  const pending: Pending[] = [];
  // the exact state after the last job accepted
  let year: YearState = FRESH_YEAR;
  let occ: OccurrenceState = NO_OCC;
  // the jobs made so far: their next line number, their last path, their bytes
  let lineNo = 0;
  let lastPath: string | null | undefined;
  let bytesIn = 0;
  const acc = new JobBytes(tuning.jobBytes);
  let accPath: string | null = null;
  let accRef = 0;
  let turn = 0;

  /** Check a result against the exact state (parse again from it if the guess mattered); its output. */
  const accept = (p: Pending, res: JobResult): JobResult => {
    if (p.exact) {
      year = res.endYear;
      occ = res.endOcc;
    } else {
      const start = p.fresh ? FRESH_YEAR : year;
      const fy = res.probe.firstYearLess;
      const next = fy === null || inferYear(zone, start, fy, p.job.ref, opts.year) === fy.year ? nextOccurrences(occ, res) : null;
      if (next === null) {
        tuning.onReparse?.(p.job.firstLine);
        res = inline.run({ ...p.job, bytes: res.bytes, year: start, occ });
        year = res.endYear;
        occ = res.endOcc;
      } else {
        year = fy === null ? start : res.endYear;
        occ = next;
      }
    }
    acc.recycle(res.bytes);
    stats.lines += res.lines;
    stats.records += res.records;
    stats.skipped.blank += res.blank;
    stats.skipped.not_netfilter += res.not_netfilter;
    stats.skipped.prefix_mismatch += res.prefix_mismatch;
    return res;
  };

  /** Start a job: on this thread until the input is big enough to start workers, then on them. */
  const dispatch = (job: Omit<Job, 'year' | 'occ' | 'firstLine'>, count: number): JobResult | null => {
    const fresh = job.path !== lastPath;
    lastPath = job.path;
    if (pool === null && threads > 0 && bytesIn >= tuning.inlineBytes) {
      const parser: LineParserOptions = { year: opts.year, tz: opts.tz, prefix: opts.prefix, acceptWords: opts.acceptWords, logWords: opts.logWords };
      // report facts: bigger jobs and young generations (a record and a fact per line die young), ~2x fewer GCs
      pool = new WorkerPool(threads, new URL('./worker.js', import.meta.url), { parser, output }, 'parse', output === 'facts' ? 32 : 4);
    }
    // with nothing pending, every job before is accepted: the exact state is known
    const exact = pool === null || pending.length === 0;
    const full: Job = { ...job, firstLine: lineNo + 1, year: fresh ? FRESH_YEAR : year, occ: exact ? occ : null };
    lineNo += count;
    const p: Pending = { job: full, fresh, exact, result: null };
    if (pool === null) return accept(p, inline.run(full));
    // this thread takes its turn too when it has nothing else to do: one job in threads + 1
    p.result = mainShare && ++turn % (threads + 1) === 0 ? inline.run(full) : pool.run(full, full.bytes !== undefined ? [full.bytes.buffer as ArrayBuffer] : []);
    pending.push(p);
    return null;
  };

  const flushBytes = (): JobResult | null => {
    const count = acc.lines;
    const bytes = acc.take();
    return bytes === null ? null : dispatch({ bytes, path: accPath, ref: accRef }, count);
  };

  const it = input[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<InputBatch>> | null = null;
  try {
    for (;;) {
      next ??= it.next();
      // something held back: wait for more input only so long (a live pipe: `tail -F log | ipta-parse`)
      const r = acc.lines > 0 || pending.length > 0 ? await idleOr(next) : await next;
      if (r === IDLE) {
        // the input pauses: hand on what is gathered and everything in flight
        const out = flushBytes();
        if (out !== null) yield out;
        while (pending.length > 0) {
          const p = pending.shift()!;
          yield accept(p, await p.result!);
        }
        continue;
      }
      next = null;
      if (r.done) break;
      const batch = r.value;
      const ref = batch.mtime?.getTime() ?? now;
      if (batch.path !== accPath || ref !== accRef) {
        const out = flushBytes();
        if (out !== null) yield out;
        accPath = batch.path;
        accRef = ref;
      }
      if (batch.bytes !== undefined) {
        bytesIn += batch.bytes.length;
        for (const _full of acc.fill(batch.bytes)) {
          const out = flushBytes();
          if (out !== null) yield out;
        }
      } else {
        let out = flushBytes();
        if (out !== null) yield out;
        out = dispatchLines(batch);
        if (out !== null) yield out;
      }
      // two jobs per thread in flight, no more: memory stays bounded
      while (pending.length >= (threads + 1) * 2) {
        const p = pending.shift()!;
        yield accept(p, await p.result!);
      }
    }
    const out = flushBytes();
    if (out !== null) yield out;
    while (pending.length > 0) {
      const p = pending.shift()!;
      yield accept(p, await p.result!);
    }
  } finally {
    (pool as WorkerPool<Job, JobResult> | null)?.close();
    // stopped early (| head): close the input, without waiting behind a read still in flight
    if (next !== null) next.catch(() => {});
    void it.return?.(undefined)?.catch(() => {});
  }

  /** A batch the reader decoded (it dropped an overlong line): a job of strings. */
  function dispatchLines(batch: InputBatch): JobResult | null {
    const dropped = batch.dropped;
    if (dropped !== undefined) {
      // the dropped lines' numbers, as the one-thread path counts them
      let d = 0;
      let n = lineNo;
      for (let k = 0; k <= batch.lines.length; k++) {
        while (d < dropped.length && dropped[d] === k) {
          n++;
          stats.lines++;
          stats.skipped.too_long++;
          opts.onTooLong?.(n, batch.path);
          d++;
        }
        n++;
      }
    }
    for (const l of batch.lines) bytesIn += l.length;
    return dispatch({ lines: batch.lines, dropped, path: batch.path, ref: accRef }, batch.lines.length + (dropped?.length ?? 0));
  }
}

/**
 * The exact occurrence state after a job started from none, given the exact state before it; null
 * when starting from none made a difference (a line of the job's lead was seen before under the
 * same stamp) or could have (the counter would have been emptied at its size limit).
 */
function nextOccurrences(before: OccurrenceState, res: JobResult): OccurrenceState | null {
  const lead = res.probe.lead;
  if (lead === null) return before;
  if (lead.stamp !== before.stamp) return res.endOcc;
  if (lead.overflow || before.seen.length + lead.keys.length >= OCCURRENCE_LIMIT || before.chars + lead.chars > OCCURRENCE_MAX_CHARS) return null;
  if (before.seen.length > 0) {
    const seen = new Set(before.seen.map((e) => e[0]));
    for (const k of lead.keys) if (seen.has(k)) return null;
  }
  if (!lead.open) return res.endOcc;
  return { stamp: before.stamp, seen: [...before.seen, ...res.endOcc.seen], chars: before.chars + res.endOcc.chars };
}
