// --save-db: write the current database settings into the config file, mode 0600. Lines that are
// not database settings (comments, `analyzer limit`, ...) are kept as they were; the database keys
// are rewritten in place or appended, so the file stays the user's file.
import { chmodSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { diag } from '../cli/diag.js';
import { RuntimeError } from '../cli/errors.js';
import type { DbSettings } from '../store/options.js';
import { CONFIG_KEYS, normaliseKey } from './parse-config.js';
import { clearConfigCache } from './config-file.js';

/** The settings as `key = value` pairs, in the order they are written. */
export function dbSettingsEntries(s: DbSettings): [string, string][] {
  const out: [string, string][] = [['db_host', s.host], ['db_port', String(s.port)]];
  if (s.socket) out.push(['db_socket', s.socket]);
  out.push(['db_user', s.user], ['db_pass', s.password], ['db_name', s.database], ['db_table', s.table], ['dns_table', s.dnsTable]);
  if (s.ssl !== undefined) out.push(['db_ssl', s.ssl ? 'yes' : 'no']);
  if (s.sslCa) out.push(['db_ssl_ca', s.sslCa]);
  return out;
}

/** Quote a value when reading it back would otherwise change it (blanks, `#`, quotes). */
function quote(v: string): string {
  if (v === '' || /^\s|\s$|\s#|^["']/.test(v)) return v.includes('"') ? `'${v}'` : `"${v}"`;
  return v;
}

/** Pure: the new text of the config file. Database keys (any spelling) are replaced, once each. */
export function mergeDbSettings(text: string, s: DbSettings): string {
  const entries = new Map(dbSettingsEntries(s));
  const written = new Set<string>();
  const out: string[] = [];
  for (const line of text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/)) {
    const eq = line.indexOf('=');
    const t = line.trim();
    const def = eq > 0 && !t.startsWith('#') ? CONFIG_KEYS[normaliseKey(line.slice(0, eq))] : undefined;
    const key = def?.key as string | undefined;
    if (key && (key.startsWith('db_') || key === 'dns_table')) {
      if (written.has(key)) continue; // a duplicate of a key already rewritten
      written.add(key);
      if (entries.has(key)) out.push(`${key} = ${quote(entries.get(key)!)}`);
      continue; // a setting no longer in use (e.g. db_socket) is dropped
    }
    out.push(line);
  }
  for (const [k, v] of entries) if (!written.has(k)) out.push(`${k} = ${quote(v)}`);
  return out.join('\n') + '\n';
}

/** Write the settings to `path` (mode 0600); warn when the old file was readable by others. */
export function saveDbSettings(path: string, s: DbSettings): void {
  let old = '';
  try {
    const st = statSync(path);
    if (st.mode & 0o044) {
      diag().warn(`${path} was readable by other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); it holds a password: now 0600`);
    }
    old = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new RuntimeError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, mergeDbSettings(old, s), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (err) {
    throw new RuntimeError(`cannot write ${path}: ${(err as Error).message}`);
  }
  clearConfigCache();
}
