// One job of the stream engine's NDJSON reader (ndjson-report.ts): a run of record lines in, their
// report facts out, with the diagnostics of the lines that gave none, in input order. Pure; runs
// the same on a worker thread (fact-worker.ts) and on the main thread.
import { countLines, lineAt } from '../io/lines.js';
import { latin1 } from '../parse/byte-lane.js';
import { R, RecordScan, scanRecord } from './json-lane.js';
import { NdjsonDecoder, badLineMessage } from '../stream/ndjson-lines.js';
import { FactEncoder, type FactBatch } from './fact-batch.js';
import { toFact, tsUs } from './stream-engine.js';

export interface FactJob {
  /** whole lines as bytes, "\n" between them... */
  bytes?: Uint8Array;
  /** ...or decoded, with the places of overlong lines the reader dropped (see InputBatch) */
  lines?: string[];
  dropped?: number[];
  /** the number of the job's first line */
  firstLine: number;
  /** the longest line read (for the message about a dropped one) */
  maxLine: number;
}

/** A diagnostic: its warnLimited() kind and message. */
export type Note = [kind: 'bad-json' | 'skipped', message: string];

export interface FactJobResult {
  facts: FactBatch;
  notes: Note[];
  /** non-blank lines, those that were JSON objects, those that were not */
  lines: number;
  objects: number;
  bad: number;
  /** objects without a valid verdict */
  skipped: number;
  /** the job's bytes, handed back to be used again */
  bytes?: Uint8Array;
}

export function runFactJob(job: FactJob): FactJobResult {
  const stats = { lines: 0, objects: 0, bad: 0 };
  const notes: Note[] = [];
  // a bad line is reported in its place among the records' notes
  const BAD = {};
  const dec = new NdjsonDecoder({
    firstLine: job.firstLine, maxLineLength: job.maxLine, stats,
    inlineBad: (raw, lineNo, why) => { notes.push(['bad-json', badLineMessage(raw, lineNo, why)]); return BAD; },
  });
  const enc = new FactEncoder();
  let skipped = 0;
  const general = (lines: string[], dropped?: number[]): void => {
    for (const r of dec.lines(lines, dropped)) {
      if (r === BAD) continue;
      const f = toFact(r);
      if (typeof f === 'string') {
        skipped++;
        notes.push(['skipped', `record of line ${typeof r.line === 'number' ? r.line : '?'}: ${f}, skipped`]);
      } else enc.add(f);
    }
  };
  if (job.bytes !== undefined) {
    // the lane (json-lane.ts) where it applies, else the line decoded and parsed
    const b = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length);
    enc.start(countLines(b));
    const sc = new RecordScan();
    for (let a = 0; a <= b.length; ) {
      let e = b.indexOf(10, a);
      if (e === -1) e = b.length;
      if (scanRecord(b, a, e, sc)) {
        dec.counted();
        const ts = sc.from[R.ts] < 0 ? NaN : tsUs(latin1(b, sc.from[R.ts], sc.to[R.ts])) ?? NaN;
        enc.addJson(b, sc, ts);
      } else {
        general([lineAt(b, a, e)]);
      }
      a = e + 1;
    }
  } else {
    enc.start(job.lines!.length);
    general(job.lines!, job.dropped);
  }
  return { facts: enc.finish(), notes, ...stats, skipped, bytes: job.bytes };
}
