// The options of ipta-format: declared once for yargs (shared with the `ipta` wrapper through
// withFormatOptions) and normalised into FormatOptions, which the pure formatters take.
import type { Argv } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { MODULES } from '../report/rows.js';
import { parseCidr, type Cidr } from './cidr.js';

export const FORMATS = ['table', 'csv', 'tsv', 'ndjson', 'markdown', 'plain', 'ipset', 'nft', 'html'] as const;
export type FormatName = (typeof FORMATS)[number];
export const BLOCK_FORMATS: readonly FormatName[] = ['plain', 'ipset', 'nft'];

export interface FormatOptions {
  format: FormatName;
  /** fields to show, in order (undefined: the format's default columns) */
  columns?: string[];
  /** report modules to keep (undefined: all) */
  modules?: string[];
  header: boolean;
  /** packet rows: repeat the header every N rows (0: only once) */
  headerEvery: number;
  counter: boolean;
  utc: boolean;
  date: boolean;
  color: boolean;
  /** terminal width (undefined: not known, e.g. a pipe without COLUMNS) */
  width?: number;
  /** fixed width of the address columns (undefined: adapt) */
  addrWidth?: number;
  aggregate: boolean;
  minCount: number;
  allow: Cidr[];
  includePrivate: boolean;
  includeAccepted: boolean;
  setName: string;
  setName6: string;
  nftFamily: 'inet' | 'ip' | 'ip6';
  nftTable: string;
  nftDefine: boolean;
  title?: string;
}

/** Add ipta-format's options to a yargs instance (the standalone command and the wrapper). */
export function withFormatOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('format', { type: 'string', choices: FORMATS as unknown as string[], default: 'table', describe: 'output format: table (packet rows / analyzer tables), csv, tsv, ndjson, markdown; block lists: plain, ipset, nft; html (needs report rows)' })
    .option('columns', { type: 'string', describe: 'comma-separated fields to show, in this order (e.g. ts,src,dpt); "if" is IN else OUT, "count" the packet counter or a row\'s count' })
    .option('module', { type: 'string', array: true, choices: MODULES as unknown as string[], describe: 'keep only the report rows of this module (repeatable)' })
    .option('header', { type: 'boolean', default: true, describe: 'print headers and table titles (--no-header: rows only)' })
    .option('header-every', { type: 'number', default: 20, describe: 'packet rows: repeat the header every N rows (0: once)' })
    .option('counter', { type: 'boolean', default: true, alias: 'count', describe: 'packet rows: the Count column (--no-counter, --no-count or -C: without)' })
    .option('C', { type: 'boolean', describe: 'same as --no-counter' })
    .option('utc', { type: 'boolean', default: false, describe: 'show times in UTC (default: the local time zone, TZ)' })
    .option('date', { type: 'boolean', default: false, describe: 'packet rows: show the date with the time' })
    .option('color', { type: 'boolean', describe: 'colour rows by action (default: on a terminal, unless NO_COLOR is set)' })
    .option('width', { type: 'number', describe: 'line width the columns adapt to (default: the terminal\'s, else $COLUMNS)' })
    .option('addr-width', { type: 'number', describe: 'fixed width of address columns; longer names and addresses show as * + their end' })
    .option('aggregate', { type: 'boolean', default: false, describe: 'block lists: merge addresses into minimal CIDR blocks (exact: covers no other address)' })
    .option('min-count', { type: 'number', default: 1, describe: 'block lists: keep sources seen at least N times (records, or the count of report rows)' })
    .option('allow', { type: 'string', array: true, default: [] as string[], describe: 'block lists: never list an address inside this CIDR (repeatable)' })
    .option('include-private', { type: 'boolean', default: false, describe: 'block lists: also list loopback, private, link-local, multicast and unspecified addresses' })
    .option('include-accepted', { type: 'boolean', default: false, describe: 'block lists: also count records whose verdict is accept' })
    .option('set-name', { type: 'string', default: 'ipta_block', describe: 'block lists: ipset / nftables set name for IPv4' })
    .option('set-name6', { type: 'string', describe: 'block lists: set name for IPv6 (default: the IPv4 name + "6")' })
    .option('nft-family', { type: 'string', choices: ['inet', 'ip', 'ip6'], default: 'inet', describe: 'nft: table family' })
    .option('nft-table', { type: 'string', default: 'filter', describe: 'nft: table name' })
    .option('nft-define', { type: 'boolean', default: false, describe: 'nft: print "define NAME = { ... }" lines instead of a script that adds the elements' })
    .option('title', { type: 'string', describe: 'html: the page title' }) as unknown as Argv<T>;
}

const SET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,30}$/;
const NFT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

const pick = (raw: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const k of keys) if (raw[k] !== undefined) return raw[k];
  return undefined;
};

export interface Environment {
  isTTY: boolean;
  columns?: number;
  env: NodeJS.ProcessEnv;
}

function natural(v: unknown, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: expected a whole number >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * Raw options (yargs argv, or a plain object from the wrapper, kebab- or camel-case) ->
 * FormatOptions. Bad values are UsageErrors (exit 2).
 */
export function normalizeFormatOptions(raw: Record<string, unknown> = {}, envi: Environment = defaultEnvironment()): FormatOptions {
  const format = String(pick(raw, 'format') ?? 'table') as FormatName;
  if (!FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const colsRaw = pick(raw, 'columns');
  const columns = colsRaw === undefined || colsRaw === '' ? undefined
    : String(colsRaw).split(',').map((s) => s.trim()).filter(Boolean);
  if (columns && columns.length === 0) throw new UsageError('--columns: expected field names separated by commas');
  const mods = pick(raw, 'module', 'modules');
  const modules = mods === undefined ? undefined : (Array.isArray(mods) ? mods : [mods]).map(String);
  const allowRaw = pick(raw, 'allow');
  const allow = (allowRaw === undefined ? [] : Array.isArray(allowRaw) ? allowRaw : [allowRaw]).map((a) => {
    const c = parseCidr(String(a));
    if (!c) throw new UsageError(`--allow: not an address or CIDR block: ${JSON.stringify(a)}`);
    return c;
  });
  const colorRaw = pick(raw, 'color');
  const noColorEnv = envi.env.NO_COLOR !== undefined && envi.env.NO_COLOR !== '';
  const color = typeof colorRaw === 'boolean' ? colorRaw : envi.isTTY && !noColorEnv;
  const widthRaw = pick(raw, 'width');
  const envCols = Number(envi.env.COLUMNS);
  const width = widthRaw !== undefined ? natural(widthRaw, 'width', 40)
    : envi.isTTY && envi.columns ? envi.columns
      : Number.isInteger(envCols) && envCols >= 40 ? envCols : undefined;
  const aw = pick(raw, 'addrWidth', 'addr-width');
  const setName = String(pick(raw, 'setName', 'set-name') ?? 'ipta_block');
  const setName6 = String(pick(raw, 'setName6', 'set-name6') ?? `${setName}6`);
  for (const [n, v] of [['set-name', setName], ['set-name6', setName6]] as const) {
    if (!SET_NAME.test(v)) throw new UsageError(`--${n}: a set name is 1-31 letters, digits, _ . - (starting with a letter or _), got ${JSON.stringify(v)}`);
  }
  const nftFamily = String(pick(raw, 'nftFamily', 'nft-family') ?? 'inet') as FormatOptions['nftFamily'];
  if (!['inet', 'ip', 'ip6'].includes(nftFamily)) throw new UsageError(`--nft-family: expected inet, ip or ip6, got ${JSON.stringify(nftFamily)}`);
  const nftTable = String(pick(raw, 'nftTable', 'nft-table') ?? 'filter');
  if (!NFT_NAME.test(nftTable)) throw new UsageError(`--nft-table: not a valid table name: ${JSON.stringify(nftTable)}`);
  if (format === 'nft' && (!NFT_NAME.test(setName) || !NFT_NAME.test(setName6))) {
    throw new UsageError('--set-name: nftables set names are letters, digits and _ only');
  }
  const counterRaw = pick(raw, 'counter', 'count');
  const title = pick(raw, 'title');
  return {
    format,
    columns,
    modules,
    header: pick(raw, 'header') !== false,
    headerEvery: natural(pick(raw, 'headerEvery', 'header-every') ?? 20, 'header-every', 0),
    counter: counterRaw !== false && pick(raw, 'C') !== true,
    utc: pick(raw, 'utc') === true,
    date: pick(raw, 'date') === true,
    color,
    width,
    addrWidth: aw === undefined ? undefined : natural(aw, 'addr-width', 3),
    aggregate: pick(raw, 'aggregate') === true,
    minCount: natural(pick(raw, 'minCount', 'min-count') ?? 1, 'min-count', 1),
    allow,
    includePrivate: pick(raw, 'includePrivate', 'include-private') === true,
    includeAccepted: pick(raw, 'includeAccepted', 'include-accepted') === true,
    setName,
    setName6,
    nftFamily,
    nftTable,
    nftDefine: pick(raw, 'nftDefine', 'nft-define') === true,
    title: title === undefined ? undefined : String(title),
  };
}

export function defaultEnvironment(): Environment {
  return { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns, env: process.env };
}
