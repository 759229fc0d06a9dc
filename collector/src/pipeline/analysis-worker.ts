/**
 * An analysis thread (see analysis-pool.ts): runs analysis jobs — decode the requests ingest only
 * scanned, analyse each trace, render its span views — and posts the results back. It holds no
 * state between jobs; each job carries the settings (span cap, task classes) it is analysed with.
 */
import { parentPort } from 'node:worker_threads';
import { runAnalysisJob, type AnalysisJob } from './analysis-job.js';

const port = parentPort!;

port.on('message', (job: AnalysisJob) => {
  port.postMessage(runAnalysisJob(job));
});
