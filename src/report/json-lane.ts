// The report's byte lane for NDJSON: a record line as ipta-parse writes it (one object, no
// whitespace, no escapes in the fields the report reads) is read for those fields straight from
// its bytes, skipping the rest, with no JSON.parse and no record object. Anything else — a
// backslash or a byte outside printable ASCII in a field the report reads, a field of another
// type, a field twice, whitespace, a verdict that is not accept/deny/log, a port that is not a
// plain integer — makes scanRecord() return false, and the line goes the general way
// (JSON.parse, toFact). A test holds the two ways to the same facts.
import { byteTable, known } from '../parse/byte-lane.js';
import { codeTable } from '../parse/fields.js';

/** The record fields a fact is made of, in the order of RecordScan's spans. */
export const R = { ts: 0, host: 1, prefix: 2, action: 3, in: 4, out: 5, src: 6, dst: 7, proto: 8 } as const;
const R_COUNT = 9;

/** What scanRecord() found: per text field its span (from -1: absent), and the rest. */
export class RecordScan {
  readonly from = new Int32Array(R_COUNT);
  readonly to = new Int32Array(R_COUNT);
  /** 0 accept, 1 deny, 2 log */
  verdict = 0;
  /** -1: absent (or not a port) */
  spt = -1;
  dpt = -1;
}

const KEY_NAMES = ['ts', 'host', 'prefix', 'action', 'in', 'out', 'src', 'dst', 'proto', 'verdict', 'spt', 'dpt'];
const K_VERDICT = 9;
const K_SPT = 10;
const K_DPT = 11;
/** The keys the lane reads, found as the parser finds its tokens (one table read and a compare). */
const KEY_TABLE = byteTable(codeTable(KEY_NAMES.map((k, i): [string, number] => [k, i])));
const KEY_INDEX = new Int8Array(KEY_TABLE.names.length).fill(-1);
KEY_TABLE.names.forEach((n, slot) => {
  if (n !== undefined) KEY_INDEX[slot] = KEY_NAMES.indexOf(Buffer.from(n).toString('latin1'));
});
const VERDICTS = ['accept', 'deny', 'log'].map((v) => new Uint8Array(Buffer.from(v, 'latin1')));

/** The index (KEY_NAMES) of the key b[from, to), or -1. */
function keyOf(b: Uint8Array, from: number, to: number): number {
  const slot = known(KEY_TABLE, b, from, to);
  return slot < 0 ? -1 : KEY_INDEX[slot]!;
}

/** Per byte: 0 plain in a string, 1 `"`, 2 `\`, 3 a control character (not allowed in a string), 4 beyond ASCII. */
const CLASS = new Uint8Array(256);
for (let c = 0; c < 32; c++) CLASS[c] = 3;
CLASS[34] = 1;
CLASS[92] = 2;
for (let c = 127; c < 256; c++) CLASS[c] = 4;

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** The end of the JSON string opening at i (after its closing quote), checked as JSON.parse does; -1: not valid. */
function skipString(b: Uint8Array, i: number, e: number): number {
  for (let k = i + 1; k < e; k++) {
    const c = b[k];
    const cl = CLASS[c];
    if (cl === 0 || cl === 4) continue;
    if (cl === 1) return k + 1;
    if (cl === 3) return -1;
    {
      const d = b[k + 1];
      if (d === 117) {
        if (k + 5 >= e || !isHex(b[k + 2]) || !isHex(b[k + 3]) || !isHex(b[k + 4]) || !isHex(b[k + 5])) return -1;
        k += 5;
      } else if (d === 34 || d === 92 || d === 47 || d === 98 || d === 102 || d === 110 || d === 114 || d === 116) {
        k++;
      } else return -1;
    }
  }
  return -1;
}

/** The end of the JSON number at i (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?); -1: not one. */
function skipNumber(b: Uint8Array, i: number, e: number): number {
  let k = i;
  if (b[k] === 45) k++;
  if (k >= e) return -1;
  if (b[k] === 48) k++;
  else if (b[k] >= 49 && b[k] <= 57) while (k < e && b[k] >= 48 && b[k] <= 57) k++;
  else return -1;
  if (k < e && b[k] === 46) {
    const f = ++k;
    while (k < e && b[k] >= 48 && b[k] <= 57) k++;
    if (k === f) return -1;
  }
  if (k < e && (b[k] | 32) === 101) {
    k++;
    if (k < e && (b[k] === 43 || b[k] === 45)) k++;
    const x = k;
    while (k < e && b[k] >= 48 && b[k] <= 57) k++;
    if (k === x) return -1;
  }
  return k;
}

const WORDS = ['true', 'false', 'null'].map((w) => new Uint8Array(Buffer.from(w, 'latin1')));

/**
 * The end of the JSON value at i, checked as JSON.parse does (no whitespace: the lane takes
 * none); -1: not valid, or nested deeper than the lane bothers with.
 */
function skipValue(b: Uint8Array, i: number, e: number, depth = 0): number {
  if (i >= e) return -1;
  const c = b[i];
  if (c === 34) return skipString(b, i, e);
  if (c === 91 || c === 123) {
    if (depth > 32) return -1;
    const close = c === 91 ? 93 : 125;
    let k = i + 1;
    if (b[k] === close) return k + 1;
    for (;;) {
      if (c === 123) {
        // "key":
        if (b[k] !== 34) return -1;
        k = skipString(b, k, e);
        if (k < 0 || b[k] !== 58) return -1;
        k++;
      }
      k = skipValue(b, k, e, depth + 1);
      if (k < 0 || k >= e) return -1;
      if (b[k] === close) return k + 1;
      if (b[k] !== 44) return -1;
      k++;
    }
  }
  for (const w of WORDS) {
    if (c !== w[0]) continue;
    for (let k = 1; k < w.length; k++) if (b[i + k] !== w[k]) return -1;
    return i + w.length;
  }
  return skipNumber(b, i, e);
}

/**
 * Read the record line b[a, e) into `sc`: true when it is a line of the lane (see above). A true
 * line is a JSON object whose fact is what JSON.parse and toFact give.
 */
export function scanRecord(b: Uint8Array, a: number, e: number, sc: RecordScan): boolean {
  if (e - a < 2 || b[a] !== 123 || b[e - 1] !== 125) return false;
  sc.from.fill(-1);
  sc.spt = sc.dpt = -1;
  let seen = 0;
  let i = a + 1;
  if (b[i] === 125) return false; // {} has no verdict
  for (;;) {
    // "key":
    if (b[i] !== 34) return false;
    let k = i + 1;
    while (k < e && CLASS[b[k]] !== 1) {
      if (CLASS[b[k]] !== 0) return false;
      k++;
    }
    if (k + 1 >= e || b[k + 1] !== 58) return false;
    const key = keyOf(b, i + 1, k);
    if (key >= 0) {
      if ((seen & (1 << key)) !== 0) return false;
      seen |= 1 << key;
    }
    i = k + 2;
    // the value
    const c = b[i];
    let end: number;
    if (c === 34) {
      if (key >= 0 && key !== K_SPT && key !== K_DPT) {
        // a string the fact reads: printable ASCII, no escape
        let q = i + 1;
        for (; q < e; q++) {
          const cl = CLASS[b[q]];
          if (cl === 1) break;
          if (cl !== 0) return false;
        }
        if (q >= e) return false;
        if (key === K_VERDICT) {
          const v = verdictOf(b, i + 1, q);
          if (v < 0) return false;
          sc.verdict = v;
        } else {
          sc.from[key] = i + 1;
          sc.to[key] = q;
        }
        end = q + 1;
      } else {
        if (key >= 0) return false; // a port as a string
        end = skipString(b, i, e);
      }
    } else if (key === K_SPT || key === K_DPT) {
      // a port: digits (JSON has no leading zero); above 65535 it is none
      let v = 0;
      end = i;
      while (end < e && b[end] >= 48 && b[end] <= 57) v = v * 10 + b[end++] - 48;
      if (end === i || end - i > 6 || (b[i] === 48 && end - i > 1)) return false;
      if (v <= 65535) {
        if (key === K_SPT) sc.spt = v;
        else sc.dpt = v;
      }
    } else {
      if (key >= 0) return false; // a text field of another type
      end = skipValue(b, i, e);
    }
    if (end < 0 || end >= e) return false;
    if (b[end] === 125) {
      if (end !== e - 1) return false;
      break;
    }
    if (b[end] !== 44) return false;
    i = end + 1;
  }
  return (seen & (1 << K_VERDICT)) !== 0;
}

function verdictOf(b: Uint8Array, from: number, to: number): number {
  for (let v = 0; v < VERDICTS.length; v++) {
    const w = VERDICTS[v]!;
    if (w.length !== to - from) continue;
    let k = 0;
    while (k < w.length && w[k] === b[from + k]) k++;
    if (k === w.length) return v;
  }
  return -1;
}
