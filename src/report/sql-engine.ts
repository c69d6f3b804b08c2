// The MySQL engine: the same modules as the stream engine, as parameterised SQL that runs under
// ONLY_FULL_GROUP_BY and strict mode. Full UTC hours are read from the rollups (src/store/summary.ts);
// the partial hours at the edges of --since/--until and rows above the rollups' watermark are read
// from the log table through its indexes (ts, primary key). A module whose filters or groups a
// rollup cannot express (e.g. --dst for denied) reads the log table alone.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { DbSettings } from '../store/options.js';
import { RuntimeError } from '../cli/errors.js';
import { diag } from '../cli/diag.js';
import { qid } from '../store/ident.js';
import { RAW_EXPR, ROLLUPS, SUMMARIES, refreshSummaries, summaryTables, summaryWatermark, type Dim, type RollupName } from '../store/summary.js';
import type { ReportRow } from './rows.js';
import { reportOptions, type ReportFilters, type ReportOptions } from './options.js';
import { rangeBytes } from './ip.js';
import { sqlDatetime, US_PER_HOUR } from './time.js';
import { timelineUnit, SAMPLE_PORTS } from './stream-engine.js';
import {
  rowDenied, rowHeatmap, rowHosts, rowIcmp, rowInterfaces, rowInvalid, rowNewSources, rowPortActions,
  rowPorts, rowScanners, rowSummary, rowTimeline, rowTopSources,
} from './build.js';

type Params = unknown[];
interface Q { sql: string; params: Params }
type Source = RollupName | 'raw';

/** The columns every relation (rollup or log table) exposes to the module queries. */
const REL_COLS: Dim[] = ['h', 'host', 'verdict', 'action', 'proto', 'lo', 'inv', 'src', 'dst', 'dpt', 'in_if'];
const ICMP_PROTOS = ['ICMP', 'ICMPV6', 'IPV6-ICMP'];

/** Filters (not time) as SQL over columns named by `col`. */
function filterSql(f: ReportFilters, col: (d: Dim) => string): Q {
  const parts: string[] = [];
  const params: Params = [];
  if (f.noLocal) parts.push(`${col('lo')} = 0`);
  if (f.noAccept) parts.push(`${col('verdict')} <> 'accept'`);
  const inList = (d: Dim, vals: (string | number)[] | undefined, upper: boolean) => {
    if (!vals) return;
    parts.push(`${upper ? `UPPER(${col(d)})` : col(d)} IN (${vals.map(() => '?').join(', ')})`);
    params.push(...vals);
  };
  inList('host', f.hosts, true);
  inList('action', f.actions, true);
  inList('proto', f.protos, true);
  inList('dpt', f.dports, false);
  for (const [d, ranges] of [['src', f.src], ['dst', f.dst]] as const) {
    if (!ranges) continue;
    const ors = ranges.map((r) => {
      params.push(...rangeBytes(r));
      return `(${r.v6 ? 'IS_IPV6' : 'IS_IPV4'}(${col(d)}) AND INET6_ATON(${col(d)}) BETWEEN ? AND ?)`;
    });
    parts.push(`(${ors.join(' OR ')})`);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Columns a filter needs from a relation. */
function filterDims(f: ReportFilters): Dim[] {
  const d: Dim[] = [];
  if (f.src) d.push('src');
  if (f.dst) d.push('dst');
  if (f.dports) d.push('dpt');
  return d;
}

interface Ctx {
  conn: Connection;
  table: string;
  opts: ReportOptions;
  /** hourly rollups usable (created and current up to `watermark`) */
  rollups?: Record<RollupName, string>;
  /** every summary table by suffix (m_denied...), when usable */
  tables?: Record<string, string>;
  watermark: number;
}

const rawCol = (d: Dim): string => RAW_EXPR[d];
const relCol = (d: Dim): string => `\`${d}\``;

/** SELECT list of the log table projected to relation columns. */
function rawProjection(): string {
  return REL_COLS.map((d) => `${RAW_EXPR[d]} AS \`${d}\``).join(', ') +
    `, ${RAW_EXPR.spt} AS spt, 1 AS cnt, id AS min_id, ${RAW_EXPR.tsus} AS min_ts, ${RAW_EXPR.tsus} AS max_ts`;
}

/**
 * The relation a module query reads: rows with the REL_COLS (those the source lacks are constant
 * '' / -1), cnt, min_id, min_ts, max_ts; restricted to [since, until) and the filters.
 */
function relation(ctx: Ctx, source: Source, since: number | undefined, until: number | undefined): Q {
  const f = ctx.opts.filters;
  const T = qid(ctx.table);
  const rawF = filterSql(f, rawCol);
  const rawPart = (cond: string, cp: Params): Q => ({ sql: `SELECT ${rawProjection()} FROM ${T} WHERE ${cond} AND ${rawF.sql}`, params: [...cp, ...rawF.params] });
  const dt = sqlDatetime;
  if (source === 'raw' || !ctx.rollups) {
    const conds: string[] = [];
    const p: Params = [];
    if (since !== undefined) { conds.push('`ts` >= ?'); p.push(dt(since)); }
    if (until !== undefined) { conds.push('`ts` < ?'); p.push(dt(until)); }
    return rawPart(conds.length ? conds.join(' AND ') : '1', p);
  }
  const dims = SUMMARIES[source]!.dims;
  const rollCol = (d: Dim): string => (dims.includes(d) ? `\`${d}\`` : d === 'dpt' ? '-1' : d === 'h' ? '-1' : "''");
  const aggs = SUMMARIES[source]!.aggs as string[];
  const agg = (a: string, none: string): string => (aggs.includes(a) ? a : `${none} AS ${a}`);
  const rollSelect = REL_COLS.map((d) => `${rollCol(d)} AS \`${d}\``).join(', ') +
    `, -1 AS spt, cnt, ${agg('min_id', '0')}, ${agg('min_ts', 'NULL')}, ${agg('max_ts', 'NULL')}`;
  const rf = filterSql(f, rollCol);
  const parts: Q[] = [];
  const W = ctx.watermark;
  if (since === undefined && until === undefined) {
    parts.push({ sql: `SELECT ${rollSelect} FROM ${qid(ctx.rollups[source])} WHERE ${rf.sql}`, params: rf.params });
    parts.push(rawPart('`id` > ?', [W]));
  } else {
    const hs = since === undefined ? 0 : Math.ceil(since / US_PER_HOUR);
    const he = until === undefined ? undefined : Math.floor(until / US_PER_HOUR);
    if (he !== undefined && hs >= he) {
      const conds: string[] = [];
      const p: Params = [];
      if (since !== undefined) { conds.push('`ts` >= ?'); p.push(dt(since)); }
      conds.push('`ts` < ?'); p.push(dt(until!));
      parts.push(rawPart(conds.join(' AND '), p));
    } else {
      parts.push({ sql: `SELECT ${rollSelect} FROM ${qid(ctx.rollups[source])} WHERE \`h\` >= ?${he !== undefined ? ' AND `h` < ?' : ''} AND ${rf.sql}`,
        params: [hs, ...(he !== undefined ? [he] : []), ...rf.params] });
      if (since !== undefined && since < hs * US_PER_HOUR) parts.push(rawPart('`ts` >= ? AND `ts` < ?', [dt(since), dt(hs * US_PER_HOUR)]));
      if (he !== undefined && he * US_PER_HOUR < until!) parts.push(rawPart('`ts` >= ? AND `ts` < ?', [dt(he * US_PER_HOUR), dt(until!)]));
      parts.push(he !== undefined
        ? rawPart('`id` > ? AND `ts` >= ? AND `ts` < ?', [W, dt(hs * US_PER_HOUR), dt(he * US_PER_HOUR)])
        : rawPart('`id` > ? AND `ts` >= ?', [W, dt(hs * US_PER_HOUR)]));
    }
  }
  return { sql: parts.map((p) => `(${p.sql})`).join(' UNION ALL '), params: parts.flatMap((p) => p.params) };
}

/**
 * The first of `names` (by default the rollups of every row, smallest first) that has `needs`
 * and every filtered column, else the log table.
 */
function pickSource(ctx: Ctx, needs: Dim[], names = Object.keys(ROLLUPS) as RollupName[]): Source {
  if (!ctx.rollups) return 'raw';
  const want = [...needs, ...filterDims(ctx.opts.filters)];
  for (const name of names) {
    if (want.every((d) => SUMMARIES[name]!.dims.includes(d))) return name;
  }
  return 'raw';
}

interface AllTime { table: string; where: Q; sub: ReportFilters; local: boolean }

/**
 * The all-time table `name` when the filters can be answered from it (no time range, no filter on
 * a column it lacks): its name and the WHERE for the filters. `denyOnly`: it holds denied packets
 * only. `local`: its rows are split by lo (in or out lo) and must be merged (no --no-local).
 */
function allTime(ctx: Ctx, name: string, cols: Dim[], denyOnly: boolean, allowSince = false): AllTime | undefined {
  const f = ctx.opts.filters;
  if (!ctx.tables) return undefined;
  if ((f.since !== undefined && !allowSince) || f.until !== undefined || f.hosts) return undefined;
  if (f.noAccept && !denyOnly) return undefined;
  const need: [keyof ReportFilters, Dim][] = [['actions', 'action'], ['protos', 'proto'], ['dports', 'dpt'], ['src', 'src'], ['dst', 'dst']];
  const sub: ReportFilters = { noLocal: f.noLocal, noAccept: false };
  for (const [k, d] of need) {
    if (f[k] === undefined) continue;
    if (!cols.includes(d)) return undefined;
    (sub as unknown as Record<string, unknown>)[k] = f[k];
  }
  return { table: qid(ctx.tables[name]!), where: filterSql(sub, relCol), sub, local: !f.noLocal };
}

/**
 * The top `limit` groups of an all-time table by count (ties by `keys`), with `extra` columns
 * merged by their function. With --no-local: the `lo = 0` rows, read top-down by the count index.
 * Without: a group's count is the sum of its lo = 0 and lo = 1 rows. The lo = 1 rows are few (K);
 * every group without one has its whole count in its lo = 0 row, so among the N + K largest lo = 0
 * rows at least N such groups count at least T (the (N + K)-th count) and no other group without a
 * lo = 1 row can pass them: reading the lo = 0 rows with cnt >= T, all lo = 1 rows and the lo = 0
 * rows of their groups gives every group of the answer, whole.
 */
async function* topAllTime(ctx: Ctx, mv: AllTime, keys: string[], extra: [string, 'MIN' | 'MAX' | 'SUM'][], limit: number): AsyncGenerator<RowDataPacket> {
  const k = keys.map((c) => `\`${c}\``).join(', ');
  const x = extra.map(([c]) => `, \`${c}\``).join('');
  if (!mv.local) {
    yield* stream(ctx.conn, { sql: `SELECT ${k}, cnt AS n${x} FROM ${mv.table} WHERE ${mv.where.sql} ORDER BY cnt DESC, ${k} LIMIT ?`, params: [...mv.where.params, limit] });
    return;
  }
  const w = mv.where;
  const [kr] = await ctx.conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS k FROM ${mv.table} WHERE lo = 1 AND ${w.sql}`, w.params);
  const K = num(kr[0]!.k);
  const [tr] = await ctx.conn.query<RowDataPacket[]>(`SELECT cnt FROM ${mv.table} WHERE lo = 0 AND ${w.sql} ORDER BY cnt DESC LIMIT 1 OFFSET ?`, [...w.params, limit + K - 1]);
  const T = tr.length ? num(tr[0]!.cnt) : 0;
  const w0 = filterSql(mv.sub, (d) => `t0.\`${d}\``);
  const w1 = filterSql(mv.sub, (d) => `t1.\`${d}\``);
  const cols = `${k}, cnt${x}`;
  const sql = `SELECT ${k}, SUM(cnt) AS n${extra.map(([c, fn]) => `, ${fn}(\`${c}\`) AS \`${c}\``).join('')} FROM (` +
    `(SELECT ${cols} FROM ${mv.table} WHERE lo = 0 AND cnt >= ? AND ${w.sql}) UNION ALL ` +
    `(SELECT ${cols} FROM ${mv.table} WHERE lo = 1 AND ${w.sql}) UNION ALL ` +
    `(SELECT ${keys.map((c) => `t0.\`${c}\``).join(', ')}, t0.cnt${extra.map(([c]) => `, t0.\`${c}\``).join('')} FROM ${mv.table} AS t1 ` +
    `JOIN ${mv.table} AS t0 ON ${keys.map((c) => `t0.\`${c}\` = t1.\`${c}\``).join(' AND ')} AND t0.lo = 0 ` +
    `WHERE t1.lo = 1 AND t0.cnt < ? AND ${w1.sql} AND ${w0.sql})` +
    `) AS u GROUP BY ${k} ORDER BY n DESC, ${k} LIMIT ?`;
  yield* stream(ctx.conn, { sql, params: [T, ...w.params, ...w.params, T, ...w1.params, ...w0.params, limit] });
}

async function* stream(conn: Connection, q: Q): AsyncGenerator<RowDataPacket> {
  // mysql2's query stream pauses the socket when we are slow: rows are never all in memory
  const core = (conn as unknown as { connection: { query: (s: string, p: Params) => { stream: (o?: object) => AsyncIterable<RowDataPacket> } } }).connection;
  for await (const r of core.query(q.sql, q.params).stream({ highWaterMark: 256 })) yield r;
}

const num = (v: unknown): number => Number(v);
const opt = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

function rel(ctx: Ctx, source: Source, range?: [number | undefined, number | undefined]): { from: string; params: Params } {
  const [since, until] = range ?? [ctx.opts.filters.since, ctx.opts.filters.until];
  const r = relation(ctx, source, since, until);
  return { from: `(${r.sql}) AS r`, params: r.params };
}

async function* grouped(ctx: Ctx, module: 'denied' | 'invalid'): AsyncGenerator<ReportRow> {
  const mv = allTime(ctx, module === 'denied' ? 'm_denied' : 'm_invalid', ['src', 'dpt', 'action', 'proto'], module === 'denied');
  let inner: string;
  let params: Params;
  if (mv) {
    const make = module === 'denied' ? rowDenied : rowInvalid;
    const top: RowDataPacket[] = [];
    for await (const r of topAllTime(ctx, mv, ['src', 'dpt', 'action', 'proto'], [['min_id', 'MIN']], ctx.opts.limit)) top.push(r);
    for (const r of top) {
      const [rep] = await ctx.conn.query<RowDataPacket[]>(`SELECT ${RAW_EXPR.spt} AS spt, ${RAW_EXPR.dst} AS dst FROM ${qid(ctx.table)} WHERE id = ?`, [r.min_id]);
      yield make(num(r.n), r.src, opt(rep[0]?.spt), rep[0]?.dst, opt(r.dpt), r.proto, r.action);
    }
    return;
  } else {
    const r = rel(ctx, module === 'denied' ? pickSource(ctx, ['src']) : pickSource(ctx, ['src', 'dpt'], ['r_inv']));
    const where = module === 'denied' ? "verdict = 'deny'" : 'inv = 1';
    inner = `SELECT src, dpt, action, proto, SUM(cnt) AS n, MIN(min_id) AS mid FROM ${r.from} WHERE ${where} AND src <> '' ` +
      'GROUP BY src, dpt, action, proto ORDER BY n DESC, src, dpt, action, proto LIMIT ?';
    params = r.params;
  }
  const sql = `SELECT g.src, g.dpt, g.action, g.proto, g.n, ${RAW_EXPR.spt} AS spt, ${RAW_EXPR.dst} AS dst ` +
    `FROM (${inner}) AS g LEFT JOIN ${qid(ctx.table)} ON id = g.mid ORDER BY g.n DESC, g.src, g.dpt, g.action, g.proto`;
  const make = module === 'denied' ? rowDenied : rowInvalid;
  for await (const r of stream(ctx.conn, { sql, params: [...params, ctx.opts.limit] })) {
    yield make(num(r.n), r.src, opt(r.spt), r.dst, opt(r.dpt), r.proto, r.action);
  }
}

async function* simple(ctx: Ctx, needs: Dim[], keys: string[], where: string, whereParams: Params, extra = ''): AsyncGenerator<RowDataPacket> {
  const { from, params } = rel(ctx, pickSource(ctx, needs));
  const sql = `SELECT ${keys.join(', ')}, SUM(cnt) AS n${extra} FROM ${from} WHERE ${where} GROUP BY ${keys.join(', ')} ` +
    `ORDER BY n DESC, ${keys.join(', ')} LIMIT ?`;
  yield* stream(ctx.conn, { sql, params: [...params, ...whereParams, ctx.opts.limit] });
}

interface Totals { n: number; first?: number; last?: number; deny: number; accept: number; log: number; sources: number; hosts: number }

async function totals(ctx: Ctx): Promise<Totals> {
  const { from, params } = rel(ctx, pickSource(ctx, ['verdict', 'host']));
  const [rows] = await ctx.conn.query<RowDataPacket[]>(
    `SELECT SUM(cnt) AS n, MIN(min_ts) AS f, MAX(max_ts) AS l, SUM(IF(verdict = 'deny', cnt, 0)) AS d, ` +
    `SUM(IF(verdict = 'accept', cnt, 0)) AS a, SUM(IF(verdict = 'log', cnt, 0)) AS g, ` +
    `COUNT(DISTINCT NULLIF(host, '')) AS hs FROM ${from}`, params);
  const r = rows[0]!;
  return { n: num(r.n ?? 0), first: opt(r.f), last: opt(r.l), deny: num(r.d ?? 0), accept: num(r.a ?? 0), log: num(r.g ?? 0), sources: 0, hosts: num(r.hs ?? 0) };
}

async function distinctSources(ctx: Ctx): Promise<number> {
  const mv = allTime(ctx, 'm_src', ['src'], false);
  if (mv) {
    const [rows] = await ctx.conn.query<RowDataPacket[]>(`SELECT COUNT(DISTINCT src) AS s FROM ${mv.table} WHERE ${mv.where.sql}`, mv.where.params);
    return num(rows[0]!.s);
  }
  const { from, params } = rel(ctx, 'raw');
  const [rows] = await ctx.conn.query<RowDataPacket[]>(`SELECT COUNT(DISTINCT src) AS s FROM ${from} WHERE src <> ''`, params);
  return num(rows[0]!.s);
}

/** A scanners query: one row per qualifying (src, window w) with n, ports, dsts, f (first) and l (last). */
function scannerWindows(ctx: Ctx, range: [number | undefined, number | undefined]): Q {
  const o = ctx.opts;
  const { from, params } = rel(ctx, 'raw', range);
  // a scanner sent at least min(P, H) packets in its window, so at least that many in all: the
  // all-time per-source counts (unfiltered, a superset under any filter) leave out the one-off sources
  const candidates = ctx.tables ? ` AND src IN (SELECT src FROM ${qid(ctx.tables.m_src!)} WHERE cnt >= ${Math.min(o.scanPorts, o.scanHosts)})` : '';
  return {
    sql: `SELECT src, min_ts DIV ? AS w, SUM(cnt) AS n, COUNT(DISTINCT NULLIF(dpt, -1)) AS ports, COUNT(DISTINCT NULLIF(dst, '')) AS dsts, ` +
      `MIN(min_ts) AS f, MAX(max_ts) AS l FROM ${from} WHERE src <> '' AND h >= 0${candidates} GROUP BY src, w HAVING ports >= ? OR dsts >= ?`,
    params: [o.scanWindow, ...params, o.scanPorts, o.scanHosts],
  };
}

/**
 * The hours [hs, he) whose windows the hourly sets answer (scanners over one-hour windows, no
 * filter but time and source, every row counted in them), or undefined. The partial hours at the
 * edges of --since/--until are read from the log table.
 */
function scannerHours(ctx: Ctx): { hs: number; he?: number } | undefined {
  const o = ctx.opts;
  const f = o.filters;
  if (!ctx.tables || o.scanWindow !== US_PER_HOUR || f.noLocal || f.noAccept || f.hosts || f.actions || f.protos || f.dst || f.dports) return undefined;
  const hs = f.since === undefined ? 0 : Math.ceil(f.since / US_PER_HOUR);
  const he = f.until === undefined ? undefined : Math.floor(f.until / US_PER_HOUR);
  return he !== undefined && hs >= he ? undefined : { hs, he };
}

async function* scanners(ctx: Ctx): AsyncGenerator<ReportRow> {
  const o = ctx.opts;
  const { since, until } = o.filters;
  const win = o.scanWindow;
  const hours = scannerHours(ctx);
  const parts: Q[] = [];
  if (!hours) {
    parts.push(scannerWindows(ctx, [since, until]));
  } else {
    // whole hours: the (h, src) groups of the sets, read in key order, that have P ports or H
    // destinations; then their packets, first and last from s_port and their destinations from s_dst
    const P = qid(ctx.tables!.s_port!);
    const D = qid(ctx.tables!.s_dst!);
    const src = filterSql({ noLocal: false, noAccept: false, src: o.filters.src }, relCol);
    const hc = `h >= ?${hours.he !== undefined ? ' AND h < ?' : ''} AND ${src.sql}`;
    const hp = [hours.hs, ...(hours.he !== undefined ? [hours.he] : []), ...src.params];
    const cand = `(SELECT h, src FROM ${P} WHERE ${hc} GROUP BY h, src HAVING SUM(dpt >= 0) >= ?) UNION ` +
      `(SELECT h, src FROM ${D} WHERE ${hc} GROUP BY h, src HAVING COUNT(*) >= ?)`;
    parts.push({
      sql: `SELECT c.src, c.h AS w, SUM(p.cnt) AS n, SUM(p.dpt >= 0) AS ports, (SELECT COUNT(*) FROM ${D} AS d WHERE d.h = c.h AND d.src = c.src) AS dsts, ` +
        `MIN(p.min_ts) AS f, MAX(p.max_ts) AS l FROM (${cand}) AS c JOIN ${P} AS p ON p.h = c.h AND p.src = c.src GROUP BY c.h, c.src`,
      params: [...hp, o.scanPorts, ...hp, o.scanHosts],
    });
    if (since !== undefined && since < hours.hs * US_PER_HOUR) parts.push(scannerWindows(ctx, [since, hours.hs * US_PER_HOUR]));
    if (hours.he !== undefined && hours.he * US_PER_HOUR < until!) parts.push(scannerWindows(ctx, [hours.he * US_PER_HOUR, until]));
  }
  const a = parts.map((p) => `(${p.sql})`).join(' UNION ALL ');
  const b = 'SELECT src, w, n, ports, dsts, f, l, ROW_NUMBER() OVER (PARTITION BY src ORDER BY ports DESC, dsts DESC, w) AS rn FROM (' + a + ') AS a';
  const sql = `SELECT src, w, n, ports, dsts, f, l FROM (${b}) AS b WHERE rn = 1 ORDER BY ports DESC, dsts DESC, n DESC, src LIMIT ?`;
  const [rows] = await ctx.conn.query<RowDataPacket[]>(sql, [...parts.flatMap((p) => p.params), o.limit]);
  for (const r of rows) {
    const w = num(r.w);
    const [lo, hi] = [max(since, w * win), min(until, (w + 1) * win)];
    // the window's first ports: from the hourly set when it is a whole hour there
    let q: Q;
    if (hours && lo === w * win && hi === lo + win) {
      q = { sql: `SELECT dpt FROM ${qid(ctx.tables!.s_port!)} WHERE h = ? AND src = ? AND dpt >= 0 ORDER BY dpt LIMIT ${SAMPLE_PORTS}`, params: [w, r.src] };
    } else {
      const { from, params } = rel(ctx, 'raw', [lo, hi]);
      q = { sql: `SELECT DISTINCT dpt FROM ${from} WHERE src = ? AND dpt >= 0 ORDER BY dpt LIMIT ${SAMPLE_PORTS}`, params: [...params, r.src] };
    }
    const [ports] = await ctx.conn.query<RowDataPacket[]>(q.sql, q.params);
    yield rowScanners(num(r.n), r.src, num(r.ports), num(r.dsts), num(r.f), num(r.l), ports.map((p) => num(p.dpt)));
  }
}
const max = (a: number | undefined, b: number): number => (a === undefined ? b : Math.max(a, b));
const min = (a: number | undefined, b: number): number => (a === undefined ? b : Math.min(a, b));

async function* newSources(ctx: Ctx): AsyncGenerator<ReportRow> {
  const o = ctx.opts;
  const mv = allTime(ctx, 'm_src', ['src'], false, true);
  if (mv) {
    let since0 = o.filters.since;
    if (since0 === undefined) {
      const [m] = await ctx.conn.query<RowDataPacket[]>(`SELECT MAX(max_ts) AS l FROM ${mv.table} WHERE ${mv.where.sql}`, mv.where.params);
      const l = opt(m[0]?.l);
      if (l === undefined) return;
      since0 = l - o.newWindow;
    }
    const sql = `SELECT src, SUM(cnt_ts) AS n, MIN(min_ts) AS f, MAX(max_ts) AS l FROM ${mv.table} WHERE ${mv.where.sql} ` +
      'GROUP BY src HAVING MIN(min_ts) >= ? ORDER BY n DESC, src LIMIT ?';
    for await (const r of stream(ctx.conn, { sql, params: [...mv.where.params, since0, o.limit] })) yield rowNewSources(num(r.n), r.src, num(r.f), num(r.l));
    return;
  }
  const { from, params } = rel(ctx, pickSource(ctx, ['src']), [undefined, o.filters.until]);
  let since = o.filters.since;
  if (since === undefined) {
    const [m] = await ctx.conn.query<RowDataPacket[]>(`SELECT MAX(max_ts) AS l FROM ${from} WHERE src <> '' AND h >= 0`, params);
    const l = opt(m[0]?.l);
    if (l === undefined) return;
    since = l - o.newWindow;
  }
  const sql = `SELECT src, SUM(cnt) AS n, MIN(min_ts) AS f, MAX(max_ts) AS l FROM ${from} WHERE src <> '' AND h >= 0 ` +
    'GROUP BY src HAVING MIN(min_ts) >= ? ORDER BY n DESC, src LIMIT ?';
  for await (const r of stream(ctx.conn, { sql, params: [...params, since, o.limit] })) yield rowNewSources(num(r.n), r.src, num(r.f), num(r.l));
}

async function* moduleRows(ctx: Ctx, m: ReportOptions['modules'][number], tot: () => Promise<Totals>): AsyncGenerator<ReportRow> {
  const L = ctx.opts.limit;
  void L;
  switch (m) {
    case 'denied': case 'invalid': yield* grouped(ctx, m); break;
    case 'icmp': {
      const mv = allTime(ctx, 'm_icmp', ['src', 'dst', 'action', 'proto'], false);
      if (mv) {
        for await (const r of topAllTime(ctx, mv, ['src', 'dst', 'action', 'proto'], [], L)) yield rowIcmp(num(r.n), r.src, r.dst, r.action, r.proto);
        break;
      }
      for await (const r of simple(ctx, ['src', 'dst', 'action', 'proto'], ['src', 'dst', 'action', 'proto'],
        `UPPER(proto) IN (${ICMP_PROTOS.map(() => '?').join(', ')}) AND src <> '' AND dst <> ''`, ICMP_PROTOS)) yield rowIcmp(num(r.n), r.src, r.dst, r.action, r.proto);
      break;
    }
    case 'ports': {
      const mv = allTime(ctx, 'm_port', ['dpt', 'proto', 'action'], true);
      if (mv) {
        const sql = `SELECT dpt, proto, action, SUM(cnt) AS n FROM ${mv.table} WHERE ${mv.where.sql} GROUP BY dpt, proto, action ORDER BY n DESC, dpt, proto, action LIMIT ?`;
        for await (const r of stream(ctx.conn, { sql, params: [...mv.where.params, L] })) yield rowPorts(num(r.n), num(r.dpt), r.proto, r.action);
        break;
      }
      for await (const r of simple(ctx, ['dpt', 'proto', 'action'], ['dpt', 'proto', 'action'], "verdict = 'deny' AND dpt >= 0", [])) yield rowPorts(num(r.n), num(r.dpt), r.proto, r.action);
      break;
    }
    case 'interfaces':
      for await (const r of simple(ctx, ['in_if', 'action', 'proto'], ['in_if', 'action', 'proto'], "in_if <> ''", [])) yield rowInterfaces(num(r.n), r.in_if, r.action, r.proto);
      break;
    case 'port-actions': {
      const mv = allTime(ctx, 'm_port', ['dpt', 'proto', 'action'], true);
      if (mv) {
        const sql = `SELECT dpt, action, SUM(cnt) AS n FROM ${mv.table} WHERE ${mv.where.sql} GROUP BY dpt, action ORDER BY n DESC, dpt, action LIMIT ?`;
        for await (const r of stream(ctx.conn, { sql, params: [...mv.where.params, L] })) yield rowPortActions(num(r.n), num(r.dpt), r.action);
        break;
      }
      for await (const r of simple(ctx, ['dpt', 'action'], ['dpt', 'action'], "verdict = 'deny' AND dpt >= 0", [])) yield rowPortActions(num(r.n), num(r.dpt), r.action);
      break;
    }
    case 'top-sources': {
      const mv = allTime(ctx, 'm_src', ['src'], false);
      if (mv) {
        for await (const r of topAllTime(ctx, mv, ['src'], [['denied', 'SUM'], ['min_ts', 'MIN'], ['max_ts', 'MAX']], L)) {
          yield rowTopSources(num(r.n), r.src, num(r.denied), opt(r.min_ts), opt(r.max_ts));
        }
        break;
      }
      for await (const r of simple(ctx, ['src'], ['src'], "src <> ''", [], ", SUM(IF(verdict = 'deny', cnt, 0)) AS d, MIN(min_ts) AS f, MAX(max_ts) AS l")) {
        yield rowTopSources(num(r.n), r.src, num(r.d), opt(r.f), opt(r.l));
      }
      break;
    }
    case 'hosts':
      for await (const r of simple(ctx, ['host'], ['host'], "host <> ''", [], ", SUM(IF(verdict = 'deny', cnt, 0)) AS d, SUM(IF(verdict = 'accept', cnt, 0)) AS a")) {
        yield rowHosts(num(r.n), r.host, num(r.d), num(r.a));
      }
      break;
    case 'timeline': {
      const t = await tot();
      const unit = timelineUnit(ctx.opts.timeline, t.first, t.last);
      const { from, params } = rel(ctx, pickSource(ctx, ['action']));
      const b = unit === 'day' ? 'h DIV 24 * 24' : 'h';
      const sql = `SELECT ${b} AS b, verdict, action, SUM(cnt) AS n FROM ${from} WHERE h >= 0 GROUP BY b, verdict, action ORDER BY b, verdict, action`;
      for await (const r of stream(ctx.conn, { sql, params })) yield rowTimeline(num(r.n), num(r.b) * US_PER_HOUR, unit, r.action, String(r.verdict));
      break;
    }
    case 'heatmap': {
      const { from, params } = rel(ctx, pickSource(ctx, []));
      const sql = `SELECT (h DIV 24 + 4) MOD 7 AS wd, h MOD 24 AS hr, SUM(cnt) AS n FROM ${from} WHERE h >= 0 AND verdict = 'deny' GROUP BY wd, hr ORDER BY wd, hr`;
      for await (const r of stream(ctx.conn, { sql, params })) yield rowHeatmap(num(r.n), num(r.wd), num(r.hr));
      break;
    }
    case 'scanners': yield* scanners(ctx); break;
    case 'new-sources': yield* newSources(ctx); break;
    case 'summary': {
      const t = await tot();
      const mv = allTime(ctx, 'm_port', ['dpt', 'proto', 'action'], true);
      const { from, params } = mv ? { from: `${mv.table} AS r`, params: mv.where.params } : rel(ctx, pickSource(ctx, ['dpt']));
      const [bp] = await ctx.conn.query<RowDataPacket[]>(mv
        ? `SELECT dpt, SUM(cnt) AS n FROM ${from} WHERE ${mv.where.sql} GROUP BY dpt ORDER BY n DESC, dpt LIMIT 1`
        : `SELECT dpt, SUM(cnt) AS n FROM ${from} WHERE verdict = 'deny' AND dpt >= 0 GROUP BY dpt ORDER BY n DESC, dpt LIMIT 1`, params);
      const sources = await distinctSources(ctx);
      yield rowSummary({ count: t.n, first: t.first, last: t.last, denied: t.deny, accepted: t.accept, logged: t.log, sources, hosts: t.hosts,
        busiestPort: opt(bp[0]?.dpt), busiestPortCount: opt(bp[0]?.n) });
      break;
    }
  }
}

export interface DbReportOptions {
  /** an open connection to use instead of connecting with the settings (not closed) */
  conn?: Connection;
  /** read the log table only (no rollups): for comparisons and benchmarks */
  noSummaries?: boolean;
}

/** In-memory temporary tables the report's session allows (when the server's default is smaller). */
const TMP_TABLE_BYTES = 64 * 1024 * 1024;

/** Rows from the store. Refreshes the rollups first, then reads everything in one snapshot. */
export async function* reportFromDb(settings: DbSettings, opts: Partial<ReportOptions> = {}, dbo: DbReportOptions = {}): AsyncGenerator<ReportRow> {
  const o = reportOptions(opts);
  const { connect } = await import('../store/connect.js');
  const conn = dbo.conn ?? await connect(settings);
  try {
    await conn.query("SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'ONLY_FULL_GROUP_BY', 'STRICT_TRANS_TABLES')");
    // a GROUP BY over a day of a busy log (~150,000 groups) fits in memory: MariaDB's 16 MB default
    // sends it to a temporary table on disk (denied --since 24h over 1M rows: 2.5 s -> 1.2 s)
    await conn.query(`SET SESSION max_heap_table_size = GREATEST(@@max_heap_table_size, ${TMP_TABLE_BYTES}), tmp_table_size = GREATEST(@@tmp_table_size, ${TMP_TABLE_BYTES})`);
    const [ex] = await conn.query<RowDataPacket[]>('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [settings.table]);
    if (!ex.length) throw new RuntimeError(`table ${settings.table} does not exist in database ${settings.database} (load records with ipta-load first)`);
    let tables: Record<string, string> | undefined;
    if (!dbo.noSummaries) {
      try {
        const r = await refreshSummaries(conn, settings, { lazy: false });
        if (r) tables = summaryTables(settings.table)!.tables;
      } catch (err) {
        diag().warn(`summary tables unavailable (${(err as Error).message}); reading the log table only (slower)`);
      }
    }
    await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      const ctx: Ctx = { conn, table: settings.table, opts: o, watermark: 0 };
      if (tables) {
        const w = await summaryWatermark(conn, settings.table);
        // the all-time tables are exact only when nothing is above the watermark (inside this snapshot)
        const [m] = await conn.query<RowDataPacket[]>(`SELECT MAX(id) AS m FROM ${qid(settings.table)}`);
        if (w !== undefined) {
          ctx.rollups = { r_if: tables.r_if!, r_p: tables.r_p!, r_inv: tables.r_inv! };
          ctx.watermark = w;
          if (m[0]?.m === null || Number(m[0]!.m) <= w) ctx.tables = tables;
        }
      }
      let t: Promise<Totals> | undefined;
      const tot = () => (t ??= totals(ctx));
      for (const m of o.modules) yield* moduleRows(ctx, m, tot);
    } finally {
      await conn.query('COMMIT').catch(() => undefined);
    }
  } finally {
    if (!dbo.conn) await conn.end().catch(() => undefined);
  }
}
