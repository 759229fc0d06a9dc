import {
  alertSeriesTimes,
  analyseRecords,
  observeAlertRule,
  type AlertRule,
  type AlertSeriesResponse,
  type FiltersResponse,
  type ModelsResponse,
  type OperationsResponse,
  type SessionDetail,
  type SessionsResponse,
  type StatsResponse,
  type TimeSeriesResponse,
  type TraceDetail,
} from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text-parser.js';
import { plannedWorkload, rounded } from './facts-expected.js';
import { otlpBody, spanRecords, TASK_CLASSES } from './facts-workload.js';
import { STORE_ENGINES, setUpStoreEngines } from './store-engines.js';

/**
 * Every aggregate the API shows, from both engines over real HTTP, against what core computes from
 * the same traces (facts-expected.ts): a store writes core's facts and its SQL only sums, counts
 * and ranks them. The workload (facts-workload.ts) has Mastra chunk spans (llm spans that are not
 * calls), usage repeated by wrappers or carried only by them, task classes mapped by name or
 * stated, and budgets stated over a configured one.
 */
setUpStoreEngines();

const { baseMs: BASE_MS, traces: TRACES, expected: EXPECTED } = plannedWorkload();

describe.each(STORE_ENGINES)('the aggregates of a $engine.name store', ({ engine }) => {
  let collector: TestCollector;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${collector.url}${path}`);
    expect([path, response.status]).toEqual([path, 200]);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    collector = await startTestCollector({ ...engine.collectorOptions(), taskClasses: TASK_CLASSES });
    for (const trace of TRACES) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: otlpBody(trace),
      });
      expect(response.status).toBe(200);
    }
    await waitForTraces(collector.url, TRACES.length);
  }, 60_000);
  afterAll(() => collector?.close());

  test("stores each trace with core's summary", async () => {
    for (const trace of TRACES) {
      const detail = await get<TraceDetail>(`/api/traces/${trace.traceId}`);
      expect(detail.summary).toEqual(analyseRecords(spanRecords(trace), TASK_CLASSES).summary);
    }
  });

  test("/api/models counts core's llm calls, never a chunk of a stream nor a wrapper", async () => {
    const models = await get<ModelsResponse>('/api/models');
    expect(rounded(models)).toEqual(rounded(EXPECTED.models()));
    expect(models.models.map((model) => [model.model, model.calls])).toEqual([
      ['gpt-4o', 18],
      ['claude-sonnet-4', 12],
      ['gpt-4o-mini', 12],
    ]);
  });

  test('/api/operations lists the tool, state and orchestration spans by name', async () => {
    expect(rounded(await get<OperationsResponse>('/api/operations'))).toEqual(rounded(EXPECTED.operations()));
    expect(rounded(await get<OperationsResponse>('/api/operations?category=tool'))).toEqual(
      rounded({ operations: EXPECTED.operations().operations.filter((operation) => operation.category === 'tool') }),
    );
  });

  test("/api/stats and /api/timeseries: core's percentiles and bands, each class with the budget its latest trace was held to", async () => {
    const byClass = await get<StatsResponse>('/api/stats?groupBy=taskClass');
    expect(rounded(byClass)).toEqual(rounded(EXPECTED.stats('taskClass')));
    expect(rounded(await get<StatsResponse>('/api/stats?groupBy=service'))).toEqual(rounded(EXPECTED.stats('service')));
    // Stated budgets before configured ones, as core resolves a trace's: support is configured at 3 s.
    expect(Object.fromEntries(byClass.groups.map((group) => [group.key, group.budgetMs]))).toEqual({
      support: 1_500,
      simple: 2_000,
      research: 31_000,
    });
    expect(
      rounded(await get<TimeSeriesResponse>(`/api/timeseries?groupBy=taskClass&bucketMs=10000&from=${BASE_MS}&to=${BASE_MS + 60_000}`)),
    ).toEqual(rounded(EXPECTED.timeseries(10_000)));
  });

  test('/api/filters lists the classes with the budgets /api/stats shows', async () => {
    const filters = await get<FiltersResponse>('/api/filters');
    expect(filters).toEqual(EXPECTED.filters());
    expect(filters.budgetsMs).toEqual({ complex: 5_000, research: 31_000, simple: 2_000, support: 1_500 });
  });

  test("/api/sessions: each turn's tokens as core counts them (a wrapper's usage once, when no call reported it)", async () => {
    expect(rounded(await get<SessionsResponse>('/api/sessions'))).toEqual(rounded(EXPECTED.sessions()));
    for (const sessionId of ['thread-a', 'thread-b'])
      expect(await get<SessionDetail>(`/api/sessions/${sessionId}`)).toEqual(EXPECTED.session(sessionId));
    const mastraLoop = await get<SessionDetail>('/api/sessions/thread-b');
    expect(mastraLoop.turns.map((turn) => [turn.turn, turn.inputTokens, turn.llmCalls])).toEqual([
      [1, 121, 2],
      [2, 125, 2],
      [3, 129, 2],
      [4, 133, 2],
      [5, 137, 2],
      [6, 141, 2],
    ]);
  });

  test("a TTFT alert rule observes core's llm calls of its model", async () => {
    const created = await fetch(`${collector.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'gpt-4o-ttft',
        name: 'gpt-4o TTFT',
        target: { kind: 'model', value: 'gpt-4o' },
        statistic: 'p95',
        threshold: 200,
        windowMs: 20_000,
        minSamples: 1,
      }),
    });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as AlertRule;
    const [from, to] = [BASE_MS - 10_000, BASE_MS + 60_000];
    const series = await get<AlertSeriesResponse>(`/api/alerts/rules/${rule.id}/series?from=${from}&to=${to}&stepMs=5000`);
    const samples = EXPECTED.alertSamples();
    const expected = alertSeriesTimes(from, to, series.stepMs).map((t) => {
      const observation = observeAlertRule(rule, samples, t);
      return { t, value: observation.value, sampleCount: observation.sampleCount };
    });
    expect(rounded(series.points)).toEqual(rounded(expected));
    expect(series.points.filter((point) => point.sampleCount > 0).length).toBeGreaterThan(5);
  });

  test("/metrics' TTFT histogram observes core's llm calls of each model", async () => {
    const families = parsePrometheusText(await (await fetch(`${collector.url}/metrics`)).text());
    const ttfts = EXPECTED.alertSamples().ttfts;
    const models = [...new Set(ttfts.map((sample) => sample.model))].sort();
    const observed = models.map((model) => [
      model,
      sampleValue(families, 'threshold_llm_ttft_seconds_count', { model }),
      Math.round(sampleValue(families, 'threshold_llm_ttft_seconds_sum', { model })! * 1e9) / 1e9,
    ]);
    const expected = models.map((model) => {
      const own = ttfts.filter((sample) => sample.model === model);
      return [model, own.length, Math.round(own.reduce((sum, sample) => sum + sample.ttftMs / 1_000, 0) * 1e9) / 1e9];
    });
    expect(observed).toEqual(expected);
    expect(models).toEqual(['claude-sonnet-4', 'gpt-4o']);
  });
});
