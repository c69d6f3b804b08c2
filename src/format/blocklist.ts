// Block lists: the distinct source addresses of records or report rows, as bare lines, as
// `ipset restore` input or as nftables set elements. Addresses are counted as they come and
// rendered at the end. You never block yourself: loopback, private, link-local, multicast,
// unspecified and broadcast addresses and everything inside --allow are left out. Pure, no I/O.
import { BITS, aggregate, contains, cidrText, parseAddr, specialKind, type Cidr, type Family } from './cidr.js';
import type { FormatOptions } from './options.js';
import { actionVerdict } from './cells.js';

type Row = Record<string, unknown>;

export interface BlockListResult {
  text: string;
  /** addresses left out, by reason (private, loopback, allowlisted...) */
  excluded: Map<string, number>;
  /** `src` values that are not addresses (names, garbage), with how often they came */
  invalid: Map<string, number>;
  /** addresses of a family the chosen nft table cannot hold */
  wrongFamily: number;
  v4: number;
  v6: number;
}

export class BlockList {
  /** record counts per source text */
  private readonly records = new Map<string, number>();
  /** report rows: per module, summed counts per source */
  private readonly modules = new Map<string, Map<string, number>>();

  constructor(private readonly o: FormatOptions) {}

  /** A record counts once, unless its verdict is accept (then only with --include-accepted). */
  addRecord(r: Row): void {
    const src = r.src;
    if (typeof src !== 'string' || src === '') return;
    if (r.verdict === 'accept' && !this.o.includeAccepted) return;
    this.records.set(src, (this.records.get(src) ?? 0) + 1);
  }

  /**
   * A report row counts its `count`. The same source in several modules is not counted twice:
   * a source's count is the largest total any one module gives it.
   */
  addReportRow(r: Row): void {
    const src = r.src;
    if (typeof src !== 'string' || src === '') return;
    // rows about accepted traffic (an ACCEPT action, or top-sources' total) count their denied part only
    const accepted = r.verdict === 'accept' || actionVerdict(r.action) === 'accept';
    if (accepted && !this.o.includeAccepted) return;
    let c = typeof r.count === 'number' && Number.isFinite(r.count) ? r.count : 1;
    if (typeof r.denied === 'number' && !this.o.includeAccepted) c = r.denied;
    if (c <= 0) return;
    const m = String(r.module);
    let per = this.modules.get(m);
    if (!per) this.modules.set(m, (per = new Map()));
    per.set(src, (per.get(src) ?? 0) + c);
  }

  render(): BlockListResult {
    const text = new Map<string, number>(this.records);
    const best = new Map<string, number>();
    for (const per of this.modules.values()) for (const [s, c] of per) best.set(s, Math.max(best.get(s) ?? 0, c));
    for (const [s, c] of best) text.set(s, (text.get(s) ?? 0) + c);

    const invalid = new Map<string, number>();
    // per family, keyed by the address's value (Map compares bigints by value): no strings built
    const counted: Record<Family, Map<bigint, number>> = { 4: new Map(), 6: new Map() };
    for (const [s, c] of text) {
      const a = parseAddr(s);
      if (!a) { invalid.set(s, c); continue; }
      const m = counted[a.family];
      m.set(a.value, (m.get(a.value) ?? 0) + c);
    }

    const excluded = new Map<string, number>();
    const keep: Record<Family, bigint[]> = { 4: [], 6: [] };
    for (const family of [4, 6] as Family[]) {
      for (const [value, count] of counted[family]) {
        if (count < this.o.minCount) continue;
        let why: string | null = this.o.allow.some((b) => contains(b, family, value)) ? 'allowlisted' : null;
        if (!why && !this.o.includePrivate) why = specialKind(family, value);
        if (why) { excluded.set(why, (excluded.get(why) ?? 0) + 1); continue; }
        keep[family].push(value);
      }
    }
    let wrongFamily = 0;
    if (this.o.format === 'nft' && this.o.nftFamily !== 'inet') {
      const drop: Family = this.o.nftFamily === 'ip' ? 6 : 4;
      wrongFamily = keep[drop].length;
      keep[drop] = [];
    }
    const blocks = (f: Family): Cidr[] => {
      if (this.o.aggregate) return aggregate(f, keep[f]);
      // distinct already (Map keys); IPv4 sorts as plain numbers
      const sorted = f === 4
        ? Array.from(Float64Array.from(keep[4], Number).sort(), (n) => BigInt(n))
        : keep[6].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return sorted.map((value) => ({ family: f, value, len: BITS[f] }));
    };
    const v4 = blocks(4);
    const v6 = blocks(6);
    return { text: renderList(this.o, v4, v6), excluded, invalid, wrongFamily, v4: v4.length, v6: v6.length };
  }
}

/** The text of the list in the chosen format (each line ends with a newline). */
export function renderList(o: FormatOptions, v4: Cidr[], v6: Cidr[]): string {
  const t4 = v4.map(cidrText);
  const t6 = v6.map(cidrText);
  if (o.format === 'ipset') return ipsetText(o, t4, t6);
  if (o.format === 'nft') return o.nftDefine ? nftDefineText(o, t4, t6) : nftText(o, t4, t6);
  return [...t4, ...t6].map((l) => `${l}\n`).join('');
}

function ipsetText(o: FormatOptions, t4: string[], t6: string[]): string {
  // hash:net holds both single addresses and blocks; -exist makes the script safe to re-run
  const lines = [
    `create ${o.setName} hash:net family inet hashsize 1024 maxelem ${Math.max(65536, t4.length)} -exist`,
    `create ${o.setName6} hash:net family inet6 hashsize 1024 maxelem ${Math.max(65536, t6.length)} -exist`,
    ...t4.map((a) => `add ${o.setName} ${a} -exist`),
    ...t6.map((a) => `add ${o.setName6} ${a} -exist`),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

const CHUNK = 512;

function elements(prefix: string, list: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(`${prefix} { ${list.slice(i, i + CHUNK).join(', ')} }`);
  return out;
}

function nftText(o: FormatOptions, t4: string[], t6: string[]): string {
  const tbl = `${o.nftFamily} ${o.nftTable}`;
  const lines = [`add table ${tbl}`];
  if (o.nftFamily !== 'ip6') lines.push(`add set ${tbl} ${o.setName} { type ipv4_addr; flags interval; }`);
  if (o.nftFamily !== 'ip') lines.push(`add set ${tbl} ${o.setName6} { type ipv6_addr; flags interval; }`);
  lines.push(...elements(`add element ${tbl} ${o.setName}`, t4), ...elements(`add element ${tbl} ${o.setName6}`, t6));
  return lines.map((l) => `${l}\n`).join('');
}

function nftDefineText(o: FormatOptions, t4: string[], t6: string[]): string {
  // nft has no empty anonymous set: an empty list defines nothing (documented)
  const lines: string[] = [];
  if (t4.length) lines.push(`define ${o.setName} = { ${t4.join(', ')} }`);
  if (t6.length) lines.push(`define ${o.setName6} = { ${t6.join(', ')} }`);
  return lines.map((l) => `${l}\n`).join('');
}
