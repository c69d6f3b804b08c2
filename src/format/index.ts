// ipta-format's programmatic API (also used by the `ipta` wrapper):
//   withFormatOptions(y)          the yargs options
//   formatStream(items, opts)     objects in, text chunks out, written as the input arrives
import { createSink } from './sinks.js';
import { normalizeFormatOptions, type FormatOptions } from './options.js';

export { withFormatOptions, normalizeFormatOptions, FORMATS, type FormatOptions, type FormatName } from './options.js';
export { PacketRows } from './packet-rows.js';
export { BlockList } from './blocklist.js';
export { aggregate, parseAddr, parseCidr, cidrText } from './cidr.js';

/** Chunks are written when they reach this size, or as soon as the input pauses. */
const CHUNK = 64 * 1024;

/**
 * Lines of the input that are not JSON objects, queued by ndjsonLines' onBad callback so that
 * they come out in their place among the formatted rows (and promptly, even when no record follows).
 */
export class BadLineQueue {
  readonly lines: Array<{ line: string; lineNo: number; why: string }> = [];
  /** set by formatStream while it waits for input */
  notify?: () => void;

  /** Pass as ndjsonLines' onBad. */
  readonly push = (line: string, lineNo: number, why: string): void => {
    this.lines.push({ line, lineNo, why });
    this.notify?.();
  };
}

const TICK = Symbol('tick');
const WAKE = Symbol('wake');

const normalized = new WeakSet<object>();

/** Raw options (argv from yargs, or an object with the same names) -> FormatOptions, once. */
export function toFormatOptions(opts: FormatOptions | Record<string, unknown> = {}): FormatOptions {
  if (normalized.has(opts)) return opts as FormatOptions;
  const o = normalizeFormatOptions(opts as Record<string, unknown>);
  normalized.add(o);
  return o;
}

export interface FormatStreamOptions {
  /** non-JSON lines of the input (from ndjsonLines' onBad), printed in their place */
  badLines?: BadLineQueue;
}

/**
 * Records and report rows in, text out. Text is gathered into chunks of up to 64 KiB while the
 * input flows, and written as soon as the input pauses (no timer: a chunk goes out when the next
 * item is not already waiting), so `tail -F log | ipta-parse | ipta-format` shows each row at once.
 */
export async function* formatStream(
  items: AsyncIterable<Record<string, unknown>>,
  opts: FormatOptions | Record<string, unknown> = {},
  more: FormatStreamOptions = {},
): AsyncGenerator<string> {
  const o = toFormatOptions(opts);
  const sink = createSink(o);
  const q = more.badLines;
  const it = items[Symbol.asyncIterator]();
  let buf = '';
  let pending: Promise<IteratorResult<Record<string, unknown>>> | null = null;
  let tick: Promise<typeof TICK> | null = null;
  const drain = (): void => {
    if (!q) return;
    for (const b of q.lines.splice(0)) buf += sink.bad(b.line, b.lineNo, b.why);
  };
  for (;;) {
    pending ??= it.next();
    const p = pending;
    let res: IteratorResult<Record<string, unknown>> | typeof TICK | typeof WAKE;
    if (!buf && !q) {
      res = await p;
    } else {
      // setImmediate runs after pending I/O: the tick wins only when the next item is not ready
      if (buf) tick ??= new Promise((r) => setImmediate(r, TICK));
      const t = buf ? tick : null;
      res = await new Promise<IteratorResult<Record<string, unknown>> | typeof TICK | typeof WAKE>((resolve, reject) => {
        p.then(resolve, reject);
        t?.then(resolve);
        if (q) q.notify = () => resolve(WAKE);
      });
      if (q) q.notify = undefined;
    }
    if (res === TICK) {
      tick = null;
      drain();
      if (buf) yield buf;
      buf = '';
      continue;
    }
    drain();
    if (res === WAKE) continue;
    pending = null;
    if (res.done) break;
    buf += sink.item(res.value);
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  drain();
  buf += sink.end();
  if (buf) yield buf;
}
