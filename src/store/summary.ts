import type { Connection } from 'mysql2/promise';
import type { DbSettings } from './options.js';

// Hook between the loader and the MySQL report engine. The loader calls refreshSummaries after
// each committed batch; the report engine calls it before querying. PLACEHOLDER (no summaries yet):
// the report engine (issue 4) decides what, if anything, is kept here.
export async function refreshSummaries(_conn: Connection, _settings: DbSettings): Promise<void> {
  // nothing yet
}
