import type { TraceDetail, TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postJson, type JsonSpanPlan } from '../collector/otlp-json-body.js';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { agentWorkload, traceBody, type AgentTrace } from './agent-workload.js';
import { clickHouseOnly } from './store-engines.js';

const REPLICAS = 3;

const getJson = async (url: string, path: string): Promise<unknown> => {
  const response = await fetch(`${url}${path}`);
  expect([path, response.status]).toEqual([path, 200]);
  return response.json();
};

/** Polls until every trace's detail on `url` covers the expected number of spans. */
async function waitForSpanCounts(url: string, expected: ReadonlyMap<string, number>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = (await getJson(url, '/api/traces?limit=1000')) as TraceList;
    const counts = new Map(list.traces.map((summary) => [summary.traceId, summary.spanCount]));
    const behind = [...expected].filter(([traceId, count]) => counts.get(traceId) !== count);
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      const seen = behind.map(([traceId, count]) => `${traceId}: ${counts.get(traceId) ?? 'none'} of ${count}`);
      throw new Error(`span counts on ${url} never reached the expected ones: ${seen.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The views compared: every aggregate the dashboard shows, and each trace's analysis. */
async function views(url: string, traces: readonly AgentTrace[]): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const path of [
    '/api/traces?limit=1000',
    '/api/stats?groupBy=taskClass',
    '/api/stats?groupBy=service',
    '/api/timeseries?groupBy=taskClass&bucketMs=10000',
    '/api/models',
    '/api/operations',
    '/api/critical-path',
    '/api/sessions?limit=1000',
    '/api/filters',
  ]) {
    answers[path] = await getJson(url, path);
  }
  for (const trace of traces) {
    const detail = (await getJson(url, `/api/traces/${trace.traceId}`)) as TraceDetail;
    answers[`/api/traces/${trace.traceId}`] = { summary: detail.summary, spans: detail.spans };
  }
  return answers;
}

/** Numbers to 12 significant digits: means sum in a different order on DuckDB and ClickHouse. */
const toTwelveDigits = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'number' ? Number(item.toPrecision(12)) : item));

/**
 * Three collectors share one ClickHouse database behind a round-robin balancer: consecutive
 * requests go to consecutive replicas, so the spans of every trace land on different processes.
 * A single DuckDB collector receives the same requests. Once all spans are analysed, every
 * replica answers every view as the single collector does.
 */
describe('collector replicas sharing one ClickHouse', () => {
  const engine = clickHouseOnly();
  let replicas: TestCollector[] = [];
  let single: TestCollector;
  beforeAll(async () => {
    await engine.setUp();
    const shared = engine.collectorOptions();
    for (let i = 0; i < REPLICAS; i++) replicas.push(await startTestCollector(engine.collectorOptions(shared)));
    single = await startTestCollector();
  });
  afterAll(async () => {
    for (const collector of [...replicas, single]) await collector?.close();
    replicas = [];
    await engine.tearDown();
  });

  let next = 0;
  /**
   * One request per span, each to the next replica in turn (sent concurrently, as clients do), and
   * the same requests to the single collector.
   */
  async function sendRoundRobin(requests: ReadonlyArray<{ trace: AgentTrace; span: JsonSpanPlan }>): Promise<void> {
    const sends = requests.flatMap(({ trace, span }) => {
      const body = traceBody(trace, [span]);
      return [postJson(replicas[next++ % REPLICAS].url, body), postJson(single.url, body)];
    });
    expect((await Promise.all(sends)).map((answer) => answer.status)).toEqual(sends.map(() => 200));
  }

  test('spans of the same traces spread over replicas are analysed as one collector analyses them', async () => {
    // 25 traces, 3 replicas: span s of trace t goes to replica (25 s + t) mod 3 = (s + t) mod 3,
    // so each trace's four spans land on all three replicas.
    const traces = agentWorkload(25, { seed: 17 });
    for (let spanIndex = 0; spanIndex < 4; spanIndex++) {
      await sendRoundRobin(traces.map((trace) => ({ trace, span: trace.spans[spanIndex] })));
    }
    const counts = new Map(traces.map((trace) => [trace.traceId, 4]));
    await waitForTraces(single.url, traces.length);
    await waitForSpanCounts(single.url, counts);
    for (const replica of replicas) await waitForSpanCounts(replica.url, counts);
    const reference = await views(single.url, traces);
    const answers = await Promise.all(replicas.map((replica) => views(replica.url, traces)));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    for (const path of Object.keys(reference))
      expect([path, toTwelveDigits(answers[0][path])]).toEqual([path, toTwelveDigits(reference[path])]);
  }, 90_000);

  test('a late span on any replica re-analyses its trace, whichever replicas held the rest', async () => {
    const [trace] = agentWorkload(1, { seed: 23, firstTrace: 900 });
    for (const span of trace.spans) await sendRoundRobin([{ trace, span }]);
    await waitForSpanCounts(replicas[0].url, new Map([[trace.traceId, 4]]));
    const late: JsonSpanPlan = { ...trace.spans[3], spanId: 'feedfacefeedface', name: 'save memory', startMs: 1, endMs: 2 };
    await sendRoundRobin([{ trace, span: late }]);
    const withLate = { ...trace, spans: [...trace.spans, late] };
    for (const collector of [single, ...replicas]) await waitForSpanCounts(collector.url, new Map([[trace.traceId, 5]]));
    const reference = (await getJson(single.url, `/api/traces/${trace.traceId}`)) as TraceDetail;
    for (const replica of replicas) {
      const detail = (await getJson(replica.url, `/api/traces/${trace.traceId}`)) as TraceDetail;
      expect([detail.summary, detail.spans]).toEqual([reference.summary, reference.spans]);
    }
    expect(reference.spans.map((span) => span.spanId).sort()).toEqual(withLate.spans.map((span) => span.spanId).sort());
  });
});
