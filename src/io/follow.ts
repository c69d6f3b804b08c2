// tail -F in-process. One loop: read the current file to its end, look at what the path now
// names, sleep until fs.watch (on the directory, which survives renames) or a short poll says
// something may have changed.
//
// - rename-and-create rotation: when the path names a new file, the old one (already read to
//   its end) is kept open and read on until it has been quiet for drainMs, because the writer
//   keeps appending to it until it reopens (rsyslog after logrotate's HUP); the new file is read
//   from its start.
// - copytruncate: the open file got shorter than what was read -> start again at 0; the
//   incomplete line held from before the truncation is dropped (its end went with the copy).
// - a missing file is waited for; a deleted file is read on until a new one appears.
// - only complete lines are emitted; a final line without newline is emitted when its file is
//   finished (rotated away and drained), never while it may still grow.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { RuntimeError } from '../cli/errors.js';
import { LineSplitter, type LineBatch } from './lines.js';
import type { InputBatch } from './inputs.js';

export interface FollowOptions {
  /** read what the file already holds first (default: start at its end) */
  fromStart?: boolean;
  /** longest line kept, in bytes (default 1 MiB) */
  maxLineLength?: number;
  /** called once per dropped overlong line */
  onOverflow?: (path: string | null) => void;
  /** safety-net poll interval in ms (default 100); fs.watch usually wakes the loop sooner */
  pollMs?: number;
  /** a rotated-away file is read on until it has had no new data for this long, in ms (default 2000) */
  drainMs?: number;
  /** stop following (the iterator then ends) */
  signal?: AbortSignal;
}

// 64 KiB: a decoded chunk stays a young V8 object (see fileChunks in inputs.ts)
const READ_SIZE = 64 * 1024;

interface Tail {
  fh: FileHandle;
  dev: number;
  ino: number;
  pos: number;
  sp: LineSplitter;
  /** the last bytes before `pos` as read: if the file no longer holds them it was truncated */
  mark: Buffer;
  /** draining a rotated-away file until this time (ms since epoch) */
  until?: number;
}

const MARK = 64;

export async function* followFile(path: string, opts: FollowOptions = {}): AsyncGenerator<InputBatch> {
  const pollMs = opts.pollMs ?? 100;
  const drainMs = opts.drainMs ?? 2000;
  const buf = Buffer.allocUnsafe(READ_SIZE);
  const waker = new Waker(path, pollMs, opts.signal);
  const newSplitter = (): LineSplitter =>
    new LineSplitter({ maxLineLength: opts.maxLineLength, onOverflow: () => opts.onOverflow?.(path) });
  const batch = (b: LineBatch): InputBatch => ({ ...b, path, mtime: new Date() });
  let cur: Tail | null = null;
  const draining: Tail[] = [];
  let first = true;

  /** read `t` from its position to the current end, one batch per read */
  async function* drain(t: Tail): AsyncGenerator<InputBatch> {
    if (await truncated(t)) {
      // copytruncate (also when the file was refilled past our position before we looked)
      t.pos = 0;
      t.sp.reset();
      t.mark = Buffer.alloc(0);
    }
    const start = t.pos;
    for (;;) {
      const { bytesRead } = await t.fh.read(buf, 0, READ_SIZE, t.pos);
      if (bytesRead === 0) break;
      t.pos += bytesRead;
      const b = t.sp.push(buf.subarray(0, bytesRead));
      if (b.lines.length > 0 || b.dropped) yield batch(b);
    }
    if (t.pos !== start) t.mark = await readMark(t.fh, t.pos);
  }

  try {
    while (!opts.signal?.aborted) {
      waker.arm();
      if (!cur) {
        cur = await openTail(path, newSplitter(), first && !opts.fromStart ? 'end' : 'start');
        if (cur) first = false;
      }
      if (cur) {
        yield* drain(cur);
        const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw new RuntimeError(`cannot follow ${path}: ${err.message}`);
        });
        if (st && (st.ino !== cur.ino || st.dev !== cur.dev)) {
          // rotated: the path names a new file; read the old one a little longer
          cur.until = Date.now() + drainMs;
          draining.push(cur);
          cur = null;
          continue;
        }
      } else {
        first = false; // a file that appears later is new: read it from its start
      }
      for (let i = draining.length - 1; i >= 0; i--) {
        const t = draining[i]!;
        const was = t.pos;
        yield* drain(t);
        // still written to (a daemon not yet told to reopen): keep reading it
        if (t.pos !== was) t.until = Date.now() + drainMs;
        else if (Date.now() >= t.until!) {
          const b = t.sp.end();
          if (b.lines.length > 0 || b.dropped) yield batch(b);
          draining.splice(i, 1);
          await t.fh.close().catch(() => {});
        }
      }
      await waker.wait();
    }
  } finally {
    waker.close();
    await cur?.fh.close().catch(() => {});
    for (const t of draining) await t.fh.close().catch(() => {});
  }
}

async function openTail(path: string, sp: LineSplitter, at: 'start' | 'end'): Promise<Tail | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return null;
    throw new RuntimeError(`cannot follow ${path}: ${e.code === 'EACCES' ? 'permission denied' : e.message}`);
  }
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw new RuntimeError(`cannot follow ${path}: is a directory`);
  }
  let pos = 0;
  if (at === 'end' && st.size > 0) {
    // start after the last complete line, so a line being written right now is caught whole
    // look back as far as the longest line kept: a longer one would be dropped anyway
    const from = Math.max(0, st.size - (sp.max + 1));
    const tail = Buffer.alloc(st.size - from);
    const { bytesRead } = await fh.read(tail, 0, tail.length, from);
    const nl = tail.subarray(0, bytesRead).lastIndexOf(0x0a);
    pos = nl === -1 ? (from === 0 ? 0 : st.size) : from + nl + 1;
    // inside a line too long to keep: its end is not a line of its own
    if (nl === -1 && from > 0) sp.skipToNextLine();
  }
  return { fh, dev: st.dev, ino: st.ino, pos, sp, mark: await readMark(fh, pos) };
}

async function readMark(fh: FileHandle, pos: number): Promise<Buffer> {
  const n = Math.min(MARK, pos);
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, pos - n);
  return b.subarray(0, bytesRead);
}

/** Does the file still hold, just before our position, the bytes we read there? */
async function truncated(t: Tail): Promise<boolean> {
  if (t.pos === 0) return false;
  const now = await readMark(t.fh, t.pos);
  return !now.equals(t.mark);
}

/** Resolves wait() on a change in the file's directory, after `pollMs`, or on abort. */
class Waker {
  private watcher: FSWatcher | null = null;
  private dirty = false;
  private wake: (() => void) | null = null;
  private readonly name: string;
  private readonly dir: string;

  constructor(path: string, private readonly pollMs: number, private readonly signal?: AbortSignal) {
    this.name = basename(path);
    this.dir = dirname(path);
    signal?.addEventListener('abort', () => this.fire(), { once: true });
  }

  /** Call before looking at the file: changes from now on make the next wait() return at once. */
  arm(): void {
    this.dirty = false;
    if (!this.watcher) this.startWatch();
  }

  wait(): Promise<void> {
    if (this.dirty || this.signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fire(), this.pollMs);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    this.fire();
  }

  private fire(): void {
    this.dirty = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private startWatch(): void {
    try {
      // the directory, not the file: a watch on the file would follow it through a rename
      this.watcher = watch(this.dir, { persistent: false }, (_event, file) => {
        if (file == null || file === this.name) this.fire();
      });
      this.watcher.on('error', () => { this.watcher?.close(); this.watcher = null; });
    } catch {
      this.watcher = null; // directory missing: the poll covers it, the watch is retried next cycle
    }
  }
}
