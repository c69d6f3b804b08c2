// A parse worker thread (see parallel.ts): runs jobs, answers each with its result, in order.
// The job's bytes and the NDJSON made of them travel as transferred ArrayBuffers: no copies.
import { parentPort, workerData } from 'node:worker_threads';
import type { LineParserOptions } from './line-parser.js';
import { JobRunner, type Job, type JobOutput } from './job.js';
import { transferList } from '../report/fact-batch.js';

const data = workerData as { parser: LineParserOptions; output: JobOutput };
const runner = new JobRunner(data.parser, data.output);

parentPort!.on('message', (job: Job) => {
  const res = runner.run(job);
  const transfer = res.facts !== undefined ? transferList(res.facts) : [res.out.buffer as ArrayBuffer];
  if (res.bytes !== undefined) transfer.push(res.bytes.buffer as ArrayBuffer);
  parentPort!.postMessage(res, transfer);
});
