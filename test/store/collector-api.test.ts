import { analyseRecords, type HealthResponse, type SpanRecord, type TraceDetail, type TraceList } from '@threshold/core';
import { describe, expect, test } from 'vitest';
import { postJson } from '../collector/otlp-json-body.js';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { agentWorkload, ingestBatch, traceBody, type AgentTrace } from './agent-workload.js';
import { STORE_ENGINES, type StoreEngine, setUpStoreEngines } from './store-engines.js';

setUpStoreEngines();

const getJson = async <T>(url: string, path: string): Promise<T> => {
  const response = await fetch(`${url}${path}`);
  expect([path, response.status]).toEqual([path, 200]);
  return (await response.json()) as T;
};

const expectedAnalysis = (trace: AgentTrace) => analyseRecords(ingestBatch(traceBody(trace)).spans as SpanRecord[]);

async function sendAll(url: string, traces: readonly AgentTrace[]): Promise<void> {
  for (const trace of traces) expect((await postJson(url, traceBody(trace))).status).toBe(200);
}

/** Polls a trace's detail until it covers `spanCount` spans. */
async function waitForSpanCount(url: string, traceId: string, spanCount: number): Promise<TraceDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${url}/api/traces/${traceId}`);
    if (response.status === 200) {
      const detail = (await response.json()) as TraceDetail;
      if (detail.summary.spanCount === spanCount) return detail;
    }
    if (Date.now() > deadline) throw new Error(`trace ${traceId} never reached ${spanCount} spans`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(STORE_ENGINES)('the collector API on $engine.name', ({ engine }) => {
  test('health names the engine; analysed traces are listed, looked up and counted as core analyses them', async () => {
    const collector = await startTestCollector(engine.collectorOptions());
    try {
      const traces = agentWorkload(12, { seed: 21 });
      await sendAll(collector.url, traces);
      const list = await waitForTraces(collector.url, traces.length);
      expect((await getJson<HealthResponse>(collector.url, '/api/health')).store).toBe(engine.name);
      expect(list.traces.map((summary) => summary.traceId)).toEqual([...traces].reverse().map((trace) => trace.traceId));
      for (const trace of traces) {
        const expected = expectedAnalysis(trace);
        const detail = await getJson<TraceDetail>(collector.url, `/api/traces/${trace.traceId}`);
        expect(detail.summary).toEqual(expected.summary);
        expect(detail.spans).toEqual(expected.spans);
      }
      const stats = await getJson<{ groups: Array<{ key: string; count: number }> }>(collector.url, '/api/stats?groupBy=service');
      expect(stats.groups.map((group) => [group.key, group.count])).toEqual([
        ['checkout', 6],
        ['support', 6],
      ]);
      expect((await fetch(`${collector.url}/api/traces/${'e'.repeat(32)}`)).status).toBe(404);
    } finally {
      await collector.close();
    }
  });

  test('a late span re-analyses its trace: one trace, now covering every span', async () => {
    const collector = await startTestCollector(engine.collectorOptions());
    try {
      const [trace] = agentWorkload(1, { seed: 4 });
      expect((await postJson(collector.url, traceBody(trace, trace.spans.slice(0, 3)))).status).toBe(200);
      await waitForSpanCount(collector.url, trace.traceId, 3);
      expect((await postJson(collector.url, traceBody(trace, [trace.spans[3]]))).status).toBe(200);
      const detail = await waitForSpanCount(collector.url, trace.traceId, 4);
      expect(detail.summary).toEqual(expectedAnalysis(trace).summary);
      expect((await getJson<TraceList>(collector.url, '/api/traces')).total).toBe(1);
    } finally {
      await collector.close();
    }
  });

  test('a restarted collector analyses traces whose spans were stored but never analysed', async () => {
    const options = engine.collectorOptions();
    const [trace] = agentWorkload(1, { seed: 9 });
    const first = await startTestCollector({ ...options, quietPeriodMs: 3_600_000 });
    expect((await postJson(first.url, traceBody(trace))).status).toBe(200);
    await first.close();
    const second = await startTestCollector(options);
    try {
      const detail = await waitForSpanCount(second.url, trace.traceId, 4);
      expect(detail.summary).toEqual(expectedAnalysis(trace).summary);
    } finally {
      await second.close();
    }
  });
});

/** Every GET view of the dashboard, for one workload. */
function viewPaths(traces: readonly AgentTrace[]): string[] {
  const from = traces[0].startMs;
  const to = traces[traces.length - 1].startMs;
  return [
    '/api/traces?limit=1000',
    '/api/traces?limit=5&offset=3&service=support',
    `/api/traces?from=${from + 5_000}&to=${to - 5_000}&minDurationMs=1500`,
    '/api/stats?groupBy=taskClass',
    '/api/stats?groupBy=service',
    `/api/stats?groupBy=name&from=${from}&to=${to}`,
    '/api/timeseries?groupBy=taskClass&bucketMs=10000',
    '/api/timeseries?groupBy=service&bucketMs=7000&taskClass=simple',
    '/api/filters',
    '/api/models',
    '/api/operations',
    '/api/operations?category=state',
    '/api/sessions?limit=1000',
    '/api/sessions/session-4',
    '/api/critical-path',
    `/api/critical-path?tail=80&service=support&from=${from}&to=${to}`,
    ...traces.map((trace) => `/api/traces/${trace.traceId}`),
  ];
}

/**
 * Numbers to 12 significant digits: means are sums in a different order on each engine (DuckDB's
 * in-memory index sums in duration order, ClickHouse in storage order), which moves the last bit.
 */
const toTwelveDigits = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'number' ? Number(item.toPrecision(12)) : item));

describe('DuckDB and ClickHouse', () => {
  test('answer every view identically for the same spans (means to 12 significant digits)', async () => {
    const traces = agentWorkload(45, { seed: 99 });
    const answers: Array<Record<string, unknown>> = [];
    for (const { engine } of STORE_ENGINES as Array<{ engine: StoreEngine }>) {
      const collector: TestCollector = await startTestCollector(engine.collectorOptions());
      try {
        await sendAll(collector.url, traces);
        await waitForTraces(collector.url, traces.length);
        const views: Record<string, unknown> = {};
        for (const path of viewPaths(traces)) views[path] = await getJson(collector.url, path);
        answers.push(views);
      } finally {
        await collector.close();
      }
    }
    const [duckdb, clickhouse] = answers;
    expect((duckdb['/api/traces?limit=1000'] as TraceList).total).toBe(45);
    for (const path of Object.keys(duckdb)) expect([path, toTwelveDigits(clickhouse[path])]).toEqual([path, toTwelveDigits(duckdb[path])]);
  });
});
