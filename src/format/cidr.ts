// Addresses and CIDR blocks as big integers: parsing, containment, canonical text and the
// minimal exact CIDR cover of a set of addresses (what `--aggregate` prints). Pure, no I/O.
import { isIP } from 'node:net';
import { ipv6Text } from '../net/ipv6-text.js';

export type Family = 4 | 6;

/** One address or block: `value` is the first address, `len` the prefix length. */
export interface Cidr { family: Family; value: bigint; len: number }

export const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/**
 * Parse an IPv4 or IPv6 address. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is returned as
 * the IPv4 address it carries: a firewall sees it as that address. Zone ids (`fe80::1%eth0`),
 * names and anything else give null.
 */
export function parseAddr(text: string): { family: Family; value: bigint } | null {
  const f = isIP(text);
  if (f === 4) return { family: 4, value: v4ToBig(text) };
  if (f !== 6 || text.includes('%')) return null;
  let s = text.toLowerCase();
  if (s.includes('.')) {
    const at = s.lastIndexOf(':');
    const v4 = Number(v4ToBig(s.slice(at + 1)));
    s = `${s.slice(0, at + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const hs = head ? head.split(':') : [];
  const ts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? hs : [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function v4ToBig(s: string): bigint {
  let n = 0;
  let part = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) { n = n * 256 + part; part = 0; } else part = part * 10 + c - 48;
  }
  return BigInt(n * 256 + part);
}

/** `ADDR` or `ADDR/LEN` -> the block (host bits cleared); null when not valid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const a = parseAddr(slash < 0 ? text : text.slice(0, slash));
  if (!a) return null;
  let len = BITS[a.family];
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(l)) return null;
    len = Number(l);
    // `::ffff:10.0.0.0/104` is the IPv4 block 10.0.0.0/8
    if (a.family === 4 && isIP(text.slice(0, slash)) === 6) len -= 96;
    if (len < 0 || len > BITS[a.family]) return null;
  }
  return { family: a.family, value: a.value & mask(a.family, len), len };
}

function mask(f: Family, len: number): bigint {
  const bits = BigInt(BITS[f]);
  const all = (1n << bits) - 1n;
  return (all >> BigInt(BITS[f] - len)) << BigInt(BITS[f] - len) & all;
}

/** True when the address lies inside the block. */
export function contains(block: Cidr, family: Family, value: bigint): boolean {
  if (block.family !== family) return false;
  const host = BigInt(BITS[family] - block.len);
  return value >> host === block.value >> host;
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function addrText(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return ipv6Text(g);
}

/** `ADDR` for a host block, `ADDR/LEN` otherwise. */
export function cidrText(c: Cidr): string {
  const a = addrText(c.family, c.value);
  return c.len === BITS[c.family] ? a : `${a}/${c.len}`;
}

/**
 * The minimal set of CIDR blocks covering exactly the given addresses of one family (no address
 * outside the set is ever covered), in ascending order.
 */
export function aggregate(family: Family, values: Iterable<bigint>): Cidr[] {
  const sorted = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Cidr[] = [];
  const bits = BITS[family];
  let i = 0;
  while (i < sorted.length) {
    let lo = sorted[i]!;
    let hi = lo;
    while (i + 1 < sorted.length && sorted[i + 1] === hi + 1n) hi = sorted[++i]!;
    i++;
    // split the contiguous range [lo, hi] into the largest aligned blocks
    while (lo <= hi) {
      let size = 0;
      while (size < bits && ((lo >> BigInt(size)) & 1n) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi) size++;
      out.push({ family, value: lo, len: bits - size });
      lo += 1n << BigInt(size);
    }
  }
  return out;
}

/** Ranges that are never put on a block list unless --include-private, with why. */
export const NEVER_BLOCK: ReadonlyArray<{ cidr: Cidr; why: string }> = ([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
] as const).map(([c, why]) => ({ cidr: parseCidr(c)!, why }));

/** Why an address is special (loopback, private...), or null for an ordinary public address. */
export function specialKind(family: Family, value: bigint): string | null {
  if (family === 4) return specialKind4(Number(value));
  for (const r of NEVER_BLOCK) if (r.cidr.family === 6 && contains(r.cidr, family, value)) return r.why;
  return null;
}

// The IPv4 ranges as plain numbers: a block list of a big log checks hundreds of thousands.
const NEVER_BLOCK4 = NEVER_BLOCK.filter((r) => r.cidr.family === 4).map((r) => ({
  net: Number(r.cidr.value), size: 2 ** (32 - r.cidr.len), why: r.why,
}));

function specialKind4(n: number): string | null {
  for (const r of NEVER_BLOCK4) if (n >= r.net && n < r.net + r.size) return r.why;
  return null;
}
