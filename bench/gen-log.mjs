#!/usr/bin/env node
// Realistic netfilter syslog, deterministic per --seed, fast (big chunked writes, no deps).
//
//   node bench/gen-log.mjs --lines N [--seed S] [--start ISO] [--days D] [--hosts K] > file
//
// What comes out (see bench/README.md): RFC3164 syslog lines with and without the kernel's
// uptime stamp, RFC3339 high-precision lines, several hosts each with its own framing, interfaces
// and preferred prefix dialect (IPT: / UFW / firewalld, quoted or not / Shorewall glued to IN= /
// no prefix), IPv4 and IPv6 (kernel's uncompressed %pI6 addresses, TC HOPLIMIT FLOWLBL),
// TCP/UDP/ICMP/ICMPv6, ICMP errors quoting the offending packet in [SRC=... ], bridged
// PHYSIN/PHYSOUT, loopback, OUTPUT-chain lines with UID/GID, forwarded LAN traffic with MARK,
// scanners sweeping ports or hosts in short bursts, a few heavy hitters and a long tail of
// one-off sources, and ~1.5% non-netfilter kernel lines. Timestamps increase over --days days
// from --start (clock fields in UTC: run parsers with TZ=UTC, or --year, when years matter); a
// --start near Dec 31 spans the New Year. Average line ~240 bytes.

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  process.stdout.write(`usage: node bench/gen-log.mjs --lines N [--seed S] [--start ISO] [--days D] [--hosts K]
  --lines N     number of lines (default 1000)
  --seed S      PRNG seed, same seed same output (default 1)
  --start ISO   time of the first line (default 2026-11-20T00:00:00Z)
  --days D      time span the lines cover (default 5)
  --hosts K     number of firewall hosts, 1-12 (default 3)
`);
  process.exit(0);
}
const LINES = int(args.lines ?? '1000', 'lines');
const SEED = int(args.seed ?? '1', 'seed');
const START = Date.parse(args.start ?? '2026-11-20T00:00:00Z');
const DAYS = Number(args.days ?? '5');
const HOSTS = Math.min(12, Math.max(1, int(args.hosts ?? '3', 'hosts')));
if (!Number.isFinite(START)) die(`bad --start ${args.start}`);
if (!(DAYS > 0)) die(`bad --days ${args.days}`);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { out.help = true; continue; }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) die(`unknown argument ${a}`);
    if (!['lines', 'seed', 'start', 'days', 'hosts'].includes(m[1])) die(`unknown option --${m[1]}`);
    out[m[1]] = m[2] ?? argv[++i];
    if (out[m[1]] === undefined) die(`--${m[1]} needs a value`);
  }
  return out;
}
function int(s, name) {
  if (!/^\d+$/.test(s)) die(`--${name} must be a non-negative integer`);
  return Number(s);
}
function die(msg) {
  process.stderr.write(`gen-log: ${msg}\n`);
  process.exit(2);
}

// ---- deterministic randomness (mulberry32) ----
let state = (SEED * 0x9e3779b9) >>> 0 || 1;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (n) => Math.floor(rnd() * n);
const pick = (a) => a[ri(a.length)];
/** weighted choice: table of [weight, value] with precomputed cumulative weights */
function weighted(table) {
  const total = table.reduce((s, [w]) => s + w, 0);
  const cum = [];
  let acc = 0;
  for (const [w, v] of table) { acc += w / total; cum.push([acc, v]); }
  return () => {
    const r = rnd();
    for (const [c, v] of cum) if (r < c) return v;
    return cum[cum.length - 1][1];
  };
}

// ---- addresses ----
function publicV4() {
  for (;;) {
    const a = 1 + ri(223);
    if (a === 10 || a === 127 || a === 0 || a === 100 || a === 169 || a === 172 || a === 192 || a === 198 || a === 203) continue;
    return `${a}.${ri(256)}.${ri(256)}.${1 + ri(254)}`;
  }
}
const hex4 = (n) => n.toString(16).padStart(4, '0');
/** the kernel's %pI6: eight groups of four hex digits, never compressed */
function v6(groups) {
  return groups.map(hex4).join(':');
}
function publicV6() {
  const g = [0x2001 + ri(3) * 0x100 + ri(16), ri(65536), ri(65536), ri(65536)];
  const r = rnd();
  if (r < 0.5) g.push(0, 0, 0, 1 + ri(255));
  else g.push(ri(65536), ri(65536), ri(65536), ri(65536));
  return v6(g);
}
const mac = () => Array.from({ length: 6 }, () => ri(256).toString(16).padStart(2, '0')).join(':');

// ---- hosts ----
const NAMES = ['fw1', 'gw-berlin', 'router', 'edge-nyc', 'vpn2', 'db-fw', 'mail', 'fw-lab', 'nas', 'pve1', 'dmz-fw', 'office'];
const DIALECTS = ['ipt', 'ufw', 'firewalld', 'shorewall', 'none'];
const FRAMINGS = ['bsd-uptime', 'rfc3339', 'bsd', 'rfc3339z'];
const WANS = [['eth0'], ['ens3'], ['ppp0'], ['enp1s0'], ['eth0.2'], ['wan0']];
const hosts = [];
for (let h = 0; h < HOSTS; h++) {
  hosts.push({
    name: NAMES[h],
    dialect: DIALECTS[h % DIALECTS.length],
    framing: FRAMINGS[h % FRAMINGS.length],
    wan: WANS[h % WANS.length][0],
    lan: h % 2 === 0 ? 'eth1' : 'br0',
    bridge: h % 3 === 2,
    logSeq: h % 4 === 1,
    nicMac: mac(),
    gwMac: mac(),
    lanMac: mac(),
    v4: `${[185, 91, 212, 46, 78, 5][h % 6]}.${ri(256)}.${ri(256)}.${2 + ri(250)}`,
    v6: [0x2a01, 0x4f8 + h, ri(65536), ri(65536)],
    lanNet: `192.168.${h + 1}`,
    boot: START - (3600 + ri(40 * 86400)) * 1000,
    id: ri(65536),
  });
}
const hostPick = weighted(hosts.map((h, i) => [i === 0 ? 3 : 2, h]));

// sources: a few heavy hitters, a pool of recurring ones, and one-off tail
const heavy = Array.from({ length: 12 }, () => publicV4());
const heavyPick = weighted(heavy.map((ip, i) => [1 / (i + 1), ip]));
const recurring = Array.from({ length: 2000 }, () => publicV4());
const recurring6 = Array.from({ length: 300 }, () => publicV6());
const admins = ['93.184.216.34', '81.2.69.160', '145.253.1.12'];

// ---- ports ----
const denyPort = weighted([
  [18, 22], [12, 23], [8, 80], [8, 443], [10, 3389], [9, 445], [4, 8080], [3, 25], [3, 3306], [2, 5900],
  [2, 1433], [2, 8443], [2, 6379], [1, 2323], [1, 5060], [1, 9200], [1, 27017], [1, 139], [1, 21], [1, 110], [12, 0],
]);
const udpPort = weighted([[5, 53], [4, 123], [3, 137], [2, 138], [3, 1900], [3, 5060], [2, 161], [1, 11211], [1, 19], [2, 500], [3, 0]]);
const dport = () => { const p = denyPort(); return p || 1024 + ri(64000); };
const uport = () => { const p = udpPort(); return p || 1024 + ri(64000); };
const ephemeral = () => 32768 + ri(28000);
const WINDOWS = [1024, 65535, 29200, 64240, 14600, 5840, 42340, 8192];

// ---- prefixes ----
const PREFIX = {
  ipt: { deny: 'IPT: DROP ', accept: 'IPT: ACCEPT ', invalid: 'IPT: INVALID ', audit: 'IPT: LOG ', limit: 'IPT: DROP ', reject: 'IPT: REJECT ' },
  ufw: { deny: '[UFW BLOCK] ', accept: '[UFW ALLOW] ', invalid: '[UFW BLOCK] ', audit: '[UFW AUDIT] ', limit: '[UFW LIMIT BLOCK] ', reject: '[UFW BLOCK] ' },
  firewalld: { deny: 'filter_IN_public_DROP: ', accept: 'filter_IN_public_ALLOW: ', invalid: 'STATE_INVALID_DROP: ', audit: 'filter_IN_public_LOG: ', limit: 'filter_IN_public_DROP: ', reject: 'filter_IN_public_REJECT: ' },
  shorewall: { deny: 'Shorewall:net2fw:DROP:', accept: 'Shorewall:net2fw:ACCEPT:', invalid: 'Shorewall:INVALID:DROP:', audit: 'Shorewall:net2fw:LOG:', limit: 'Shorewall:net2fw:DROP:', reject: 'Shorewall:net2fw:REJECT:' },
  none: { deny: '', accept: '', invalid: '', audit: '', limit: '', reject: '' },
};
function prefix(host, kind) {
  const d = rnd() < 0.75 ? host.dialect : pick(DIALECTS);
  let p = PREFIX[d][kind];
  // firewalld with the nftables backend prints the prefix with its quotes, glued to IN=
  if (d === 'firewalld' && rnd() < 0.4) p = `"${p}"`;
  return p;
}

// ---- time ----
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : '' + n);
const meanStep = (DAYS * 86400 * 1000) / Math.max(1, LINES);
const END = START + DAYS * 86400 * 1000;
let emitted = 0;
let now = START;
function stamp(host) {
  const d = new Date(now);
  const hms = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  let head;
  if (host.framing === 'rfc3339' || host.framing === 'rfc3339z') {
    const us = String(Math.floor((now % 1000) * 1000)).padStart(6, '0');
    if (host.framing === 'rfc3339z') {
      head = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${hms}.${us}+00:00`;
    } else {
      // the same instant as seen by a host in UTC+1
      const l = new Date(now + 3600_000);
      head = `${l.getUTCFullYear()}-${p2(l.getUTCMonth() + 1)}-${p2(l.getUTCDate())}T${p2(l.getUTCHours())}:${p2(l.getUTCMinutes())}:${p2(l.getUTCSeconds())}.${us}+01:00`;
    }
  } else {
    const day = d.getUTCDate();
    head = `${MON[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${hms}`;
  }
  head += ` ${host.name} kernel: `;
  if (host.framing === 'bsd-uptime') {
    const up = (now - host.boot) / 1000;
    const s = Math.floor(up);
    head += `[${String(s).padStart(5, ' ')}.${String(Math.floor((up - s) * 1e6)).padStart(6, '0')}] `;
  }
  return head;
}

// ---- packets ----
function ipv4(host, src, dst, len, proto, df = true, ttl = 40 + ri(200)) {
  host.id = (host.id + 1 + ri(50)) & 0xffff;
  const tos = rnd() < 0.9 ? '0x00 PREC=0x00' : pick(['0x08 PREC=0x20', '0x00 PREC=0x40', '0x10 PREC=0x00', '0x00 PREC=0xC0']);
  return `SRC=${src} DST=${dst} LEN=${len} TOS=${tos} TTL=${ttl} ID=${df ? host.id : ri(65536)} ${df ? 'DF ' : ''}PROTO=${proto} `;
}
function ipv6hdr(src, dst, len, proto) {
  return `SRC=${src} DST=${dst} LEN=${len} TC=${rnd() < 0.9 ? 0 : pick([32, 72, 184])} HOPLIMIT=${pick([64, 255, 52, 118, 57, 244])} FLOWLBL=${rnd() < 0.3 ? 0 : ri(1048576)} PROTO=${proto} `;
}
function tcp(host, spt, dpt, flags = 'SYN ') {
  // some rules on this host log with --log-tcp-sequence --log-tcp-options
  const logSeq = host.logSeq && rnd() < 0.3;
  const seq = logSeq ? `SEQ=${ri(4294967295)} ACK=${flags.includes('ACK') ? ri(4294967295) : 0} ` : '';
  const opt = logSeq && flags === 'SYN ' ? 'OPT (020405B40402080A' + ri(4294967295).toString(16).toUpperCase().padStart(8, '0') + '0000000001030307) ' : '';
  return `SPT=${spt} DPT=${dpt} ${seq}WINDOW=${pick(WINDOWS)} RES=0x00 ${flags}URGP=0 ${opt}`;
}
// a PPPoE link has no link-layer header: the kernel prints no MAC= at all
const inWan = (host, v = 4) => (host.wan.startsWith('ppp') ? `IN=${host.wan} OUT= ` : `IN=${host.wan} OUT= MAC=${host.nicMac}:${host.gwMac}:${v === 4 ? '08:00' : '86:dd'} `);
const hv6 = (host) => v6([...host.v6, 0, 0, 0, 1 + (host.id & 3)]);

function tcpIn(host, kind, src, dpt, flags) {
  const len = pick([40, 44, 52, 60, 60, 64]);
  return prefix(host, kind) + inWan(host) + ipv4(host, src, host.v4, len, 'TCP', len !== 40) + tcp(host, ephemeral(), dpt, flags);
}
function udpIn(host, src, dpt) {
  const len = 28 + ri(120);
  return prefix(host, 'deny') + inWan(host) + ipv4(host, src, host.v4, len, 'UDP', false) + `SPT=${rnd() < 0.3 ? dpt : ephemeral()} DPT=${dpt} LEN=${len - 20} `;
}
function icmpEcho(host, src) {
  return prefix(host, rnd() < 0.7 ? 'deny' : 'accept') + inWan(host) + ipv4(host, src, host.v4, 84, 'ICMP', rnd() < 0.5) + `TYPE=8 CODE=0 ID=${ri(65536)} SEQ=${1 + ri(200)} `;
}
/** an ICMP error quoting the packet that caused it: never to be confused with the outer packet */
function icmpError(host) {
  const src = publicV4();
  const udp = rnd() < 0.6;
  const inner = udp
    ? `[SRC=${host.v4} DST=${src} LEN=${40 + ri(30)} TOS=0x00 PREC=0x00 TTL=${1 + ri(63)} ID=${ri(65536)} PROTO=UDP SPT=${ephemeral()} DPT=${pick([53, 33434 + ri(30), 123, 443])} LEN=${20 + ri(30)} ] `
    : `[SRC=${host.v4} DST=${src} LEN=60 TOS=0x00 PREC=0x00 TTL=${1 + ri(63)} ID=${ri(65536)} DF PROTO=TCP SPT=${ephemeral()} DPT=${pick([443, 80, 25])} WINDOW=64240 RES=0x00 SYN URGP=0 ] `;
  const t = pick([[3, 3, ''], [3, 1, ''], [11, 0, ''], [3, 4, `MTU=${pick([1480, 1492, 1400, 1280])} `], [3, 13, '']]);
  return prefix(host, 'deny') + inWan(host) + ipv4(host, src, host.v4, 56 + ri(40), 'ICMP', false, 240 + ri(15)) + `TYPE=${t[0]} CODE=${t[1]} ${inner}${t[2]}`;
}
function v6In(host) {
  const src = rnd() < 0.5 ? pick(recurring6) : publicV6();
  const dst = hv6(host);
  const r = rnd();
  if (r < 0.55) {
    return prefix(host, 'deny') + inWan(host, 6) + ipv6hdr(src, dst, pick([60, 72, 80]), 'TCP') + tcp(host, ephemeral(), dport(), 'SYN ');
  }
  if (r < 0.7) {
    const dpt = uport();
    return prefix(host, 'deny') + inWan(host, 6) + ipv6hdr(src, dst, 68 + ri(60), 'UDP') + `SPT=${ephemeral()} DPT=${dpt} LEN=${28 + ri(60)} `;
  }
  if (r < 0.85) {
    return prefix(host, rnd() < 0.5 ? 'deny' : 'accept') + inWan(host, 6) + ipv6hdr(src, dst, 104, 'ICMPv6') + `TYPE=128 CODE=0 ID=${ri(65536)} SEQ=${1 + ri(50)} `;
  }
  if (r < 0.93) {
    // neighbour solicitation from the link
    const ll = v6([0xfe80, 0, 0, 0, ri(65536), ri(65536), ri(65536), ri(65536)]);
    return prefix(host, 'deny') + inWan(host, 6) + ipv6hdr(ll, v6([0xff02, 0, 0, 0, 0, 1, 0xff00 + ri(256), ri(65536)]), 72, 'ICMPv6') + 'TYPE=135 CODE=0 ';
  }
  // packet too big / unreachable quoting our packet
  const code = rnd() < 0.5 ? [2, 0, `MTU=${pick([1280, 1480, 1420])} `] : [1, 4, ''];
  const inner = `[SRC=${dst} DST=${src} LEN=${1280 + ri(200)} TC=0 HOPLIMIT=${50 + ri(14)} FLOWLBL=${ri(1048576)} PROTO=TCP SPT=443 DPT=${ephemeral()} WINDOW=${pick(WINDOWS)} RES=0x00 ACK PSH URGP=0 ] `;
  return prefix(host, 'deny') + inWan(host, 6) + ipv6hdr(src, dst, 1280, 'ICMPv6') + `TYPE=${code[0]} CODE=${code[1]} ${inner}${code[2]}`;
}
function loopback(host) {
  const tcpish = rnd() < 0.7;
  const hdr = `IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 `;
  const body = tcpish
    ? ipv4(host, '127.0.0.1', '127.0.0.1', 60, 'TCP', true, 64) + tcp(host, ephemeral(), pick([631, 5432, 6379, 8125, 9090]), 'SYN ')
    : ipv4(host, '127.0.0.1', '127.0.0.53', 40 + ri(30), 'UDP', false, 64) + `SPT=${ephemeral()} DPT=53 LEN=${20 + ri(30)} `;
  return prefix(host, rnd() < 0.5 ? 'accept' : 'deny') + hdr + body;
}
function outbound(host) {
  // OUTPUT chain: no MAC; --log-uid on this rule
  const dst = publicV4();
  const dpt = pick([25, 25, 587, 6667, 53, 123, 4444]);
  const body = dpt === 53 || dpt === 123
    ? ipv4(host, host.v4, dst, 60 + ri(20), 'UDP', false, 64) + `SPT=${ephemeral()} DPT=${dpt} LEN=${40 + ri(20)} `
    : ipv4(host, host.v4, dst, 60, 'TCP', true, 64) + tcp(host, ephemeral(), dpt, 'SYN ');
  return prefix(host, rnd() < 0.6 ? 'reject' : 'accept') + `IN= OUT=${host.wan} ` + body + `${pick(['UID=0 GID=0 ', 'UID=33 GID=33 ', 'UID=105 GID=112 ', 'UID=1000 GID=1000 '])}`;
}
function forward(host) {
  const src = `${host.lanNet}.${2 + ri(200)}`;
  const dpt = pick([443, 80, 53, 22, 25, 8443, 6881, 3478]);
  const udp = dpt === 53 || dpt === 3478;
  const body = udp
    ? ipv4(host, src, publicV4(), 70, 'UDP', false, 63) + `SPT=${ephemeral()} DPT=${dpt} LEN=50 `
    : ipv4(host, src, publicV4(), 60, 'TCP', true, 63) + tcp(host, ephemeral(), dpt, 'SYN ');
  return prefix(host, rnd() < 0.7 ? 'accept' : 'deny') + `IN=${host.lan} OUT=${host.wan} MAC=${host.lanMac}:${mac()}:08:00 ` + body + `MARK=0x${pick([1, 2, 10, 100])} `;
}
function bridged(host) {
  const a = `${host.lanNet}.${2 + ri(100)}`;
  const b = `${host.lanNet}.${100 + ri(100)}`;
  const phys = `IN=br0 OUT=br0 PHYSIN=${pick(['eth1', 'eth2', 'vnet0', 'tap101i0'])} PHYSOUT=${pick(['eth3', 'vnet1', 'tap102i0'])} MAC=${mac()}:${mac()}:08:00 `;
  return prefix(host, rnd() < 0.5 ? 'deny' : 'accept') + phys + ipv4(host, a, b, 60, 'TCP', true, 64) + tcp(host, ephemeral(), pick([445, 139, 3389, 22, 8006]), 'SYN ');
}
function invalid(host, src) {
  const flags = pick(['ACK RST ', 'ACK FIN ', 'ACK ', 'ACK PSH FIN ', 'RST ', 'FIN PSH URG ', 'CWR ECE SYN ']);
  return prefix(host, 'invalid') + inWan(host) + ipv4(host, src, host.v4, pick([40, 52, 1500]), 'TCP', true) + tcp(host, pick([443, 80, ephemeral()]), ephemeral(), flags);
}
function accepted(host) {
  const src = rnd() < 0.4 ? pick(admins) : pick(recurring);
  return tcpIn(host, 'accept', src, pick([22, 80, 443, 443, 443, 25, 993]), 'SYN ');
}
const KERNEL_NOISE = [
  () => `e1000e: ${pick(['eth0', 'eth1'])} NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`,
  () => `TCP: request_sock_TCP: Possible SYN flooding on port ${pick([80, 443])}. Sending cookies.  Check SNMP counters.`,
  () => `nf_conntrack: nf_conntrack: table full, dropping packet`,
  () => `device ${pick(['eth1', 'vnet0', 'tap101i0'])} entered promiscuous mode`,
  () => `audit: type=1400 audit(${Math.floor(now / 1000)}.${ri(1000)}:${ri(9999)}): apparmor="DENIED" operation="open" profile="/usr/sbin/ntpd" name="/etc/ssl/openssl.cnf" pid=${ri(30000)} comm="ntpd"`,
  () => `br0: port ${1 + ri(4)}(${pick(['eth2', 'vnet0'])}) entered ${pick(['forwarding', 'blocking', 'disabled'])} state`,
  () => `net_ratelimit: ${1 + ri(400)} callbacks suppressed`,
  () => `IPv6: ADDRCONF(NETDEV_CHANGE): ${pick(['eth0', 'wlan0'])}: link becomes ready`,
];

// ---- scanners: bursts of many ports on one host, or one port on many hosts ----
let burst = null;
function startBurst() {
  const kind = rnd() < 0.6 ? 'ports' : 'hosts';
  const length = 30 + ri(kind === 'ports' ? 600 : 250);
  burst = { kind, left: length, src: rnd() < 0.3 ? pick(heavy) : publicV4(), host: hostPick(), port: pick([22, 23, 445, 3389, 5900, 6379, 8080, 80]), next: 1 + ri(1000), speed: 0.01 + rnd() * 0.05 };
}
function burstLine() {
  const b = burst;
  b.left--;
  const host = b.host;
  if (b.kind === 'ports') {
    b.next = rnd() < 0.8 ? b.next + 1 + ri(3) : 1 + ri(65535);
    if (b.next > 65535) b.next = 1;
    return tcpIn(host, 'deny', b.src, b.next, 'SYN ');
  }
  // sweeping neighbours of the host's address (a hosting provider's /24)
  const dst = host.v4.replace(/\.\d+$/, `.${1 + ri(254)}`);
  return prefix(host, 'deny') + inWan(host) + ipv4(host, b.src, dst, 40, 'TCP', false) + tcp(host, ephemeral(), b.port, 'SYN ');
}

const kindPick = weighted([
  [28, 'tail'], [18, 'heavy'], [8, 'recurring'], [8, 'accept'], [3, 'invalid'], [5, 'echo'], [1.5, 'icmperr'],
  [8, 'udp'], [10, 'v6'], [2, 'lo'], [2, 'out'], [2, 'forward'], [1.5, 'bridge'], [1.5, 'noise'], [1, 'limit'], [0.8, 'audit'],
]);

function line() {
  emitted++;
  if (burst) {
    now += meanStep * burst.speed * (0.5 + rnd());
    const l = stamp(burst.host) + burstLine();
    if (burst.left <= 0) burst = null;
    return l;
  }
  // self-correcting pace: the time left spread over the ordinary lines still to come (about 3/4
  // of the rest; scanner bursts take the others) so the last line lands near --start + --days
  const remaining = Math.max(1, (LINES - emitted) * 0.76);
  now += (Math.max(0, END - now) / remaining) * -Math.log(1 - rnd() * 0.999);
  if (rnd() < 0.0012) startBurst();
  const host = hostPick();
  const head = stamp(host);
  switch (kindPick()) {
    case 'tail': return head + (rnd() < 0.75 ? tcpIn(host, 'deny', publicV4(), dport(), 'SYN ') : udpIn(host, publicV4(), uport()));
    case 'heavy': return head + tcpIn(host, rnd() < 0.9 ? 'deny' : 'reject', heavyPick(), rnd() < 0.5 ? 22 : dport(), 'SYN ');
    case 'recurring': return head + tcpIn(host, 'deny', pick(recurring), dport(), 'SYN ');
    case 'accept': return head + accepted(host);
    case 'invalid': return head + invalid(host, rnd() < 0.5 ? pick(recurring) : publicV4());
    case 'echo': return head + icmpEcho(host, rnd() < 0.5 ? heavyPick() : publicV4());
    case 'icmperr': return head + icmpError(host);
    case 'udp': return head + udpIn(host, rnd() < 0.3 ? pick(recurring) : publicV4(), uport());
    case 'v6': return head + v6In(host);
    case 'lo': return head + loopback(host);
    case 'out': return head + outbound(host);
    case 'forward': return head + forward(host);
    case 'bridge': return head + bridged(host);
    case 'noise': return head + pick(KERNEL_NOISE)();
    case 'limit': return head + tcpIn(host, 'limit', pick(heavy.slice(0, 4)), 22, 'SYN ');
    case 'audit': return head + tcpIn(host, 'audit', pick(recurring), pick([22, 80, 443]), 'SYN ');
  }
  throw new Error('unreachable');
}

// ---- output in big chunks, honouring backpressure; a closed pipe (| head) is a normal end ----
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const CHUNK_LINES = 4096;
let left = LINES;
async function main() {
  while (left > 0) {
    const n = Math.min(CHUNK_LINES, left);
    const parts = new Array(n);
    for (let i = 0; i < n; i++) parts[i] = line();
    left -= n;
    if (!process.stdout.write(parts.join('\n') + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
}
main();
