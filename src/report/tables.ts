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
