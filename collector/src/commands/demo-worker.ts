/**
 * The demo's agents run in this worker thread, away from the collector's event loop, so the
 * latencies they report are the simulated ones rather than time spent waiting for the collector
 * to finish an analysis (and the dashboard stays responsive while they run).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type DemoOptions, runDemo } from '@threshold/demo';

/** What the worker tells `threshold demo`. */
export type DemoWorkerMessage = { type: 'task-failed'; message: string } | { type: 'done'; summary: Awaited<ReturnType<typeof runDemo>> };

const post = (message: DemoWorkerMessage) => parentPort?.postMessage(message);
const options = workerData as Omit<DemoOptions, 'onError'>;
const summary = await runDemo({
  ...options,
  onError: (error) => post({ type: 'task-failed', message: error instanceof Error ? error.message : String(error) }),
});
post({ type: 'done', summary });
