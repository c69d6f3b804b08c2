// The record: the contract every ipta command shares. ipta-parse writes it, ipta-load stores it,
// ipta-report and ipta-format read it, ipta-rdns adds names to it. One JSON object per netfilter
// log line, keys named after the kernel's own keys in lower case. Absent fields are omitted.
// Change it only deliberately, everywhere at once, and keep README's "The record" section true.

/** What happened to the packet, the same for every dialect (see README "verdict table"). */
export type Verdict = 'accept' | 'deny' | 'log';

/** The packet an ICMP error quotes in `[SRC=... ]`. Never merged into the outer fields. */
export interface InnerPacket {
  src?: string;
  dst?: string;
  len?: number;
  tos?: number;
  prec?: number;
  ttl?: number;
  id?: number;
  tc?: number;
  hoplimit?: number;
  flowlbl?: number;
  proto?: string;
  spt?: number;
  dpt?: number;
  udp_len?: number;
  window?: number;
  res?: number;
  urgp?: number;
  flags?: string[];
  seq?: number;
  ack?: number;
  icmp_type?: number;
  icmp_code?: number;
  icmp_id?: number;
  icmp_seq?: number;
  frag?: number;
  incomplete?: number;
  inner?: InnerPacket;
  extra?: Record<string, string>;
}

export interface IptaRecord extends InnerPacket {
  /** ISO 8601 UTC, with the precision of the source (e.g. 2026-11-25T06:25:13Z, ...13.123456Z). */
  ts?: string;
  /** Syslog / journal hostname. */
  host?: string;
  /** dmesg uptime stamp `[12345.678901]`, seconds. */
  kernel_ts?: number;
  /** The log prefix as written (trimmed), e.g. `IPT: DROP`, `[UFW BLOCK]`, `Shorewall:net2fw:DROP:`. */
  prefix?: string;
  /** The action word(s) derived from the prefix (DROP, ACCEPT, BLOCK, LIMIT BLOCK...). */
  action?: string;
  verdict: Verdict;
  in?: string;
  out?: string;
  physin?: string;
  physout?: string;
  /** MAC= as printed; also decomposed into mac_dst, mac_src, ethertype when it has 14+ octets. */
  mac?: string;
  mac_dst?: string;
  mac_src?: string;
  ethertype?: number;
  /** 4 or 6. */
  family?: 4 | 6;
  /** MARK= as printed (hex digits, with 0x when the kernel printed it). */
  mark?: string;
  uid?: number;
  gid?: number;
  /** ICMP extras. */
  icmp_mtu?: number;
  icmp_parameter?: number;
  icmp_gateway?: string;
  /** Names added by ipta-rdns. */
  src_name?: string;
  dst_name?: string;
  /** 1-based line number in the input (inputs read in order count on, as `cat` would join them). */
  line: number;
  /** Stable event identifier: 32 lower-case hex digits, from host + raw text + occurrence count. */
  key: string;
}

/** Every key a record may carry, in the order ipta-parse writes them. */
export const RECORD_KEYS = [
  'ts', 'host', 'kernel_ts', 'prefix', 'action', 'verdict', 'in', 'out', 'physin', 'physout',
  'mac', 'mac_dst', 'mac_src', 'ethertype', 'family', 'src', 'dst', 'len', 'tos', 'prec', 'ttl',
  'id', 'tc', 'hoplimit', 'flowlbl', 'proto', 'spt', 'dpt', 'udp_len', 'window', 'res', 'urgp',
  'flags', 'seq', 'ack', 'icmp_type', 'icmp_code', 'icmp_id', 'icmp_seq', 'icmp_mtu',
  'icmp_parameter', 'icmp_gateway', 'uid', 'gid', 'mark', 'frag', 'incomplete', 'inner', 'extra',
  'src_name', 'dst_name', 'line', 'key',
] as const;
