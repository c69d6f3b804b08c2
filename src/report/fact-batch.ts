// Pure: a batch of report facts <-> a compact columnar form for postMessage. Numbers travel in
// typed arrays (moved, not copied); the low-variety text fields (host, prefix, action, in, out,
// proto) as indexes into a dictionary that grows across batches (each batch carries only its new
// words); addresses as plain string arrays. Cloning this is several times cheaper than cloning
// an array of objects, which is what makes parsing in a second thread pay off.
import type { Fact } from './stream-engine.js';
import { ipv4Number, ipv4Text } from './tables.js';

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
  src: (string | null)[];
  dst: (string | null)[];
}

/** The sending side: remembers which words the receiver already has. */
export class FactEncoder {
  private readonly dict = new Map<string, number>();

  encode(facts: Fact[]): FactBatch {
    const n = facts.length;
    const b: FactBatch = {
      n, ts: new Float64Array(n), verdict: new Uint8Array(n), spt: new Int32Array(n), dpt: new Int32Array(n),
      codes: DICT_FIELDS.map(() => new Uint32Array(n)), words: [], src4: new Float64Array(n), dst4: new Float64Array(n),
      src: new Array(n).fill(null), dst: new Array(n).fill(null),
    };
    const codes = b.codes;
    for (let i = 0; i < n; i++) {
      const f = facts[i]!;
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
    return b;
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
