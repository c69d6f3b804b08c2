// Input cut into jobs for worker threads (src/parse/parallel.ts, src/report/ndjson-report.ts).

/** Whole lines of bytes gathered into one job's buffer (a buffer of its own: it is transferred). */
export class JobBytes {
  private buf: Buffer | null = null;
  private readonly size: number;
  /** buffers handed back by the workers, for the next jobs */
  private readonly free: ArrayBuffer[] = [];

  /** bytes and lines gathered */
  length = 0;
  lines = 0;

  constructor(private readonly jobBytes: number) {
    this.size = jobBytes + 64 * 1024;
  }

  /**
   * Add a region cut into jobs of about jobBytes, each cut after a newline: yields whenever the job
   * gathered is full (the caller take()s it then). A line longer than a job makes a job of its own.
   */
  *fill(region: Buffer): Generator<void> {
    while (this.length + 1 + region.length > this.jobBytes) {
      const room = this.jobBytes - this.length - 1;
      let cut = room > 0 ? region.lastIndexOf(10, room) : -1;
      if (cut === -1 && this.length === 0) cut = region.indexOf(10, room);
      if (cut === -1 && this.length === 0) break;
      if (cut !== -1) {
        this.add(region.subarray(0, cut));
        region = region.subarray(cut + 1);
      }
      yield;
    }
    this.add(region);
  }

  /** Add a region (whole lines, see LineBatch.bytes) as it is. */
  add(region: Buffer): void {
    if (this.buf === null) {
      const reuse = region.length <= this.size ? this.free.pop() : undefined;
      this.buf = reuse !== undefined ? Buffer.from(reuse) : Buffer.allocUnsafeSlow(Math.max(this.size, region.length));
    } else if (this.length + 1 + region.length > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(this.length + 1 + region.length);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    if (this.lines > 0) this.buf[this.length++] = 10;
    this.length += region.copy(this.buf, this.length);
    let n = 1;
    for (let i = region.indexOf(10); i !== -1; i = region.indexOf(10, i + 1)) n++;
    this.lines += n;
  }

  /** A job's buffer back, to be used again. */
  recycle(bytes: Uint8Array | undefined): void {
    if (bytes !== undefined && bytes.buffer.byteLength === this.size && this.free.length < 16) this.free.push(bytes.buffer as ArrayBuffer);
  }

  take(): Uint8Array | null {
    if (this.buf === null) return null;
    const out = this.buf.subarray(0, this.length);
    this.buf = null;
    this.length = 0;
    this.lines = 0;
    return out;
  }
}
