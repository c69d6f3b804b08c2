// A small DNS server on loopback for the tests and the benchmark: it speaks the DNS wire
// protocol over UDP (RFC 1035) with node:dgram, parses the question and answers from a table.
// Behaviours per query name: PTR answers (names given as text or as raw labels, so hostile
// bytes can be served), NXDOMAIN, SERVFAIL, a delay, no answer at all, or a garbage reply.
// Unknown names get NXDOMAIN. It counts the queries it receives, per name, so tests can assert
// one lookup per address and that a cache avoided a lookup.
import dgram from 'node:dgram';

export type Answer =
  | { ptr: Array<string | Buffer[]>; delayMs?: number; ttl?: number }
  | { rcode: 'nxdomain' | 'servfail' | 'nodata'; delayMs?: number }
  | { drop: true }
  | { garbage: true };

export interface DnsServer {
  /** the port on 127.0.0.1 (or ::1) the server listens on */
  port: number;
  host: string;
  /** `--dns-server` value pointing at this server */
  spec: string;
  /** answers by query name (lower case, no final dot), e.g. `4.3.2.1.in-addr.arpa` */
  answers: Map<string, Answer>;
  /** answer for a name not in `answers` (default NXDOMAIN); may be set by the test */
  fallback: Answer;
  /** queries received, per query name */
  counts: Map<string, number>;
  /** all queries received */
  total(): number;
  /** queries received for the PTR name of an address */
  countFor(addr: string): number;
  /** forget the counts and drop the answers still delayed */
  resetCounts(): void;
  /** most delayed answers pending at the same time (a measure of the client's concurrency) */
  maxPending: number;
  close(): Promise<void>;
}

/** The PTR query name of an IPv4 or (fully written or compressed) IPv6 address. */
export function ptrName(addr: string): string {
  if (addr.includes(':')) {
    const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
    if (quad) {
      const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
      addr = addr.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
    }
    const [head, tail = ''] = addr.split('::');
    const h = head ? head.split(':') : [];
    const t = addr.includes('::') ? (tail ? tail.split(':') : []) : [];
    const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    const hex = groups.map((g) => g.padStart(4, '0')).join('');
    return [...hex].reverse().join('.') + '.ip6.arpa';
  }
  return addr.split('.').reverse().join('.') + '.in-addr.arpa';
}

interface Question { id: number; rd: boolean; name: string; type: number; cls: number; end: number }

function parseQuestion(msg: Buffer): Question | null {
  if (msg.length < 12) return null;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return null; // a response, not a query
  if (msg.readUInt16BE(4) !== 1) return null; // exactly one question
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    if (off >= msg.length) return null;
    const len = msg[off++];
    if (len === 0) break;
    if (len > 63 || off + len > msg.length) return null;
    labels.push(msg.subarray(off, off + len).toString('latin1'));
    off += len;
  }
  if (off + 4 > msg.length) return null;
  return { id, rd: (flags & 0x0100) !== 0, name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(off), cls: msg.readUInt16BE(off + 2), end: off + 4 };
}

function encodeName(name: string | Buffer[]): Buffer {
  const labels = typeof name === 'string' ? name.replace(/\.$/, '').split('.').map((l) => Buffer.from(l, 'utf8')) : name;
  const parts: Buffer[] = [];
  for (const l of labels) parts.push(Buffer.from([l.length]), l);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

const RCODE = { nxdomain: 3, servfail: 2, nodata: 0 } as const;

function reply(msg: Buffer, q: Question, rcode: number, answers: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, opcode 0, AA, RD copied, RA, rcode
  header.writeUInt16BE(0x8000 | 0x0400 | (q.rd ? 0x0100 : 0) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, msg.subarray(12, q.end), ...answers]);
}

function ptrRecord(target: string | Buffer[], ttl: number): Buffer {
  const rdata = encodeName(target);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  rr.writeUInt16BE(12, 2); // PTR
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(ttl, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([rr, rdata]);
}

/** Start a server on an ephemeral UDP port of 127.0.0.1 (or `host`). */
export async function startDnsServer(answers: Map<string, Answer> = new Map(), host = '127.0.0.1'): Promise<DnsServer> {
  const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const counts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  const server: DnsServer = {
    port: 0,
    host,
    spec: '',
    answers,
    fallback: { rcode: 'nxdomain' },
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    countFor: (addr) => counts.get(ptrName(addr)) ?? 0,
    resetCounts: () => {
      // answers still delayed belong to clients of earlier tests: drop them
      for (const t of timers) clearTimeout(t);
      timers.clear();
      pending = 0;
      counts.clear();
      server.maxPending = 0;
    },
    maxPending: 0,
    close: () => new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      sock.close(() => resolve());
    }),
  };
  sock.on('message', (msg, rinfo) => {
    const q = parseQuestion(msg);
    if (!q) return;
    counts.set(q.name, (counts.get(q.name) ?? 0) + 1);
    const a = server.answers.get(q.name) ?? server.fallback;
    const send = (buf: Buffer): void => { sock.send(buf, rinfo.port, rinfo.address, () => { /* socket may be closed */ }); };
    const later = (ms: number | undefined, fn: () => void): void => {
      if (!ms) return fn();
      pending++;
      server.maxPending = Math.max(server.maxPending, pending);
      const t = setTimeout(() => { timers.delete(t); pending--; fn(); }, ms);
      timers.add(t);
    };
    if ('drop' in a) return;
    if ('garbage' in a) {
      // the right id and question, then an answer section that claims a record it does not hold
      const bad = reply(msg, q, 0, [Buffer.from([0xc0, 0xff, 0x00, 0x0c, 0x00, 0x01, 0xde, 0xad])]);
      return send(bad);
    }
    if ('rcode' in a) return later(a.delayMs, () => send(reply(msg, q, RCODE[a.rcode], [])));
    if (q.type !== 12) return send(reply(msg, q, 0, []));
    later(a.delayMs, () => send(reply(msg, q, 0, a.ptr.map((n) => ptrRecord(n, a.ttl ?? 60)))));
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, host, () => resolve());
  });
  server.port = sock.address().port;
  server.spec = host.includes(':') ? `[${host}]:${server.port}` : `${host}:${server.port}`;
  return server;
}
