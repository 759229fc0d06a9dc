import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceList } from '@threshold/core';
import { createCollector, type Collector, type CreateCollectorOptions } from '@threshold/collector';

export interface TestCollector {
  url: string;
  dataDir: string;
  collector: Collector;
  /** Closes the collector; removes the data dir unless it was passed in. */
  close(): Promise<void>;
}

/**
 * A real collector on an ephemeral loopback port with a temporary data dir and a 100 ms quiet
 * period. Pass `dataDir` to reopen an existing one (it is then left in place on close).
 */
export async function startTestCollector(overrides: CreateCollectorOptions = {}): Promise<TestCollector> {
  const ownsDataDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'threshold-test-'));
  const collector = await createCollector({ port: 0, host: '127.0.0.1', quietPeriodMs: 100, ...overrides, dataDir });
  return {
    url: collector.url,
    dataDir,
    collector,
    close: async () => {
      await collector.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `/api/traces` until at least `count` traces are analysed (or `timeoutMs` passes). */
export async function waitForTraces(url: string, count: number, { timeoutMs = 10_000, query = '' } = {}): Promise<TraceList> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/traces?limit=1000${query ? `&${query}` : ''}`);
    const list = (await response.json()) as TraceList;
    // The page too: a store may count a trace a moment before its page read shows it (ClickHouse reads them apart).
    if (list.total >= count && list.traces.length >= Math.min(count, 1000)) return list;
    if (Date.now() > deadline) throw new Error(`expected ${count} traces within ${timeoutMs} ms, have ${list.total}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
