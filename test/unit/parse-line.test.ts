// Real-looking lines (our own fixtures) -> the exact record ipta-parse writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser, plainRecord, type LineParserOptions } from '../../src/parse/index.js';
import type { IptaRecord } from '../../src/record.js';

const REF = new Date('2026-11-25T12:00:00Z');

/** Parse one line with TZ pinned to UTC; drop `key` (tested on its own) and `line`. */
function parse(line: string, opts: LineParserOptions = {}, ref = REF): Omit<IptaRecord, 'key' | 'line'> | string {
  const r = new LineParser({ tz: 'UTC', ...opts }).parse(line, 1, { path: null, ref });
  if (typeof r === 'string') return r;
  const { key, line: n, ...rest } = plainRecord(r);
  assert.match(key, /^[0-9a-f]{32}$/);
  assert.equal(n, 1);
  return rest;
}

const TCP_TAIL = 'SRC=203.0.113.9 DST=198.51.100.20 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0';
const TCP_FIELDS = {
  family: 4, src: '203.0.113.9', dst: '198.51.100.20', len: 60, tos: 0, prec: 0, ttl: 52, id: 40312,
  proto: 'TCP', spt: 51234, dpt: 22, window: 64240, res: 0, urgp: 0, flags: ['DF', 'SYN'],
} as const;
const MAC = 'MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00';
const MAC_FIELDS = { mac: '52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00', mac_dst: '52:54:00:12:34:56', mac_src: '52:54:00:ab:cd:ef', ethertype: 2048 } as const;

test('RFC 3164 with the IPTA prefix: every header field and the TCP fields', () => {
  assert.deepEqual(parse(`Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${MAC} ${TCP_TAIL}`), {
    ts: '2026-11-25T06:25:13Z', host: 'gw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny',
    in: 'eth0', out: '', ...MAC_FIELDS, ...TCP_FIELDS,
  });
});

test('one-digit day, space padded or not; <PRI>; dmesg uptime after kernel:', () => {
  for (const stamp of ['Nov  5 06:25:13', 'Nov 5 06:25:13', '<4>Nov  5 06:25:13']) {
    const r = parse(`${stamp} gw1 kernel: [ 8123.004512] IPT: ACCEPT IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
    assert.equal(r.ts, '2026-11-05T06:25:13Z', stamp);
    assert.equal(r.host, 'gw1');
    assert.equal(r.kernel_ts, 8123.004512);
    assert.equal(r.verdict, 'accept');
  }
});

test('RFC 3339 high precision keeps its digits and converts to UTC', () => {
  const r = parse(`2026-11-25T06:25:13.123456+01:00 fw kernel: [UFW BLOCK] IN=ens3 OUT= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(r.ts, '2026-11-25T05:25:13.123456Z');
  assert.equal(r.prefix, '[UFW BLOCK]');
  assert.equal(r.action, 'BLOCK');
  const z = parse(`2026-03-01T00:00:01Z fw kernel: IN=ens3 OUT= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(z.ts, '2026-03-01T00:00:01Z');
  assert.equal(z.prefix, undefined);
  assert.equal(z.action, undefined);
  assert.equal(z.verdict, 'deny');
});

test('RFC 5424: host, app, procid, msgid, structured data are framing', () => {
  for (const sd of ['-', '[meta sequenceId="1"]', '[a x="]"][b]']) {
    const r = parse(`<4>1 2026-11-25T06:25:13.5Z gw1 kernel - - ${sd} IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
    assert.equal(r.host, 'gw1', sd);
    assert.equal(r.prefix, 'IPT: DROP', sd);
    assert.equal(r.ts, '2026-11-25T06:25:13.5Z', sd);
  }
});

test('raw dmesg with and without an uptime stamp; dmesg -T', () => {
  assert.deepEqual(parse(`[12345.678901] IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`), {
    kernel_ts: 12345.678901, prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', out: '', ...TCP_FIELDS,
  });
  assert.deepEqual(parse(`IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`), {
    prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', out: '', ...TCP_FIELDS,
  });
  const t = parse(`[Wed Nov 25 06:25:13 2026] IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(t.ts, '2026-11-25T06:25:13Z');
});

test('journalctl -k -o short, short-iso (both offset spellings), short-precise, short-monotonic', () => {
  assert.equal((parse(`Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord).ts, '2026-11-25T06:25:13Z');
  assert.equal((parse(`2026-11-25T06:25:13+0100 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord).ts, '2026-11-25T05:25:13Z');
  assert.equal((parse(`2026-11-25T06:25:13-05:30 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord).ts, '2026-11-25T11:55:13Z');
  const p = parse(`Nov 25 06:25:13.004200 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(p.ts, '2026-11-25T06:25:13.004200Z');
  assert.equal(p.host, 'gw1');
  const m = parse(`[ 8123.004512] gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(m.host, 'gw1');
  assert.equal(m.kernel_ts, 8123.004512);
  assert.equal(m.prefix, 'IPT: DROP');
});

test('journalctl -o json: MESSAGE, __REALTIME_TIMESTAMP, _HOSTNAME (also a byte-array MESSAGE)', () => {
  const msg = `IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`;
  const j = JSON.stringify({ __CURSOR: 's=1', __REALTIME_TIMESTAMP: '1795587913123456', _HOSTNAME: 'jhost', MESSAGE: msg, _TRANSPORT: 'kernel' });
  const r = parse(j) as IptaRecord;
  assert.equal(r.ts, '2026-11-25T06:25:13.123456Z');
  assert.equal(r.host, 'jhost');
  assert.equal(r.prefix, 'IPT: DROP');
  assert.equal(r.dpt, 22);
  const bytes = JSON.stringify({ __REALTIME_TIMESTAMP: '1795587913000000', MESSAGE: [...Buffer.from(msg)] });
  assert.equal((parse(bytes) as IptaRecord).src, '203.0.113.9');
  assert.equal(parse(JSON.stringify({ MESSAGE: 'systemd: Started foo.' })), 'not_netfilter');
  assert.equal(parse('{"no message": 1}'), 'not_netfilter');
  assert.equal(parse('{not json'), 'not_netfilter');
});

test('a facility token, a repeated hostname, a program tag, a grep file: prefix', () => {
  for (const line of [
    `Nov 25 06:25:13 gw1 kern.warning kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`,
    `Nov 25 06:25:13 gw1 gw1 IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`,
    `Nov 25 06:25:13 gw1 user.info gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`,
    `/var/log/kern.log:Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`,
    `kern.log:17:Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`,
  ]) {
    const r = parse(line) as IptaRecord;
    assert.equal(r.host, 'gw1', line);
    assert.equal(r.prefix, 'IPT: DROP', line);
    assert.equal(r.ts, '2026-11-25T06:25:13Z', line);
  }
  // the grep file name is not part of the event: same key as the plain line
  const a = new LineParser({ tz: 'UTC' }).parse(`Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`, 1, { path: null, ref: REF });
  const b = new LineParser({ tz: 'UTC' }).parse(`x.log:Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= ${TCP_TAIL}`, 9, { path: null, ref: REF });
  assert.equal((a as IptaRecord).key, (b as IptaRecord).key);
});

test('prefix dialects -> prefix, action, verdict', () => {
  const cases: Array<[string, string | undefined, string | undefined, string]> = [
    ['kernel: IPT: CBLK IN=', 'IPT: CBLK', 'CBLK', 'deny'],
    ['kernel: IPT: INVALID IN=', 'IPT: INVALID', 'INVALID', 'deny'],
    ['kernel: IPT: ACCEPT IN=', 'IPT: ACCEPT', 'ACCEPT', 'accept'],
    ['kernel: [UFW BLOCK] IN=', '[UFW BLOCK]', 'BLOCK', 'deny'],
    ['kernel: [UFW ALLOW] IN=', '[UFW ALLOW]', 'ALLOW', 'accept'],
    ['kernel: [UFW AUDIT] IN=', '[UFW AUDIT]', 'AUDIT', 'log'],
    ['kernel: [UFW LIMIT BLOCK] IN=', '[UFW LIMIT BLOCK]', 'LIMIT BLOCK', 'deny'],
    ['kernel: "filter_IN_public_REJECT: "IN=', 'filter_IN_public_REJECT:', 'REJECT', 'deny'],
    ['kernel: "FINAL_REJECT: " IN=', 'FINAL_REJECT:', 'REJECT', 'deny'],
    ['kernel: Shorewall:net2fw:DROP:IN=', 'Shorewall:net2fw:DROP:', 'DROP', 'deny'],
    ['kernel: Shorewall:fw2net:ACCEPT:IN=', 'Shorewall:fw2net:ACCEPT:', 'ACCEPT', 'accept'],
    ['kernel: [WAN_IN-4000-D]IN=', '[WAN_IN-4000-D]', 'DROP', 'deny'],
    ['kernel: [LAN_LOCAL-default-A]IN=', '[LAN_LOCAL-default-A]', 'ACCEPT', 'accept'],
    ['kernel: REJECT(src lan)IN=', 'REJECT(src lan)', 'REJECT', 'deny'],
    ['kernel: ACCEPT(dest wan)IN=', 'ACCEPT(dest wan)', 'ACCEPT', 'accept'],
    ['kernel: SSH brute force attempt IN=', 'SSH brute force attempt', 'SSH brute force attempt', 'deny'],
    ['kernel: LOG_DROP IN=', 'LOG_DROP', 'DROP', 'deny'],
    ['kernel: TRACE: filter:INPUT:rule:2 IN=', 'TRACE: filter:INPUT:rule:2', 'TRACE', 'log'],
    ['kernel: IN=', undefined, undefined, 'deny'],
  ];
  for (const [msg, prefix, action, verdict] of cases) {
    const r = parse(`Nov 25 06:25:13 gw1 ${msg}eth0 OUT= ${TCP_TAIL}`) as IptaRecord;
    assert.equal(r.prefix, prefix, msg);
    assert.equal(r.action, action, msg);
    assert.equal(r.verdict, verdict, msg);
    assert.equal(r.in, 'eth0', msg);
  }
});

test('--accept-word and --log-word extend the table; --prefix filters', () => {
  const line = `Nov 25 06:25:13 gw1 kernel: FW-OKAY IN=eth0 OUT= ${TCP_TAIL}`;
  assert.equal((parse(line) as IptaRecord).verdict, 'deny');
  assert.equal((parse(line, { acceptWords: ['okay'] }) as IptaRecord).verdict, 'accept');
  assert.equal((parse(line, { acceptWords: ['okay'] }) as IptaRecord).action, 'OKAY');
  assert.equal((parse(line, { logWords: ['OKAY'] }) as IptaRecord).verdict, 'log');
  assert.equal((parse(`Nov 25 06:25:13 gw1 kernel: IPT: PASSX IN=eth0 OUT= ${TCP_TAIL}`, { acceptWords: ['PASSX'] }) as IptaRecord).verdict, 'accept');
  assert.equal(parse(line, { prefix: 'IPT:' }), 'prefix_mismatch');
  assert.equal(parse(`Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= ${TCP_TAIL}`, { prefix: 'IPT:' }), 'prefix_mismatch');
  assert.equal((parse(line, { prefix: 'FW-' }) as IptaRecord).prefix, 'FW-OKAY');
});

test('Proxmox pve-firewall lines', () => {
  const r = parse('104 4 tap104i0-IN 25/Nov/2026:07:25:13 +0100 policy DROP: IN=fwbr104i0 OUT=fwbr104i0 PHYSIN=fwln104i0 PHYSOUT=tap104i0 MAC=bc:24:11:00:00:01:bc:24:11:00:00:02:08:00 SRC=192.0.2.7 DST=192.0.2.104 LEN=60 TOS=0x10 PREC=0x00 TTL=63 ID=1234 DF PROTO=TCP SPT=40000 DPT=3389 SEQ=123456789 ACK=0 WINDOW=64240 SYN ');
  assert.deepEqual(r, {
    ts: '2026-11-25T06:25:13Z', prefix: 'policy DROP:', action: 'DROP', verdict: 'deny',
    in: 'fwbr104i0', out: 'fwbr104i0', physin: 'fwln104i0', physout: 'tap104i0',
    mac: 'bc:24:11:00:00:01:bc:24:11:00:00:02:08:00', mac_dst: 'bc:24:11:00:00:01', mac_src: 'bc:24:11:00:00:02', ethertype: 2048,
    family: 4, src: '192.0.2.7', dst: '192.0.2.104', len: 60, tos: 16, prec: 0, ttl: 63, id: 1234, proto: 'TCP',
    spt: 40000, dpt: 3389, seq: 123456789, ack: 0, window: 64240, flags: ['DF', 'SYN'],
    extra: { PVE_VMID: '104', PVE_LEVEL: '4', PVE_CHAIN: 'tap104i0-IN' },
  });
  const out = parse('0 6 PVEFW-HOST-OUT 25/Nov/2026:07:25:13 +0100 ACCEPT: OUT=vmbr0 SRC=192.0.2.1 DST=192.0.2.9 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1 DPT=2 LEN=20') as IptaRecord;
  assert.equal(out.in, undefined);
  assert.equal(out.out, 'vmbr0');
  assert.equal(out.verdict, 'accept');
  assert.equal(out.udp_len, 20);
});

test('UniFi rule tag with DESCR, no kernel: tag', () => {
  const r = parse('Nov 25 06:25:13 UDM-Pro [WAN_LOCAL-D-2147483647] DESCR="[WAN_LOCAL] Block \\"All\\" Traffic" IN=eth8 OUT= MAC=74:ac:b9:00:00:01:00:17:10:00:00:02:08:00 SRC=198.51.100.1 DST=192.0.2.25 LEN=122 TOS=00 PREC=0x00 TTL=49 ID=4536 DF PROTO=UDP SPT=38451 DPT=54329 LEN=102 MARK=1a0000') as IptaRecord;
  assert.equal(r.host, 'UDM-Pro');
  assert.equal(r.prefix, '[WAN_LOCAL-D-2147483647]');
  assert.equal(r.action, 'DROP');
  assert.equal(r.extra?.DESCR, '[WAN_LOCAL] Block \\"All\\" Traffic');
  assert.equal(r.tos, 0);
  assert.equal(r.mark, '1a0000');
  assert.equal(r.len, 122);
  assert.equal(r.udp_len, 102);
});

test('IPv6 ICMPv6 echo: canonical addresses, TC HOPLIMIT FLOWLBL, icmp id/seq', () => {
  assert.deepEqual(parse('Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= MAC=33:33:00:00:00:01:52:54:00:ab:cd:ef:86:dd SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=fe80:0000:0000:0000:0210:5aff:fe00:0001 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=868225 PROTO=ICMPv6 TYPE=128 CODE=0 ID=3427 SEQ=1 '), {
    ts: '2026-11-25T06:25:13Z', host: 'gw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: 'eth0', out: '',
    mac: '33:33:00:00:00:01:52:54:00:ab:cd:ef:86:dd', mac_dst: '33:33:00:00:00:01', mac_src: '52:54:00:ab:cd:ef', ethertype: 0x86dd,
    family: 6, src: '2001:db8::1', dst: 'fe80::210:5aff:fe00:1', len: 104, tc: 0, hoplimit: 64, flowlbl: 868225,
    proto: 'ICMPv6', icmp_type: 128, icmp_code: 0, icmp_id: 3427, icmp_seq: 1, flags: [],
  });
});

test('ICMP error: the quoted packet is a nested inner object, outer fields untouched', () => {
  const r = parse('Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=64 ID=5151 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.7 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ') as IptaRecord;
  assert.equal(r.proto, 'ICMP');
  assert.equal(r.src, '192.0.2.1');
  assert.equal(r.len, 88);
  assert.equal(r.spt, undefined);
  assert.deepEqual(r.flags, []);
  assert.deepEqual(r.inner, { flags: ['DF'], src: '198.51.100.7', dst: '192.0.2.1', len: 60, tos: 0, prec: 0, ttl: 54, id: 0, proto: 'UDP', spt: 53, dpt: 33434, udp_len: 40 });
  const mtu = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=576 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=4 [SRC=198.51.100.7 DST=192.0.2.1 LEN=1500 TOS=0x00 PREC=0x00 TTL=63 ID=77 DF PROTO=TCP SPT=443 DPT=50000 WINDOW=501 RES=0x00 ACK URGP=0 ] MTU=1400 ') as IptaRecord;
  assert.equal(mtu.icmp_mtu, 1400);
  assert.deepEqual(mtu.inner?.flags, ['DF', 'ACK']);
  const gw = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=56 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=ICMP TYPE=5 CODE=1 GATEWAY=192.0.2.254 [SRC=198.51.100.7 DST=203.0.113.1 LEN=28 TOS=0x00 PREC=0x00 TTL=1 ID=9 PROTO=UDP SPT=1 DPT=2 LEN=8 ] ') as IptaRecord;
  assert.equal(gw.icmp_gateway, '192.0.2.254');
  const pp = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=56 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=ICMP TYPE=12 CODE=0 PARAMETER=20 ') as IptaRecord;
  assert.equal(pp.icmp_parameter, 20);
  // a truncated inner packet (no closing bracket) still ends the line cleanly
  const cut = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=88 TOS=0x00 PREC=0x00 TTL=64 ID=5 PROTO=ICMP TYPE=11 CODE=0 [SRC=198.51.100.7 DST=192.0.2') as IptaRecord;
  assert.equal(cut.inner?.dst, '192.0.2');
  assert.equal(cut.icmp_type, 11);
});

test('bridge, MACSRC/MACDST/MACPROTO, UID GID MARK, SEQ/ACK numbers, CE/MF/FRAG, OPT, INCOMPLETE, numeric PROTO, ESP SPI', () => {
  const r = parse('Nov 25 06:25:13 gw1 kernel: BR IN=br0 OUT=br0 PHYSIN=veth1 PHYSOUT=eth1 MACSRC=52:54:00:AB:CD:EF MACDST=52:54:00:12:34:56 MACPROTO=0800 SRC=10.0.0.2 DST=10.0.0.3 LEN=1500 TOS=0x02 PREC=0x20 TTL=64 ID=4242 CE MF FRAG:185 OPT (07270400000000) PROTO=TCP INCOMPLETE [8 bytes] SPT=80 DPT=50000 SEQ=4000000000 ACK=12 WINDOW=5 RES=0x03 CWR ECE URG ACK PSH RST SYN FIN URGP=7 OPT (020405B4) UID=1000 GID=100 MARK=0xff00 ') as IptaRecord;
  assert.deepEqual(r, {
    ts: '2026-11-25T06:25:13Z', host: 'gw1', prefix: 'BR', action: 'BR', verdict: 'deny',
    in: 'br0', out: 'br0', physin: 'veth1', physout: 'eth1', mac_src: '52:54:00:ab:cd:ef', mac_dst: '52:54:00:12:34:56', ethertype: 2048,
    family: 4, src: '10.0.0.2', dst: '10.0.0.3', len: 1500, tos: 2, prec: 32, ttl: 64, id: 4242, frag: 185, proto: 'TCP', incomplete: 8,
    spt: 80, dpt: 50000, seq: 4000000000, ack: 12, window: 5, res: 3, urgp: 7,
    flags: ['CE', 'MF', 'CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'],
    uid: 1000, gid: 100, mark: '0xff00', extra: { OPT: '07270400000000 020405B4' },
  });
  const n = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=224.0.0.1 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2 ') as IptaRecord;
  assert.equal(n.proto, '2');
  const esp = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=120 TOS=0x00 PREC=0x00 TTL=55 ID=0 DF PROTO=ESP SPI=0xcb886522 ') as IptaRecord;
  assert.deepEqual(esp.extra, { SPI: '0xcb886522' });
  const v6frag = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 FRAG:1232 INCOMPLETE ID:0000abcd PROTO=UDP SPT=1 DPT=2 LEN=3000 ') as IptaRecord;
  assert.equal(v6frag.frag, 1232);
  assert.equal(v6frag.id, 0xabcd);
  assert.deepEqual(v6frag.flags, ['MF']);
});

test('unknown KEY=VALUE pairs and words are kept in extra', () => {
  const r = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=3 RES=0x00 ACK URGn=0 ZONE=dmz WEIRD') as IptaRecord;
  assert.deepEqual(r.extra, { URGn: '0', ZONE: 'dmz', _: 'WEIRD' });
  const bad = parse('Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=forty TTL=-1 PROTO=TCP SPT=99999999999999999 DPT=2') as IptaRecord;
  assert.equal(bad.len, undefined);
  assert.deepEqual(bad.extra, { LEN: 'forty', TTL: '-1', SPT: '99999999999999999' });
});

test('MAC shapes: empty, short, long header (decomposed from the first 14 octets)', () => {
  const e = parse(`Nov 25 06:25:13 gw1 kernel: IN=ppp0 OUT= MAC= ${TCP_TAIL}`) as IptaRecord;
  assert.equal(e.mac, undefined);
  const s = parse(`Nov 25 06:25:13 gw1 kernel: IN=ppp0 OUT= MAC=aa:bb:cc ${TCP_TAIL}`) as IptaRecord;
  assert.equal(s.mac, 'aa:bb:cc');
  assert.equal(s.mac_src, undefined);
  const l = parse(`Nov 25 06:25:13 gw1 kernel: IN=eth0 OUT= MAC=ff:ff:ff:ff:ff:ff:a8:0c:11:22:33:44:08:00:45:00:00:44:45:34 ${TCP_TAIL}`) as IptaRecord;
  assert.equal(l.mac_dst, 'ff:ff:ff:ff:ff:ff');
  assert.equal(l.mac_src, 'a8:0c:11:22:33:44');
  assert.equal(l.ethertype, 0x0800);
});

test('truncated lines still yield what they hold', () => {
  const head = parse('Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.9 DST=198.5') as IptaRecord;
  assert.equal(head.src, '203.0.113.9');
  assert.equal(head.dst, '198.5');
  assert.equal(head.proto, undefined);
  const tail = parse('Nov 25 06:25:13 gw1 user.info kernel: TTL=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0') as IptaRecord;
  assert.equal(tail.host, 'gw1');
  assert.equal(tail.dpt, 22);
  assert.equal(tail.prefix, undefined);
  const mid = parse('Nov 25 06:25:13 gw1 kernel: L=52 ID=40312 DF PROTO=TCP SPT=51234 DPT=22') as IptaRecord;
  assert.deepEqual(mid.extra, { L: '52' });
  assert.deepEqual(parse('Nov 25 06:25:13 gw1 kernel: IPT: DROP IN='), {
    ts: '2026-11-25T06:25:13Z', host: 'gw1', prefix: 'IPT: DROP', action: 'DROP', verdict: 'deny', in: '', flags: [],
  });
});

test('not netfilter: other kernel and daemon lines, LOGIN=, blank', () => {
  assert.equal(parse('Nov 25 06:25:13 gw1 sshd[811]: Failed password for root from 203.0.113.9 port 4242 ssh2'), 'not_netfilter');
  assert.equal(parse('Nov 25 06:25:13 gw1 kernel: [ 12.5] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex'), 'not_netfilter');
  assert.equal(parse('Nov 25 06:25:13 gw1 login[3]: LOGIN=root TTY=tty1'), 'not_netfilter');
  assert.equal(parse('Nov 25 06:25:13 gw1 app: PROTO=TCP is my favourite'), 'not_netfilter');
  assert.equal(parse(''), 'blank');
  assert.equal(parse('   '), 'blank');
  assert.equal(parse('-- Logs begin at Mon 2026-11-23 10:00:00 UTC. --'), 'not_netfilter');
});

test('hostile strings: quotes, SQL, control characters, __proto__ stay plain data', () => {
  const r = parse(`Nov 25 06:25:13 gw1 kernel: x'); DROP TABLE events;-- "\u0001\u001b[31m IN=eth0" OUT=\u0000 __proto__=polluted constructor=1 ${TCP_TAIL}`) as IptaRecord;
  assert.equal(r.prefix, `x'); DROP TABLE events;-- "\u0001\u001b[31m`);
  assert.equal(r.action, 'DROP');
  assert.equal(r.in, 'eth0"');
  assert.equal(r.out, '\u0000');
  assert.equal(Object.getPrototypeOf(r.extra), Object.prototype);
  assert.equal(r.extra?.['__proto__'], 'polluted');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(JSON.parse(JSON.stringify(r)).extra.constructor, '1');
});

test('JSON output: keys in RECORD_KEYS order, absent ones left out, inner packet plain', async () => {
  const { RECORD_KEYS } = await import('../../src/record.js');
  const { recordJson } = await import('../../src/parse/index.js');
  const r = new LineParser({ tz: 'UTC' }).parse('Nov 25 06:25:13 gw1 kernel: IPT: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.7 LEN=88 TOS=0x00 PREC=0xC0 TTL=64 ID=5151 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.7 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=53 DPT=33434 LEN=40 ] ZZ=1', 7, { path: null, ref: REF });
  const json = recordJson(r as IptaRecord);
  const keys = Object.keys(JSON.parse(json));
  assert.deepEqual(keys, RECORD_KEYS.filter((k) => keys.includes(k)));
  assert.deepEqual(keys, ['ts', 'host', 'prefix', 'action', 'verdict', 'in', 'out', 'family', 'src', 'dst', 'len', 'tos', 'prec', 'ttl', 'id', 'proto', 'flags', 'icmp_type', 'icmp_code', 'inner', 'extra', 'line', 'key']);
  assert.deepEqual(JSON.parse(json).inner, plainRecord(r as IptaRecord).inner);
  assert.equal(json, JSON.stringify(plainRecord(r as IptaRecord)));
});
