// A worker thread of the stream engine's NDJSON reader (ndjson-report.ts): runs jobs, answers each
// with its facts, in order; the facts' typed arrays travel as transferred buffers.
import { parentPort } from 'node:worker_threads';
import { runFactJob, type FactJob } from './fact-job.js';
import { transferList } from './fact-batch.js';

parentPort!.on('message', (job: FactJob) => {
  const res = runFactJob(job);
  const transfer = transferList(res.facts);
  if (res.bytes !== undefined) transfer.push(res.bytes.buffer as ArrayBuffer);
  parentPort!.postMessage(res, transfer);
});
