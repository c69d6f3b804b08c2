// ~/.ipta (or $IPTA_CONFIG): `key = value` lines, `#` comments, no final newline needed.
// The manual spells keys `db.host` as well as `db_host`, `analyzer limit` with a space, `show-lo`
// with a dash: every key is normalised (lower case, runs of `.`, `-` and blanks become `_`) before
// it is looked up, so all those spellings land on one name. A problem with one line is a warning
// naming the file and the line, never fatal: the rest of the file still applies.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { diag } from '../cli/diag.js';
import { parseConfig } from './parse-config.js';
export { parseConfig, type ConfigWarning, type ParsedConfig } from './parse-config.js';

export interface ConfigValues {
  db_host?: string;
  db_port?: number;
  db_socket?: string;
  db_user?: string;
  db_pass?: string;
  db_name?: string;
  db_table?: string;
  dns_table?: string;
  db_ssl?: boolean;
  db_ssl_ca?: string;
  limit?: number;
  rdns?: boolean;
  counter?: boolean;
  show_lo?: boolean;
  header?: boolean;
  ttl?: number;
}

/** Where the config file is: $IPTA_CONFIG, else ~/.ipta ($HOME first, as a shell would). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.IPTA_CONFIG) return env.IPTA_CONFIG;
  return join(env.HOME || homedir(), '.ipta');
}

// One read (and one set of warnings) per file per process: the wrapper and the store both ask.
const cache = new Map<string, ConfigValues>();

/**
 * Read the config file. A missing file is an empty config; an unreadable one, an unknown key or
 * a bad value is a warning on stderr (`ipta: /home/u/.ipta line 3: ...`).
 */
export function readConfigFile(path = configPath()): ConfigValues {
  const hit = cache.get(path);
  if (hit) return hit;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') diag().warn(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  const { values, warnings } = parseConfig(text);
  for (const w of warnings) diag().warn(`${path} line ${w.line}: ${w.message}`);
  cache.set(path, values);
  return values;
}

/** Forget what was read (after --save-db rewrote the file, and for tests). */
export function clearConfigCache(): void {
  cache.clear();
}
