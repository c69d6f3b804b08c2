// One job of the stream engine's NDJSON reader (ndjson-report.ts): a run of record lines in, their
// report facts out, with the diagnostics of the lines that gave none, in input order. Pure; runs
// the same on a worker thread (fact-worker.ts) and on the main thread.
import { decodeLines } from '../io/lines.js';
import { preview } from '../stream/ndjson-lines.js';
import { FactEncoder, type FactBatch } from './fact-batch.js';
import { toFact, type Fact } from './stream-engine.js';

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
  const lines = job.bytes !== undefined ? decodeLines(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length)) : job.lines!;
  const res: FactJobResult = { facts: undefined as unknown as FactBatch, notes: [], lines: 0, objects: 0, bad: 0, skipped: 0, bytes: job.bytes };
  const facts: Fact[] = [];
  const dropped = job.dropped;
  let d = 0;
  let lineNo = job.firstLine - 1;
  for (let i = 0; i <= lines.length; i++) {
    while (dropped !== undefined && d < dropped.length && dropped[d] === i) {
      d++;
      lineNo++;
      res.lines++;
      res.bad++;
      res.notes.push(['bad-json', `line ${lineNo}: line longer than ${job.maxLine} bytes, skipped`]);
    }
    if (i === lines.length) break;
    const raw = lines[i]!;
    lineNo++;
    // blank lines are ignored (a record line starts with '{': no regex for those)
    if (raw.charCodeAt(0) !== 123 && (raw.length === 0 || /^\s*$/.test(raw))) continue;
    res.lines++;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      v = undefined;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      res.bad++;
      res.notes.push(['bad-json', `line ${lineNo}: ${v !== undefined ? 'not a JSON object' : 'invalid JSON'}: ${preview(raw)}`]);
      continue;
    }
    res.objects++;
    const r = v as Record<string, unknown>;
    const f = toFact(r);
    if (typeof f === 'string') {
      res.skipped++;
      res.notes.push(['skipped', `record of line ${typeof r.line === 'number' ? r.line : '?'}: ${f}, skipped`]);
    } else facts.push(f);
  }
  res.facts = new FactEncoder().encode(facts);
  return res;
}
