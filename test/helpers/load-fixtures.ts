// Hand-built records for the store and ipta-load tests (objects following src/record.ts).
import { createHash } from 'node:crypto';

export type Rec = Record<string, unknown>;

/** A stable 32-hex key, as ipta-parse makes them (here from any seed text). */
export const keyOf = (seed: string): string => createHash('md5').update(seed).digest('hex');

/** Record number `i` of a deterministic series: varied sources, ports, protocols, verdicts. */
export function record(i: number, over: Rec = {}): Rec {
  const protos = ['TCP', 'UDP', 'ICMP', 'ICMPv6'];
  const proto = protos[i % 4]!;
  const v6 = proto === 'ICMPv6';
  const sec = String(i % 60).padStart(2, '0');
  const min = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const hour = String(Math.floor(i / 3600) % 24).padStart(2, '0');
  const r: Rec = {
    ts: `2026-11-${String(20 + (Math.floor(i / 86400) % 8)).padStart(2, '0')}T${hour}:${min}:${sec}.${String(i % 1000000).padStart(6, '0')}Z`,
    host: `fw${i % 3}`,
    prefix: i % 5 === 0 ? 'IPT: ACCEPT' : 'IPT: DROP',
    action: i % 5 === 0 ? 'ACCEPT' : 'DROP',
    verdict: i % 5 === 0 ? 'accept' : 'deny',
    in: 'eth0',
    out: '',
    family: v6 ? 6 : 4,
    src: v6 ? `2001:db8::${(i % 65535).toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    dst: v6 ? '2001:db8::1' : '192.0.2.1',
    len: 60,
    ttl: 64,
    proto,
    line: i + 1,
    key: keyOf(`record-${i}`),
  };
  if (proto === 'TCP' || proto === 'UDP') {
    r.spt = 1024 + (i % 60000);
    r.dpt = [22, 80, 443, 3389, 8080][i % 5];
  } else {
    r.icmp_type = v6 ? 128 : 8;
    r.icmp_code = 0;
  }
  if (v6) {
    delete r.ttl;
    r.hoplimit = 255;
  }
  return { ...r, ...over };
}

/** Records from..to-1 as NDJSON text. */
export function ndjson(from: number, to: number, over: (i: number) => Rec = () => ({})): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(JSON.stringify(record(i, over(i))));
  return out.join('\n') + '\n';
}
