// A progress line on stderr, for long runs at a terminal only: silent when stderr is not a TTY
// (pipes, files, tests), so it never mixes into anything a program reads.
// Shows done/total, a bar, the rate and the ETA when the total is known; count and rate otherwise.

export interface ProgressOptions {
  /** what is counted: bytes are shown as KiB/MiB/GiB */
  unit: 'bytes' | 'records' | 'lines';
  /** the expected total, when known (file sizes) */
  total?: number;
  /** a word in front, e.g. 'loading' */
  label?: string;
  /** where to draw (default process.stderr); drawing only happens when it is a TTY */
  stream?: NodeJS.WriteStream;
  /** force on/off (default: stream.isTTY and IPTA_NO_PROGRESS unset) */
  enabled?: boolean;
  /** redraw at most this often (default 200 ms) */
  intervalMs?: number;
}

export interface Progress {
  readonly enabled: boolean;
  /** set the amount done so far */
  update(done: number, extra?: string): void;
  /** add to the amount done */
  add(n: number): void;
  /** erase the line (call before printing anything else on stderr, and at the end) */
  clear(): void;
  /** final erase; the object stays usable but draws nothing more */
  done(): void;
}

export function formatAmount(n: number, unit: ProgressOptions['unit']): string {
  if (unit !== 'bytes') return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n));
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** The text of one progress line (pure, for tests). */
export function progressText(o: { unit: ProgressOptions['unit']; label?: string; total?: number; done: number; elapsedS: number; width: number; extra?: string }): string {
  const rate = o.elapsedS > 0 ? o.done / o.elapsedS : 0;
  const rateText = `${formatAmount(rate, o.unit)}${o.unit === 'bytes' ? '' : ' ' + o.unit}/s`;
  const head = o.label ? `${o.label} ` : '';
  const tail = o.extra ? `  ${o.extra}` : '';
  if (o.total && o.total > 0) {
    const frac = Math.min(1, o.done / o.total);
    const eta = rate > 0 ? (o.total - o.done) / rate : NaN;
    const nums = ` ${(frac * 100).toFixed(0).padStart(3)}% ${formatAmount(o.done, o.unit)}/${formatAmount(o.total, o.unit)} ${rateText} ETA ${formatDuration(eta)}${tail}`;
    const barW = Math.max(10, Math.min(40, o.width - head.length - nums.length - 3));
    const fill = Math.round(frac * barW);
    return `${head}[${'#'.repeat(fill)}${'-'.repeat(barW - fill)}]${nums}`.slice(0, o.width - 1);
  }
  return `${head}${formatAmount(o.done, o.unit)}${o.unit === 'bytes' ? '' : ' ' + o.unit} ${rateText} ${formatDuration(o.elapsedS)}${tail}`.slice(0, o.width - 1);
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.enabled ?? (Boolean(stream.isTTY) && !process.env.IPTA_NO_PROGRESS);
  const interval = opts.intervalMs ?? 200;
  const start = Date.now();
  let last = 0;
  let doneN = 0;
  let extra: string | undefined;
  let shown = false;
  let finished = false;
  const draw = (force = false) => {
    if (!enabled || finished) return;
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    const width = stream.columns || 80;
    stream.write(`\r${progressText({ unit: opts.unit, label: opts.label, total: opts.total, done: doneN, elapsedS: (now - start) / 1000, width, extra })}\x1b[K`);
    shown = true;
  };
  return {
    enabled,
    update(n, x) { doneN = n; extra = x; draw(); },
    add(n) { doneN += n; draw(); },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
      last = 0;
    },
    done() {
      this.clear();
      finished = true;
    },
  };
}
