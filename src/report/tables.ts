// The stream engine's storage: words numbered once (Dict), and groups found by a pair of numbers
// in open-addressing hash tables held in typed arrays (KeyTable). Counting a record is then a few
// array reads and writes: no object, no string key built per record, and almost nothing for the
// garbage collector to trace, however many groups there are.

/** Text -> a small number (0 stands for absent), and back. */
export class Dict {
  private readonly ids = new Map<string, number>();
  readonly words: Array<string | undefined> = [undefined];

  id(w: string | undefined): number {
    if (w === undefined) return 0;
    let id = this.ids.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(w, id);
      this.words.push(w);
    }
    return id;
  }

  /** The text of `id` (undefined for 0). */
  word(id: number): string | undefined {
    return this.words[id];
  }

  get size(): number {
    return this.words.length;
  }
}

/**
 * (a, b) -> entry 0, 1, 2... in the order the pairs were first seen. `a` is a non-negative int32
 * (a Dict id, mostly), `b` any integer-valued number (ports, ids and hours packed together).
 * Linear probing over a power-of-two slot array kept at most half full.
 */
export class KeyTable {
  private slots: Int32Array;
  private mask: number;
  /** the keys of each entry */
  a: Int32Array;
  b: Float64Array;
  size = 0;
  /** whether the last get() added its pair */
  added = false;

  constructor(capacity = 256) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(n);
    this.mask = n - 1;
    this.a = new Int32Array(n >> 1);
    this.b = new Float64Array(n >> 1);
  }

  /** The entry of (a, b), added when new (see `added`). */
  get(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const e = slots[i]!;
      if (e === 0) break;
      if (this.a[e - 1] === a && this.b[e - 1] === b) {
        this.added = false;
        return e - 1;
      }
      i = (i + 1) & mask;
    }
    const e = this.size++;
    if (e === this.a.length) {
      this.a = grow(this.a, e * 2) as Int32Array;
      this.b = grow(this.b, e * 2) as Float64Array;
    }
    this.a[e] = a;
    this.b[e] = b;
    slots[i] = e + 1;
    if (this.size * 2 > mask) this.rehash();
    this.added = true;
    return e;
  }

  private rehash(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(n);
    const mask = n - 1;
    for (let e = 0; e < this.size; e++) {
      let i = hash(this.a[e]!, this.b[e]!) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A KeyTable whose entries are counters (`n`): packets per group. */
export class CountTable extends KeyTable {
  n = new Float64Array(this.a.length);

  /** Count `by` more for (a, b); its entry. */
  count(a: number, b: number, by = 1): number {
    const e = this.get(a, b);
    if (e >= this.n.length) this.n = grow(this.n, this.a.length);
    this.n[e] += by;
    return e;
  }
}

function hash(a: number, b: number): number {
  // b's low and high 32 bits (exact for integers), mixed with a (murmur3's finaliser)
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b >>> 0, 0x85ebca6b) ^ Math.imul((b / 4294967296) >>> 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

type Column = Float64Array | Int32Array | Uint8Array;

/** A copy of `arr` with room for `n` entries (the new ones zero). */
export function grow<T extends Column>(arr: T, n: number): T {
  const out = new (arr.constructor as new (n: number) => T)(Math.max(n, 16));
  out.set(arr);
  return out;
}

/**
 * Addresses: a Dict that finds an IPv4 address written the usual way (`192.0.2.1`, as the parser
 * writes it) by its number, in a KeyTable: no string hashed or compared, a few hundred thousand
 * sources and more. Every other text (IPv6, anything odd) goes by its text as in Dict.
 */
export class AddrDict extends Dict {
  private readonly v4 = new KeyTable(1024);
  private v4ids = new Int32Array(1024);
  /** by id: the IPv4 address's number, whose text is made only when asked for (no string per source) */
  private nums = new Float64Array(1024);

  override id(w: string | undefined): number {
    if (w === undefined) return 0;
    const n = ipv4Number(w);
    return n >= 0 ? this.idV4(n) : super.id(w);
  }

  /** The id of the IPv4 address with number `n` (see ipv4Number). */
  idV4(n: number): number {
    const e = this.v4.get(0, n);
    if (!this.v4.added) return this.v4ids[e]!;
    if (e >= this.v4ids.length) this.v4ids = grow(this.v4ids, e * 2);
    const id = this.words.length;
    this.words.push(undefined);
    if (id >= this.nums.length) this.nums = grow(this.nums, id * 2);
    this.nums[id] = n + 1;
    this.v4ids[e] = id;
    return id;
  }

  override word(id: number): string | undefined {
    const n = id < this.nums.length ? this.nums[id]! : 0;
    return n > 0 ? ipv4Text(n - 1) : this.words[id];
  }
}

/** `a.b.c.d` (no leading zeros, each 0-255) as the number a * 2^24 + ... + d, else -1. */
export function ipv4Number(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + c - 48;
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

export function ipv4Text(n: number): string {
  return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
