// The stream engine's command-line path: NDJSON text -> facts -> rows, a chunk of lines at a time.
// Same diagnostics as src/stream/ndjson-lines.ts (a line that is not a JSON object is counted and
// reported, never fatal), but the accumulator is fed inside each chunk: no async step per record,
// which is a large share of the time when the per-record work is a few map updates.
import type { Readable } from 'node:stream';
import { diag } from '../cli/diag.js';
import { LineSplitter } from '../io/lines.js';
import { preview, type NdjsonStats } from '../stream/ndjson-lines.js';
import type { ReportRow } from './rows.js';
import { reportOptions, type ReportOptions } from './options.js';
import { StreamReport, toFact } from './stream-engine.js';
import type { StreamStats } from './index.js';

const MAX_LINE = 16 * 1024 * 1024;

export async function* reportFromNdjson(input: Readable, opts: Partial<ReportOptions>, lineStats: NdjsonStats, stats: StreamStats): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  const d = diag();
  const sp = new LineSplitter({ maxLineLength: MAX_LINE });
  let lineNo = 0;
  const bad = (raw: string, why: string): void => {
    lineStats.bad++;
    d.warnLimited('bad-json', `line ${lineNo}: ${why}${raw ? `: ${preview(raw)}` : ''}`);
  };
  const take = (lines: string[], dropped: number[] | undefined): void => {
    let k = 0;
    for (let i = 0; i <= lines.length; i++) {
      while (dropped && k < dropped.length && dropped[k] === i) {
        k++;
        lineNo++;
        lineStats.lines++;
        bad('', `line longer than ${MAX_LINE} bytes, skipped`);
      }
      if (i === lines.length) break;
      const raw = lines[i]!;
      lineNo++;
      if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && /^\s*$/.test(raw))) continue;
      lineStats.lines++;
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        bad(raw, 'invalid JSON');
        continue;
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        bad(raw, 'not a JSON object');
        continue;
      }
      lineStats.objects++;
      stats.records++;
      const f = toFact(v as Record<string, unknown>);
      if (typeof f === 'string') {
        stats.skipped++;
        const line = (v as { line?: unknown }).line;
        d.warnLimited('skipped', `record of line ${typeof line === 'number' ? line : lineNo}: ${f}, skipped`);
        continue;
      }
      acc.add(f);
    }
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const b = sp.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    take(b.lines, b.dropped);
  }
  const b = sp.end();
  take(b.lines, b.dropped);
  yield* acc.rows();
}
