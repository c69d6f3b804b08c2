// NDJSON text -> arrays of objects, one array per chunk read. The same contract and messages as
// src/stream/ndjson-lines.ts (a line that is not a JSON object is counted and reported, never
// fatal; blank lines ignored; overlong lines counted and skipped), but without one async step
// per record: ipta-rdns handles a whole chunk synchronously when every name is cached, which is
// what makes the cached case several times faster (see README "Performance").
import { diag } from '../cli/diag.js';
import { LineSplitter, type LineBatch } from '../io/lines.js';
import { preview, type NdjsonStats } from '../stream/ndjson-lines.js';

export interface NdjsonBatchOptions {
  stats?: NdjsonStats;
  /** longest line accepted, in bytes (default 16 MiB) */
  maxLineLength?: number;
  /** attach each line's own text to its object under this key */
  rawKey?: symbol;
}

type Rec = Record<string, unknown>;

export async function* ndjsonBatches(input: AsyncIterable<Buffer | string>, opts: NdjsonBatchOptions = {}): AsyncGenerator<Rec[]> {
  const stats = opts.stats ?? { lines: 0, objects: 0, bad: 0 };
  const max = opts.maxLineLength ?? 16 * 1024 * 1024;
  const rawKey = opts.rawKey;
  const sp = new LineSplitter({ maxLineLength: max });
  let lineNo = 0;

  const bad = (raw: string, why: string): void => {
    stats.bad++;
    diag().warnLimited('bad-json', `line ${lineNo}: ${why}${raw ? `: ${preview(raw)}` : ''}`);
  };

  const objects = (b: LineBatch): Rec[] => {
    const out: Rec[] = [];
    const { lines, dropped } = b;
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
      if (raw.length === 0 || (raw.charCodeAt(0) !== 123 /* { */ && /^\s*$/.test(raw))) continue;
      stats.lines++;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        stats.objects++;
        if (rawKey) (value as Record<symbol, unknown>)[rawKey] = raw;
        out.push(value as Rec);
        continue;
      }
      bad(raw, value !== undefined ? 'not a JSON object' : 'invalid JSON');
    }
    return out;
  };

  for await (const chunk of input) {
    const out = objects(sp.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    if (out.length) yield out;
  }
  const out = objects(sp.end());
  if (out.length) yield out;
}
