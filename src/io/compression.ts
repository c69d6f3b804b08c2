// Compressed input: gzip decompressed as a stream (by magic bytes, not by name), other
// compressors recognised so that they are reported instead of read as garbage lines.
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { RuntimeError } from '../cli/errors.js';
import { diag } from '../cli/diag.js';
import { fileError } from './file-error.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** What the first bytes of a file say it is compressed with (null: not compressed, as far as we know). */
export function compression(head: Buffer): 'gzip' | 'xz' | 'bzip2' | 'zstd' | null {
  if (head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) return 'gzip';
  if (head.length >= 6 && head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 4 && head.toString('latin1', 0, 3) === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  return null;
}

/** A byte stream as Buffers; a read error becomes a RuntimeError naming the input. */
export async function* chunks(input: Readable, name: string): AsyncGenerator<Buffer> {
  try {
    for await (const c of input) yield typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
  } catch (err) {
    throw fileError(name, err);
  }
}

/** Look at the first two bytes, then pass everything through gunzip or unchanged. */
export async function* sniffGzip(input: Readable, name: string): AsyncGenerator<Buffer> {
  const it = chunks(input, name)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < 2) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    head.push(r.value);
    headLen += r.value.length;
  }
  const first = Buffer.concat(head);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (first.length) yield first;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.(undefined);
    }
  }
  if (compression(first) === 'gzip') yield* gunzipIter(all(), name);
  else yield* all();
}

/**
 * Decompress (concatenated members too, as zcat does). Corrupt or truncated data (a file caught
 * mid-compression): the lines decompressed so far are delivered, one warning names the file.
 */
export async function* gunzipIter(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const z = createGunzip({ chunkSize: 64 * 1024 });
  let failed: Error | null = null;
  const feed = (async () => {
    try {
      for await (const c of source) {
        if (failed || z.destroyed) return;
        if (!z.write(c)) await drainOrClose(z);
      }
      z.end();
    } catch (err) {
      z.destroy(err as Error);
    }
  })();
  try {
    for await (const out of z) yield out as Buffer;
  } catch (err) {
    failed = err as Error;
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith('Z_') || e.code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
      diag().warn(`${name}: gzip data ${e.code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt'} (${e.message}); kept what was readable`);
    } else {
      throw err instanceof RuntimeError ? err : fileError(name, err);
    }
  } finally {
    z.destroy();
    await feed.catch(() => {});
  }
}

function drainOrClose(s: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { s.off('drain', done); s.off('close', done); resolve(); };
    s.once('drain', done);
    s.once('close', done);
  });
}
