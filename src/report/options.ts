// The report's flags (shared by ipta-report and the ipta wrapper) and their checked form.
import type { Argv } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { MODULES, type ModuleName } from './rows.js';
import { parseCidr, type AddrRange } from './ip.js';
import { parseDuration, parseIsoUs, parseTimeArg, US_PER_HOUR } from './time.js';

export type TimelineUnit = 'hour' | 'day' | 'auto';

/** Filters, the same for both engines. Text filters compare case-insensitively (ASCII). */
export interface ReportFilters {
  noLocal: boolean;
  noAccept: boolean;
  /** microseconds, inclusive */
  since?: number;
  /** microseconds, exclusive */
  until?: number;
  hosts?: string[];
  actions?: string[];
  protos?: string[];
  src?: AddrRange[];
  dst?: AddrRange[];
  dports?: number[];
}

export interface ReportOptions {
  modules: ModuleName[];
  limit: number;
  filters: ReportFilters;
  timeline: TimelineUnit;
  scanPorts: number;
  scanHosts: number;
  /** microseconds */
  scanWindow: number;
  /** new-sources without --since: the period is this long, ending at the newest record (microseconds) */
  newWindow: number;
}

export const REPORT_DEFAULTS = { limit: 10, scanPorts: 10, scanHosts: 10, scanWindow: US_PER_HOUR, newWindow: 24 * US_PER_HOUR };

/** Add the report flags to a yargs command line. */
export function withReportOptions<T>(y: Argv<T>) {
  return y
    .option('module', { alias: 'm', type: 'string', describe: `module to run (repeatable or comma-separated; default all, always in this order: ${MODULES.join(', ')})`, group: 'Report:' })
    .option('limit', { alias: 'n', type: 'number', default: 10, describe: 'rows per module (timeline, heatmap and summary are not limited)', group: 'Report:' })
    .option('timeline', { type: 'string', choices: ['hour', 'day', 'auto'], default: 'auto', describe: 'timeline bucket; auto = day when the selection spans more than 7 days', group: 'Report:' })
    .option('scan-ports', { type: 'number', default: 10, describe: 'scanners: at least this many distinct destination ports in one window', group: 'Report:' })
    .option('scan-hosts', { type: 'number', default: 10, describe: 'scanners: or at least this many distinct destinations in one window', group: 'Report:' })
    .option('scan-window', { type: 'string', default: '1h', describe: 'scanners: window length (30m, 1h, 1d); windows are aligned to 1970-01-01 UTC', group: 'Report:' })
    .option('new-window', { type: 'string', default: '24h', describe: 'new-sources without --since: the period ending at the newest record', group: 'Report:' })
    .option('no-local', { type: 'boolean', describe: 'leave out traffic in or out of interface lo', group: 'Filters:' })
    .option('no-accept', { type: 'boolean', describe: 'leave out packets whose verdict is accept', group: 'Filters:' })
    // yargs reads --no-X as X=false: these two receive it
    .option('local', { type: 'boolean', hidden: true })
    .option('accept', { type: 'boolean', hidden: true })
    .option('since', { type: 'string', describe: 'from this time on, inclusive: ISO (UTC unless a zone is given) or relative to now: 30m, 24h, 7d, 2w', group: 'Filters:' })
    .option('until', { type: 'string', describe: 'before this time (exclusive), same forms as --since', group: 'Filters:' })
    .option('now', { type: 'string', describe: 'the time relative --since/--until count back from (default: the clock)', group: 'Filters:' })
    .option('host', { type: 'string', describe: 'only this log host (repeatable: any of them; case-insensitive)', group: 'Filters:' })
    .option('action', { type: 'string', describe: 'only this action, e.g. DROP (repeatable; case-insensitive)', group: 'Filters:' })
    .option('proto', { type: 'string', describe: 'only this protocol, e.g. tcp (repeatable; case-insensitive)', group: 'Filters:' })
    .option('src', { type: 'string', describe: 'only sources in this address or CIDR block, IPv4 or IPv6 (repeatable)', group: 'Filters:' })
    .option('dst', { type: 'string', describe: 'only destinations in this address or CIDR block (repeatable)', group: 'Filters:' })
    .option('dport', { type: 'number', describe: 'only this destination port (repeatable)', group: 'Filters:' });
}

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const a = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '');
  return a.length ? a : undefined;
}

function positiveInt(v: unknown, flag: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** yargs argv -> checked options (UsageError on a bad value). */
export function reportOptionsFromArgv(argv: Record<string, unknown>, clockUs = Date.now() * 1000): ReportOptions {
  let nowUs = clockUs;
  if (argv.now !== undefined) {
    const n = parseIsoUs(String(argv.now));
    if (n === undefined) throw new UsageError(`--now: expected an ISO time, got ${JSON.stringify(argv.now)}`);
    nowUs = n;
  }
  const mods = list(argv.module);
  const modules = !mods || mods.includes('all') ? [...MODULES] : MODULES.filter((m) => mods.includes(m));
  const bad = mods?.filter((m) => m !== 'all' && !(MODULES as readonly string[]).includes(m));
  if (bad?.length) throw new UsageError(`--module: unknown module ${JSON.stringify(bad[0])} (one of ${MODULES.join(', ')})`);
  const f: ReportFilters = {
    noLocal: argv.noLocal === true || argv['no-local'] === true || argv.local === false,
    noAccept: argv.noAccept === true || argv['no-accept'] === true || argv.accept === false,
  };
  if (argv.since !== undefined) f.since = parseTimeArg(String(argv.since), nowUs, '--since');
  if (argv.until !== undefined) f.until = parseTimeArg(String(argv.until), nowUs, '--until');
  const up = (a: string[] | undefined) => a?.map((s) => s.toUpperCase());
  f.hosts = up(list(argv.host));
  f.actions = up(list(argv.action));
  f.protos = up(list(argv.proto));
  f.src = list(argv.src)?.map((s) => parseCidr(s, '--src'));
  f.dst = list(argv.dst)?.map((s) => parseCidr(s, '--dst'));
  f.dports = list(argv.dport)?.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--dport: expected a port 0-65535, got ${JSON.stringify(s)}`);
    return n;
  });
  for (const k of Object.keys(f) as (keyof ReportFilters)[]) if (f[k] === undefined) delete f[k];
  return {
    modules,
    limit: positiveInt(argv.limit ?? REPORT_DEFAULTS.limit, '--limit'),
    filters: f,
    timeline: (argv.timeline as TimelineUnit | undefined) ?? 'auto',
    scanPorts: positiveInt(argv.scanPorts ?? argv['scan-ports'] ?? REPORT_DEFAULTS.scanPorts, '--scan-ports'),
    scanHosts: positiveInt(argv.scanHosts ?? argv['scan-hosts'] ?? REPORT_DEFAULTS.scanHosts, '--scan-hosts'),
    scanWindow: argv.scanWindow ?? argv['scan-window'] ? parseDuration(String(argv.scanWindow ?? argv['scan-window']), '--scan-window') : REPORT_DEFAULTS.scanWindow,
    newWindow: argv.newWindow ?? argv['new-window'] ? parseDuration(String(argv.newWindow ?? argv['new-window']), '--new-window') : REPORT_DEFAULTS.newWindow,
  };
}

/** Options from a partial object (the programmatic API): defaults filled in. */
export function reportOptions(p: Partial<ReportOptions> = {}): ReportOptions {
  return {
    modules: p.modules ?? [...MODULES],
    limit: p.limit ?? REPORT_DEFAULTS.limit,
    filters: p.filters ?? { noLocal: false, noAccept: false },
    timeline: p.timeline ?? 'auto',
    scanPorts: p.scanPorts ?? REPORT_DEFAULTS.scanPorts,
    scanHosts: p.scanHosts ?? REPORT_DEFAULTS.scanHosts,
    scanWindow: p.scanWindow ?? REPORT_DEFAULTS.scanWindow,
    newWindow: p.newWindow ?? REPORT_DEFAULTS.newWindow,
  };
}
