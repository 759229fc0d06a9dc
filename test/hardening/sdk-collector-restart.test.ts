import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceList } from '@threshold/core';
import { exportStats, init, shutdown, state, task, tool } from '@threshold/sdk';
import { startCollectorProcess } from '../support/collector-process.js';
import { pollUntil } from './acknowledged-traces.js';

const MAX_QUEUE = 200;
const TASKS_PER_PHASE = 150;

/** A small agent task: 3 spans; returns twice its index. */
const agentTask = (index: number) =>
  task('agent', { taskClass: 'simple' }, async () => {
    const base = await state.load('session', async () => index);
    return tool('double', { args: { base } }, async () => base * 2);
  });

describe('the SDK while the collector is killed and restarted', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-sdk-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the agent unchanged with a bounded queue, and exports again once the collector is back', async () => {
    const first = await startCollectorProcess({ dataDir });
    init({
      serviceName: 'restart',
      endpoint: first.url,
      maxQueueSize: MAX_QUEUE,
      maxExportBatchSize: 50,
      scheduledDelayMs: 10,
      exportTimeoutMs: 500,
    });
    try {
      let total = 0;
      let largestQueue = 0;
      const heapBefore = process.memoryUsage().heapUsed;
      const runPhase = async (offset: number) => {
        for (let index = offset; index < offset + TASKS_PER_PHASE; index++) {
          total += await agentTask(index);
          largestQueue = Math.max(largestQueue, exportStats().queuedSpans);
          if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      };

      await runPhase(0);
      expect(await first.kill9()).toBe('SIGKILL');
      await runPhase(TASKS_PER_PHASE); // the collector is down
      const second = await startCollectorProcess({ dataDir, port: first.port });
      try {
        const exportedBeforeRestart = exportStats().exportedSpans;
        await runPhase(2 * TASKS_PER_PHASE);
        const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;

        const tasks = 3 * TASKS_PER_PHASE;
        expect(total).toBe(tasks * (tasks - 1));
        expect(largestQueue).toBeLessThanOrEqual(MAX_QUEUE);
        expect(heapGrowthBytes).toBeLessThan(64 * 1024 * 1024);
        await pollUntil(
          async () => exportStats().exportedSpans,
          (exported) => exported > exportedBeforeRestart,
          15_000,
          'exports resumed',
        );
        const list = await pollUntil(
          async () => (await (await fetch(`${second.url}/api/traces?limit=1`)).json()) as TraceList,
          (value) => value.total > 0,
          15_000,
          'traces after the restart',
        );
        expect(list.total).toBeGreaterThan(0);
        console.log(
          `sdk under restart: ${tasks} tasks, results unchanged, largest queue ${largestQueue}/${MAX_QUEUE}, ` +
            `${exportStats().exportedSpans} spans exported, ${exportStats().droppedSpans} dropped while down, heap growth ${Math.round(heapGrowthBytes / 1048576)} MiB`,
        );
      } finally {
        await shutdown();
        await second.stop();
      }
    } finally {
      await shutdown();
      await first.stop();
    }
  }, 90_000);
});
