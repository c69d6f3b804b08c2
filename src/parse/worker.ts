// A parse worker thread (see parallel.ts): turns prepared lines into NDJSON text. Stateless
// per job: the main thread has already fixed line numbers, years and occurrence counts.
import { parentPort, workerData } from 'node:worker_threads';
import { LineParser, type LineParserOptions } from './line-parser.js';
import type { Job } from './parallel.js';

const parser = new LineParser(workerData as LineParserOptions);

parentPort!.on('message', (job: Job) => {
  const out: string[] = new Array(job.lines.length);
  for (let k = 0; k < job.lines.length; k++) {
    out[k] = JSON.stringify(parser.parseAs(job.lines[k], job.lineNos[k], job.years[k], job.occs[k]));
  }
  parentPort!.postMessage(out.join('\n'));
});
