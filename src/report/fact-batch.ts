// Pure: a batch of report facts <-> a compact columnar form for postMessage. Numbers travel in
// typed arrays (moved, not copied); the low-variety text fields (host, prefix, action, in, out,
// proto) as indexes into a dictionary that grows across batches (each batch carries only its new
// words); addresses as plain string arrays. Cloning this is several times cheaper than cloning
// an array of objects, which is what makes parsing in a second thread pay off.
import type { Fact } from './stream-engine.js';
import { ipv4Number, ipv4Text } from './tables.js';
import { WIDTH, text } from './fact-text.js';
import { BytesCache, F, latin1, type ByteScan, type LaneFactWords } from '../parse/byte-lane.js';
import { R, type RecordScan } from './json-lane.js';

const DICT_FIELDS = ['host', 'prefix', 'action', 'in', 'out', 'proto'] as const;
type DictField = (typeof DICT_FIELDS)[number];
const VERDICTS = ['accept', 'deny', 'log'] as const;
/** the code of an absent word */
export const NO_WORD = 0xffffffff;
const NONE = NO_WORD;
/** an absent port (the engine's convention too) */
const NO_PORT = -1;

export interface FactBatch {
  n: number;
  /** microseconds; NaN: absent */
  ts: Float64Array;
  verdict: Uint8Array;
  spt: Int32Array;
  dpt: Int32Array;
  /** per dictionary field: indexes (NONE: absent) */
  codes: Uint32Array[];
  /** words first seen in this batch, in index order */
  words: string[];
  /** an IPv4 address written the usual way as its number (tables.ts ipv4Number), else -1 and the text in src/dst */
  src4: Float64Array;
  dst4: Float64Array;
  /** sparse (holes where src4/dst4 hold the address): a holey array is cloned element by element present */
  src: (string | undefined)[];
  dst: (string | undefined)[];
}

/**
 * The sending side: remembers which words the receiver already has. A batch is built fact by
 * fact (start, add or addLane, finish), or at once (encode).
 */
export class FactEncoder {
  private readonly dict = new Map<string, number>();
  private b: FactBatch = newBatch(0);

  encode(facts: Fact[]): FactBatch {
    this.start(facts.length);
    for (const f of facts) this.add(f);
    return this.finish();
  }

  /** Start a batch of at most `capacity` facts. */
  start(capacity: number): void {
    this.b = newBatch(capacity);
  }

  /** The batch (its columns may be longer than its n facts). */
  finish(): FactBatch {
    const b = this.b;
    this.b = newBatch(0);
    return b;
  }

  add(f: Fact): void {
    const b = this.b;
    const i = b.n++;
    const codes = b.codes;
    b.ts[i] = f.ts ?? NaN;
    b.verdict[i] = f.verdict === 'accept' ? 0 : f.verdict === 'deny' ? 1 : 2;
    b.spt[i] = f.spt ?? NO_PORT;
    b.dpt[i] = f.dpt ?? NO_PORT;
    // DICT_FIELDS, one by one (a property read by a variable name is slow)
    codes[0]![i] = this.code(0, f.host, b.words);
    codes[1]![i] = this.code(1, f.prefix, b.words);
    codes[2]![i] = this.code(2, f.action, b.words);
    codes[3]![i] = this.code(3, f.in, b.words);
    codes[4]![i] = this.code(4, f.out, b.words);
    codes[5]![i] = this.code(5, f.proto, b.words);
    const s4 = f.src === undefined ? -1 : ipv4Number(f.src);
    b.src4[i] = s4;
    if (s4 < 0 && f.src !== undefined) b.src[i] = f.src;
    const d4 = f.dst === undefined ? -1 : ipv4Number(f.dst);
    b.dst4[i] = d4;
    if (d4 < 0 && f.dst !== undefined) b.dst[i] = f.dst;
  }

  /**
   * The fact of a line the byte lane scanned (parse/byte-lane.ts), as add(toFact(record)) adds
   * it: `ts` in microseconds (NaN: none), `words` its prefix's.
   */
  addLane(bytes: Uint8Array, sc: ByteScan, ts: number, words: LaneFactWords): void {
    const b = this.b;
    const i = b.n++;
    const codes = b.codes;
    const has = sc.has, gen = sc.gen;
    b.ts[i] = ts;
    b.verdict[i] = words.verdict === 'accept' ? 0 : words.verdict === 'deny' ? 1 : 2;
    b.spt[i] = has[F.spt] === gen && sc.num[F.spt] <= 65535 ? sc.num[F.spt] : NO_PORT;
    b.dpt[i] = has[F.dpt] === gen && sc.num[F.dpt] <= 65535 ? sc.num[F.dpt] : NO_PORT;
    codes[0]![i] = this.laneCode(0, bytes, sc.hostFrom, sc.hostTo, WIDTH.host);
    codes[1]![i] = this.code(1, words.prefix, b.words);
    codes[2]![i] = this.code(2, words.action, b.words);
    codes[3]![i] = has[F.in] === gen ? this.laneCode(3, bytes, sc.from[F.in], sc.to[F.in], WIDTH.in) : NONE;
    codes[4]![i] = has[F.out] === gen ? this.laneCode(4, bytes, sc.from[F.out], sc.to[F.out], WIDTH.out) : NONE;
    codes[5]![i] = has[F.proto] === gen ? this.code(5, text(sc.proto, WIDTH.proto), b.words) : NONE;
    this.laneAddr(i, bytes, sc, F.src, sc.src6, b.src4, b.src);
    this.laneAddr(i, bytes, sc, F.dst, sc.dst6, b.dst4, b.dst);
  }

  /**
   * The fact of a record line the report's lane scanned (report/json-lane.ts), as
   * add(toFact(JSON.parse(line))) adds it: `ts` in microseconds (NaN: none).
   */
  addJson(bytes: Uint8Array, sc: RecordScan, ts: number): void {
    const b = this.b;
    const i = b.n++;
    const codes = b.codes;
    const from = sc.from, to = sc.to;
    b.ts[i] = ts;
    b.verdict[i] = sc.verdict;
    b.spt[i] = sc.spt;
    b.dpt[i] = sc.dpt;
    codes[0]![i] = from[R.host] < 0 ? NONE : this.laneCode(0, bytes, from[R.host], to[R.host], WIDTH.host);
    codes[1]![i] = from[R.prefix] < 0 ? NONE : this.laneCode(1, bytes, from[R.prefix], to[R.prefix], WIDTH.prefix);
    codes[2]![i] = from[R.action] < 0 ? NONE : this.laneCode(2, bytes, from[R.action], to[R.action], WIDTH.action);
    codes[3]![i] = from[R.in] < 0 ? NONE : this.laneCode(3, bytes, from[R.in], to[R.in], WIDTH.in);
    codes[4]![i] = from[R.out] < 0 ? NONE : this.laneCode(4, bytes, from[R.out], to[R.out], WIDTH.out);
    codes[5]![i] = from[R.proto] < 0 ? NONE : this.laneCode(5, bytes, from[R.proto], to[R.proto], WIDTH.proto);
    if (from[R.src] < 0) b.src4[i] = -1;
    else addrBytes(i, bytes, from[R.src], to[R.src], b.src4, b.src);
    if (from[R.dst] < 0) b.dst4[i] = -1;
    else addrBytes(i, bytes, from[R.dst], to[R.dst], b.dst4, b.dst);
  }

  /** The code of the word in bytes[from, to) (printable ASCII) of field `k`, found by its bytes. */
  private laneCode(k: number, bytes: Uint8Array, from: number, to: number, width: number): number {
    if (to === from) return NONE;
    const cache = this.laneWords[k]!;
    let word = cache.get(bytes, from, to);
    if (word === undefined) {
      word = latin1(bytes, from, Math.min(to, from + width));
      cache.set(bytes, from, to, word);
    }
    return this.code(k, word, this.b.words);
  }

  private readonly laneWords = DICT_FIELDS.map(() => new BytesCache<string>());

  /** An address of the lane: IPv4 as its number, anything else as text (as add() keeps it). */
  private laneAddr(i: number, bytes: Uint8Array, sc: ByteScan, f: number, v6: string | null, nums: Float64Array, texts: (string | undefined)[]): void {
    if (sc.has[f] !== sc.gen) {
      nums[i] = -1;
      return;
    }
    if (v6 !== null) {
      const t = text(v6, WIDTH.src)!;
      nums[i] = ipv4Number(t);
      if (nums[i] < 0) texts[i] = t;
      return;
    }
    addrBytes(i, bytes, sc.from[f], sc.to[f], nums, texts);
  }

  // per field, the last word and its code: records in a row mostly repeat them
  private readonly lastWord: Array<string | undefined> = DICT_FIELDS.map(() => undefined);
  private readonly lastCode: number[] = DICT_FIELDS.map(() => NONE);

  /** The code of word `v` of field `k` (NONE: absent); a new word goes to `words`. */
  private code(k: number, v: string | undefined, words: string[]): number {
    if (v === undefined) return NONE;
    if (v === this.lastWord[k]) return this.lastCode[k]!;
    let code = this.dict.get(v);
    if (code === undefined) {
      code = this.dict.size;
      this.dict.set(v, code);
      words.push(v);
    }
    this.lastWord[k] = v;
    this.lastCode[k] = code;
    return code;
  }
}

function newBatch(n: number): FactBatch {
  return {
    n: 0, ts: new Float64Array(n), verdict: new Uint8Array(n), spt: new Int32Array(n), dpt: new Int32Array(n),
    codes: DICT_FIELDS.map(() => new Uint32Array(n)), words: [], src4: new Float64Array(n), dst4: new Float64Array(n),
    src: new Array<string | undefined>(n), dst: new Array<string | undefined>(n),
  };
}

/** The address in bytes[from, to) (printable ASCII) at i: IPv4 as its number, anything else as text (cut as text() cuts it; '' is none). */
function addrBytes(i: number, bytes: Uint8Array, from: number, to: number, nums: Float64Array, texts: (string | undefined)[]): void {
  const n = ipv4Bytes(bytes, from, to);
  nums[i] = n;
  if (n < 0 && to > from) texts[i] = latin1(bytes, from, Math.min(to, from + WIDTH.src));
}

/** tables.ts ipv4Number() of bytes[from, to). */
function ipv4Bytes(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1;
      part = part * 10 + c - 48;
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/** The buffers postMessage can move instead of copying. */
export function transferList(b: FactBatch): ArrayBuffer[] {
  return [b.ts.buffer, b.verdict.buffer, b.spt.buffer, b.dpt.buffer, b.src4.buffer, b.dst4.buffer, ...b.codes.map((c) => c.buffer)] as ArrayBuffer[];
}

/**
 * Facts again from a batch, with every field set (one object shape, as toFact makes them). The
 * engine reads batches as columns (StreamReport.addBatch); this is how the tests read them back.
 */
export class FactDecoder {
  private readonly words: string[] = [];

  decode(b: FactBatch): Fact[] {
    for (const w of b.words) this.words.push(w);
    const words = this.words;
    const out: Fact[] = new Array(b.n);
    const [host, prefix, action, inIf, outIf, proto] = b.codes as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const word = (c: number): string | undefined => (c === NONE ? undefined : words[c]);
    for (let i = 0; i < b.n; i++) {
      const ts = b.ts[i]!;
      const spt = b.spt[i]!;
      const dpt = b.dpt[i]!;
      out[i] = {
        ts: Number.isNaN(ts) ? undefined : ts,
        host: word(host[i]!), prefix: word(prefix[i]!), action: word(action[i]!), verdict: VERDICTS[b.verdict[i]!]!,
        in: word(inIf[i]!), out: word(outIf[i]!), src: addr(b.src4[i]!, b.src[i]), dst: addr(b.dst4[i]!, b.dst[i]),
        proto: word(proto[i]!), spt: spt === NO_PORT ? undefined : spt, dpt: dpt === NO_PORT ? undefined : dpt,
      };
    }
    return out;
  }
}

const addr = (n: number, text: string | null | undefined): string | undefined => (n >= 0 ? ipv4Text(n) : text ?? undefined);

export type { DictField };
