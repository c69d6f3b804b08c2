// Pure: a record (as parsed from NDJSON) -> the values of one log-table row, or the reason it
// cannot be stored. No I/O. The order of the values is LOAD_COLUMNS (schema.ts).
import { LOG_COLUMNS } from './schema.js';

/** One row: [key hex, ts, host, prefix, action, verdict, in_if, out_if, family, src, dst, proto,
 *  spt, dpt, icmp_type, icmp_code, len, ttl, rec]. null is SQL NULL. */
export type RowValues = (string | number | null)[];

export type RowResult = { ok: true; row: RowValues } | { ok: false; why: string };

/** Where a reader may leave the record's own JSON text (ndjsonLines rawKey): stored as is in
 *  `rec` instead of serialising the object again. */
export const RAW_JSON: unique symbol = Symbol('ipta.rawJson');

const KEY_RE = /^[0-9a-fA-F]{32}$/;
const ADDR_RE = /^[\x21-\x7e]{1,45}$/;
const FAST_TS_RE = /^([12]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8]))T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(\d{1,6}))?Z$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

const width = new Map(LOG_COLUMNS.filter((c) => c.maxChars).map((c) => [c.name, c.maxChars!]));

/** Cut to `n` characters (code points, as MySQL counts them), never inside a surrogate pair. */
export function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join('');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO 8601 -> 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, or undefined when it is not a valid time. */
export function toDatetime(ts: string): string | undefined {
  // the usual shape (ipta-parse: ...Z, a day that exists in every month): no calendar needed
  const f = FAST_TS_RE.exec(ts);
  if (f) {
    const frac = f[2] && !/^0+$/.test(f[2]) ? '.' + f[2].padEnd(6, '0') : '';
    return `${f[1]} ${ts.slice(11, 19)}${frac}`;
  }
  const m = TS_RE.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let frac6 = frac ? frac.slice(0, 6).padEnd(6, '0') : '';
  const fast = !zone || zone === 'Z';
  let Y = +y!, M = +mo!, D = +d!, H = +h!, Mi = +mi!, S = +s!;
  // validate the calendar (Date.UTC rolls 2026-02-31 over into March; we refuse it)
  const t = Date.UTC(Y, M - 1, D, H, Mi, Math.min(S, 59));
  const chk = new Date(t);
  if (chk.getUTCFullYear() !== Y || chk.getUTCMonth() !== M - 1 || chk.getUTCDate() !== D ||
      chk.getUTCHours() !== H || chk.getUTCMinutes() !== Mi || S > 60) return undefined;
  if (S === 60) S = 59; // a leap second: DATETIME has none; keep it in the same second's last slot
  if (!fast) {
    const z = zone!.replace(':', '');
    const off = (z[0] === '-' ? -1 : 1) * (+z.slice(1, 3) * 60 + +z.slice(3, 5));
    const u = new Date(Date.UTC(Y, M - 1, D, H, Mi, S) - off * 60_000);
    Y = u.getUTCFullYear(); M = u.getUTCMonth() + 1; D = u.getUTCDate();
    H = u.getUTCHours(); Mi = u.getUTCMinutes(); S = u.getUTCSeconds();
  }
  if (Y < 1000 || Y > 9999) return undefined;
  if (frac6 === '000000') frac6 = '';
  return `${pad(Y, 4)}-${pad(M)}-${pad(D)} ${pad(H)}:${pad(Mi)}:${pad(S)}${frac6 ? '.' + frac6 : ''}`;
}

function text(rec: Record<string, unknown>, field: string, col: string): string | null | Error {
  const v = rec[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return new Error(`${field} is not a string`);
  return cut(v, width.get(col)!);
}

function int(rec: Record<string, unknown>, field: string, max: number): number | null | Error {
  const v = rec[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) return new Error(`${field} is not an integer 0-${max}`);
  return v;
}

function addr(rec: Record<string, unknown>, field: string): string | null | Error {
  const v = rec[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !ADDR_RE.test(v)) return new Error(`${field} is not an address`);
  return v;
}

/** MariaDB's JSON check refuses documents nested deeper than this (MySQL allows 100). */
export const MAX_JSON_DEPTH = 31;
// a \uD800-\uDFFF escape: fine in a pair, but MariaDB's json_valid refuses a lone one
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function tooDeep(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth > MAX_JSON_DEPTH) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object' && tooDeep(x, depth + 1)) return true;
  } else {
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object' && tooDeep(x, depth + 1)) return true;
    }
  }
  return false;
}

function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(wellFormed);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[wellFormed(k) as string] = wellFormed(x);
  return out;
}

/**
 * The record's JSON for `rec`: the reader's own text when it left it, else serialised. Lone
 * UTF-16 surrogates (possible in hostile input) become U+FFFD, which is all UTF-8 can hold and
 * what MariaDB's JSON check accepts.
 */
function rawJson(rec: Record<string, unknown>): string {
  const raw = (rec as { [RAW_JSON]?: unknown })[RAW_JSON];
  const json = typeof raw === 'string' ? raw : JSON.stringify(rec);
  return SURROGATE_ESCAPE.test(json) ? JSON.stringify(wellFormed(rec)) : json;
}

/**
 * The row for one record. A row needs `key` (32 hex digits) and `verdict` (accept, deny, log);
 * other fields are optional but must have their type when present. Text longer than its column
 * is cut in the column (the record in `rec` keeps it whole).
 */
export function recordToRow(rec: Record<string, unknown>): RowResult {
  const key = rec.key;
  if (typeof key !== 'string' || !KEY_RE.test(key)) return { ok: false, why: key === undefined ? 'no key' : 'key is not 32 hex digits' };
  const verdict = rec.verdict;
  if (verdict !== 'accept' && verdict !== 'deny' && verdict !== 'log') {
    return { ok: false, why: verdict === undefined ? 'no verdict' : 'verdict is not accept, deny or log' };
  }
  let ts: string | null = null;
  if (rec.ts !== undefined && rec.ts !== null) {
    const t = typeof rec.ts === 'string' ? toDatetime(rec.ts) : undefined;
    if (t === undefined) return { ok: false, why: 'ts is not an ISO 8601 time' };
    ts = t;
  }
  const fam = rec.family;
  if (fam !== undefined && fam !== null && fam !== 4 && fam !== 6) return { ok: false, why: 'family is not 4 or 6' };
  if (tooDeep(rec, 1)) return { ok: false, why: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  const ttlField = rec.ttl !== undefined && rec.ttl !== null ? 'ttl' : 'hoplimit';
  const vals = [
    text(rec, 'host', 'host'), text(rec, 'prefix', 'prefix'), text(rec, 'action', 'action'),
    text(rec, 'in', 'in_if'), text(rec, 'out', 'out_if'),
    addr(rec, 'src'), addr(rec, 'dst'), text(rec, 'proto', 'proto'),
    int(rec, 'spt', 65535), int(rec, 'dpt', 65535), int(rec, 'icmp_type', 255), int(rec, 'icmp_code', 255),
    int(rec, 'len', 4294967295), int(rec, ttlField, 255),
  ];
  for (const v of vals) if (v instanceof Error) return { ok: false, why: v.message };
  const [host, prefix, action, inIf, outIf, src, dst, proto, spt, dpt, it, ic, len, ttl] = vals as (string | number | null)[];
  return {
    ok: true,
    row: [key.toLowerCase(), ts, host!, prefix!, action!, verdict, inIf!, outIf!, (fam as number | undefined) ?? null,
      src!, dst!, proto!, spt!, dpt!, it!, ic!, len!, ttl!, rawJson(rec)],
  };
}

// eslint-disable-next-line no-control-regex
const TSV_SPECIAL = /[\\\t\n\r\u0000]/;
// eslint-disable-next-line no-control-regex
const TSV_SPECIAL_G = /[\\\t\n\r\u0000]/g;
const TSV_ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0000': '\\0' };

const tsvField = (v: string): string => (TSV_SPECIAL.test(v) ? v.replace(TSV_SPECIAL_G, (c) => TSV_ESC[c]!) : v);

/** One row as a line for LOAD DATA (FIELDS TERMINATED BY '\t' ESCAPED BY '\\', NULL as \N). */
export function rowToTsv(row: RowValues): string {
  const parts: string[] = [];
  for (const v of row) parts.push(v === null ? '\\N' : typeof v === 'number' ? String(v) : tsvField(v));
  return parts.join('\t') + '\n';
}

/**
 * Rows -> LOAD DATA text, written field by field straight into one growing Buffer (building a
 * string per line and encoding it costs twice as much: V8 flattens each concatenated line).
 */
export class TsvEncoder {
  private buf = Buffer.allocUnsafe(1 << 20);
  private off = 0;
  rows = 0;

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }

  add(row: RowValues): void {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      this.room(2);
      if (i) this.buf[this.off++] = 0x09;
      if (v === null) {
        this.buf[this.off++] = 0x5c; // \N
        this.buf[this.off++] = 0x4e;
        continue;
      }
      const text = typeof v === 'number' ? String(v) : tsvField(v);
      this.room(text.length * 3);
      this.off += this.buf.write(text, this.off, 'utf8');
    }
    this.room(1);
    this.buf[this.off++] = 0x0a;
    this.rows++;
  }

  get bytes(): number {
    return this.off;
  }

  /** Start again, keeping the buffer. */
  reset(): void {
    this.off = 0;
    this.rows = 0;
  }

  /** The text so far (a view: do not add after taking). */
  take(): Buffer {
    return this.buf.subarray(0, this.off);
  }
}
