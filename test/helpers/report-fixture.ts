// A deterministic set of records for the report tests: every module, every filter, IPv6, ties,
// case variants ('fw1'/'FW1', 'DROP'/'drop'), hostile text, records without ts, ports or host.
import { createHash } from 'node:crypto';

export type Rec = Record<string, unknown>;

/** The fixed "now" of the fixture: --now for relative --since/--until. */
export const FIXTURE_NOW = '2026-11-20T12:00:00Z';

export function reportFixture(): Rec[] {
  const out: Rec[] = [];
  let seed = 42;
  const rnd = (n: number): number => { // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
  };
  const pick = <T>(a: T[]): T => a[rnd(a.length)]!;
  const t0 = Date.UTC(2026, 10, 10, 0, 0, 0);
  const iso = (ms: number, us = 0): string => {
    const s = new Date(ms).toISOString();
    return us ? s.replace(/\.\d{3}Z$/, `.${String((ms % 1000) * 1000 + us).padStart(6, '0')}Z`) : s.replace('.000Z', 'Z');
  };
  const add = (r: Rec): void => {
    const line = out.length + 1;
    const rec: Rec = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) rec[k] = v;
    rec.line = line;
    rec.key = createHash('md5').update(`fixture:${line}`).digest('hex');
    out.push(rec);
  };
  const v4src = ['203.0.113.5', '203.0.113.7', '198.51.100.20', '10.1.2.3', '10.200.0.9', '192.168.1.50', '192.168.1.51', '45.33.32.156'];
  const v6src = ['2001:db8::5', '2001:0db8:0000:0000:0000:0000:0000:0007', '2001:db8:1::9', 'fe80::1'];
  const dsts = ['192.0.2.1', '192.0.2.2', '2001:db8:ffff::1'];
  const actions: [string | undefined, string, string][] = [
    ['DROP', 'deny', 'IPT: DROP'], ['REJECT', 'deny', 'IPT: REJECT'], ['drop', 'deny', 'ipt: drop'],
    ['ACCEPT', 'accept', 'IPT: ACCEPT'], ['LOG', 'log', 'IPT: LOG'], [undefined, 'deny', 'no action'],
    ['DROP', 'deny', 'IPT: INVALID DROP'], ['INVALID', 'deny', 'ct invalid'],
  ];
  const hosts = ['fw1', 'fw2', 'FW1', undefined, "gw'; DROP TABLE logs; --"];
  const ifs = ['eth0', 'eth0', 'eth1', 'lo', 'wlan0', undefined];
  // background traffic over ten days
  for (let i = 0; i < 320; i++) {
    const v6 = rnd(4) === 0;
    const src = v6 ? pick(v6src) : pick(v4src);
    const dst = v6 ? '2001:db8:ffff::1' : pick(dsts.slice(0, 2));
    const [action, verdict, prefix] = pick(actions);
    const proto = pick(['TCP', 'TCP', 'UDP', v6 ? 'ICMPv6' : 'ICMP', 'tcp']);
    const icmp = proto.startsWith('ICMP');
    const ms = t0 + rnd(10 * 24 * 3600) * 1000;
    const inIf = pick(ifs);
    add({
      ts: rnd(25) === 0 ? undefined : iso(ms, rnd(3) === 0 ? rnd(999) + 1 : 0),
      host: pick(hosts), prefix: rnd(40) === 0 ? '<img src=x onerror=alert(1)>' : prefix, action, verdict,
      in: inIf, out: inIf === 'lo' ? 'lo' : rnd(6) === 0 ? 'lo' : undefined,
      family: v6 ? 6 : 4, src, dst, proto,
      spt: icmp ? undefined : 1024 + rnd(60000), dpt: icmp ? undefined : pick([22, 23, 80, 443, 3389, 8080, 53, 0]),
      icmp_type: icmp ? 8 : undefined, icmp_code: icmp ? 0 : undefined, len: 60,
    });
  }
  // a port scanner: 15 ports in one hour; a host sweeper: 12 destinations in one hour
  for (let p = 0; p < 15; p++) {
    add({ ts: iso(t0 + 3 * 86400_000 + 5 * 3600_000 + p * 60_000), host: 'fw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', family: 4, src: '185.220.101.1', dst: '192.0.2.1', proto: 'TCP', spt: 40000 + p, dpt: 1000 + p * 7 });
  }
  for (let d = 0; d < 12; d++) {
    add({ ts: iso(t0 + 6 * 86400_000 + 9 * 3600_000 + d * 120_000, 250), host: 'fw2', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth1', family: 6, src: '2001:db8:bad::1', dst: `2001:db8:ffff::${d + 10}`, proto: 'TCP', spt: 50000, dpt: 22 });
  }
  // new sources in the last day, exact ties (3 packets each)
  for (const s of ['198.51.100.77', '198.51.100.66', '2001:db8:new::1']) {
    for (let j = 0; j < 3; j++) {
      add({ ts: iso(Date.parse(FIXTURE_NOW) - (5 + j) * 3600_000 - 1234), host: 'fw2', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', family: s.includes(':') ? 6 : 4, src: s, dst: '192.0.2.2', proto: 'UDP', spt: 5353, dpt: 161 });
    }
  }
  // packets with no src/ports (ARP-like), odd prefix characters
  add({ ts: iso(t0 + 86400_000), host: 'fw1', prefix: 'weird "quoted"\ttab', action: 'DROP', verdict: 'deny', in: 'eth0', proto: '2' });
  add({ ts: iso(t0 + 86400_000 + 1), host: 'fw1', prefix: 'unicode Ünïcødé ✓', action: 'DRÖP', verdict: 'log', in: 'eth0', family: 4, src: '10.1.2.3', dst: '192.0.2.1', proto: 'UDP', spt: 1, dpt: 65535 });
  return out;
}

export const toNdjson = (recs: Rec[]): string => recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
