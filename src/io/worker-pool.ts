// Worker threads that answer jobs in the order they were sent: the parallel parser
// (src/parse/parallel.ts) and the stream engine's NDJSON reader (src/report/ndjson-report.ts).
import { Worker } from 'node:worker_threads';

interface Waiter<R> {
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

export class WorkerPool<J, R> {
  private readonly workers: Worker[] = [];
  /** per worker, the jobs it was sent, in order (it answers in order) */
  private readonly waiting: Array<Array<Waiter<R>>> = [];
  private next = 0;

  /**
   * `n` threads running `script` (a module URL) with `workerData`; `youngMb`: each thread's young
   * generation (small keeps memory low; bigger lets short-lived objects die young, fewer GCs).
   */
  constructor(n: number, script: URL, workerData: unknown, private readonly what: string, youngMb = 4) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: youngMb } });
      const queue: Array<Waiter<R>> = [];
      w.on('message', (r: R) => queue.shift()?.resolve(r));
      w.on('error', (err) => { for (const q of queue.splice(0)) q.reject(err); });
      w.on('exit', (code) => { for (const q of queue.splice(0)) q.reject(new Error(`${this.what} worker exited (${code})`)); });
      this.workers.push(w);
      this.waiting.push(queue);
    }
  }

  /** Run a job on the next worker (round robin); the buffers in `transfer` are handed over, not copied. */
  run(job: J, transfer: ArrayBuffer[] = []): Promise<R> {
    const i = this.next;
    this.next = (i + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      this.waiting[i]!.push({ resolve, reject });
      this.workers[i]!.postMessage(job, transfer);
    });
  }

  close(): void {
    for (const w of this.workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
}

/** A whole number from the environment, or undefined. */
export function envNumber(name: string): number | undefined {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}
