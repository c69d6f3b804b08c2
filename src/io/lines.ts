// Bytes -> lines, fast and with bounded memory. Used by readInputs, followFile and ndjsonLines.
//
// Why not split2: it decodes and splits per chunk with a string carry, and calls back once per
// line. Here a chunk is cut at its LAST newline, the complete region is decoded in one
// Buffer#toString (invalid UTF-8 becomes U+FFFD) and split with String#split: one native call per
// chunk instead of per line. Only the incomplete tail stays as bytes, so a UTF-8 character split
// across chunks is decoded whole. Splitting the decoded text on "\n" is the same as splitting the
// bytes on 0x0a: a UTF-8 decoder never swallows 0x0a into a replacement character.
//
// A line longer than maxLineLength BYTES (without its "\n") is dropped, never buffered beyond
// that limit: once the carried tail exceeds it, the rest of the line is skipped until its newline.

export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

export interface SplitterOptions {
  /** longest line kept, in bytes without the newline (default 1 MiB) */
  maxLineLength?: number;
  /** called once per dropped overlong line, as soon as it is known to be too long */
  onOverflow?: () => void;
  /**
   * Hand out whole lines as undecoded bytes (LineBatch.bytes) where possible, for a caller that
   * decodes them elsewhere (the parallel parser's workers) with decodeLines().
   */
  raw?: boolean;
}

export interface LineBatch {
  lines: string[];
  /**
   * Where overlong lines were dropped: each entry is the index in `lines` that the dropped line
   * preceded (lines.length when it came after the last one). Absent when nothing was dropped.
   * Callers that number lines count each entry as one input line.
   */
  dropped?: number[];
  /**
   * Raw mode: the batch's lines as bytes instead (`lines` is then empty): whole lines separated
   * by "\n", without the last one's; decodeLines() gives the lines. May be a view of the chunk
   * pushed: valid until the next push.
   */
  bytes?: Buffer;
}

const NL = 0x0a;
const CR = 13;

export class LineSplitter {
  readonly max: number;
  private readonly onOverflow?: () => void;
  private readonly raw: boolean;
  /** bytes of the incomplete last line (never more than `max` in total) */
  private carry: Buffer[] = [];
  private carryLen = 0;
  /** skipping the rest of an overlong line until its newline */
  private discarding = false;
  /** overlong lines dropped since the last batch returned, not yet placed */
  private pendingDrops = 0;
  /** total overlong lines dropped */
  overflows = 0;

  constructor(opts: SplitterOptions = {}) {
    this.max = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.onOverflow = opts.onOverflow;
    this.raw = opts.raw ?? false;
  }

  /** Bytes of an incomplete line held back (waiting for its newline). */
  get pending(): number {
    return this.carryLen;
  }

  /** Feed a chunk; returns the lines it completed (the chunk may be reused by the caller afterwards). */
  push(chunk: Buffer): LineBatch {
    let start = 0;
    if (this.discarding) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) return this.take([]);
      this.discarding = false;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last < start) {
      this.hold(chunk, start);
      return this.take([]);
    }
    let region: Buffer;
    if (this.carryLen > 0) {
      this.carry.push(chunk.subarray(start, last));
      region = Buffer.concat(this.carry, this.carryLen + last - start);
      this.carry = [];
      this.carryLen = 0;
    } else {
      region = chunk.subarray(start, last);
    }
    const out = this.split(region);
    this.hold(chunk, last + 1);
    return out;
  }

  /** End of input: the last line without a final newline is still a line. */
  end(): LineBatch {
    this.discarding = false;
    if (this.carryLen === 0) return this.take([]);
    const region = Buffer.concat(this.carry, this.carryLen);
    this.carry = [];
    this.carryLen = 0;
    return this.split(region);
  }

  /** Start in the middle of a line (follow mode starting at the end): skip to the next newline. */
  skipToNextLine(): void {
    this.reset();
    this.discarding = true;
  }

  /** Forget the incomplete line (copytruncate: its end will never come). Returns its byte count. */
  reset(): number {
    const n = this.carryLen;
    this.carry = [];
    this.carryLen = 0;
    this.discarding = false;
    return n;
  }

  private hold(chunk: Buffer, from: number): void {
    const n = chunk.length - from;
    if (n <= 0) return;
    if (this.carryLen + n > this.max) {
      this.carry = [];
      this.carryLen = 0;
      this.discarding = true;
      this.drop();
      return;
    }
    // a copy: the caller may reuse its buffer, and a small tail must not pin a big chunk
    this.carry.push(Buffer.from(chunk.subarray(from)));
    this.carryLen += n;
  }

  private drop(): void {
    this.overflows++;
    this.pendingDrops++;
    this.onOverflow?.();
  }

  private take(lines: string[], dropped?: number[]): LineBatch {
    if (this.pendingDrops > 0) {
      const lead: number[] = new Array(this.pendingDrops).fill(0);
      this.pendingDrops = 0;
      dropped = dropped ? lead.concat(dropped) : lead;
    }
    return dropped ? { lines, dropped } : { lines };
  }

  /** `region` holds whole lines separated by "\n", without the final newline. */
  private split(region: Buffer): LineBatch {
    if (region.length <= this.max) {
      // fast path: no line in it can be too long
      if (this.raw && this.pendingDrops === 0) return { lines: [], bytes: region };
      return this.take(decodeLines(region));
    }
    const lines: string[] = [];
    let dropped: number[] | undefined;
    let pos = 0;
    for (;;) {
      let nl = region.indexOf(NL, pos);
      if (nl === -1) nl = region.length;
      if (nl - pos > this.max) {
        (dropped ??= []).push(lines.length);
        this.overflows++;
        this.onOverflow?.();
      } else {
        let line = region.toString('utf8', pos, nl);
        if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
        lines.push(line);
      }
      if (nl === region.length) break;
      pos = nl + 1;
    }
    return this.take(lines, dropped);
  }
}

/** The number of lines in whole lines separated by "\n" (no final newline). */
export function countLines(b: Buffer): number {
  let n = 1;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** The line b[a, e) decoded, without a CR before its "\n" (one line of decodeLines()). */
export function lineAt(b: Buffer, a: number, e: number): string {
  const line = b.toString('utf8', a, e);
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

/** Bytes of whole lines separated by "\n" (no final newline) -> the lines, without a CR before the "\n". */
export function decodeLines(region: Buffer): string[] {
  if (region.length > DECODE_PIECE) return decodePieces(region);
  const text = region.toString('utf8');
  const lines = text.split('\n');
  if (text.indexOf('\r') !== -1) stripCr(lines);
  return lines;
}

/**
 * Decoded text stays below V8's large-object size (~128 KiB): a bigger string is allocated in old
 * space and lives until a full GC (measured: 256 KiB jobs parsed ~40% slower than 64 KiB ones).
 */
const DECODE_PIECE = 64 * 1024;

/** decodeLines() of a big region, piece by piece, each cut after a newline. */
function decodePieces(region: Buffer): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos <= region.length) {
    let end = region.length;
    if (end - pos > DECODE_PIECE) {
      end = region.lastIndexOf(NL, pos + DECODE_PIECE);
      if (end < pos) end = region.indexOf(NL, pos + DECODE_PIECE);
      if (end === -1) end = region.length;
    }
    const lines = decodeLines(region.subarray(pos, end));
    for (let i = 0; i < lines.length; i++) out.push(lines[i]);
    pos = end + 1;
  }
  return out;
}

function stripCr(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.charCodeAt(l.length - 1) === CR) lines[i] = l.slice(0, -1);
  }
}

/** Split a whole byte stream into batches of lines (one batch per chunk that completes lines). */
export async function* splitLines(source: AsyncIterable<Buffer | string>, opts: SplitterOptions = {}): AsyncGenerator<LineBatch> {
  const sp = new LineSplitter(opts);
  for await (const chunk of source) {
    const b = sp.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (b.lines.length > 0 || b.dropped || b.bytes) yield b;
  }
  const b = sp.end();
  if (b.lines.length > 0 || b.dropped || b.bytes) yield b;
}
