// The stream engine's command-line path: NDJSON text -> facts -> rows, a chunk of lines at a time.
// Lines come a chunk at a time (ndjsonBatches: the same diagnostics as every NDJSON reader) and
// the accumulator is fed inside each chunk: no async step per record, which is a large share of
// the time when the per-record work is a few map updates.
import type { Readable } from 'node:stream';
import { diag } from '../cli/diag.js';
import { ndjsonBatches, type NdjsonStats } from '../stream/ndjson-lines.js';
import type { ReportRow } from './rows.js';
import { reportOptions, type ReportOptions } from './options.js';
import { StreamReport, toFact } from './stream-engine.js';
import type { StreamStats } from './index.js';

const MAX_LINE = 16 * 1024 * 1024;

export async function* reportFromNdjson(input: Readable, opts: Partial<ReportOptions>, lineStats: NdjsonStats, stats: StreamStats): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  const d = diag();
  for await (const batch of ndjsonBatches(input, { stats: lineStats, maxLineLength: MAX_LINE })) {
    for (const v of batch) {
      stats.records++;
      const f = toFact(v);
      if (typeof f === 'string') {
        stats.skipped++;
        const line = v.line;
        d.warnLimited('skipped', `record of line ${typeof line === 'number' ? line : '?'}: ${f}, skipped`);
        continue;
      }
      acc.add(f);
    }
  }
  yield* acc.rows();
}
