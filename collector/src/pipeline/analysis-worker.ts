/**
 * An analysis thread (see analysis-pool.ts): runs analysis jobs — decode the requests ingest only
 * scanned, analyse each trace, render its span views — and posts the results back. It holds no
 * state between jobs; its settings (span cap, task classes) come with its start.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnalyseSettings } from './analyse-stage.js';
import { runAnalysisJob, type AnalysisJob } from './analysis-job.js';

const settings = workerData as AnalyseSettings;
const port = parentPort!;

port.on('message', (job: AnalysisJob) => {
  port.postMessage(runAnalysisJob(job, settings));
});
