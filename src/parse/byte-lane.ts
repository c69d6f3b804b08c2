// The byte lane. Nearly every line of a firewall log has one of two framings and only the fields
// the kernel prints for a plain packet:
//
//   Nov 20 00:00:00 fw1 kernel: [3110030.266177] IPT: DROP IN=eth0 OUT= MAC=... SRC=... PROTO=TCP ...
//   2026-11-20T01:00:00.980179+01:00 gw kernel: [UFW BLOCK] IN=ens3 OUT= ... OPT (0204...)
//
// scanLine() reads such a line straight from the input bytes, with no string per line, field or
// value, into a ByteScan: where each part is and what the numbers are. LineParser.parseBytes()
// adds the state (year, prefix, key) and JsonWriter.byteRecord() writes the NDJSON line. Any other
// line — another framing, a byte outside printable ASCII, an ICMP error's quoted packet, a key
// twice, an unknown key or word, a value the kernel would not print — makes scanLine() return
// false, and the line is decoded and parsed the general way (parseHeader, parseFields). The lane
// is only a shortcut: the rules here are those of header.ts and fields.ts, and a test holds the
// two ways to the same output, line by line, over every shape the parser knows.
import { FLAGS, K, KEYS, P_ICMP, P_NONE, PROTOS, macParts, protoKind, type CodeTable, type MacParts } from './fields.js';
import { canonicalIpv6 } from './ipv6.js';
import { WIDTH, text } from '../report/fact-text.js';

export const STAMP_BSD = 1;
export const STAMP_ISO = 2;

/** The fields of the lane: the record's keys from `in` to `mark`, in record order. */
export const F = {
  in: 0, out: 1, physin: 2, physout: 3, mac: 4, src: 5, dst: 6, len: 7, tos: 8, prec: 9, ttl: 10,
  id: 11, tc: 12, hoplimit: 13, flowlbl: 14, proto: 15, spt: 16, dpt: 17, udp_len: 18, window: 19,
  res: 20, urgp: 21, seq: 22, ack: 23, icmp_type: 24, icmp_code: 25, icmp_id: 26, icmp_seq: 27,
  icmp_mtu: 28, icmp_gateway: 29, uid: 30, gid: 31, mark: 32,
} as const;
const F_COUNT = 33;
const MAX_FLAGS = 16;

/** What scanLine() found in one line. Offsets are into the line's buffer. */
export class ByteScan {
  // the stamp: STAMP_BSD `Mmm dd HH:MM:SS[.f]` or STAMP_ISO `YYYY-MM-DDTHH:MM:SS[.f][zone]`
  stamp = 0;
  stampFrom = 0;
  /** end of the whole stamp (fraction and zone included) */
  stampTo = 0;
  /** end of `HH:MM:SS` */
  secTo = 0;
  /** after the fraction's digits (where an ISO zone starts) */
  fracEnd = 0;
  /** the fraction digits kept (at most 9); equal: none */
  fracFrom = 0;
  fracTo = 0;
  year = 0;
  month0 = 0;
  day = 0;
  h = 0;
  mi = 0;
  s = 0;
  /** ISO zone offset in minutes; NaN: no zone (local time) */
  offsetMin = NaN;
  hostFrom = 0;
  hostTo = 0;
  /** dmesg uptime `[ 123.456]`: its digits, or ktsFrom -1 */
  ktsFrom = -1;
  ktsTo = 0;
  /** the end of the line */
  lineTo = 0;
  /** where the message (the prefix) starts, and where the fields start (`IN=`) */
  pos = 0;
  at = 0;
  /** has[f] === gen: field f (F) is on this line */
  readonly has = new Int32Array(F_COUNT);
  gen = 0;
  readonly from = new Int32Array(F_COUNT);
  readonly to = new Int32Array(F_COUNT);
  /** numeric fields' values */
  readonly num = new Float64Array(F_COUNT);
  /** the flag words in line order, as slots of FLAGS */
  readonly flags = new Int32Array(MAX_FLAGS);
  nflags = 0;
  family = 0;
  /** IPv6 addresses in canonical form; null: written as in the line */
  src6: string | null = null;
  dst6: string | null = null;
  proto = '';
  mac: MacParts | null = null;
  /** decompose MAC= into `mac` (a report fact does not use it) */
  wantMac = true;
  /** `OPT (...)`: its content, trimmed; optFrom -1: none */
  optFrom = -1;
  optTo = 0;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const d2 = (b: Uint8Array, i: number): number => (b[i] - 48) * 10 + (b[i + 1] - 48);

const MONTHS = new Map<number, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    .map((m, k) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), k]),
);

/** `HH:MM:SS` at i, before e (header.ts hms). */
function hms(b: Uint8Array, i: number, e: number, sc: ByteScan): boolean {
  if (i + 8 > e) return false;
  if (!isDigit(b[i]) || !isDigit(b[i + 1]) || b[i + 2] !== 58 || !isDigit(b[i + 3]) || !isDigit(b[i + 4])
    || b[i + 5] !== 58 || !isDigit(b[i + 6]) || !isDigit(b[i + 7])) return false;
  sc.h = d2(b, i);
  sc.mi = d2(b, i + 3);
  sc.s = d2(b, i + 6);
  return sc.h < 24 && sc.mi < 60 && sc.s < 61;
}

/** `.123456` at i (header.ts fraction): the end. */
function fraction(b: Uint8Array, i: number, e: number, sc: ByteScan): number {
  sc.fracFrom = sc.fracTo = i;
  if (i >= e || (b[i] !== 46 && b[i] !== 44)) return i;
  let j = i + 1;
  while (j < e && isDigit(b[j])) j++;
  if (j === i + 1) return i;
  sc.fracFrom = i + 1;
  sc.fracTo = Math.min(j, i + 10);
  return j;
}

/** RFC 3164 `Mmm dd HH:MM:SS` at i (header.ts bsdStamp): the end, or -1. */
function bsdStamp(b: Uint8Array, i: number, e: number, sc: ByteScan): number {
  if (i + 4 > e) return -1;
  const m = MONTHS.get((b[i] << 16) | (b[i + 1] << 8) | b[i + 2]);
  if (m === undefined || b[i + 3] !== 32) return -1;
  let j = i + 4;
  if (j < e && b[j] === 32) j++;
  if (j >= e || !isDigit(b[j])) return -1;
  let day = b[j++] - 48;
  if (j < e && isDigit(b[j])) day = day * 10 + b[j++] - 48;
  if (j >= e || b[j] !== 32 || day < 1 || day > 31) return -1;
  if (!hms(b, j + 1, e, sc)) return -1;
  sc.secTo = j + 9;
  const end = fraction(b, j + 9, e, sc);
  sc.month0 = m;
  sc.day = day;
  sc.stamp = STAMP_BSD;
  sc.fracEnd = end;
  return end;
}

const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+hh:mm|+hhmm]` at i (header.ts isoStamp): the end, or -1. */
function isoStamp(b: Uint8Array, i: number, e: number, sc: ByteScan): number {
  if (i + 19 > e || b[i + 4] !== 45 || b[i + 7] !== 45) return -1;
  const sep = b[i + 10];
  if (sep !== 84 && sep !== 32) return -1;
  for (let k = 0; k < 8; k++) if (!isDigit(b[i + ISO_DIGITS[k]])) return -1;
  if (!hms(b, i + 11, e, sc)) return -1;
  const year = d2(b, i) * 100 + d2(b, i + 2);
  const month = d2(b, i + 5);
  const day = d2(b, i + 8);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
  sc.secTo = i + 19;
  let j = fraction(b, i + 19, e, sc);
  sc.fracEnd = j;
  sc.offsetMin = NaN;
  const c = j < e ? b[j] : -1;
  if (c === 90) {
    sc.offsetMin = 0;
    j++;
  } else if ((c === 43 || c === 45) && j + 2 < e && isDigit(b[j + 1]) && isDigit(b[j + 2])) {
    let k = j + 3;
    if (k < e && b[k] === 58) k++;
    if (k + 1 < e && isDigit(b[k]) && isDigit(b[k + 1])) {
      const off = d2(b, j + 1) * 60 + d2(b, k);
      sc.offsetMin = c === 45 ? -off : off;
      j = k + 2;
    }
  }
  sc.year = year;
  sc.month0 = month - 1;
  sc.day = day;
  sc.stamp = STAMP_ISO;
  return j;
}

const skipSpaces = (b: Uint8Array, i: number, e: number): number => {
  while (i < e && b[i] === 32) i++;
  return i;
};

const KERNEL = [107, 101, 114, 110, 101, 108, 58]; // `kernel:`

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Read the line b[a, e) (without its newline) into `sc`: true when it is a line of the lane
 * (see above). Reads only; the caller's state is untouched either way.
 */
export function scanLine(b: Uint8Array, a: number, e: number, sc: ByteScan): boolean {
  // Only printable ASCII: a byte is then a character, and nothing needs escaping but `"` and
  // `\`. The stamp is checked digit by digit; every other byte is checked where it is read.
  const c0 = b[a];
  let i: number;
  if (c0 >= 65 && c0 <= 90) i = bsdStamp(b, a, e, sc);
  else if (isDigit(c0) && !(c0 === 49 && b[a + 1] === 32)) i = isoStamp(b, a, e, sc);
  else return false;
  if (i < 0 || i >= e || b[i] !== 32) return false;
  sc.stampFrom = a;
  sc.stampTo = i;
  sc.lineTo = e;
  // the host, then `kernel:` (header.ts parseHeader, where the host is followed by `kernel:`)
  i = skipSpaces(b, i, e);
  let t = i;
  for (; t < e; t++) {
    const c = b[t];
    if (c === 32) break;
    if (c === 61 || c < 32 || c > 126) return false;
  }
  if (t === i || t === e || b[t - 1] === 58 || b[i] === 91 || b[i] === 34) return false;
  sc.hostFrom = i;
  sc.hostTo = t;
  i = skipSpaces(b, t, e);
  if (i + 7 >= e || b[i + 7] !== 32) return false;
  for (let k = 0; k < 7; k++) if (b[i + k] !== KERNEL[k]) return false;
  i = skipSpaces(b, i + 7, e);
  // dmesg's uptime `[ 12345.678901]`
  sc.ktsFrom = -1;
  if (i < e && b[i] === 91) {
    let j = i + 1;
    while (j < e && b[j] === 32) j++;
    const start = j;
    // (a `[` that does not open an uptime is the prefix's: checked below)
    while (j < e && isDigit(b[j])) j++;
    if (j > start && j < e && b[j] === 46) {
      const fs = ++j;
      while (j < e && isDigit(b[j])) j++;
      if (j > fs && j < e && b[j] === 93) {
        sc.ktsFrom = start;
        sc.ktsTo = j;
        i = skipSpaces(b, j + 1, e);
      }
    }
  }
  sc.pos = i;
  // the fields start at the first `IN=` not inside a word (fields.ts findFields)
  let at = -1;
  for (let k = i; k < e; k++) {
    const c = b[k];
    if (c < 32 || c > 126) return false;
    if (c === 73 && k + 2 < e && b[k + 1] === 78 && b[k + 2] === 61 && (k === i || !isWordChar(b[k - 1]))) {
      at = k;
      break;
    }
  }
  if (at < 0) return false;
  sc.at = at;
  return scanFields(b, at, e, sc);
}

/** A CodeTable (fields.ts) for bytes: per slot the token code of its name and the name's bytes. */
export interface ByteTable {
  mul: number;
  codes: Int32Array;
  names: Array<Uint8Array | undefined>;
}

export function byteTable<T>(t: CodeTable<T>): ByteTable {
  const codes = new Int32Array(t.names.length).fill(-1);
  const names = t.names.map((n, slot) => {
    if (n === undefined) return undefined;
    codes[slot] = ((n.length << 24) ^ (n.charCodeAt(0) << 16) ^ (n.charCodeAt(1) << 8) ^ n.charCodeAt(n.length - 1)) | 0;
    return new Uint8Array(Buffer.from(n, 'latin1'));
  });
  return { mul: t.mul, codes, names };
}

const KEY_BYTES = byteTable(KEYS);
const FLAG_BYTES = byteTable(FLAGS);
const PROTO_BYTES = byteTable(PROTOS);

/**
 * The slot of the known token b[i, end) (fields.ts known()), or -1. The token code holds its
 * length and first, second and last bytes: when it is the slot's own, only the bytes between
 * are left to compare.
 */
export function known(t: ByteTable, b: Uint8Array, i: number, end: number): number {
  if (end - i < 2) return -1;
  const code = ((end - i) << 24) ^ (b[i] << 16) ^ (b[i + 1] << 8) ^ b[end - 1];
  const slot = Math.imul(code, t.mul) >>> 22;
  if (t.codes[slot] !== code) return -1;
  const name = t.names[slot]!;
  if (name.length !== end - i) return -1; // (the code holds the length modulo 256)
  for (let k = 2; k < name.length - 1; k++) if (name[k] !== b[i + k]) return -1;
  return slot;
}

/** Known key (K) -> field (F); -1: not in the lane. */
const FIELD_OF: Int8Array = (() => {
  const t = new Int8Array(64).fill(-1);
  const map: Array<[number, number]> = [
    [K.IN, F.in], [K.OUT, F.out], [K.PHYSIN, F.physin], [K.PHYSOUT, F.physout], [K.MAC, F.mac],
    [K.SRC, F.src], [K.DST, F.dst], [K.LEN, F.len], [K.TOS, F.tos], [K.PREC, F.prec], [K.TTL, F.ttl],
    [K.ID, F.id], [K.TC, F.tc], [K.HOPLIMIT, F.hoplimit], [K.FLOWLBL, F.flowlbl], [K.PROTO, F.proto],
    [K.SPT, F.spt], [K.DPT, F.dpt], [K.WINDOW, F.window], [K.RES, F.res], [K.URGP, F.urgp],
    [K.SEQ, F.seq], [K.ACK, F.ack], [K.TYPE, F.icmp_type], [K.CODE, F.icmp_code], [K.MTU, F.icmp_mtu],
    [K.GATEWAY, F.icmp_gateway], [K.UID, F.uid], [K.GID, F.gid], [K.MARK, F.mark],
  ];
  for (const [k, f] of map) t[k] = f;
  return t;
})();

/** The packet fields from `at` (fields.ts parseFields and field(), for the tokens of the lane). */
function scanFields(b: Uint8Array, at: number, e: number, sc: ByteScan): boolean {
  const has = sc.has;
  if (sc.gen === 0x7fffffff) {
    // has[] holds int32s: start the generations again before they would wrap
    sc.gen = 0;
    sc.has.fill(0);
  }
  const gen = ++sc.gen;
  sc.nflags = 0;
  sc.family = 0;
  sc.src6 = sc.dst6 = null;
  sc.mac = null;
  sc.optFrom = -1;
  let proto = P_NONE;
  let i = at;
  while (i < e) {
    while (i < e && b[i] === 32) i++;
    if (i >= e) break;
    if (b[i] === 91 /* [ */) return false;
    // the key, up to its `=` (or the word, up to its end)
    let eq = i;
    let c = 0;
    for (; eq < e; eq++) {
      c = b[eq];
      if (c === 61 || c === 32) break;
      if (c < 32 || c > 126) return false;
    }
    let end: number;
    if (eq < e && c === 61) {
      if (eq === i) return false;
      const slot = known(KEY_BYTES, b, i, eq);
      if (slot < 0) return false;
      let f = FIELD_OF[KEYS.values[slot]];
      if (f < 0) return false;
      if (proto === P_ICMP) {
        if (f === F.id) f = F.icmp_id;
        else if (f === F.seq) f = F.icmp_seq;
      }
      if (has[f] === gen) {
        // UDP's own LEN= after PROTO=
        if (f !== F.len || proto === P_NONE || has[F.udp_len] === gen) return false;
        f = F.udp_len;
      }
      const from = eq + 1;
      if (from < e && b[from] === 34 /* " */) return false;
      if (DECIMAL[f] === 1) {
        // a decimal value, read as it is found (fields.ts dec())
        let v = 0;
        end = from;
        for (; end < e; end++) {
          const d = b[end] - 48;
          if (d === -16) break; // a space
          if (d < 0 || d > 9) return false;
          v = v * 10 + d;
        }
        if (end === from || end - from > 15) return false;
        sc.num[f] = v;
      } else {
        for (end = from; end < e; end++) {
          c = b[end];
          if (c === 32) break;
          if (c < 32 || c > 126) return false;
        }
        if (!value(b, f, from, end, sc)) return false;
      }
      has[f] = gen;
      sc.from[f] = from;
      sc.to[f] = end;
      if (f === F.proto) proto = protoKind(sc.proto);
    } else {
      end = eq;
      const flag = known(FLAG_BYTES, b, i, end);
      if (flag >= 0) {
        if (sc.nflags === MAX_FLAGS) return false;
        sc.flags[sc.nflags++] = flag;
      } else if (end - i === 3 && b[i] === 79 && b[i + 1] === 80 && b[i + 2] === 84 && end + 1 < e && b[end + 1] === 40 && sc.optFrom < 0) {
        // `OPT (...)`: kept in extra.OPT, trimmed
        let q = end + 2;
        for (; q < e; q++) {
          const c = b[q];
          if (c === 41) break;
          if (c < 32 || c > 126) return false;
        }
        let from = end + 2;
        let to = q;
        while (from < to && b[from] === 32) from++;
        while (to > from && b[to - 1] === 32) to--;
        sc.optFrom = from;
        sc.optTo = to;
        // parseFields steps over the byte after `)` unread (a space)
        if (q + 1 < e && b[q + 1] !== 32) return false;
        end = q === e ? e : q + 1;
      } else {
        return false;
      }
    }
    i = end + 1;
  }
  return true;
}

/** The fields whose value is a decimal number (read by scanFields itself). */
const DECIMAL: Uint8Array = (() => {
  const t = new Uint8Array(F_COUNT).fill(1);
  for (const f of [F.in, F.out, F.physin, F.physout, F.mac, F.src, F.dst, F.proto, F.icmp_gateway, F.mark, F.tos, F.prec, F.res]) t[f] = 0;
  return t;
})();

/** One value but a decimal one, checked (and read) as fields.ts field() does; false: not in the lane. */
function value(b: Uint8Array, f: number, from: number, to: number, sc: ByteScan): boolean {
  switch (f) {
    case F.in: case F.out: case F.physin: case F.physout:
      return true;
    case F.mac:
      if (to === from) return false;
      if (sc.wantMac) sc.mac = macBytes(b, from, to);
      return true;
    case F.src: case F.dst: {
      if (to === from) return false;
      let colon = false;
      let dot = false;
      for (let k = from; k < to; k++) {
        const c = b[k];
        if (c === 58) colon = true;
        else if (c === 46) dot = true;
      }
      if (colon) {
        const text = canonicalIpv6(latin1(b, from, to));
        // not an address after all: written escaped by the general way
        if (text.indexOf('"') !== -1 || text.indexOf('\\') !== -1) return false;
        if (f === F.src) sc.src6 = text;
        else sc.dst6 = text;
        if (sc.family === 0) sc.family = 6;
      } else if (dot && sc.family === 0) {
        sc.family = 4;
      }
      return true;
    }
    case F.proto: {
      if (to === from) return false;
      const slot = known(PROTO_BYTES, b, from, to);
      sc.proto = slot >= 0 ? PROTOS.names[slot]! : latin1(b, from, to);
      return true;
    }
    case F.icmp_gateway: case F.mark:
      return to > from;
    default: // F.tos, F.prec, F.res
      return (sc.num[f] = hexNum(b, from, to)) >= 0;
  }
}

/** fields.ts hexNum() on bytes. */
function hexNum(b: Uint8Array, from: number, to: number): number {
  if (to - from > 2 && b[from] === 48 && (b[from + 1] | 32) === 120) from += 2;
  if (to <= from || to - from > 12) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** b[from, to) as a string (the lane's bytes are ASCII). */
export function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.prototype.latin1Slice.call(b, from, to) as string;
}

/** Bytes equal to the bytes kept in `keep` (its first `n`)? */
export function sameBytes(b: Uint8Array, from: number, to: number, keep: Uint8Array, n: number): boolean {
  if (to - from !== n) return false;
  for (let k = 0; k < n; k++) if (b[from + k] !== keep[k]) return false;
  return true;
}

/**
 * A small cache of values by the bytes they were made from (prefixes, MACs: a log interleaves a
 * few of each, so the last one alone would miss half the time). 64 entries found by a hash of the
 * bytes; a collision replaces the entry.
 */
export class BytesCache<T> {
  private readonly keys: Array<Uint8Array | undefined> = new Array(64).fill(undefined);
  private readonly values: Array<T | undefined> = new Array(64).fill(undefined);

  /** The value kept for b[from, to), or undefined. */
  get(b: Uint8Array, from: number, to: number): T | undefined {
    const slot = hashBytes(b, from, to) & 63;
    const k = this.keys[slot];
    return k !== undefined && sameBytes(b, from, to, k, k.length) ? this.values[slot] : undefined;
  }

  set(b: Uint8Array, from: number, to: number, value: T): void {
    const slot = hashBytes(b, from, to) & 63;
    this.keys[slot] = new Uint8Array(b.subarray(from, to)); // a copy: b is reused
    this.values[slot] = value;
  }
}

/** A hash of the length and of up to 12 bytes: the first 4 and the last 8 (a cache only needs a slot). */
function hashBytes(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 ^ (to - from);
  const head = Math.min(to, from + 4);
  for (let k = from; k < head; k++) h = Math.imul(h ^ b[k], 0x01000193);
  for (let k = Math.max(head, to - 8); k < to; k++) h = Math.imul(h ^ b[k], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

const macs = new BytesCache<MacParts>();

/** macParts() of the MAC= bytes, cached by them (MACs repeat). */
function macBytes(b: Uint8Array, from: number, to: number): MacParts {
  let m = macs.get(b, from, to);
  if (m === undefined) {
    const text = latin1(b, from, to);
    m = macParts(text, 0, text.length);
    macs.set(b, from, to, m);
  }
  return m;
}

/** The words of a prefix as a report fact has them (stream-engine.ts toFact). */
export interface LaneFactWords {
  prefix: string | undefined;
  action: string | undefined;
  verdict: 'accept' | 'deny' | 'log';
}

export function laneFactWords(prefix: string, action: string | undefined, verdict: 'accept' | 'deny' | 'log'): LaneFactWords {
  return { prefix: text(prefix, WIDTH.prefix), action: text(action, WIDTH.action), verdict };
}
