// A parse worker thread (see parallel.ts): turns prepared lines into NDJSON bytes. Stateless
// per job: the main thread has already fixed line numbers, years and occurrence counts.
import { parentPort, workerData } from 'node:worker_threads';
import { LineParser, type LineParserOptions } from './line-parser.js';
import type { Job } from './parallel.js';
import { JsonWriter } from './json-writer.js';

const parser = new LineParser(workerData as LineParserOptions);

const writer = new JsonWriter();

parentPort!.on('message', (job: Job) => {
  for (let k = 0; k < job.lines.length; k++) writer.record(parser.parseAs(job.lines[k], job.lineNos[k], job.years[k], job.occs[k]));
  // the writer's buffer has an ArrayBuffer of its own (allocUnsafe above the pool size): handed over, not copied
  const out = writer.take();
  parentPort!.postMessage({ buf: out.buffer, off: out.byteOffset, len: out.length }, [out.buffer as ArrayBuffer]);
});
