/**
 * With the collector down, slow (hanging), or answering 429/503, an agent instrumented with the
 * SDK runs unchanged, the export queue never holds more than its bound, drops are counted, and the
 * first drop is logged once.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { exportStats, init, shutdown, state, task, tool } from '@threshold/sdk';
import { freePort } from '../support/free-port.js';
import { startStubCollector, type StubMode } from './support/stub-collector.js';

const MAX_QUEUE = 40;
const warnings: string[] = [];

beforeEach(() => {
  warnings.length = 0;
  diag.setLogger(
    { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
});
afterEach(() => shutdown());

/** A small agent: 3 spans per task. Returns the sum it computes and the largest queue it saw. */
async function runAgent(tasks: number): Promise<{ total: number; largestQueue: number }> {
  let total = 0;
  let largestQueue = 0;
  for (let index = 0; index < tasks; index++) {
    total += await task('agent', { taskClass: 'simple' }, async () => {
      const base = await state.load('session', async () => index);
      return tool('double', { args: { base } }, async () => base * 2);
    });
    largestQueue = Math.max(largestQueue, exportStats().queuedSpans);
  }
  return { total, largestQueue };
}

const expectedTotal = (tasks: number) => tasks * (tasks - 1);

/** A loopback port with nothing listening: a collector that is down. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

const exportOptions = { maxQueueSize: MAX_QUEUE, maxExportBatchSize: 10, scheduledDelayMs: 5, exportTimeoutMs: 300 };

for (const mode of ['down', '429', '503', 'hang'] as const) {
  it(`runs the agent unchanged with a bounded queue when the collector is ${mode === 'hang' ? 'hanging' : mode}`, async () => {
    const stub = mode === 'down' ? undefined : await startStubCollector(mode as StubMode);
    init({ serviceName: 'resilience', endpoint: stub?.url ?? (await closedPortUrl()), ...exportOptions });
    const tasks = 200;
    const { total, largestQueue } = await runAgent(tasks);
    expect(total).toBe(expectedTotal(tasks));
    expect(largestQueue).toBeLessThanOrEqual(MAX_QUEUE);
    const stats = exportStats();
    expect(stats.exportedSpans).toBe(0);
    expect(stats.droppedSpans).toBeGreaterThan(0);
    expect(stats.queuedSpans).toBeLessThanOrEqual(MAX_QUEUE);
    // One line in the log for the whole outage: the first drop. Nothing else (no per-export noise,
    // no resource warnings from exporting before detectors settle).
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^@threshold\/sdk: dropping spans because /);
    await shutdown();
    await stub?.close();
  });
}

it('exports every span when the collector accepts them', async () => {
  const stub = await startStubCollector('accept');
  init({ serviceName: 'resilience', endpoint: stub.url, ...exportOptions, maxQueueSize: 1000, exportTimeoutMs: 10_000 });
  const { total } = await runAgent(20);
  expect(total).toBe(expectedTotal(20));
  const statsBefore = exportStats();
  await shutdown();
  expect(statsBefore.droppedSpans).toBe(0);
  expect(stub.requests.length).toBeGreaterThan(0);
  expect(warnings).toEqual([]);
  await stub.close();
});
