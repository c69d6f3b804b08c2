// Addresses and CIDR blocks for --src/--dst, the same for both engines: an address is a number
// (32 bits for IPv4, 128 for IPv6) and a block is a range of them. IPv4 and IPv6 never match
// each other. Text that is not an address matches no filter.
import { UsageError } from '../cli/errors.js';

export interface AddrRange { v6: boolean; lo: bigint; hi: bigint }

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function v4(s: string): bigint | undefined {
  const m = V4_RE.exec(s);
  if (!m) return undefined;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = (n << 8n) | BigInt(o);
  }
  return n;
}

function v6(s: string): bigint | undefined {
  if (!s.includes(':')) return undefined;
  let head = s;
  let tail4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = v4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const parse = (p: string): string[] => (p === '' ? [] : p.split(':'));
  const left = parse(dbl[0]!);
  const right = dbl.length === 2 ? parse(dbl[1]!) : [];
  const groups = dbl.length === 2 ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  if (groups.length !== 8 || (dbl.length === 2 && left.length + right.length > 7)) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

/** An address -> [isV6, number], or undefined. */
export function parseAddr(s: string): [boolean, bigint] | undefined {
  const a = v4(s);
  if (a !== undefined) return [false, a];
  const b = v6(s);
  return b === undefined ? undefined : [true, b];
}

/** `10.0.0.0/8`, `2001:db8::/32`, or one address -> its range. */
export function parseCidr(s: string, flag: string): AddrRange {
  const [addr, bits, ...rest] = s.trim().split('/');
  const p = rest.length === 0 ? parseAddr(addr ?? '') : undefined;
  if (!p) throw new UsageError(`${flag}: expected an address or CIDR block (10.0.0.0/8, 2001:db8::/32), got ${JSON.stringify(s)}`);
  const [isV6, n] = p;
  const width = isV6 ? 128 : 32;
  const len = bits === undefined ? width : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? String(width)) || len > width) throw new UsageError(`${flag}: bad prefix length in ${JSON.stringify(s)}`);
  const hostBits = BigInt(width - len);
  const mask = (1n << hostBits) - 1n;
  return { v6: isV6, lo: n & ~mask, hi: n | mask };
}

/** True when `addr` (text) lies in one of `ranges`. */
export function inRanges(addr: string | undefined, ranges: AddrRange[]): boolean {
  if (addr === undefined) return false;
  const p = parseAddr(addr);
  if (!p) return false;
  for (const r of ranges) if (r.v6 === p[0] && p[1] >= r.lo && p[1] <= r.hi) return true;
  return false;
}

/** The range's bounds as the bytes MySQL's INET6_ATON() returns (4 or 16 bytes, big-endian). */
export function rangeBytes(r: AddrRange): [Buffer, Buffer] {
  const len = r.v6 ? 16 : 4;
  const buf = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');
  return [buf(r.lo), buf(r.hi)];
}
