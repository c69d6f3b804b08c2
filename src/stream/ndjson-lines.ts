import split2 from 'split2';
import type { Readable } from 'node:stream';
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';

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
  /** longest line accepted, in characters; longer lines are counted as bad (default 16 MiB) */
  maxLineLength?: number;
  /** called with the raw text of a line that is not a JSON object (after it is counted) */
  onBad?: (line: string, lineNo: number, why: string) => void;
  stats?: NdjsonStats;
}

/**
 * NDJSON text -> objects. A line that is not a JSON object is counted and reported on stderr
 * (`line 17: invalid JSON`), never fatal unless `strict`; blank lines are ignored.
 */
export async function* ndjsonLines(input: Readable, opts: NdjsonOptions = {}): AsyncGenerator<Record<string, unknown>> {
  const stats = opts.stats ?? { lines: 0, objects: 0, bad: 0 };
  const max = opts.maxLineLength ?? 16 * 1024 * 1024;
  let lineNo = 0;
  const lines = input.pipe(split2({ maxLength: max, skipOverflow: true } as split2.Options));
  for await (const raw of lines as AsyncIterable<string>) {
    lineNo++;
    if (raw.length === 0 || /^\s*$/.test(raw)) continue;
    stats.lines++;
    let value: unknown;
    let why = 'invalid JSON';
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      stats.objects++;
      yield value as Record<string, unknown>;
      continue;
    }
    if (value !== undefined) why = 'not a JSON object';
    stats.bad++;
    if (opts.strict) throw new RuntimeError(`line ${lineNo}: ${why} (--strict)`);
    if (opts.onBad) opts.onBad(raw, lineNo, why);
    else diag().warnLimited('bad-json', `line ${lineNo}: ${why}: ${preview(raw)}`);
  }
}

/** A short, printable preview of a hostile line for a diagnostic. */
export function preview(s: string, n = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.slice(0, n).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(s.length > n ? `${clean}...` : clean);
}
