// One job of the parallel parser (parallel.ts): a run of whole lines in, their NDJSON out, with
// what the main thread needs to check the state the run was started from. Runs the same on a
// worker thread (worker.ts) and on the main thread.
import { decodeLines } from '../io/lines.js';
import type { OccurrenceState } from './key.js';
import { JsonWriter } from './json-writer.js';
import { LineParser, type Probe, type YearState } from './line-parser.js';

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
  out: Uint8Array;
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

  constructor(opts: ConstructorParameters<typeof LineParser>[0]) {
    this.parser = new LineParser(opts);
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
        this.writer.record(r);
      }
    }
    res.out = this.writer.take();
    res.endYear = parser.yearState();
    res.endOcc = parser.occurrenceState();
    parser.probe = null;
    return res;
  }
}
