// Pure: the text of a config file -> values and warnings. No I/O.
import type { ConfigValues } from './config-file.js';

export interface ConfigWarning { line: number; message: string }
export interface ParsedConfig { values: ConfigValues; warnings: ConfigWarning[] }

type Kind = 'string' | 'port' | 'bool' | 'limit' | 'ttl' | 'table';
interface KeyDef { key: keyof ConfigValues; kind: Kind }

/** Normalised spelling -> what it sets. Every spelling the manual uses is listed. */
export const CONFIG_KEYS: Record<string, KeyDef> = {
  db_host: { key: 'db_host', kind: 'string' },
  db_port: { key: 'db_port', kind: 'port' },
  db_socket: { key: 'db_socket', kind: 'string' },
  db_user: { key: 'db_user', kind: 'string' },
  db_pass: { key: 'db_pass', kind: 'string' },
  db_password: { key: 'db_pass', kind: 'string' },
  db_name: { key: 'db_name', kind: 'string' },
  db_table: { key: 'db_table', kind: 'table' },
  dns_table: { key: 'dns_table', kind: 'table' },
  db_dns_table: { key: 'dns_table', kind: 'table' },
  db_ssl: { key: 'db_ssl', kind: 'bool' },
  db_ssl_ca: { key: 'db_ssl_ca', kind: 'string' },
  analyzer_limit: { key: 'limit', kind: 'limit' },
  limit: { key: 'limit', kind: 'limit' },
  rdns: { key: 'rdns', kind: 'bool' },
  counter: { key: 'counter', kind: 'bool' },
  show_lo: { key: 'show_lo', kind: 'bool' },
  header: { key: 'header', kind: 'bool' },
  ttl: { key: 'ttl', kind: 'ttl' },
  dns_ttl: { key: 'ttl', kind: 'ttl' },
  dns_cache_ttl: { key: 'ttl', kind: 'ttl' },
};

/** `db.host`, `DB_Host`, `analyzer  limit`, `show-lo` -> `db_host`, `analyzer_limit`, `show_lo`. */
export function normaliseKey(key: string): string {
  return key.trim().toLowerCase().replace(/[.\s-]+/g, '_');
}

const TRUE = new Set(['yes', 'y', 'true', 'on', '1']);
const FALSE = new Set(['no', 'n', 'false', 'off', '0']);
const TABLE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/** Check and convert one value; a string is the reason it is refused. */
function convert(kind: Kind, raw: string): { ok: string | number | boolean } | string {
  switch (kind) {
    case 'string':
      return { ok: raw };
    case 'table':
      return TABLE_NAME.test(raw) ? { ok: raw } : 'expected a table name of letters, digits, _ or $ (at most 64)';
    case 'bool': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return { ok: true };
      if (FALSE.has(v)) return { ok: false };
      return 'expected yes or no';
    }
    case 'port': {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return n >= 1 && n <= 65535 ? { ok: n } : 'expected a port number from 1 to 65535';
    }
    case 'limit': {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return n >= 1 && n <= 1000 ? { ok: n } : 'expected a number from 1 to 1000';
    }
    case 'ttl': {
      const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
      return Number.isFinite(n) ? { ok: n } : 'expected a number of hours (0 = never expire)';
    }
  }
}

/** A value may be quoted ("..." or '...') to keep blanks or a `#`; otherwise `#` starts a comment. */
function unquote(raw: string): string {
  const s = raw.trim();
  const q = s[0];
  if ((q === '"' || q === "'") && s.length >= 2) {
    const end = s.indexOf(q, 1);
    if (end > 0) return s.slice(1, end);
  }
  const hash = s.search(/\s#/);
  return (hash >= 0 ? s.slice(0, hash) : s).trim();
}

export function parseConfig(text: string): ParsedConfig {
  const values: ConfigValues = {};
  const warnings: ConfigWarning[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const t = rawLine.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const eq = t.indexOf('=');
    if (eq < 0) {
      warnings.push({ line, message: `expected "key = value", got ${show(t)}` });
      return;
    }
    const name = normaliseKey(t.slice(0, eq));
    const def = CONFIG_KEYS[name];
    if (!def) {
      warnings.push({ line, message: `unknown key ${show(t.slice(0, eq).trim())} (ignored)` });
      return;
    }
    const raw = unquote(t.slice(eq + 1));
    const res = convert(def.kind, raw);
    if (typeof res === 'string') {
      warnings.push({ line, message: `bad value ${show(raw)} for ${t.slice(0, eq).trim()}: ${res} (ignored)` });
      return;
    }
    (values as Record<string, unknown>)[def.key] = res.ok;
  });
  return { values, warnings };
}

/** A hostile line shown safely in a warning. */
function show(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.slice(0, 60).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(s.length > 60 ? `${clean}...` : clean);
}
