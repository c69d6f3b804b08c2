import { ipv6Text } from '../net/ipv6-text.js';

// IPv6 text -> RFC 5952 canonical form. The kernel prints addresses uncompressed
// (`2001:0db8:0000:...`, nf_log uses %pI6), so every IPv6 SRC/DST goes through here.

/**
 * Canonical RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups
 * replaced by `::` (the first such run on a tie). Text that is not a plain IPv6 address is
 * returned unchanged (an embedded IPv4 tail is only lower-cased).
 */
export function canonicalIpv6(s: string): string {
  if (s.indexOf('.') !== -1) return s.toLowerCase();
  const groups: number[] = [];
  let i = 0;
  const n = s.length;
  let gap = -1; // index in groups where '::' was
  if (n >= 2 && s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < n) {
    let v = 0;
    let digits = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      v = v * 16 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return s;
    groups.push(v);
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return s;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (gap !== -1) return s;
      gap = groups.length;
      i++;
      if (i === n) break;
    } else if (i === n) {
      return s;
    }
  }
  if (gap === -1) {
    if (groups.length !== 8) return s;
  } else {
    if (groups.length > 7) return s;
    const fill = 8 - groups.length;
    groups.splice(gap, 0, ...new Array<number>(fill).fill(0));
  }
  return ipv6Text(groups);
}

