// The input layer: files (plain or gzip, rotated siblings oldest first) or stdin -> batches of
// lines. Follow mode (tail -F in-process) lives in follow.ts and is re-exported here.
import { createReadStream } from 'node:fs';
import { access, constants, open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { RuntimeError } from '../cli/errors.js';
import { diag } from '../cli/diag.js';
import { LineSplitter } from './lines.js';
import { rotatedOrder } from './rotated-order.js';

export { followFile, type FollowOptions } from './follow.js';
export { rotatedOrder } from './rotated-order.js';

export interface InputBatch {
  lines: string[];
  /** the file the lines come from; null for stdin */
  path: string | null;
  /** the file's modification time (year inference); null for stdin; time of reading in follow mode */
  mtime: Date | null;
  /**
   * Where overlong lines were dropped (see onOverflow): indexes into `lines` that each dropped line
   * preceded. Absent when none. Count each entry as one input line to keep line numbers true.
   */
  dropped?: number[];
}

export interface ReadOptions {
  /** longest line kept, in bytes (default 1 MiB); longer lines are dropped and reported */
  maxLineLength?: number;
  /** called once per dropped overlong line with the file it was in (null: stdin) */
  onOverflow?: (path: string | null) => void;
  /** stdin stand-in (tests, the wrapper); default process.stdin */
  stdin?: Readable;
}

/** Bytes read per chunk: one batch of lines per chunk. */
export const CHUNK_SIZE = 64 * 1024;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Read `paths` (stdin when empty) as batches of lines: rotated siblings oldest first, gzip
 * detected by its magic bytes, every file checked for readability before the first line.
 */
export async function* readInputs(paths: string[], opts: ReadOptions = {}): AsyncGenerator<InputBatch> {
  if (paths.length === 0) {
    yield* readStream(opts.stdin ?? process.stdin, opts);
    return;
  }
  const order = rotatedOrder(paths);
  // fail before any output when a file is missing: `ipta-parse good.log typo.log` prints nothing
  for (const p of order) await checkReadable(p);
  for (const p of order) {
    if (p === '-') yield* readStream(opts.stdin ?? process.stdin, opts);
    else yield* readFile(p, opts);
  }
}

async function checkReadable(path: string): Promise<void> {
  if (path === '-') return;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new RuntimeError(`cannot read ${path}: is a directory`);
    if (st.isFile()) await (await open(path, 'r')).close();
    // a FIFO or /dev/fd/N (`ipta-parse <(zcat ...)`): opening and closing it could cost its
    // writer a SIGPIPE, so only ask whether it could be opened
    else await access(path, constants.R_OK);
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw fileError(path, err);
  }
}

export function fileError(path: string, err: unknown): RuntimeError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOENT' ? 'no such file' :
    e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' :
    e.code === 'EISDIR' ? 'is a directory' :
    e.message ?? String(err);
  return new RuntimeError(`cannot read ${path}: ${why}`);
}

async function* readFile(path: string, opts: ReadOptions): AsyncGenerator<InputBatch> {
  let mtime: Date;
  let kind: 'plain' | 'gzip' | 'stream' | 'xz' | 'bzip2' | 'zstd';
  const fh = await open(path, 'r').catch((err) => { throw fileError(path, err); });
  try {
    const st = await fh.stat();
    mtime = st.mtime;
    if (st.isFile()) {
      const head = Buffer.alloc(6);
      const { bytesRead } = await fh.read(head, 0, 6, 0);
      kind = bytesRead >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1 ? 'gzip' : 'plain';
      const other = otherCompression(head.subarray(0, bytesRead));
      if (other) kind = other;
    } else {
      kind = 'stream'; // a pipe or a device (`<(zcat ...)`): no pread, sniff from the stream
    }
  } catch (err) {
    await fh.close();
    throw fileError(path, err);
  }
  if (kind !== 'plain' && kind !== 'gzip' && kind !== 'stream') {
    // logrotate's compresscmd can be anything; reading it as text would only give garbage lines
    await fh.close();
    const cat = { xz: 'xzcat', bzip2: 'bzcat', zstd: 'zstdcat' }[kind];
    diag().warn(`${path}: ${kind}-compressed, not read (only gzip is decompressed); use: ${cat} ${path} | ${diag().name}`);
    return;
  }
  if (kind === 'plain') {
    try {
      yield* batches(fileChunks(fh, path), path, mtime, opts);
    } finally {
      await fh.close().catch(() => {});
    }
    return;
  }
  // zlib may hold on to what it is given: fresh buffers from a stream that owns the handle
  const raw = createReadStream(path, { fd: fh, highWaterMark: CHUNK_SIZE });
  try {
    const source = kind === 'gzip' ? gunzipIter(chunks(raw, path), path) : sniffGzip(raw, path);
    yield* batches(source, path, mtime, opts);
  } finally {
    raw.destroy();
  }
}

/** Other compressors' magic bytes. */
function otherCompression(head: Buffer): 'xz' | 'bzip2' | 'zstd' | null {
  if (head.length >= 6 && head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 4 && head.toString('latin1', 0, 3) === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  return null;
}

/**
 * Plain file: one reused buffer, no allocation per read (the splitter copies what it keeps).
 * Chunks of 64 KiB: each decoded chunk stays below V8's large-object size, so it dies young
 * instead of piling up in old space until a full GC (256 KiB chunks: ~35 MB more peak RSS).
 */
async function* fileChunks(fh: FileHandle, path: string): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  for (;;) {
    let n: number;
    try {
      ({ bytesRead: n } = await fh.read(buf, 0, CHUNK_SIZE, null));
    } catch (err) {
      throw fileError(path, err);
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/** One byte stream (stdin): gzip sniffed from its first bytes. */
function readStream(input: Readable, opts: ReadOptions): AsyncGenerator<InputBatch> {
  return batches(sniffGzip(input, 'stdin'), null, null, opts);
}

async function* batches(source: AsyncIterable<Buffer>, path: string | null, mtime: Date | null, opts: ReadOptions): AsyncGenerator<InputBatch> {
  const sp = new LineSplitter({ maxLineLength: opts.maxLineLength, onOverflow: () => opts.onOverflow?.(path) });
  for await (const chunk of source) {
    const b = sp.push(chunk);
    if (b.lines.length > 0 || b.dropped) yield { ...b, path, mtime };
  }
  const b = sp.end();
  if (b.lines.length > 0 || b.dropped) yield { ...b, path, mtime };
}

async function* chunks(input: Readable, name: string): AsyncGenerator<Buffer> {
  try {
    for await (const c of input) yield typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
  } catch (err) {
    throw fileError(name, err);
  }
}

/** Look at the first two bytes, then pass everything through gunzip or unchanged. */
async function* sniffGzip(input: Readable, name: string): AsyncGenerator<Buffer> {
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
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1) yield* gunzipIter(all(), name);
  else yield* all();
}

/**
 * Decompress (concatenated members too, as zcat does). Corrupt or truncated data (a file caught
 * mid-compression): the lines decompressed so far are delivered, one warning names the file.
 */
async function* gunzipIter(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
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
