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
/** Formatted text waiting for a slow reader before the input is paused. */
const HIGH = 1024 * 1024;

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
 * Records and report rows in, text out. Text is gathered into chunks while the input flows and
 * handed on as soon as the input pauses: a flush is scheduled with setImmediate, which runs only
 * once the items already read are done and the reader waits for more input. So a chunk goes out
 * per input chunk (no timer, no per-item promise), and `tail -F log | ipta-parse | ipta-format`
 * shows each row at once. At most HIGH characters wait for a slow reader (backpressure).
 */
export async function* formatStream(
  items: AsyncIterable<Record<string, unknown>>,
  opts: FormatOptions | Record<string, unknown> = {},
  more: FormatStreamOptions = {},
): AsyncGenerator<string> {
  const o = toFormatOptions(opts);
  const sink = createSink(o);
  const q = more.badLines;
  const out: string[] = [];
  let outSize = 0;
  let buf = '';
  let scheduled = false;
  let finished = false;
  let stopped = false;
  let failure: { err: unknown } | undefined;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;

  const drain = (): void => {
    if (q && q.lines.length) for (const b of q.lines.splice(0)) buf += sink.bad(b.line, b.lineNo, b.why);
  };
  const flush = (): void => {
    scheduled = false;
    drain();
    if (!buf) return;
    out.push(buf);
    outSize += buf.length;
    buf = '';
    wakeReader?.();
  };
  const schedule = (): void => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  if (q) q.notify = schedule;

  const pump = (async () => {
    try {
      for await (const item of items) {
        if (stopped) break;
        if (q && q.lines.length) drain();
        buf += sink.item(item);
        if (buf.length >= CHUNK) flush();
        else if (buf) schedule();
        while (outSize >= HIGH && !stopped) await new Promise<void>((r) => { wakeWriter = r; });
      }
      if (!stopped) {
        drain();
        buf += sink.end();
      }
    } catch (err) {
      failure = { err };
    } finally {
      finished = true;
      if (q) q.notify = undefined;
      flush();
      wakeReader?.();
    }
  })();

  try {
    for (;;) {
      if (out.length) {
        const text = out.length === 1 ? out[0]! : out.join('');
        out.length = 0;
        outSize = 0;
        const w = wakeWriter;
        wakeWriter = undefined;
        w?.();
        yield text;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => { wakeReader = r; });
      wakeReader = undefined;
    }
    await pump;
    if (failure) throw failure.err;
  } finally {
    stopped = true;
    wakeWriter?.();
  }
}
