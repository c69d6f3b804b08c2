// Addresses as ipta-rdns keys them: one canonical text per address (IPv4 dotted quad, IPv6 in
// the RFC 5952 form: lower case, longest zero run compressed), so `2001:DB8::1` and
// `2001:db8:0::1` share one lookup and one row of the DNS table (whose key is case-sensitive).
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Text } from '../net/ipv6-text.js';

/** The canonical text of an IPv4/IPv6 address, or null when `s` is not one (left untouched). */
export function canonicalAddress(s: string): string | null {
  if (s.length > 45) return null;
  if (isIPv4(s)) return s;
  if (!isIPv6(s) || s.includes('%')) return null; // a zone index names no DNS object
  return ipv6Text(expandV6(s));
}

/** Eight 16-bit groups of a valid IPv6 address (dotted-quad tail allowed). */
export function expandV6(s: string): number[] {
  let text = s.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** The name a PTR query asks for: `4.3.2.1.in-addr.arpa`, or the nibbles under `ip6.arpa`. */
export function ptrQueryName(canonical: string): string {
  if (isIPv4(canonical)) return canonical.split('.').reverse().join('.') + '.in-addr.arpa';
  const nibbles = expandV6(canonical).map((x) => x.toString(16).padStart(4, '0')).join('');
  return [...nibbles].reverse().join('.') + '.ip6.arpa';
}
