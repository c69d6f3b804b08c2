// The second thread of `ipta --analyze FILE`: parse the files and turn records into report facts,
// then post them, a batch at a time, to the main thread, which keeps the report. At most WINDOW
// batches are unacknowledged, so a slow report holds the parser back (memory stays bounded).
// Diagnostics (overlong lines, records that cannot be counted) are written here, as ipta.
import { parentPort, workerData } from 'node:worker_threads';
import { diag, setDiagName } from '../cli/diag.js';
import { newStats, parseRecordBatches, type ParseOptions } from '../parse/index.js';
import { toFact, type Fact } from '../report/stream-engine.js';
import { FactEncoder, transferList } from './fact-batch.js';

export interface WorkerInput { parse: Pick<ParseOptions, 'files' | 'prefix' | 'tz' | 'year'> }
export type WorkerMessage =
  | { type: 'facts'; batch: ReturnType<FactEncoder['encode']> }
  | { type: 'done'; stats: ReturnType<typeof newStats> }
  | { type: 'error'; kind: 'usage' | 'runtime'; message: string; exitCode?: number; hint?: string };

const WINDOW = 8;

async function run(): Promise<void> {
  const port = parentPort!;
  setDiagName('ipta');
  const input = workerData as WorkerInput;
  const stats = newStats();
  let inflight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: unknown) => {
    if (m === 'ack') {
      inflight--;
      wake?.();
    }
  });
  try {
    const enc = new FactEncoder();
    let n = 0;
    const batches = parseRecordBatches({
      ...input.parse,
      stats,
      onTooLong: (lineNo, path) => diag().warnLimited('too-long', `${path ?? 'stdin'}: line ${lineNo}: too long, skipped`),
    });
    for await (const batch of batches) {
      const facts: Fact[] = [];
      for (const r of batch) {
        n++;
        const f = toFact(r as unknown as Parameters<typeof toFact>[0]);
        if (typeof f === 'string') diag().warnLimited('skipped', `record of line ${r.line ?? n}: ${f}, skipped`);
        else facts.push(f);
      }
      const b = enc.encode(facts);
      inflight++;
      port.postMessage({ type: 'facts', batch: b } satisfies WorkerMessage, transferList(b));
      while (inflight >= WINDOW) await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
    port.postMessage({ type: 'done', stats } satisfies WorkerMessage);
  } catch (err) {
    const e = err as Error & { exitCode?: number; hint?: string };
    port.postMessage({
      type: 'error', kind: e?.constructor?.name === 'UsageError' ? 'usage' : 'runtime',
      message: e?.message ?? String(err), exitCode: e?.exitCode, hint: e?.hint,
    } satisfies WorkerMessage);
  } finally {
    port.close();
  }
}

void run();
