/**
 * The demo's simulated agents, run in a worker thread (demo-worker.ts) against a collector, and
 * the line that sums up what they did. Shared by the demo's own collector and a running one.
 */
import { Worker } from 'node:worker_threads';
import type { DemoOptions, DemoSummary } from '@threshold/demo';
import type { DemoWorkerMessage } from './demo-worker.js';
import { formatMs } from './terminal-table.js';

/** The service name the demo's agents send as (its traces, and only those, are the demo's). */
export const DEMO_SERVICE = 'demo-agents';

/** Runs the agents in a worker thread; resolves with the run's summary. */
export function runDemoInWorker(options: Omit<DemoOptions, 'onError'>, onTaskFailed: (message: string) => void): Promise<DemoSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./demo-worker.js', import.meta.url), { workerData: { ...options, serviceName: DEMO_SERVICE } });
    worker.on('message', (message: DemoWorkerMessage) => {
      if (message.type === 'task-failed') onTaskFailed(message.message);
      else resolve(message.summary);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before finishing`)));
  });
}

/** Tasks the run completed, over all agents. */
export function completedTasks(summary: DemoSummary): number {
  return summary.tasks['customer-service'] + summary.tasks.research + summary.tasks.coding;
}

export function describeRun(summary: DemoSummary): string {
  const { tasks } = summary;
  return (
    `Ran ${summary.users} simulated user${summary.users === 1 ? '' : 's'} for ${formatMs(summary.elapsedMs)} (seed ${summary.seed}): ${completedTasks(summary)} tasks — ` +
    `${tasks['customer-service']} customer service, ${tasks.research} research, ${tasks.coding} coding` +
    `${summary.failedTasks > 0 ? `, ${summary.failedTasks} failed` : ''}; ${summary.modelRequests} model requests.`
  );
}
