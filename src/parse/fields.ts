// The netfilter part of a line: `<prefix>IN=... OUT=... SRC=... PROTO=TCP SPT=...`, everything
// the kernel's nf_log_syslog.c prints, into record fields. One pass over the text, no regex per
// token. A truncated line yields what it holds.
import type { InnerPacket, IptaRecord } from '../record.js';
import { canonicalIpv6 } from './ipv6.js';
import { newInner } from './record-shape.js';

export const K = {
  IN: 1, OUT: 2, PHYSIN: 3, PHYSOUT: 4, MAC: 5, MACSRC: 6, MACDST: 7, MACPROTO: 8, SRC: 9, DST: 10,
  LEN: 11, TOS: 12, PREC: 13, TTL: 14, ID: 15, TC: 16, HOPLIMIT: 17, FLOWLBL: 18, PROTO: 19, SPT: 20,
  DPT: 21, WINDOW: 22, RES: 23, URGP: 24, SEQ: 25, ACK: 26, TYPE: 27, CODE: 28, MTU: 29, PARAMETER: 30,
  POINTER: 31, GATEWAY: 32, UID: 33, GID: 34, MARK: 35,
} as const;

// Tokens are recognised without slicing them out of the line: a number made of the token's
// length and first, second and last characters picks the only candidate, a character compare
// confirms it.
const tokenCode = (s: string, i: number, end: number): number =>
  ((end - i) << 24) ^ (s.charCodeAt(i) << 16) ^ (s.charCodeAt(i + 1) << 8) ^ s.charCodeAt(end - 1);

export interface CodeTable<T> {
  mul: number;
  names: Array<string | undefined>;
  values: T[];
}

/** A collision-free (perfect) hash of the token codes into 1024 slots: one array read per token. */
export function codeTable<T>(entries: Array<[string, T]>): CodeTable<T> {
  for (let mul = 0x9e3779b1, tries = 0; tries < 10_000; tries++, mul = (Math.imul(mul, 0x2c1b3c6d) + 0x297a2d39) | 1) {
    const names: Array<string | undefined> = new Array(1024).fill(undefined);
    const values: T[] = new Array(1024);
    let ok = true;
    for (const [name, v] of entries) {
      const slot = Math.imul(tokenCode(name, 0, name.length), mul) >>> 22;
      if (names[slot] !== undefined) { ok = false; break; }
      names[slot] = name;
      values[slot] = v;
    }
    if (ok) return { mul, names, values };
  }
  throw new Error('no perfect hash for the token table');
}

export const KEYS = codeTable<number>(Object.entries(K));
export const FLAGS = codeTable<number>(['CE', 'DF', 'MF', 'CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'].map((f) => [f, 1]));
export const PROTOS = codeTable<number>([['TCP', 1], ['UDP', 2], ['ICMP', 3], ['ICMPv6', 3], ['UDPLITE', 2], ['ESP', 4], ['AH', 4], ['SCTP', 4], ['GRE', 4]]);

/** The slot of the known token s[i, end) in `t` (its interned name is t.names[slot]), or -1. */
function known<T>(t: CodeTable<T>, s: string, i: number, end: number): number {
  if (end - i < 2) return -1;
  const slot = Math.imul(tokenCode(s, i, end), t.mul) >>> 22;
  const name = t.names[slot];
  if (name === undefined || name.length !== end - i) return -1;
  // another token can land in the same slot: compare every character
  for (let k = 2; k < name.length - 1; k++) if (name.charCodeAt(k) !== s.charCodeAt(i + k)) return -1;
  if (name.charCodeAt(0) !== s.charCodeAt(i) || name.charCodeAt(1) !== s.charCodeAt(i + 1) || name.charCodeAt(name.length - 1) !== s.charCodeAt(end - 1)) return -1;
  return slot;
}

/** Last value seen per field: interface names repeat, so the same string is handed out again. */
const lastValue: string[] = [];
function value(slot: number, s: string, from: number, to: number): string {
  const last = lastValue[slot];
  if (last !== undefined && last.length === to - from && s.startsWith(last, from)) return last;
  return (lastValue[slot] = s.slice(from, to));
}

/** Keys that make a line without IN=/OUT= (one cut at its start) recognisable as netfilter. */
const PACKET_KEYS = new Set(['SRC', 'DST', 'LEN', 'TTL', 'ID', 'SPT', 'DPT', 'WINDOW', 'TOS', 'PREC', 'MAC', 'TYPE', 'CODE']);

export const P_NONE = 0;
const P_TCP = 1;
const P_UDP = 2;
export const P_ICMP = 3;
const P_OTHER = 4;

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Where the packet fields start in `s` (at or after `pos`): the `IN=` the kernel prints first
 * (also glued to a prefix: `...:DROP:IN=`, `[rule-D]IN=`), else `OUT=` (pve-firewall omits an
 * empty IN=), else — for a line cut at its start — the message itself when it still holds
 * `PROTO=` and another packet key. -1: not a netfilter line.
 */
export function findFields(s: string, pos: number): number {
  for (const key of ['IN=', 'OUT=']) {
    let k = s.indexOf(key, pos);
    while (k !== -1) {
      if (k === pos || !isWordChar(s.charCodeAt(k - 1))) return k;
      k = s.indexOf(key, k + key.length);
    }
  }
  const p = s.indexOf('PROTO=', pos);
  if (p === -1 || (p > pos && s.charCodeAt(p - 1) !== 32)) return -1;
  let known = 0;
  for (let i = pos; i < p && known < 1; ) {
    const e = s.indexOf(' ', i);
    const end = e === -1 ? s.length : e;
    const eq = s.indexOf('=', i);
    if (eq !== -1 && eq < end && PACKET_KEYS.has(s.slice(i, eq))) known++;
    i = end + 1;
  }
  if (known === 0) {
    const rest = s.slice(p);
    if (!/ (?:SPT|DPT|TYPE)=\d/.test(rest)) return -1;
  }
  return pos;
}

/** A decimal integer in s[from, to), or -1. */
function dec(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** A hex integer in s[from, to) with or without `0x` (TOS=0x10, TOS=10, RES=0x00, MACPROTO=0800), or -1. */
function hexNum(s: string, from: number, to: number): number {
  if (to - from > 2 && s.charCodeAt(from) === 48 && (s.charCodeAt(from + 1) | 32) === 120) from += 2;
  if (to <= from || to - from > 12) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

type Ctx = IptaRecord | InnerPacket;

function setExtra(ctx: Ctx, key: string, value: string): void {
  const extra = (ctx.extra ??= {});
  if (key === '__proto__') Object.defineProperty(extra, key, { value, enumerable: true, writable: true, configurable: true });
  else if (Object.prototype.hasOwnProperty.call(extra, key)) extra[key] += ` ${value}`;
  else extra[key] = value;
}

/** MAC= as printed and its decomposition (a whole link-layer header: dst, src, ethertype). */
export interface MacParts {
  mac: string;
  dst: string | undefined;
  src: string | undefined;
  ethertype: number | undefined;
  /** its record keys as JSON (`,"mac":...`), made once by the JSON writer */
  json: Uint8Array | undefined;
}

/** The last MAC= seen, decomposed (MACs repeat: the same object is handed out again). */
let lastMac: MacParts = { mac: '', dst: undefined, src: undefined, ethertype: undefined, json: undefined };

/** `MAC=` s[from, to) (not empty) and its decomposition when it holds a whole link-layer header. */
export function macParts(s: string, from: number, to: number): MacParts {
  if (lastMac.mac.length === to - from && s.startsWith(lastMac.mac, from)) return lastMac;
  const m: MacParts = { mac: s.slice(from, to), dst: undefined, src: undefined, ethertype: undefined, json: undefined };
  // dst(6) src(6) ethertype(2): 14 octets = 41 characters, more when the header runs on
  if (to - from >= 41 && s.charCodeAt(from + 38) === 58 && s.charCodeAt(from + 17) === 58 && s.charCodeAt(from + 35) === 58
    && (to - from === 41 || s.charCodeAt(from + 41) === 58)) {
    const a = hexNum(s, from + 36, from + 38);
    const b = hexNum(s, from + 39, from + 41);
    if (a >= 0 && b >= 0) {
      m.dst = s.slice(from, from + 17).toLowerCase();
      m.src = s.slice(from + 18, from + 35).toLowerCase();
      m.ethertype = a * 256 + b;
    }
  }
  return (lastMac = m);
}

function setMac(rec: IptaRecord, s: string, from: number, to: number): void {
  if (to === from) return;
  const m = macParts(s, from, to);
  rec.mac = m.mac;
  if (m.ethertype !== undefined) {
    rec.mac_dst = m.dst;
    rec.mac_src = m.src;
    rec.ethertype = m.ethertype;
  }
}

function setAddr(ctx: Ctx, which: 'src' | 'dst', value: string, outer: IptaRecord | null): void {
  if (value === '') return;
  if (value.indexOf(':') !== -1) {
    ctx[which] = canonicalIpv6(value);
    if (outer && outer.family === undefined) outer.family = 6;
  } else {
    ctx[which] = value;
    if (outer && outer.family === undefined && value.indexOf('.') !== -1) outer.family = 4;
  }
}

export function protoKind(p: string): number {
  const slot = known(PROTOS, p, 0, p.length);
  return slot < 0 || PROTOS.values[slot] === 4 ? P_OTHER : PROTOS.values[slot];
}

/**
 * Parse the packet fields of `s` from `at` (see findFields) into `rec`. Unknown KEY=VALUE
 * pairs and unknown words go to `extra` (words under the key `_`), never lost.
 */
export function parseFields(s: string, at: number, rec: IptaRecord): void {
  const n = s.length;
  // always an array: no flag words is information too (a NULL scan)
  rec.flags ??= [];
  const stack: Ctx[] = [];
  const protos: number[] = [];
  let ctx: Ctx = rec;
  let outer: IptaRecord | null = rec;
  let proto = P_NONE;
  let i = at;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    // indexOf measured ~3x faster here than a charCodeAt loop finding both at once
    let end = s.indexOf(' ', i);
    if (end === -1) end = n;
    const eq = s.indexOf('=', i);
    let c0 = s.charCodeAt(i);

    // the quoted offending packet of an ICMP error: `[SRC=... DST=... ]`
    if (c0 === 91 /* [ */ && s.startsWith('SRC=', i + 1)) {
      const inner = newInner();
      if (ctx.inner === undefined) ctx.inner = inner;
      stack.push(ctx);
      protos.push(proto);
      ctx = inner;
      outer = null;
      proto = P_NONE;
      i++;
      c0 = s.charCodeAt(i);
    }
    let tokEnd = end;
    let close = false;
    if (stack.length > 0 && s.charCodeAt(end - 1) === 93 /* ] */) {
      close = true;
      tokEnd = end - 1;
    }
    if (tokEnd > i) {
      if (eq !== -1 && eq < tokEnd && eq > i) {
        let vEnd = tokEnd;
        // a quoted value with spaces (UniFi DESCR="[WAN_LOCAL]Block All Traffic")
        if (s.charCodeAt(eq + 1) === 34 && (vEnd === eq + 2 || s.charCodeAt(vEnd - 1) !== 34)) {
          const q = s.indexOf('"', eq + 2);
          if (q !== -1) {
            vEnd = q + 1;
            end = q + 1;
            tokEnd = vEnd;
            close = false;
          }
        }
        const slot = known(KEYS, s, i, eq);
        const id = slot < 0 ? 0 : KEYS.values[slot];
        if (id === 0 || !field(s, id, eq + 1, vEnd, ctx, outer, proto)) {
          let v = s.slice(eq + 1, vEnd);
          if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) v = v.slice(1, -1);
          setExtra(ctx, s.slice(i, eq), v);
        } else if (id === K.PROTO) {
          proto = protoKind((ctx as InnerPacket).proto ?? '');
        }
      } else {
        const flag = known(FLAGS, s, i, tokEnd);
        const word = flag >= 0 ? FLAGS.names[flag]! : s.slice(i, tokEnd);
        if (flag >= 0) {
          ctx.flags!.push(word);
        } else if (word === 'INCOMPLETE') {
          // IPv4: `INCOMPLETE [65 bytes] `; IPv6 fragment header: `INCOMPLETE ` = more fragments
          const m = /^ \[(\d+) bytes\]/.exec(s.slice(end, end + 24));
          if (m) {
            ctx.incomplete = Number(m[1]);
            end += m[0].length;
            if (stack.length > 0 && s.charCodeAt(end) === 93) close = true;
          } else {
            ctx.flags!.push('MF');
          }
        } else if (word.startsWith('FRAG:')) {
          const f = dec(word, 5, word.length);
          if (f >= 0) ctx.frag = f;
          else setExtra(ctx, '_', word);
        } else if (word.startsWith('ID:')) {
          const v = hexNum(word, 3, word.length);
          if (v >= 0) ctx.id = v;
          else setExtra(ctx, '_', word);
        } else if (word === 'OPT' && s.charCodeAt(end + 1) === 40 /* ( */) {
          const q = s.indexOf(')', end + 1);
          const stop = q === -1 ? n : q;
          setExtra(ctx, 'OPT', s.slice(end + 2, stop).trim());
          end = q === -1 ? n : q + 1;
          if (stack.length > 0 && s.charCodeAt(end) === 93) close = true;
        } else if (word !== ']') {
          setExtra(ctx, '_', word);
        }
      }
    }
    if ((close || s.charCodeAt(i) === 93) && stack.length > 0) {
      ctx = stack.pop()!;
      proto = protos.pop()!;
      outer = stack.length === 0 ? rec : null;
    }
    i = end + 1;
  }
}

/** One known key. false: the value is not what the kernel prints there (kept in extra instead). */
function field(s: string, id: number, from: number, to: number, ctx: Ctx, outer: IptaRecord | null, proto: number): boolean {
  let v: number;
  switch (id) {
    case K.IN: case K.OUT: case K.PHYSIN: case K.PHYSOUT: {
      if (outer === null) return false;
      {
        // printed empty (`OUT= `) is kept as "": the kernel said "none"; not printed = absent
        const name = to > from ? value(id, s, from, to) : '';
        if (id === K.IN) outer.in = name;
        else if (id === K.OUT) outer.out = name;
        else if (id === K.PHYSIN) outer.physin = name;
        else outer.physout = name;
      }
      return true;
    }
    case K.MAC:
      if (outer === null) return false;
      setMac(outer, s, from, to);
      return true;
    case K.MACSRC: case K.MACDST:
      if (outer === null) return false;
      if (to > from) outer[id === K.MACSRC ? 'mac_src' : 'mac_dst'] = s.slice(from, to).toLowerCase();
      return true;
    case K.MACPROTO:
      if (outer === null || (v = hexNum(s, from, to)) < 0) return false;
      outer.ethertype = v;
      return true;
    case K.SRC:
      setAddr(ctx, 'src', s.slice(from, to), outer);
      return true;
    case K.DST:
      setAddr(ctx, 'dst', s.slice(from, to), outer);
      return true;
    case K.PROTO: {
      if (to === from) return false;
      const slot = known(PROTOS, s, from, to);
      ctx.proto = slot >= 0 ? PROTOS.names[slot]! : s.slice(from, to);
      return true;
    }
    case K.GATEWAY:
      if (to === from) return false;
      if (outer) outer.icmp_gateway = s.slice(from, to);
      else setExtraGateway(ctx, s.slice(from, to));
      return true;
    case K.MARK:
      if (outer === null || to === from) return false;
      outer.mark = s.slice(from, to);
      return true;
    case K.TOS: case K.PREC: case K.RES: case K.POINTER:
      if ((v = hexNum(s, from, to)) < 0) return false;
      if (id === K.TOS) ctx.tos = v;
      else if (id === K.PREC) ctx.prec = v;
      else if (id === K.RES) ctx.res = v;
      else if (outer) outer.icmp_parameter = v;
      else return false;
      return true;
    default:
      break;
  }
  if ((v = dec(s, from, to)) < 0) return false;
  switch (id) {
    case K.LEN:
      if (ctx.len === undefined) ctx.len = v;
      else if (proto !== P_NONE && ctx.udp_len === undefined) ctx.udp_len = v;
      else return false;
      return true;
    case K.TTL: ctx.ttl = v; return true;
    case K.ID:
      if (proto === P_ICMP) ctx.icmp_id = v;
      else ctx.id = v;
      return true;
    case K.TC: ctx.tc = v; return true;
    case K.HOPLIMIT: ctx.hoplimit = v; return true;
    case K.FLOWLBL: ctx.flowlbl = v; return true;
    case K.SPT: ctx.spt = v; return true;
    case K.DPT: ctx.dpt = v; return true;
    case K.WINDOW: ctx.window = v; return true;
    case K.URGP: ctx.urgp = v; return true;
    case K.SEQ:
      if (proto === P_ICMP) ctx.icmp_seq = v;
      else ctx.seq = v;
      return true;
    case K.ACK: ctx.ack = v; return true;
    case K.TYPE: ctx.icmp_type = v; return true;
    case K.CODE: ctx.icmp_code = v; return true;
    case K.MTU:
      if (!outer) return false;
      outer.icmp_mtu = v;
      return true;
    case K.PARAMETER:
      if (!outer) return false;
      outer.icmp_parameter = v;
      return true;
    case K.UID: if (!outer) return false; outer.uid = v; return true;
    case K.GID: if (!outer) return false; outer.gid = v; return true;
    default: return false;
  }
}

function setExtraGateway(ctx: Ctx, v: string): void {
  setExtra(ctx, 'GATEWAY', v);
}
