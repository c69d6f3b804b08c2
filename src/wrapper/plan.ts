// Pure: the parsed switches -> the actions to run, in the manual's natural order whatever their
// order on the line (create tables, clear, import, then analyze), and every usage check that
// needs no I/O. `ipta -a -i f -c` clears, imports, then analyzes.
import { UsageError } from '../cli/errors.js';
import type { ConfigValues } from '../config/config-file.js';

export interface WrapperArgs {
  _: (string | number)[];
  clear?: boolean;
  import?: string[];
  analyze?: string[];
  follow?: string;
  scan?: string[];
  'analyze-interactive'?: boolean;
  html?: string;
  'list-tables'?: boolean;
  'delete-table'?: string;
  'delete-all-tables'?: boolean;
  'create-table'?: string;
  'save-db'?: boolean;
  'db-pass-i'?: boolean;
  'dns-prune'?: boolean;
  'dns-create-table'?: boolean;
  'dns-dump'?: boolean;
  'dns-cache-clear'?: boolean;
  rdns?: boolean;
  limit?: string | string[];
  header?: boolean;
  counter?: boolean;
  local?: boolean;
  accept?: boolean;
  ttl?: string | string[];
  yes?: boolean;
  [key: string]: unknown;
}

export type Action =
  | { kind: 'save-db' }
  | { kind: 'delete-all-tables' }
  | { kind: 'delete-table'; table: string }
  | { kind: 'create-table'; table?: string }
  | { kind: 'dns-create-table' }
  | { kind: 'clear' }
  | { kind: 'dns-cache-clear' }
  | { kind: 'dns-prune' }
  | { kind: 'import'; files: string[] }
  | { kind: 'list-tables' }
  | { kind: 'analyze'; files: string[]; html?: string; text: boolean }
  | { kind: 'scan'; files: string[] }
  | { kind: 'dns-dump' }
  | { kind: 'follow'; file: string }
  | { kind: 'import-follow'; file: string }
  | { kind: 'interactive' };

/** Display settings after defaults < config file < command line. */
export interface Display {
  limit: number;
  rdns: boolean;
  counter: boolean;
  local: boolean;
  accept: boolean;
  header: boolean;
  ttl: number;
}

export interface Plan { actions: Action[]; display: Display; usesDb: boolean }

/** The last of a repeated option (`-l 5 -l 7` is 7, as getopt would have it). */
function last<T>(v: T | T[] | undefined): T | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new UsageError(`-l/--limit must be a whole number from 1 to 1000, got ${JSON.stringify(raw)}`);
  return n;
}

export function parseTtl(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--ttl must be a number of hours (0 = never expire), got ${JSON.stringify(raw)}`);
  return n;
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

export function makePlan(a: WrapperArgs, config: ConfigValues = {}): Plan {
  const display: Display = {
    limit: parseLimit(last(a.limit)) ?? config.limit ?? 10,
    rdns: a.rdns ?? config.rdns ?? false,
    counter: a.counter ?? config.counter ?? true,
    local: a.local ?? config.show_lo ?? true,
    accept: a.accept ?? true,
    header: a.header ?? config.header ?? true,
    ttl: parseTtl(last(a.ttl)) ?? config.ttl ?? 336,
  };

  const importFiles = a.import === undefined ? undefined : strs(a.import);
  const analyzeFiles = a.analyze === undefined ? undefined : strs(a.analyze);
  const scanFiles = a.scan === undefined ? undefined : strs(a.scan);
  const follow = last(a.follow as string | string[] | undefined);

  // Words left over belong to the one mode on the line that takes files (`ipta -a -l 20 x.log`).
  const extra = a._.map(String);
  if (extra.length) {
    const takers = [importFiles && !follow ? 'import' : '', analyzeFiles ? 'analyze' : '', scanFiles ? 'scan' : ''].filter(Boolean);
    if (takers.length !== 1) {
      const hint = takers.length === 0 && !extra[0].startsWith('-') ? ` (to analyze a log file: ipta --analyze ${extra[0]})` : '';
      throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}${hint}`);
    }
    (takers[0] === 'import' ? importFiles : takers[0] === 'analyze' ? analyzeFiles : scanFiles)!.push(...extra);
  }

  if (follow === '') throw new UsageError('-f/--follow needs a FILE');
  if (importFiles && importFiles.length === 0 && follow === undefined) {
    throw new UsageError('-i/--import needs a FILE (- for stdin), or --follow FILE to import a live log');
  }
  if (scanFiles && scanFiles.length === 0) throw new UsageError('--scan needs a FILE');
  if (a['delete-table'] !== undefined && a['delete-table'] === '') throw new UsageError('-dt/--delete-table needs a TABLE');
  if (a.html === '') throw new UsageError('--html needs a FILE');
  if (follow !== undefined && a['analyze-interactive']) throw new UsageError('--follow and -ai both run until stopped: choose one');

  const actions: Action[] = [];
  if (a['save-db']) actions.push({ kind: 'save-db' });
  if (a['delete-all-tables']) actions.push({ kind: 'delete-all-tables' });
  else if (a['delete-table'] !== undefined) actions.push({ kind: 'delete-table', table: String(a['delete-table']) });
  if (a['create-table'] !== undefined) {
    const name = String(last(a['create-table'] as string | string[]) ?? '');
    actions.push({ kind: 'create-table', ...(name ? { table: name } : {}) });
  }
  if (a['dns-create-table']) actions.push({ kind: 'dns-create-table' });
  if (a.clear) actions.push({ kind: 'clear' });
  if (a['dns-cache-clear']) actions.push({ kind: 'dns-cache-clear' });
  if (a['dns-prune']) actions.push({ kind: 'dns-prune' });
  if (importFiles && importFiles.length) actions.push({ kind: 'import', files: importFiles });
  if (a['list-tables']) actions.push({ kind: 'list-tables' });
  if (analyzeFiles || a.html !== undefined) {
    actions.push({ kind: 'analyze', files: analyzeFiles ?? [], ...(a.html ? { html: a.html } : {}), text: a.html === undefined });
  }
  if (scanFiles) actions.push({ kind: 'scan', files: scanFiles });
  if (a['dns-dump']) actions.push({ kind: 'dns-dump' });
  if (follow !== undefined) actions.push(importFiles ? { kind: 'import-follow', file: follow } : { kind: 'follow', file: follow });
  if (a['analyze-interactive']) actions.push({ kind: 'interactive' });

  const noDb = (x: Action) => (x.kind === 'analyze' && x.files.length > 0) || x.kind === 'scan' || x.kind === 'follow';
  const usesDb = actions.some((x) => !noDb(x)) || (display.rdns && actions.length > 0);
  return { actions, display, usesDb };
}
