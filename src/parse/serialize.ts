// Record -> one JSON line. Records from the parser have every key in RECORD_KEYS order (see
// record-shape.ts), so the native JSON.stringify writes them in contract order and omits the
// undefined ones; plain records from plainRecord() are in the same order. (A hand-written
// serializer with string concatenation measured slower than V8's JSON.stringify fast path.)
import type { IptaRecord } from '../record.js';

export function recordJson(rec: IptaRecord): string {
  return JSON.stringify(rec);
}
