import type { Readable } from 'node:stream';
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';
import { LineSplitter } from '../io/lines.js';

type Rec = Record<string, unknown>;

export interface NdjsonStats {
  /** non-empty lines read */
  lines: number;
  /** lines that were valid JSON objects */
  objects: number;
  /** lines that were not JSON objects */
  bad: number;
}

export interface NdjsonOptions {
  /** the first bad line is fatal */
  strict?: boolean;
  /** longest line accepted, in bytes; longer lines are counted as bad and reported, never buffered (default 16 MiB) */
  maxLineLength?: number;
  /** called with the raw text of a line that is not a JSON object (after it is counted) */
  onBad?: (line: string, lineNo: number, why: string) => void;
  stats?: NdjsonStats;
  /** attach the line's own text to each object under this (symbol) key, e.g. to store it as is */
  rawKey?: symbol;
  /** instead of onBad: a bad line becomes this object, in its place among the records */
  inlineBad?: (line: string, lineNo: number, why: string) => Rec;
  /** the number of the first line (default 1): for a piece of a bigger input */
  firstLine?: number;
}

/** The diagnostic for a line that is not a JSON object: `line 17: invalid JSON: "..."`. */
export function badLineMessage(raw: string, lineNo: number, why: string): string {
  return `line ${lineNo}: ${why}${raw ? `: ${preview(raw)}` : ''}`;
}

/**
 * NDJSON text -> objects, one chunk of lines at a time. A line that is not a JSON object is
 * counted and reported on stderr (`line 17: invalid JSON`), never fatal unless `strict`; blank
 * lines are ignored. A line longer than maxLineLength is counted and reported the same way.
 * Lines come from the input layer's splitter (src/io/lines.ts): one decode per chunk.
 * The objects of one chunk come lazily and in order with the bad lines' reports (onBad), so a
 * pass-through of bad lines (ipta-format) keeps its place.
 */
export class NdjsonDecoder {
  private lineNo: number;
  private readonly max: number;
  private readonly stats: NdjsonStats;
  private readonly splitter: LineSplitter;

  constructor(private readonly opts: NdjsonOptions) {
    this.lineNo = (opts.firstLine ?? 1) - 1;
    this.max = opts.maxLineLength ?? 16 * 1024 * 1024;
    this.stats = opts.stats ?? { lines: 0, objects: 0, bad: 0 };
    this.splitter = new LineSplitter({ maxLineLength: this.max });
  }

  private bad(raw: string, why: string): Rec | undefined {
    this.stats.bad++;
    const { opts, lineNo } = this;
    if (opts.strict) throw new RuntimeError(`line ${lineNo}: ${why} (--strict)`);
    if (opts.inlineBad) return opts.inlineBad(raw, lineNo, why);
    if (opts.onBad) opts.onBad(raw, lineNo, why);
    else diag().warnLimited('bad-json', badLineMessage(raw, lineNo, why));
    return undefined;
  }

  /** One line read elsewhere as the JSON object it is (the report's lane): counted as lines() counts it. */
  counted(): void {
    this.lineNo++;
    this.stats.lines++;
    this.stats.objects++;
  }

  /** The objects of the next chunk (`null`: the end of the input). */
  *objects(chunk: Buffer | string | null): Generator<Rec> {
    const { lines, dropped } = chunk === null ? this.splitter.end() : this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    yield* this.lines(lines, dropped);
  }

  /** The objects of lines already split (with the places of overlong ones dropped, see LineBatch). */
  *lines(lines: string[], dropped?: number[]): Generator<Rec> {
    const { stats, opts } = this;
    let d = 0;
    for (let i = 0; i <= lines.length; i++) {
      while (dropped && d < dropped.length && dropped[d] === i) {
        d++;
        this.lineNo++;
        stats.lines++;
        const m = this.bad('', `line longer than ${this.max} bytes, skipped`);
        if (m) yield m;
      }
      if (i === lines.length) break;
      const raw = lines[i]!;
      this.lineNo++;
      // blank lines are ignored (a record line starts with '{': no regex for those)
      if (raw.charCodeAt(0) !== 123 && (raw.length === 0 || /^\s*$/.test(raw))) continue;
      stats.lines++;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        stats.objects++;
        if (opts.rawKey) (value as Record<symbol, unknown>)[opts.rawKey] = raw;
        yield value as Rec;
        continue;
      }
      const m = this.bad(raw, value !== undefined ? 'not a JSON object' : 'invalid JSON');
      if (m) yield m;
    }
  }
}

/** NDJSON text -> objects, one at a time (see NdjsonDecoder for the rules). */
export async function* ndjsonLines(input: Readable | AsyncIterable<Buffer | string>, opts: NdjsonOptions = {}): AsyncGenerator<Rec> {
  const dec = new NdjsonDecoder(opts);
  for await (const chunk of input as AsyncIterable<Buffer | string>) yield* dec.objects(chunk);
  yield* dec.objects(null);
}

/**
 * NDJSON text -> arrays of objects, one array per chunk read: the same rules as ndjsonLines
 * without one async step per record, for stages whose per-record work is a few map updates
 * (ipta-report's stream engine, ipta-rdns with a warm cache), where that step is a large share.
 */
export async function* ndjsonBatches(input: Readable | AsyncIterable<Buffer | string>, opts: NdjsonOptions = {}): AsyncGenerator<Rec[]> {
  const dec = new NdjsonDecoder(opts);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const out = Array.from(dec.objects(chunk));
    if (out.length) yield out;
  }
  const out = Array.from(dec.objects(null));
  if (out.length) yield out;
}

/** A short, printable preview of a hostile line for a diagnostic. */
export function preview(s: string, n = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.slice(0, n).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(s.length > n ? `${clean}...` : clean);
}
