// The modes that move records: --analyze, --html, --scan, --follow, --import, --import --follow.
// Each is the shell line it replaces, composed in-process (no JSON in between):
//   --analyze FILE     ipta-parse FILE | ipta-report [| ipta-rdns] | ipta-format
//   --analyze          ipta-report --db... [| ipta-rdns] | ipta-format
//   --scan FILE        ipta-parse FILE [| ipta-rdns] | ipta-format         (packet rows)
//   --follow FILE      ipta-parse --follow FILE [| ipta-rdns] | ipta-format (live)
//   --import FILE      ipta-parse FILE | ipta-load
//   --import --follow  ipta-parse --follow FILE --from-start | ipta-load     (until stopped)
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { rotatedSiblings } from '../io/rotated-order.js';
import { diag } from '../cli/diag.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import { summaryLine as parseSummary } from '../commands/parse.js';
import { newStats, parseRecordBatches, type ParseOptions, type ParseStats } from '../parse/index.js';
import type { IptaRecord } from '../record.js';
import { reportFromDb, reportOptionsFromArgv, type ReportOptions } from '../report/index.js';
import { reportFromBatches, reportFromFilesParallel, useParseThread } from './report-batches.js';
import type { ReportRow } from '../report/rows.js';
import { passesFilters, toFact } from '../report/stream-engine.js';
import type { Action } from './plan.js';
import type { Ctx } from './run.js';

type Rec = Record<string, unknown>;

/** The parse options every mode shares (diagnostics as ipta-parse gives them). */
function parseOptions(ctx: Ctx, extra: ParseOptions, stats: ParseStats): ParseOptions {
  const a = ctx.args;
  return {
    ...extra,
    ...(a.prefix !== undefined ? { prefix: String(a.prefix) } : {}),
    ...(a.tz !== undefined ? { tz: String(a.tz) } : {}),
    ...(a.year !== undefined ? { year: Number(a.year) } : {}),
    stats,
    onTooLong: (lineNo, path) => diag().warnLimited('too-long', `${path ?? 'stdin'}: line ${lineNo}: too long, skipped`),
  };
}

/** The files as the reader takes them: `-` is stdin. */
function inputFiles(files: string[]): string[] {
  if (files.includes('-') && files.length > 1) throw new UsageError('- (stdin) cannot be mixed with files');
  return files.length === 1 && files[0] === '-' ? [] : files;
}

/**
 * The report's options from the switches. On a text page the hourly timeline is left out unless
 * asked for with --module (hundreds of rows; the weekday x hour heatmap and the HTML page show
 * the same); --html and the other formats get every module.
 */
function reportOpts(ctx: Ctx, html = false): ReportOptions {
  const d = ctx.plan.display;
  const o = reportOptionsFromArgv({ ...ctx.args, limit: d.limit, local: d.local, accept: d.accept });
  const text = (ctx.args.format ?? 'table') === 'table' || ctx.args.format === 'markdown';
  if (!html && text && ctx.args.module === undefined) o.modules = o.modules.filter((m) => m !== 'timeline');
  return o;
}

async function formatOpts(ctx: Ctx) {
  const { normalizeFormatOptions } = await import('../format/options.js');
  const d = ctx.plan.display;
  return normalizeFormatOptions({ ...ctx.args, header: d.header, counter: d.counter, C: undefined });
}

/** Reverse DNS on the way, when asked (-r, or `rdns = yes` in the config file). */
async function withNames<T extends Rec>(ctx: Ctx, items: AsyncIterable<T>, usesDb: boolean): Promise<AsyncIterable<T>> {
  if (!ctx.plan.display.rdns) return items;
  const [{ rdnsStream }, { rdnsOptionsFromArgv }] = await Promise.all([import('../rdns/rdns-stream.js'), import('../rdns/options.js')]);
  const o = rdnsOptionsFromArgv({ ...ctx.args, ttl: ctx.plan.display.ttl });
  // the DNS table is the cache when a database is in use anyway (or named on the command line)
  const conn = usesDb ? await ctx.conn() : undefined;
  const db = usesDb ? ctx.settings() : o.db;
  return rdnsStream(items, { ...o, ttlHours: o.ttlHours, db, ...(conn ? { conn } : {}) }) as AsyncIterable<T>;
}

/** Items -> text on stdout through ipta-format. */
async function print(ctx: Ctx, items: AsyncIterable<Rec>): Promise<void> {
  const { formatStream } = await import('../format/index.js');
  // formatStream writes each row as soon as the input pauses: right for --follow as it is
  await writeAll(formatStream(items, await formatOpts(ctx)), ctx.out);
}

/**
 * Text chunks -> stdout, waiting for 'drain'. Not stream.pipeline: a failing stage (a missing
 * file) would destroy stdout with the error instead of rejecting with it here, where it becomes
 * one line on stderr and exit 1. A closed stdout (`| head`) ends the process quietly (exit 0).
 */
async function writeAll(chunks: AsyncIterable<string>, out: NodeJS.WritableStream): Promise<void> {
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => {
      const done = () => { out.removeListener('drain', done); out.removeListener('close', done); resolve(); };
      out.once('drain', done);
      out.once('close', done);
    });
  }
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const b of batches) yield* b;
}

/** Records that pass --no-accept, --no-local and the report filters (--since, --host...). */
async function* filtered(ctx: Ctx, batches: AsyncIterable<IptaRecord[]>): AsyncGenerator<Rec> {
  const f = reportOpts(ctx).filters;
  const trivial = Object.keys(f).every((k) => k === 'noLocal' || k === 'noAccept') && !f.noLocal && !f.noAccept;
  for await (const batch of batches) {
    for (const r of batch) {
      if (trivial) {
        yield r as unknown as Rec;
        continue;
      }
      const fact = toFact(r as unknown as Rec);
      if (typeof fact !== 'string' && passesFilters(fact, f)) yield r as unknown as Rec;
    }
  }
}

export async function analyze(action: Extract<Action, { kind: 'analyze' }>, ctx: Ctx): Promise<void> {
  const opts = reportOpts(ctx, Boolean(action.html));
  const stats = newStats();
  let rows: AsyncIterable<ReportRow>;
  const fromFiles = action.files.length > 0;
  if (fromFiles) {
    const files = inputFiles(action.files);
    if (useParseThread(files)) {
      rows = reportFromFilesParallel(parseOptions(ctx, { files }, stats), opts, stats);
    } else {
      // no keys: the report does not use them
      rows = reportFromBatches(parseRecordBatches({ ...parseOptions(ctx, { files }, stats), noKeys: true }), opts);
    }
  } else {
    rows = reportFromDb(ctx.settings(), opts);
  }
  const named = await withNames(ctx, rows as AsyncIterable<ReportRow & Rec>, !fromFiles);
  if (action.html) {
    const { renderHtml } = await import('../html/report.js');
    const all: ReportRow[] = [];
    for await (const r of named) all.push(r);
    try {
      await writeFile(action.html, renderHtml(all, { title: `ipta report${fromFiles ? `: ${action.files.join(' ')}` : ''}` }));
    } catch (err) {
      throw new RuntimeError(`cannot write ${action.html}: ${(err as Error).message}`);
    }
    diag().warn(`wrote ${action.html}`);
  } else {
    await print(ctx, named);
  }
  if (fromFiles && !ctx.args.quiet) diag().warn(parseSummary(stats));
}

export async function scan(action: Extract<Action, { kind: 'scan' }>, ctx: Ctx): Promise<void> {
  const stats = newStats();
  const batches = parseRecordBatches(parseOptions(ctx, { files: inputFiles(action.files) }, stats));
  await print(ctx, await withNames(ctx, filtered(ctx, batches), false));
  if (!ctx.args.quiet) diag().warn(parseSummary(stats));
}

/** Stop a never-ending mode cleanly on SIGINT/SIGTERM (the loader flushes its last batch). */
function stopOnSignal(): AbortController {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac;
}

export async function follow(action: Extract<Action, { kind: 'follow' }>, ctx: Ctx): Promise<void> {
  const ac = stopOnSignal();
  const batches = parseRecordBatches(parseOptions(ctx, { follow: action.file, signal: ac.signal }, newStats()));
  await print(ctx, await withNames(ctx, filtered(ctx, batches), false));
}

async function load(ctx: Ctx, records: AsyncIterable<Rec>, what: string): Promise<void> {
  const { loadRecords, summaryLine } = await import('../store/load.js');
  const summary = await loadRecords(records, ctx.settings(), {
    connection: await ctx.conn(),
    onReject: (why, _rec, index) => diag().warnLimited('rejected', `record ${index}: ${why}`),
    onInfo: (m) => diag().warn(m),
  });
  diag().warn(`${what}: ${summaryLine(summary)}`);
}

/**
 * Rotated siblings of `file` (oldest first) modified after the newest record of the log table,
 * less an hour for clocks and zones (reading one too many only costs time: stored lines are
 * skipped). None when the table is empty or does not exist yet: a first start imports the live
 * file only.
 */
async function rotatedSinceStored(file: string, ctx: Ctx): Promise<string[]> {
  const siblings = rotatedSiblings(file);
  if (siblings.length === 0) return [];
  const { qid } = await import('../store/ident.js');
  let newest: number | null = null;
  try {
    const [rows] = await (await ctx.conn()).query(`SELECT DATE_FORMAT(MAX(ts), '%Y-%m-%dT%H:%i:%sZ') AS t FROM ${qid(ctx.settings().table)}`);
    const t = (rows as Array<{ t: string | null }>)[0]?.t;
    if (t) newest = Date.parse(t);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw err;
  }
  if (newest === null) return [];
  const since = newest - 3_600_000;
  return siblings.filter((p) => {
    try {
      return statSync(p).mtimeMs > since;
    } catch {
      return false;
    }
  });
}

export async function importFiles(action: Extract<Action, { kind: 'import' }>, ctx: Ctx): Promise<void> {
  const stats = newStats();
  const files = inputFiles(action.files);
  const batches = parseRecordBatches(parseOptions(ctx, { files }, stats));
  await load(ctx, flatten(batches) as AsyncIterable<Rec>, `import of ${files.length ? files.join(' ') : 'stdin'}`);
  if (!ctx.args.quiet) diag().warn(parseSummary(stats));
}

/**
 * Keep the database current from a live log. The file is read from its start: after a restart
 * the lines written while ipta was down are imported too, and those already stored are
 * recognised by their key and skipped (the loader is idempotent), so nothing is lost or doubled.
 * When the log was rotated while ipta was down, the end of the old file is in a rotated sibling:
 * the siblings written to after the newest stored record are read first (rotatedSinceStored).
 */
export async function importFollow(action: Extract<Action, { kind: 'import-follow' }>, ctx: Ctx): Promise<void> {
  const ac = stopOnSignal();
  const stats = newStats();
  const missed = await rotatedSinceStored(action.file, ctx);
  if (missed.length > 0) {
    // rotated while ipta was not running: what they hold beyond the table is read first
    const batches = parseRecordBatches(parseOptions(ctx, { files: missed }, stats));
    await load(ctx, flatten(batches) as AsyncIterable<Rec>, `import of ${missed.join(' ')}`);
  }
  const batches = parseRecordBatches(parseOptions(ctx, { follow: action.file, fromStart: true, signal: ac.signal }, stats));
  diag().warn(`importing ${action.file} into ${ctx.settings().database}.${ctx.settings().table} as it grows (stop with Ctrl-C or SIGTERM)`);
  await load(ctx, flatten(batches) as AsyncIterable<Rec>, `import of ${action.file}`);
  if (!ctx.args.quiet) diag().warn(parseSummary(stats));
}
