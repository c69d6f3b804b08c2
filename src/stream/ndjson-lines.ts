import type { Readable } from 'node:stream';
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';
import { LineSplitter } from '../io/lines.js';

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
}

/**
 * NDJSON text -> objects. A line that is not a JSON object is counted and reported on stderr
 * (`line 17: invalid JSON`), never fatal unless `strict`; blank lines are ignored. A line longer
 * than maxLineLength is counted and reported the same way (`line 17: longer than ... bytes`).
 * Lines come from the input layer's splitter (src/io/lines.ts): one decode per chunk.
 */
export async function* ndjsonLines(input: Readable, opts: NdjsonOptions = {}): AsyncGenerator<Record<string, unknown>> {
  const stats = opts.stats ?? { lines: 0, objects: 0, bad: 0 };
  const max = opts.maxLineLength ?? 16 * 1024 * 1024;
  const sp = new LineSplitter({ maxLineLength: max });
  let lineNo = 0;

  const bad = (raw: string, why: string): void => {
    stats.bad++;
    if (opts.strict) throw new RuntimeError(`line ${lineNo}: ${why} (--strict)`);
    if (opts.onBad) opts.onBad(raw, lineNo, why);
    else diag().warnLimited('bad-json', `line ${lineNo}: ${why}${raw ? `: ${preview(raw)}` : ''}`);
  };

  function* objects(lines: string[], dropped: number[] | undefined): Generator<Record<string, unknown>> {
    let d = 0;
    for (let i = 0; i <= lines.length; i++) {
      while (dropped && d < dropped.length && dropped[d] === i) {
        d++;
        lineNo++;
        stats.lines++;
        bad('', `line longer than ${max} bytes, skipped`);
      }
      if (i === lines.length) break;
      const raw = lines[i]!;
      lineNo++;
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
        yield value as Record<string, unknown>;
        continue;
      }
      bad(raw, value !== undefined ? 'not a JSON object' : 'invalid JSON');
    }
  }

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const b = sp.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    yield* objects(b.lines, b.dropped);
  }
  const b = sp.end();
  yield* objects(b.lines, b.dropped);
}

/** A short, printable preview of a hostile line for a diagnostic. */
export function preview(s: string, n = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.slice(0, n).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(s.length > n ? `${clean}...` : clean);
}
