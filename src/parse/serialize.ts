// Record -> one JSON line, keys always in RECORD_KEYS order whatever order the parser filled
// them in (flags appear in the text before PROTO, but belong after urgp in the record).
import { RECORD_KEYS, type IptaRecord } from '../record.js';

export function recordJson(rec: IptaRecord): string {
  const r = rec as unknown as Record<string, unknown>;
  let out = '{';
  for (let i = 0; i < RECORD_KEYS.length; i++) {
    const k = RECORD_KEYS[i];
    const v = r[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `"${k}":`;
    out += typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : JSON.stringify(v);
  }
  return out + '}';
}
