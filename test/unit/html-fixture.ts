// Report rows for the HTML tests: a small hand-made report with hostile strings, and a
// generator for a report as big as the 1M-line log's with default limits.
import type { ReportRow } from '../../src/report/rows.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
export const HOSTILE_SCRIPT = '</script><script>alert(2)</script><!--';

/** A small report: two days of hourly timeline, a few heatmap cells, each table module. */
export function smallReport(): ReportRow[] {
  return [
    { module: 'denied', count: 12, src: '203.0.113.7', spt: 51234, dst: '192.0.2.1', dpt: 22, proto: 'TCP', action: 'DROP', src_name: 'scanner.example.net' },
    { module: 'denied', count: 5, src: '198.51.100.23', spt: 4444, dst: '192.0.2.1', dpt: 445, proto: 'TCP', action: HOSTILE },
    { module: 'denied', count: 3, src: '2001:db8::dead:beef', dst: '2001:db8::1', dpt: 23, proto: 'TCP', action: 'REJECT' },
    { module: 'icmp', count: 4, src: '203.0.113.9', dst: '192.0.2.1', action: 'DROP', proto: 'ICMP' },
    { module: 'ports', count: 15, dpt: 22, proto: 'TCP', action: 'DROP' },
    { module: 'ports', count: 5, dpt: 445, proto: 'TCP', action: HOSTILE },
    { module: 'invalid', count: 2, src: '198.51.100.99', spt: 80, dst: '192.0.2.1', dpt: 40000, proto: 'TCP', action: 'INVALID' },
    { module: 'interfaces', count: 30, in: 'eth0', action: 'DROP', proto: 'TCP' },
    { module: 'interfaces', count: 2, in: HOSTILE_SCRIPT, action: 'DROP', proto: 'UDP' },
    { module: 'port-actions', count: 15, dpt: 22, action: 'DROP' },
    { module: 'top-sources', count: 20, denied: 12, src: '203.0.113.7', first: '2026-11-24T06:00:01Z', last: '2026-11-25T18:10:00Z', src_name: 'scanner.example.net' },
    { module: 'top-sources', count: 9, denied: 9, src: '10.0.0.10', first: '2026-11-24T07:00:00Z', last: '2026-11-24T08:00:00Z' },
    { module: 'top-sources', count: 8, denied: 8, src: '10.0.0.9', first: '2026-11-24T07:00:00Z', last: '2026-11-24T08:00:00Z' },
    { module: 'timeline', bucket: '2026-11-24T06:00:00Z', unit: 'hour', verdict: 'deny', action: 'DROP', count: 10 },
    { module: 'timeline', bucket: '2026-11-24T06:00:00Z', unit: 'hour', verdict: 'deny', action: 'REJECT', count: 2 },
    { module: 'timeline', bucket: '2026-11-24T06:00:00Z', unit: 'hour', verdict: 'accept', action: 'ACCEPT', count: 4 },
    { module: 'timeline', bucket: '2026-11-24T09:00:00Z', unit: 'hour', verdict: 'log', action: HOSTILE, count: 1 },
    { module: 'timeline', bucket: '2026-11-25T18:00:00Z', unit: 'hour', verdict: 'deny', action: 'DROP', count: 7 },
    { module: 'hosts', count: 40, host: 'fw1', denied: 30, accepted: 8 },
    { module: 'hosts', count: 3, host: HOSTILE, denied: 3, accepted: 0 },
    { module: 'scanners', count: 25, src: '203.0.113.7', ports: 25, dsts: 1, first: '2026-11-24T06:00:01Z', last: '2026-11-24T06:02:00Z', sample_ports: [21, 22, 23, 25, 80], src_name: HOSTILE },
    { module: 'new-sources', count: 3, src: '2001:db8::dead:beef', first: '2026-11-25T18:00:00Z', last: '2026-11-25T18:10:00Z' },
    { module: 'heatmap', weekday: 2, hour: 6, count: 12 },
    { module: 'heatmap', weekday: 3, hour: 18, count: 7 },
    { module: 'heatmap', weekday: 0, hour: 0, count: 1 },
    {
      module: 'summary', count: 43, first: '2026-11-24T06:00:01Z', last: '2026-11-25T18:10:00Z', denied: 30, accepted: 8, logged: 5,
      sources: 6, hosts: 2, busiest_port: 22, busiest_port_count: 15,
    },
  ];
}

const ip = (i: number): string => `${(i >> 24) & 255 || 1}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const v6 = (i: number): string => `2001:db8:${(i * 7919).toString(16)}:${i.toString(16)}::${(i * 31).toString(16)}`;

/**
 * A report of the size the 1M-line generated log gives with default limits (10 rows per table
 * module), made heavier than life: every address IPv6 with a long resolved name, the timeline
 * hourly over a full month (the longest span still drawn by the hour) with every verdict and
 * several actions in every hour, all 168 heatmap cells.
 */
export function bigReport(limit = 10): ReportRow[] {
  const rows: ReportRow[] = [];
  const name = (i: number): string => `host-${i}-${'x'.repeat(40)}.dynamic.customer.isp-network.example.com`;
  for (let i = 0; i < limit; i++) {
    const src = v6(i), dst = v6(i + 1000);
    const names = { src_name: name(i), dst_name: name(i + 1000) };
    rows.push({ module: 'denied', count: 100000 - i, src, spt: 40000 + i, dst, dpt: 1000 + i, proto: 'TCP', action: 'LIMIT BLOCK', ...names });
    rows.push({ module: 'icmp', count: 90000 - i, src, dst, action: 'DROP', proto: 'ICMPv6', ...names });
    rows.push({ module: 'ports', count: 80000 - i, dpt: 1000 + i, proto: 'TCP', action: 'DROP' });
    rows.push({ module: 'invalid', count: 7000 - i, src, spt: 40000 + i, dst, dpt: 1000 + i, proto: 'TCP', action: 'INVALID', ...names });
    rows.push({ module: 'interfaces', count: 600000 - i, in: `enp${i}s0f1`, action: 'DROP', proto: 'TCP' });
    rows.push({ module: 'port-actions', count: 70000 - i, dpt: 1000 + i, action: 'DROP' });
    rows.push({ module: 'top-sources', count: 50000 - i, denied: 40000 - i, src, first: '2026-10-01T00:00:00Z', last: '2026-10-31T23:59:59Z', src_name: names.src_name });
    rows.push({ module: 'hosts', count: 300000 - i, host: `firewall-${i}.example.com`, denied: 200000 - i, accepted: 100000 - i });
    rows.push({ module: 'scanners', count: 4000 - i, src, ports: 1000 + i, dsts: 50, first: '2026-10-03T01:00:00Z', last: '2026-10-03T01:09:59Z',
      sample_ports: Array.from({ length: 20 }, (_, k) => 1 + k * 97), src_name: names.src_name });
    rows.push({ module: 'new-sources', count: 300 - i, src: ip(0x0a000000 + i), first: '2026-10-30T00:00:00Z', last: '2026-10-31T00:00:00Z' });
  }
  const start = Date.parse('2026-10-01T00:00:00Z');
  for (let hr = 0; hr < 24 * 31; hr++) {
    const bucket = new Date(start + hr * 3_600_000).toISOString().replace('.000Z', 'Z');
    for (const [verdict, action] of [['deny', 'DROP'], ['deny', 'REJECT'], ['deny', 'LIMIT BLOCK'], ['accept', 'ACCEPT'], ['log', 'AUDIT']] as const) {
      rows.push({ module: 'timeline', bucket, unit: 'hour', verdict, action, count: 100 + ((hr * 37) % 900) });
    }
  }
  for (let wd = 0; wd < 7; wd++) for (let hr = 0; hr < 24; hr++) rows.push({ module: 'heatmap', weekday: wd, hour: hr, count: 1000 + wd * 100 + hr });
  rows.push({ module: 'summary', count: 1000000, first: '2026-10-01T00:00:00Z', last: '2026-10-31T23:59:59Z', denied: 700000, accepted: 200000, logged: 100000,
    sources: 54321, hosts: 10, busiest_port: 22, busiest_port_count: 123456 });
  return rows;
}
