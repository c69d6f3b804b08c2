// The report API for ipta-report, the ipta wrapper and the HTML page.
//   withReportOptions(y)                -> the flags
//   reportFromRecords(records, opts)    -> rows, computed in memory (no database)
//   reportFromDb(settings, opts)        -> rows, computed by MySQL/MariaDB
import type { IptaRecord } from '../record.js';
import type { DbSettings } from '../store/options.js';
import { diag } from '../cli/diag.js';
import type { ReportRow } from './rows.js';
import { reportOptions, type ReportOptions } from './options.js';
import { StreamReport, toFact } from './stream-engine.js';

export { withReportOptions, reportOptionsFromArgv, reportOptions, type ReportOptions, type ReportFilters } from './options.js';
export { reportFromDb } from './sql-engine.js';
export type { ReportRow } from './rows.js';

export interface StreamStats { records: number; skipped: number }

/** Rows from records. Records that cannot be counted (no valid verdict) are reported on stderr and counted in `stats`. */
export async function* reportFromRecords(records: AsyncIterable<IptaRecord | Record<string, unknown>>, opts: Partial<ReportOptions> = {}, stats: StreamStats = { records: 0, skipped: 0 }): AsyncGenerator<ReportRow> {
  const acc = new StreamReport(reportOptions(opts));
  for await (const r of records) {
    stats.records++;
    const f = toFact(r as Record<string, unknown>);
    if (typeof f === 'string') {
      stats.skipped++;
      const line = (r as { line?: unknown }).line;
      diag().warnLimited('skipped', `record ${typeof line === 'number' ? `of line ${line}` : stats.records}: ${f}, skipped`);
      continue;
    }
    acc.add(f);
  }
  yield* acc.rows();
}
