// Syslog framings: where the kernel's message starts in a line, and what the header says
// (time stamp, host, dmesg uptime). Pure and allocation-light: one Header object is reused.

export const StampKind = {
  None: 0,
  /** `Nov 25 06:25:13[.123456]`: no year, no zone (RFC 3164, journalctl short / short-precise) */
  YearLess: 1,
  /** year present; `offsetMin` null when the zone is not given (local time) */
  Full: 2,
  /** already an ISO UTC string (journal JSON __REALTIME_TIMESTAMP) in `iso` */
  Iso: 3,
} as const;
export type StampKind = (typeof StampKind)[keyof typeof StampKind];

export interface Header {
  /** the string holding the message: the line itself, or a journal entry's MESSAGE */
  text: string;
  /** where the message starts in `text` */
  pos: number;
  /** where the raw text used for the key starts in the line (after a grep-style `file:` prefix) */
  rawStart: number;
  host: string | undefined;
  kernelTs: number | undefined;
  stamp: StampKind;
  /** the stamp's text (cache key for its conversion) */
  stampText: string;
  year: number;
  month0: number;
  day: number;
  h: number;
  mi: number;
  s: number;
  /** fraction-of-second digits as written ('' when none) */
  fraction: string;
  /** zone offset in minutes, null for local time */
  offsetMin: number | null;
  iso: string;
  /** Proxmox pve-firewall: `<vmid> <level> <chain>` */
  pve: { vmid: string; level: string; chain: string } | undefined;
}

export function newHeader(): Header {
  return {
    text: '', pos: 0, rawStart: 0, host: undefined, kernelTs: undefined, stamp: StampKind.None, stampText: '',
    year: 0, month0: 0, day: 0, h: 0, mi: 0, s: 0, fraction: '', offsetMin: null, iso: '', pve: undefined,
  };
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/** `HH:MM:SS` at i (validated). */
function hms(s: string, i: number, hd: Header): boolean {
  if (i + 8 > s.length) return false;
  if (!isDigit(s.charCodeAt(i)) || !isDigit(s.charCodeAt(i + 1)) || s.charCodeAt(i + 2) !== 58
    || !isDigit(s.charCodeAt(i + 3)) || !isDigit(s.charCodeAt(i + 4)) || s.charCodeAt(i + 5) !== 58
    || !isDigit(s.charCodeAt(i + 6)) || !isDigit(s.charCodeAt(i + 7))) return false;
  hd.h = d2(s, i);
  hd.mi = d2(s, i + 3);
  hd.s = d2(s, i + 6);
  return hd.h < 24 && hd.mi < 60 && hd.s < 61;
}

/** `.123456` at i: returns the end index, sets hd.fraction. */
function fraction(s: string, i: number, hd: Header): number {
  hd.fraction = '';
  if (s.charCodeAt(i) !== 46 && s.charCodeAt(i) !== 44) return i;
  let j = i + 1;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === i + 1) return i;
  hd.fraction = s.slice(i + 1, Math.min(j, i + 10)); // at most nanoseconds
  return j;
}

/** RFC 3164 `Mmm dd HH:MM:SS` (day space-padded or not) at i; returns the end or -1. */
function bsdStamp(s: string, i: number, hd: Header): number {
  const m = MONTHS[s.slice(i, i + 3)];
  if (m === undefined || s.charCodeAt(i + 3) !== 32) return -1;
  let j = i + 4;
  if (s.charCodeAt(j) === 32) j++;
  let day = 0;
  if (!isDigit(s.charCodeAt(j))) return -1;
  day = s.charCodeAt(j++) - 48;
  if (isDigit(s.charCodeAt(j))) day = day * 10 + s.charCodeAt(j++) - 48;
  if (s.charCodeAt(j) !== 32 || day < 1 || day > 31) return -1;
  if (!hms(s, j + 1, hd)) return -1;
  const end = fraction(s, j + 9, hd);
  hd.month0 = m;
  hd.day = day;
  hd.stamp = StampKind.YearLess;
  hd.stampText = same(hd.stampText, s, i, end);
  return end;
}

/** `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+hh:mm|+hhmm]` at i; returns the end or -1. */
function isoStamp(s: string, i: number, hd: Header): number {
  if (i + 19 > s.length || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return -1;
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 32) return -1;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(s.charCodeAt(i + k))) return -1;
  if (!hms(s, i + 11, hd)) return -1;
  const year = d2(s, i) * 100 + d2(s, i + 2);
  const month = d2(s, i + 5);
  const day = d2(s, i + 8);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
  let j = fraction(s, i + 19, hd);
  hd.offsetMin = null;
  const c = s.charCodeAt(j);
  if (c === 90) {
    hd.offsetMin = 0;
    j++;
  } else if ((c === 43 || c === 45) && isDigit(s.charCodeAt(j + 1)) && isDigit(s.charCodeAt(j + 2))) {
    let k = j + 3;
    if (s.charCodeAt(k) === 58) k++;
    if (isDigit(s.charCodeAt(k)) && isDigit(s.charCodeAt(k + 1))) {
      const off = d2(s, j + 1) * 60 + d2(s, k);
      hd.offsetMin = c === 45 ? -off : off;
      j = k + 2;
    }
  }
  hd.year = year;
  hd.month0 = month - 1;
  hd.day = day;
  hd.stamp = StampKind.Full;
  hd.stampText = s.slice(i, j);
  return j;
}

/** dmesg `[ 12345.678901]` at i: returns the end (after the `]`) or -1; sets hd.kernelTs. */
function uptime(s: string, i: number, hd: Header): number {
  if (s.charCodeAt(i) !== 91) return -1;
  let j = i + 1;
  while (s.charCodeAt(j) === 32) j++;
  const start = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === start || s.charCodeAt(j) !== 46) return -1;
  j++;
  const fs = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j === fs || s.charCodeAt(j) !== 93) return -1;
  hd.kernelTs = Number(s.slice(start, j));
  return j + 1;
}

/** `dmesg -T`: `[Wed Nov 25 06:25:13 2026]` at i. */
function dmesgT(s: string, i: number, hd: Header): number {
  if (s.charCodeAt(i) !== 91 || s.charCodeAt(i + 4) !== 32) return -1;
  const e = bsdStamp(s, i + 5, hd);
  if (e < 0 || s.charCodeAt(e) !== 32) return -1;
  let j = e + 1;
  const ys = j;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j - ys !== 4 || s.charCodeAt(j) !== 93) return -1;
  hd.year = Number(s.slice(ys, j));
  hd.offsetMin = null;
  hd.stamp = StampKind.Full;
  hd.stampText = s.slice(i, j + 1);
  return j + 1;
}

/** s[from, to) — as the string `last` when it is the same text (no new string per line). */
function same(last: string, s: string, from: number, to: number): string {
  return last.length === to - from && s.startsWith(last, from) ? last : s.slice(from, to);
}
let lastHost = '';

const skipSpaces = (s: string, i: number): number => {
  while (s.charCodeAt(i) === 32) i++;
  return i;
};

const tokenEnd = (s: string, i: number): number => {
  const e = s.indexOf(' ', i);
  return e === -1 ? s.length : e;
};

const FACILITY = /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug)$/;
const PROGRAM_TAG = /^[A-Za-z0-9_.\/-]+\[\d+\]:$/;

/** Proxmox pve-firewall: `<vmid> <level> <chain> <dd/Mon/yyyy:HH:MM:SS +zzzz> ` */
const PVE = /^(\d+) (\d+) (\S+) (\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) /;

/**
 * Read the framing of `line` into `hd`. Returns false only for a journal JSON line that has no
 * MESSAGE (nothing to parse); every other line yields a header, possibly empty (no stamp, no host).
 */
export function parseHeader(line: string, hd: Header): boolean {
  hd.text = line;
  hd.pos = 0;
  hd.rawStart = 0;
  hd.host = undefined;
  hd.kernelTs = undefined;
  hd.stamp = StampKind.None;
  hd.pve = undefined;
  hd.fraction = '';
  hd.offsetMin = null;

  const c0 = line.charCodeAt(0);
  if (c0 === 123) return journalJson(line, hd); // '{'
  if (isDigit(c0) && (line.charCodeAt(1) === 32 || line.charCodeAt(2) === 32 || line.indexOf(' ') < 12)) {
    const m = PVE.exec(line);
    if (m) {
      hd.pve = { vmid: m[1], level: m[2], chain: m[3] };
      const mon = MONTHS[m[5]];
      if (mon !== undefined) {
        hd.year = Number(m[6]); hd.month0 = mon; hd.day = Number(m[4]);
        hd.h = Number(m[7]); hd.mi = Number(m[8]); hd.s = Number(m[9]);
        hd.offsetMin = (m[10] === '-' ? -1 : 1) * (Number(m[11]) * 60 + Number(m[12]));
        hd.stamp = StampKind.Full;
        hd.stampText = line.slice(m[1].length + m[2].length + m[3].length + 3, m[0].length - 1);
      }
      hd.pos = m[0].length;
      return true;
    }
  }
  let i = 0;
  let end = stampAt(line, 0, hd);
  if (end < 0 && c0 !== 60 && c0 !== 91) {
    // grep-style `file:` (or `file:123:`) in front of a framed line
    const colon = line.indexOf(':');
    if (colon > 0 && colon < 256 && line.lastIndexOf(' ', colon) === -1) {
      let k = colon + 1;
      if (isDigit(line.charCodeAt(k))) {
        let e = k;
        while (isDigit(line.charCodeAt(e))) e++;
        if (line.charCodeAt(e) === 58) k = e + 1;
      }
      const e2 = stampAt(line, k, hd);
      if (e2 >= 0) {
        hd.rawStart = k;
        i = k;
        end = e2;
      }
    }
  }
  if (end < 0) {
    // no syslog stamp: raw dmesg (`[uptime] msg`), journalctl -o short-monotonic, or a bare message
    hd.stamp = StampKind.None;
    i = skipPri(line, i);
    let e = uptime(line, i, hd);
    if (e < 0) e = dmesgT(line, i, hd);
    if (e < 0) {
      hd.pos = i;
      return true;
    }
    i = skipSpaces(line, e);
    // short-monotonic: `[uptime] host kernel: msg`
    const t1 = tokenEnd(line, i);
    if (t1 < line.length && line.startsWith('kernel:', t1 + 1) && line.charCodeAt(t1 - 1) !== 58 && line.indexOf('=', i) > t1) {
      hd.host = line.slice(i, t1);
      i = skipSpaces(line, t1 + 8);
    }
    hd.pos = i;
    return true;
  }
  i = skipSpaces(line, end);
  if (rfc5424) {
    rfc5424 = false;
    return syslog5424(line, i, hd);
  }
  // host: absent when the next token already belongs to the message
  let t = tokenEnd(line, i);
  const first = same(lastHost, line, i, t);
  lastHost = first;
  if (first !== '' && line.charCodeAt(t - 1) !== 58 && first.charCodeAt(0) !== 91 && first.indexOf('=') === -1 && first.charCodeAt(0) !== 34) {
    hd.host = first;
    i = skipSpaces(line, t);
    // a repeated hostname, a facility.level token, the program tag
    for (let guard = 0; guard < 3; guard++) {
      t = tokenEnd(line, i);
      const tok = line.slice(i, t);
      if (tok === first || FACILITY.test(tok)) {
        i = skipSpaces(line, t);
        continue;
      }
      break;
    }
  }
  t = tokenEnd(line, i);
  if (line.startsWith('kernel:', i) && t === i + 7) i = skipSpaces(line, t);
  else if (line.charCodeAt(t - 1) === 58 && line.charCodeAt(t - 2) === 93 && PROGRAM_TAG.test(line.slice(i, t))) i = skipSpaces(line, t);
  const e = uptime(line, i, hd);
  if (e >= 0) i = skipSpaces(line, e);
  hd.pos = i;
  return true;
}

/** RFC 5424 after the stamp: `host app procid msgid structured-data msg`, `-` for nil. */
function syslog5424(line: string, i: number, hd: Header): boolean {
  let t = tokenEnd(line, i);
  if (t > i && !(t === i + 1 && line.charCodeAt(i) === 45)) hd.host = line.slice(i, t);
  i = skipSpaces(line, t);
  for (let k = 0; k < 3 && i < line.length; k++) i = skipSpaces(line, tokenEnd(line, i)); // app procid msgid
  if (line.charCodeAt(i) === 45 && line.charCodeAt(i + 1) === 32) i = skipSpaces(line, i + 1);
  else {
    // structured data: one or more [id param="value" ...] elements
    while (line.charCodeAt(i) === 91) {
      let j = i + 1;
      let quoted = false;
      for (; j < line.length; j++) {
        const c = line.charCodeAt(j);
        if (c === 92) j++;
        else if (c === 34) quoted = !quoted;
        else if (c === 93 && !quoted) break;
      }
      i = j + 1;
    }
    i = skipSpaces(line, i);
  }
  if (line.charCodeAt(i) === 0xfeff) i++; // BOM before a UTF-8 message
  const e = uptime(line, i, hd);
  if (e >= 0) i = skipSpaces(line, e);
  hd.pos = i;
  return true;
}

function skipPri(s: string, i: number): number {
  if (s.charCodeAt(i) !== 60) return i;
  let j = i + 1;
  while (isDigit(s.charCodeAt(j)) && j - i < 5) j++;
  if (j === i + 1 || s.charCodeAt(j) !== 62) return i;
  return j + 1;
}

/** Set by stampAt when the stamp it found followed RFC 5424's version `1 `; only for that line. */
let rfc5424 = false;

/** A stamp (optionally after `<PRI>`, optionally RFC 5424's version `1 `) at i. */
function stampAt(s: string, i: number, hd: Header): number {
  // never left set by a line whose stamp failed (it used to leak into the next line's framing)
  rfc5424 = false;
  i = skipPri(s, i);
  const c = s.charCodeAt(i);
  if (isDigit(c)) {
    const v1 = c === 49 && s.charCodeAt(i + 1) === 32;
    if (v1) i += 2; // RFC 5424 `<PRI>1 `
    const end = isoStamp(s, i, hd);
    rfc5424 = v1 && end >= 0;
    return end;
  }
  if (c >= 65 && c <= 90) return bsdStamp(s, i, hd);
  return -1;
}

function journalJson(line: string, hd: Header): boolean {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (o === null || typeof o !== 'object') return false;
  let msg = o.MESSAGE;
  if (Array.isArray(msg)) {
    // journald writes messages that are not valid UTF-8 as arrays of bytes
    try {
      msg = Buffer.from(msg as number[]).toString('utf8');
    } catch {
      return false;
    }
  }
  if (typeof msg !== 'string') return false;
  hd.text = msg.replace(/[\r\n]+/g, ' ');
  hd.pos = skipSpaces(hd.text, 0);
  if (typeof o._HOSTNAME === 'string') hd.host = o._HOSTNAME;
  const rt = o.__REALTIME_TIMESTAMP;
  if ((typeof rt === 'string' && /^\d{1,19}$/.test(rt)) || typeof rt === 'number') {
    const us = String(rt);
    const sec = us.length > 6 ? Number(us.slice(0, -6)) : 0;
    const frac = us.length > 6 ? us.slice(-6) : us.padStart(6, '0');
    const d = new Date(sec * 1000);
    if (!Number.isNaN(d.getTime())) {
      hd.stamp = StampKind.Iso;
      hd.iso = `${d.toISOString().slice(0, 19)}.${frac}Z`;
    }
  }
  const e = uptime(hd.text, hd.pos, hd);
  if (e >= 0) hd.pos = skipSpaces(hd.text, e);
  return true;
}
