// One job of the parallel parser (parallel.ts): a run of whole lines in, their NDJSON out, with
// what the main thread needs to check the state the run was started from. Runs the same on a
// worker thread (worker.ts) and on the main thread.
import { decodeLines } from '../io/lines.js';
import type { OccurrenceState } from './key.js';
import { JsonWriter } from './json-writer.js';
import { LineParser, type LineParserOptions, type Probe, type YearState } from './line-parser.js';
import { toFact, type Fact } from '../report/stream-engine.js';
import { FactEncoder, type FactBatch } from '../report/fact-batch.js';

/** What a job makes of its records: NDJSON (ipta-parse), or report facts (`ipta --analyze FILE`). */
export type JobOutput = 'json' | 'facts';

export interface Job {
  /** the lines as bytes (see LineBatch.bytes)... */
  bytes?: Uint8Array;
  /** ...or as strings, with the places of overlong lines dropped by the reader (see InputBatch) */
  lines?: string[];
  dropped?: number[];
  /** the number of the job's first input line (dropped ones count) */
  firstLine: number;
  path: string | null;
  /** the reference time of year inference (ms) */
  ref: number;
  /** the state to start from: exact, or a guess the main thread checks afterwards */
  year: YearState;
  /** null: empty (a guess), the main thread checks the result's probe against the exact state */
  occ: OccurrenceState | null;
}

export interface JobResult {
  /** the records as NDJSON ('json') */
  out: Uint8Array;
  /** the records as report facts ('facts'), with the lines of records that give none and why */
  facts?: FactBatch;
  noFact?: Array<[number, string]>;
  /** the job's bytes, handed back (a job run again needs them) */
  bytes?: Uint8Array;
  lines: number;
  records: number;
  blank: number;
  not_netfilter: number;
  prefix_mismatch: number;
  probe: Probe;
  /** the state after the job's last line */
  endYear: YearState;
  endOcc: OccurrenceState;
}

export class JobRunner {
  private readonly parser: LineParser;
  private readonly writer = new JsonWriter(128 * 1024);

  constructor(opts: LineParserOptions, private readonly output: JobOutput = 'json') {
    this.parser = new LineParser(output === 'facts' ? { ...opts, noKeys: true } : opts);
  }

  run(job: Job): JobResult {
    const lines = job.bytes !== undefined ? decodeLines(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length)) : job.lines!;
    const parser = this.parser;
    const source = { path: job.path, ref: new Date(job.ref) };
    parser.begin(source, job.year, job.occ);
    const res: JobResult = {
      out: new Uint8Array(0), bytes: job.bytes, lines: lines.length, records: 0, blank: 0, not_netfilter: 0, prefix_mismatch: 0,
      probe: parser.probe!, endYear: job.year, endOcc: { stamp: '', seen: [], chars: 0 },
    };
    const facts: Fact[] | null = this.output === 'facts' ? [] : null;
    const dropped = job.dropped;
    let d = 0;
    let lineNo = job.firstLine - 1;
    for (let k = 0; k < lines.length; k++) {
      if (dropped !== undefined) while (d < dropped.length && dropped[d] === k) { lineNo++; d++; }
      lineNo++;
      const r = parser.parse(lines[k], lineNo, source);
      if (typeof r === 'string') res[r]++;
      else {
        res.records++;
        if (facts === null) this.writer.record(r);
        else {
          const f = toFact(r as Parameters<typeof toFact>[0]);
          if (typeof f === 'string') (res.noFact ??= []).push([lineNo, f]);
          else facts.push(f);
        }
      }
    }
    if (facts === null) res.out = this.writer.take();
    // a dictionary of its own per batch: results are used in another order than they are made
    else res.facts = new FactEncoder().encode(facts);
    res.endYear = parser.yearState();
    res.endOcc = parser.occurrenceState();
    parser.probe = null;
    return res;
  }
}
