// Objects -> NDJSON text in chunks of about 64 KiB: one write per record is slow.

const CHUNK = 64 * 1024;

/** An `async function*` stage: objects (or ready strings) in, NDJSON chunks out. */
export async function* ndjsonOut(source: AsyncIterable<unknown>): AsyncGenerator<string> {
  let buf = '';
  for await (const item of source) {
    buf += (typeof item === 'string' ? item : JSON.stringify(item)) + '\n';
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Like ndjsonOut, but also flushes when the source pauses (live input such as --follow):
 * a record is never held back longer than `maxDelayMs` waiting for its chunk to fill.
 */
export async function* ndjsonOutLive(source: AsyncIterable<unknown>, maxDelayMs = 50): AsyncGenerator<string> {
  const it = source[Symbol.asyncIterator]();
  let buf = '';
  let pending: Promise<IteratorResult<unknown>> | null = null;
  for (;;) {
    pending ??= it.next();
    let res: IteratorResult<unknown> | 'tick';
    if (buf) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<'tick'>((r) => { timer = setTimeout(() => r('tick'), maxDelayMs); });
      res = await Promise.race([pending, tick]);
      clearTimeout(timer);
    } else {
      res = await pending;
    }
    if (res === 'tick') {
      yield buf;
      buf = '';
      continue;
    }
    pending = null;
    if (res.done) break;
    const item = res.value;
    buf += (typeof item === 'string' ? item : JSON.stringify(item)) + '\n';
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
