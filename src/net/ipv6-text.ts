// The RFC 5952 text of an IPv6 address given as its eight 16-bit groups: lower case, no leading
// zeros, the longest run (>= 2) of zero groups as `::` (the first run on a tie), and an
// IPv4-mapped address with its dotted-quad tail (§5). The one place ipta writes IPv6 text:
// ipta-parse's records, ipta-rdns's cache keys and ipta-format's CIDR blocks agree by
// construction.
export function ipv6Text(g: readonly number[]): string {
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  let best = -1;
  let bestLen = 1; // a single zero group is not compressed (§4.2.2)
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
