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

const BAD = Symbol('ipta-format: a line that is not a JSON object');

/**
 * A line of the input that is not a JSON object, as an item of its own (ndjsonLines' and
 * ndjsonBatches' `inlineBad`): formatStream prints it in its place among the formatted rows.
 */
export function badLine(line: string, lineNo: number, why: string): Record<string, unknown> {
  return { [BAD]: { line, lineNo, why } } as unknown as Record<string, unknown>;
}

const normalized = new WeakSet<object>();

/** Raw options (argv from yargs, or an object with the same names) -> FormatOptions, once. */
export function toFormatOptions(opts: FormatOptions | Record<string, unknown> = {}): FormatOptions {
  if (normalized.has(opts)) return opts as FormatOptions;
  const o = normalizeFormatOptions(opts as Record<string, unknown>);
  normalized.add(o);
  return o;
}

/**
 * Records and report rows in, text out. Text is gathered into chunks while the input flows and
 * handed on as soon as the input pauses: a flush is scheduled with setImmediate, which runs only
 * once the items already read are done and the reader waits for more input. So a chunk goes out
 * per input chunk (no timer, no per-item promise), and `tail -F log | ipta-parse | ipta-format`
 * shows each row at once. At most HIGH characters wait for a slow reader (backpressure).
 */
export async function* formatStream(
  items: AsyncIterable<Record<string, unknown> | Array<Record<string, unknown>>>,
  opts: FormatOptions | Record<string, unknown> = {},
): AsyncGenerator<string> {
  const o = toFormatOptions(opts);
  const sink = createSink(o);
  const one = (x: Record<string, unknown>): string => {
    const bad = (x as { [BAD]?: { line: string; lineNo: number; why: string } })[BAD];
    return bad ? sink.bad(bad.line, bad.lineNo, bad.why) : sink.item(x);
  };
  const out: string[] = [];
  let outSize = 0;
  let buf = '';
  let scheduled = false;
  let finished = false;
  let stopped = false;
  let failure: { err: unknown } | undefined;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;

  const flush = (): void => {
    scheduled = false;
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

  const pump = (async () => {
    try {
      for await (const item of items) {
        if (stopped) break;
        if (Array.isArray(item)) for (const x of item) buf += one(x);
        else buf += one(item);
        if (buf.length >= CHUNK) flush();
        else if (buf) schedule();
        while (outSize >= HIGH && !stopped) await new Promise<void>((r) => { wakeWriter = r; });
      }
      if (!stopped) buf += sink.end();
    } catch (err) {
      failure = { err };
    } finally {
      finished = true;
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
