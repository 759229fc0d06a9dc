import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceList } from '@threshold/core';
import {
  startServer,
  type Clock,
  type Collector,
  type CollectorOptions,
  type CollectorOverrides,
  type ThresholdServer,
} from '@threshold/collector';

/** Collector settings, the clock, and what the server passes its collector (store, findings, assembly bounds). */
export type TestCollectorOptions = Partial<CollectorOptions> & CollectorOverrides & { clock?: Clock };

export interface TestCollector {
  url: string;
  dataDir: string;
  /** The collector of the server's one (`default`) project. */
  collector: Collector;
  /** The whole server, as `threshold start` runs it (gateway, admission, gRPC when asked, retention). */
  server: ThresholdServer;
  /** Closes the server; removes the data dir unless it was passed in. */
  close(): Promise<void>;
}

/**
 * A real collector as `threshold start` runs it without keys (startServer: the gateway with its
 * Host check, CORS and cross-site rules, ingest admission and request timeouts, in front of one
 * collector), on an ephemeral loopback port with a temporary data dir and a 100 ms quiet period.
 * Pass `dataDir` to reopen an existing one (it is then left in place on close).
 */
export async function startTestCollector(overrides: TestCollectorOptions = {}): Promise<TestCollector> {
  const { clock, routes, findingsProvider, openStore, assembly, ...options } = overrides;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'threshold-test-'));
  const server = await startServer({
    options: { port: 0, host: '127.0.0.1', quietPeriodMs: 100, ...options, dataDir },
    ...(clock ? { clock } : {}),
    collectorOverrides: { routes, findingsProvider, openStore, assembly },
  }).catch((error: unknown) => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    dataDir,
    collector: server.collectors.get('default')!,
    server,
    close: async () => {
      await server.close();
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
