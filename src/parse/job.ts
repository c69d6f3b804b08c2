// One job of the parallel parser (parallel.ts): a run of whole lines in, their NDJSON out, with
// what the main thread needs to check the state the run was started from. Runs the same on a
// worker thread (worker.ts) and on the main thread.
import { countLines, lineAt } from '../io/lines.js';
import type { OccurrenceState } from './key.js';
import { JsonWriter } from './json-writer.js';
import { LineParser, type LineParserOptions, type LineSource, type Probe, type SkipReason, type YearState } from './line-parser.js';
import { toFact } from '../report/stream-engine.js';
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
    const parser = this.parser;
    const source = { path: job.path, ref: new Date(job.ref) };
    parser.begin(source, job.year, job.occ);
    const res: JobResult = {
      out: new Uint8Array(0), bytes: job.bytes, lines: 0, records: 0, blank: 0, not_netfilter: 0, prefix_mismatch: 0,
      probe: parser.probe!, endYear: job.year, endOcc: { stamp: '', seen: [], chars: 0 },
    };
    const json = this.output === 'json';
    if (job.bytes !== undefined) {
      // from bytes: the byte lane where it applies (parseBytes, parseFact), else the line decoded
      const b = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length);
      if (!json) this.facts = startFacts(countLines(b));
      let lineNo = job.firstLine - 1;
      for (let a = 0; a <= b.length; ) {
        let e = b.indexOf(10, a);
        if (e === -1) e = b.length;
        lineNo++;
        res.lines++;
        let r = json ? parser.parseBytes(b, a, e, lineNo, source, this.writer) : parser.parseFact(b, a, e, source, this.facts);
        if (r === undefined) r = this.general(lineAt(b, a, e), lineNo, source, res);
        if (r === null) res.records++;
        else res[r]++;
        a = e + 1;
      }
    } else {
      // lines the reader decoded (it dropped an overlong one: dropped lines count)
      const lines = job.lines!;
      if (!json) this.facts = startFacts(lines.length);
      res.lines = lines.length;
      const dropped = job.dropped;
      let d = 0;
      let lineNo = job.firstLine - 1;
      for (let k = 0; k < lines.length; k++) {
        if (dropped !== undefined) while (d < dropped.length && dropped[d] === k) { lineNo++; d++; }
        lineNo++;
        const r = this.general(lines[k], lineNo, source, res);
        if (r === null) res.records++;
        else res[r]++;
      }
    }
    if (!json) res.facts = this.facts.finish();
    if (json) res.out = this.writer.take();
    res.endYear = parser.yearState();
    res.endOcc = parser.occurrenceState();
    parser.probe = null;
    return res;
  }

  /** A line the general way: its NDJSON, or its fact (or the reason it gives none, in res.noFact). */
  private general(line: string, lineNo: number, source: LineSource, res: JobResult): SkipReason | null {
    if (this.output === 'json') return this.parser.parseJson(line, lineNo, source, this.writer);
    const r = this.parser.parse(line, lineNo, source);
    if (typeof r === 'string') return r;
    const f = toFact(r as Parameters<typeof toFact>[0]);
    if (typeof f === 'string') (res.noFact ??= []).push([lineNo, f]);
    else this.facts.add(f);
    return null;
  }

  private facts = new FactEncoder();
}

/** An encoder for one batch: a dictionary of its own per batch (results are used in another order than they are made). */
function startFacts(capacity: number): FactEncoder {
  const enc = new FactEncoder();
  enc.start(capacity);
  return enc;
}
