// Records -> NDJSON bytes, written straight into a Buffer: the command's output path. Byte for
// byte what `JSON.stringify(rec) + '\n'` gives (a test compares them), about twice as fast here:
// no intermediate string per record, keys copied as pre-encoded bytes, whole numbers written
// digit by digit, ASCII strings copied as they are checked for characters JSON must escape
// (anything else falls back to JSON.stringify). The Buffers it hands out go to stdout as they
// are, with no UTF-8 encoding of a big string on the way.
import type { InnerPacket, IptaRecord } from '../record.js';
import { F, latin1, type ByteScan } from './byte-lane.js';
import { FLAGS, type MacParts } from './fields.js';

const enc = (k: string): Uint8Array => Buffer.from(`"${k}":`, 'latin1');
const K_TS = enc('ts'), K_HOST = enc('host'), K_KERNEL_TS = enc('kernel_ts'), K_PREFIX = enc('prefix'),
  K_ACTION = enc('action'), K_VERDICT = enc('verdict'), K_IN = enc('in'), K_OUT = enc('out'),
  K_PHYSIN = enc('physin'), K_PHYSOUT = enc('physout'), K_MAC = enc('mac'), K_MAC_DST = enc('mac_dst'),
  K_MAC_SRC = enc('mac_src'), K_ETHERTYPE = enc('ethertype'), K_FAMILY = enc('family'), K_SRC = enc('src'),
  K_DST = enc('dst'), K_LEN = enc('len'), K_TOS = enc('tos'), K_PREC = enc('prec'), K_TTL = enc('ttl'),
  K_ID = enc('id'), K_TC = enc('tc'), K_HOPLIMIT = enc('hoplimit'), K_FLOWLBL = enc('flowlbl'),
  K_PROTO = enc('proto'), K_SPT = enc('spt'), K_DPT = enc('dpt'), K_UDP_LEN = enc('udp_len'),
  K_WINDOW = enc('window'), K_RES = enc('res'), K_URGP = enc('urgp'), K_FLAGS = enc('flags'),
  K_SEQ = enc('seq'), K_ACK = enc('ack'), K_ICMP_TYPE = enc('icmp_type'), K_ICMP_CODE = enc('icmp_code'),
  K_ICMP_ID = enc('icmp_id'), K_ICMP_SEQ = enc('icmp_seq'), K_ICMP_MTU = enc('icmp_mtu'),
  K_ICMP_PARAMETER = enc('icmp_parameter'), K_ICMP_GATEWAY = enc('icmp_gateway'), K_UID = enc('uid'),
  K_GID = enc('gid'), K_MARK = enc('mark'), K_FRAG = enc('frag'), K_INCOMPLETE = enc('incomplete'),
  K_INNER = enc('inner'), K_EXTRA = enc('extra'), K_SRC_NAME = enc('src_name'), K_DST_NAME = enc('dst_name'),
  K_LINE = enc('line'), K_KEY = enc('key');

/** Headroom of a new buffer beyond the last batch's size. */
const FIXED = 2048;

export class JsonWriter {
  private buf: Buffer;
  private pos = 0;
  /** the next record's separator: `{` first, `,` after the first key */
  private sep = 123;

  constructor(private readonly size = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos;
  }

  /** What was written since the last take(), as a Buffer of its own (the writer starts a new one). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    // the next buffer: as big as this batch needed, so one batch fits without growing
    this.buf = Buffer.allocUnsafe(Math.max(this.size, this.pos + FIXED));
    this.pos = 0;
    return out;
  }

  /** Room for n more bytes. */
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One record as a JSON line (with its "\n"): keys in RECORD_KEYS order, undefined ones left out. */
  record(r: IptaRecord): void {
    this.sep = 123;
    if (r.ts !== undefined) this.str(K_TS, r.ts);
    if (r.host !== undefined) this.str(K_HOST, r.host);
    if (r.kernel_ts !== undefined) this.num(K_KERNEL_TS, r.kernel_ts);
    if (r.prefix !== undefined) this.str(K_PREFIX, r.prefix);
    if (r.action !== undefined) this.str(K_ACTION, r.action);
    if (r.verdict !== undefined) this.str(K_VERDICT, r.verdict);
    if (r.in !== undefined) this.str(K_IN, r.in);
    if (r.out !== undefined) this.str(K_OUT, r.out);
    if (r.physin !== undefined) this.str(K_PHYSIN, r.physin);
    if (r.physout !== undefined) this.str(K_PHYSOUT, r.physout);
    if (r.mac !== undefined) this.str(K_MAC, r.mac);
    if (r.mac_dst !== undefined) this.str(K_MAC_DST, r.mac_dst);
    if (r.mac_src !== undefined) this.str(K_MAC_SRC, r.mac_src);
    if (r.ethertype !== undefined) this.num(K_ETHERTYPE, r.ethertype);
    if (r.family !== undefined) this.num(K_FAMILY, r.family);
    this.packet(r);
    if (r.icmp_mtu !== undefined) this.num(K_ICMP_MTU, r.icmp_mtu);
    if (r.icmp_parameter !== undefined) this.num(K_ICMP_PARAMETER, r.icmp_parameter);
    if (r.icmp_gateway !== undefined) this.str(K_ICMP_GATEWAY, r.icmp_gateway);
    if (r.uid !== undefined) this.num(K_UID, r.uid);
    if (r.gid !== undefined) this.num(K_GID, r.gid);
    if (r.mark !== undefined) this.str(K_MARK, r.mark);
    if (r.frag !== undefined) this.num(K_FRAG, r.frag);
    if (r.incomplete !== undefined) this.num(K_INCOMPLETE, r.incomplete);
    if (r.inner !== undefined) this.any(K_INNER, r.inner);
    if (r.extra !== undefined) this.any(K_EXTRA, r.extra);
    if (r.src_name !== undefined) this.str(K_SRC_NAME, r.src_name);
    if (r.dst_name !== undefined) this.str(K_DST_NAME, r.dst_name);
    if (r.line !== undefined) this.num(K_LINE, r.line);
    if (r.key !== undefined) this.str(K_KEY, r.key);
    this.ensure(3);
    const b = this.buf;
    if (this.sep === 123) b[this.pos++] = 123; // no key at all: {}
    b[this.pos++] = 125;
    b[this.pos++] = 10;
  }

  /**
   * The line the byte lane scanned (byte-lane.ts), as record() writes its record: `tsBase` is
   * `"ts":"` and its stamp in UTC to the second (empty for none), `head` the encoded prefix, action and verdict keys.
   * Written with local loops into room made once for the whole line (its JSON is at most 8 bytes
   * per byte of the line, plus the fixed keys).
   */
  byteRecord(b: Uint8Array, sc: ByteScan, tsBase: Uint8Array, head: Uint8Array, line: number, key: string): void {
    this.ensure(2048 + 8 * (sc.lineTo - sc.stampFrom));
    const o = this.buf;
    let p = this.pos;
    o[p++] = 123;
    if (tsBase.length > 0) {
      p = put(o, p, tsBase, 0, tsBase.length);
      if (sc.fracTo > sc.fracFrom) {
        o[p++] = 46;
        p = put(o, p, b, sc.fracFrom, sc.fracTo);
      }
      o[p++] = 90;
      o[p++] = 34;
      o[p++] = 44;
    }
    p = put(o, p, Q_HOST, 1, Q_HOST.length);
    p = text(o, p, b, sc.hostFrom, sc.hostTo);
    if (sc.ktsFrom >= 0) p = uptime(o, put(o, p, C_KERNEL_TS, 0, C_KERNEL_TS.length), b, sc.ktsFrom, sc.ktsTo);
    o.set(head, p);
    p += head.length;
    const has = sc.has, gen = sc.gen, from = sc.from, to = sc.to, num = sc.num;
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (f === F.src && sc.family !== 0) {
        p = put(o, p, C_FAMILY, 0, C_FAMILY.length);
        o[p++] = 48 + sc.family;
      } else if (f === F.seq) {
        // flags: always, after urgp
        p = put(o, p, C_FLAGS, 0, C_FLAGS.length);
        o[p++] = 91;
        for (let k = 0; k < sc.nflags; k++) {
          if (k > 0) o[p++] = 44;
          const fj = FLAG_JSON[sc.flags[k]];
          p = put(o, p, fj, 0, fj.length);
        }
        o[p++] = 93;
      }
      if (has[f] !== gen) continue;
      const kind = FIELD_KIND[f];
      if (kind === KIND_DIGITS) {
        p = put(o, p, FIELD_KEY[f], 0, FIELD_KEY[f].length);
        p = digits(o, p, b, from[f], to[f], num[f]);
      } else if (kind === KIND_TEXT) {
        p = put(o, p, FIELD_KEY[f], 0, FIELD_KEY[f].length);
        p = text(o, p, b, from[f], to[f]);
      } else if (kind === KIND_INT) {
        p = put(o, p, FIELD_KEY[f], 0, FIELD_KEY[f].length);
        p = int(o, p, num[f]);
      } else if (kind === KIND_ADDR) {
        p = put(o, p, FIELD_KEY[f], 0, FIELD_KEY[f].length);
        const v6 = f === F.src ? sc.src6 : sc.dst6;
        p = v6 !== null ? ascii(o, p, v6) : text(o, p, b, from[f], to[f]);
      } else if (kind === KIND_MAC) {
        const m = macJson(sc.mac!);
        p = put(o, p, m, 0, m.length);
      } else {
        const pj = this.protoJson(sc.proto);
        p = put(o, p, pj, 0, pj.length);
      }
    }
    if (sc.optFrom >= 0) {
      // extra holds OPT alone: {"OPT":"..."}
      p = text(o, put(o, p, Q_EXTRA_OPT, 0, Q_EXTRA_OPT.length), b, sc.optFrom, sc.optTo);
      o[p++] = 125;
    }
    p = int(o, put(o, p, C_LINE, 0, C_LINE.length), line);
    p = put(o, p, Q_KEY, 0, Q_KEY.length);
    p += o.write(key, p, 'latin1');
    o[p++] = 34;
    o[p++] = 125;
    o[p++] = 10;
    this.pos = p;
  }

  private readonly protos = new Map<string, Uint8Array>();

  /** `,"proto":"TCP"`, encoded once per name. */
  private protoJson(name: string): Uint8Array {
    let j = this.protos.get(name);
    if (j === undefined) {
      if (this.protos.size > 1000) this.protos.clear();
      j = latin1Bytes(`,"proto":${JSON.stringify(name)}`);
      this.protos.set(name, j);
    }
    return j;
  }

  /** The keys from src to icmp_seq (record order). */
  private packet(r: InnerPacket): void {
    if (r.src !== undefined) this.str(K_SRC, r.src);
    if (r.dst !== undefined) this.str(K_DST, r.dst);
    if (r.len !== undefined) this.num(K_LEN, r.len);
    if (r.tos !== undefined) this.num(K_TOS, r.tos);
    if (r.prec !== undefined) this.num(K_PREC, r.prec);
    if (r.ttl !== undefined) this.num(K_TTL, r.ttl);
    if (r.id !== undefined) this.num(K_ID, r.id);
    if (r.tc !== undefined) this.num(K_TC, r.tc);
    if (r.hoplimit !== undefined) this.num(K_HOPLIMIT, r.hoplimit);
    if (r.flowlbl !== undefined) this.num(K_FLOWLBL, r.flowlbl);
    if (r.proto !== undefined) this.str(K_PROTO, r.proto);
    if (r.spt !== undefined) this.num(K_SPT, r.spt);
    if (r.dpt !== undefined) this.num(K_DPT, r.dpt);
    if (r.udp_len !== undefined) this.num(K_UDP_LEN, r.udp_len);
    if (r.window !== undefined) this.num(K_WINDOW, r.window);
    if (r.res !== undefined) this.num(K_RES, r.res);
    if (r.urgp !== undefined) this.num(K_URGP, r.urgp);
    if (r.flags !== undefined) this.flags(r.flags);
    if (r.seq !== undefined) this.num(K_SEQ, r.seq);
    if (r.ack !== undefined) this.num(K_ACK, r.ack);
    if (r.icmp_type !== undefined) this.num(K_ICMP_TYPE, r.icmp_type);
    if (r.icmp_code !== undefined) this.num(K_ICMP_CODE, r.icmp_code);
    if (r.icmp_id !== undefined) this.num(K_ICMP_ID, r.icmp_id);
    if (r.icmp_seq !== undefined) this.num(K_ICMP_SEQ, r.icmp_seq);
  }

  /** `,"key":` (or `{"key":` for the first). The caller has ensured room for it. */
  private key(k: Uint8Array): void {
    const b = this.buf;
    let p = this.pos;
    b[p++] = this.sep;
    this.sep = 44;
    for (let i = 0; i < k.length; i++) b[p++] = k[i];
    this.pos = p;
  }

  private str(k: Uint8Array, s: string): void {
    // worst case: every UTF-16 unit escaped as \u00XX (6 bytes)
    this.ensure(k.length + 3 + s.length * 6);
    this.key(k);
    this.quoted(s);
  }

  /** A JSON string: ASCII without `"`, `\` or control characters copied; anything else via JSON.stringify. */
  private quoted(s: string): void {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    b[p++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || c > 126) {
        this.pos = start + b.write(JSON.stringify(s), start, 'utf8');
        return;
      }
      b[p++] = c;
    }
    b[p++] = 34;
    this.pos = p;
  }

  private num(k: Uint8Array, v: number): void {
    // a key, and a number JSON writes in at most 24 characters
    if (this.pos + k.length + 26 > this.buf.length) this.ensure(k.length + 26);
    this.key(k);
    const b = this.buf;
    if ((v | 0) === v && v >= 0) {
      // a non-negative int32 (-0 too: JSON writes 0): integer division, digits counted by compares
      let e = this.pos + (v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
        : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10);
      this.pos = e;
      let n = v;
      do {
        const q = (n / 10) | 0;
        b[--e] = 48 + n - q * 10;
        n = q;
      } while (n > 0);
      return;
    }
    // fractions (kernel_ts), NaN (null): JSON.stringify's own text (short: room ensured)
    this.pos += b.write(JSON.stringify(v), this.pos, 'latin1');
  }

  private flags(f: string[]): void {
    let n = K_FLAGS.length + 3;
    for (let i = 0; i < f.length; i++) n += f[i].length * 6 + 3;
    this.ensure(n);
    this.key(K_FLAGS);
    this.buf[this.pos++] = 91;
    for (let i = 0; i < f.length; i++) {
      if (i > 0) this.buf[this.pos++] = 44;
      this.quoted(f[i]);
    }
    this.buf[this.pos++] = 93;
  }

  /** A nested object (inner, extra): JSON.stringify's text. */
  private any(k: Uint8Array, v: unknown): void {
    const text = JSON.stringify(v);
    if (text === undefined) return;
    this.ensure(k.length + 1 + Buffer.byteLength(text));
    this.key(k);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }
}

// The byte lane's pieces (JsonWriter.byteRecord): keys with their `,` and, for strings, the
// opening quote; helpers that write at `p` into room already made and return the new `p`.
const latin1Bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const comma = (k: string): Uint8Array => latin1Bytes(`,"${k}":`);
const quote = (k: string): Uint8Array => latin1Bytes(`,"${k}":"`);
const Q_HOST = quote('host'), Q_KEY = quote('key'), Q_EXTRA_OPT = latin1Bytes(',"extra":{"OPT":"');
const C_KERNEL_TS = comma('kernel_ts'), C_FAMILY = comma('family'), C_FLAGS = comma('flags'), C_LINE = comma('line');
/** The lane's fields (F) in record order: how each is written, and its key. */
const KIND_TEXT = 0, KIND_DIGITS = 1, KIND_INT = 2, KIND_ADDR = 3, KIND_MAC = 4, KIND_PROTO = 5;
const FIELD_COUNT = Object.keys(F).length;
const FIELD_KIND = new Uint8Array(FIELD_COUNT).fill(KIND_DIGITS);
const FIELD_KEY: Uint8Array[] = [];
for (const [name, f] of Object.entries(F)) {
  const text = ['in', 'out', 'physin', 'physout', 'icmp_gateway', 'mark'].includes(name);
  FIELD_KIND[f] = text ? KIND_TEXT : name === 'src' || name === 'dst' ? KIND_ADDR : name === 'mac' ? KIND_MAC
    : name === 'proto' ? KIND_PROTO : name === 'tos' || name === 'prec' || name === 'res' ? KIND_INT : KIND_DIGITS;
  FIELD_KEY[f] = text || FIELD_KIND[f] === KIND_ADDR ? quote(name) : comma(name);
}
const FLAG_JSON: Uint8Array[] = FLAGS.names.map((n) => (n === undefined ? new Uint8Array(0) : latin1Bytes(`"${n}"`)));

/** src[from, to) at p. */
function put(o: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  for (let k = from; k < to; k++) o[p++] = src[k];
  return p;
}

/** An ASCII string that needs no escaping (an IPv6 address), and its closing quote. */
function ascii(o: Buffer, p: number, s: string): number {
  p += o.write(s, p, 'latin1');
  o[p++] = 34;
  return p;
}

/** b[from, to) (printable ASCII) as the rest of a JSON string, closing quote included: copied, unless it holds `"` or `\`. */
function text(o: Buffer, p: number, b: Uint8Array, from: number, to: number): number {
  const start = p;
  for (let k = from; k < to; k++) {
    const c = b[k];
    if (c === 34 || c === 92) return start + o.write(JSON.stringify(latin1(b, from, to)).slice(1), start, 'latin1');
    o[p++] = c;
  }
  o[p++] = 34;
  return p;
}

/** A whole number as JSON writes it. */
function int(o: Buffer, p: number, v: number): number {
  if ((v | 0) === v && v >= 0) {
    const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
      : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    let e = p + n;
    let x = v;
    do {
      const q = (x / 10) | 0;
      o[--e] = 48 + x - q * 10;
      x = q;
    } while (x > 0);
    return p + n;
  }
  return p + o.write(JSON.stringify(v), p, 'latin1');
}

/** A decimal field: its digits as printed when JSON writes them so (no leading zero), else `v`. */
function digits(o: Buffer, p: number, b: Uint8Array, from: number, to: number, v: number): number {
  if (b[from] === 48 && to - from > 1) return int(o, p, v);
  for (let k = from; k < to; k++) o[p++] = b[k];
  return p;
}

/**
 * kernel_ts from the uptime's digits `int.frac`: as printed, without leading zeros and the
 * fraction's trailing zeros, when that is JSON's text of the number (at most 15 significant
 * digits, no exponent); else JSON's text of Number(digits).
 */
function uptime(o: Buffer, p: number, b: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to - 1 && b[i] === 48 && b[i + 1] !== 46) i++;
  let end = to;
  while (b[end - 1] === 48) end--;
  if (b[end - 1] === 46) end--;
  let sig = 0;
  let zeros = 0;
  for (let k = i; k < end; k++) {
    const c = b[k];
    if (c === 46) continue;
    if (sig === 0 && c === 48) zeros++;
    else sig++;
  }
  if (sig === 0 || sig > 15 || (b[i] === 48 && zeros > 6)) return p + o.write(JSON.stringify(Number(latin1(b, from, to))), p, 'latin1');
  for (let k = i; k < end; k++) o[p++] = b[k];
  return p;
}

/** The keys of a MAC= (mac, and mac_dst, mac_src, ethertype when decomposed), encoded once per MAC. */
function macJson(m: MacParts): Uint8Array {
  if (m.json === undefined) {
    let t = `,"mac":${JSON.stringify(m.mac)}`;
    if (m.ethertype !== undefined) t += `,"mac_dst":${JSON.stringify(m.dst)},"mac_src":${JSON.stringify(m.src)},"ethertype":${m.ethertype}`;
    m.json = new Uint8Array(Buffer.from(t, 'utf8'));
  }
  return m.json;
}
