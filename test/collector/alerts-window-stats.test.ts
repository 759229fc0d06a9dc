import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type AlertSeriesResponse, type AlertStatsQuery, type TraceDetail } from '@threshold/core';
import { windowStatsFromSamples, type AlertTaskSample, type AlertTtftSample } from '../../packages/core/src/alerts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';

/**
 * The store answers window queries in SQL; core answers them from samples in memory. Both must
 * agree exactly, or alerts would disagree with the dashboard's numbers. Fifty tasks over 100 s
 * (two classes, two services, durations 120 ms … 9.9 s, ties included), most with one llm call
 * of one of two models carrying a TTFT; queries cover every measure, target and example kind.
 */
const BASE_MS = Date.UTC(2026, 10, 23, 12, 0, 0);
function plan(i: number): SpanPlan {
  const durationMs = 120 + ((i * 4_243) % 98) * 100;
  const startMs = i * 2_000;
  const model = i % 3 === 0 ? 'gpt-4o' : 'claude-sonnet-4';
  return {
    name: `invoke_agent ${i % 2 === 0 ? 'answer' : 'research'}`,
    startMs,
    endMs: startMs + durationMs,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': i % 4 === 0 ? 'complex' : 'simple' },
    children:
      i % 7 === 6
        ? []
        : [
            {
              name: `chat ${model}`,
              startMs: startMs + 10,
              endMs: startMs + durationMs - 10,
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.request.model': model,
                'gen_ai.response.time_to_first_chunk': (40 + ((i * 53) % 700)) / 1_000,
              },
            },
          ],
  };
}

describe('alert window stats from DuckDB', () => {
  let collector: TestCollector;
  let tasks: AlertTaskSample[];
  let ttfts: AlertTtftSample[];

  beforeAll(async () => {
    collector = await startTestCollector();
    const plans = Array.from({ length: 50 }, (_, i) => plan(i));
    const first = await exportPlans(new ProtoExporter({ url: `${collector.url}/v1/traces` }), 'svc-a', BASE_MS, plans.slice(0, 25));
    const second = await exportPlans(new ProtoExporter({ url: `${collector.url}/v1/traces` }), 'svc-b', BASE_MS, plans.slice(25));
    expect([first.result.code, second.result.code]).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    const list = await waitForTraces(collector.url, 50);
    tasks = list.traces.map((trace) => ({
      traceId: trace.traceId,
      endTimeMs: trace.startTimeMs + trace.durationMs,
      durationMs: trace.durationMs,
      perceivedMs: trace.perceivedMs,
      budgetMs: trace.budgetMs,
      overBudget: trace.overBudget,
      taskClass: trace.taskClass,
      service: trace.service,
      name: trace.name,
    }));
    ttfts = [];
    for (const trace of list.traces) {
      const detail = (await (await fetch(`${collector.url}/api/traces/${trace.traceId}`)).json()) as TraceDetail;
      for (const span of detail.spans) {
        if (span.llm?.ttftMs !== undefined)
          ttfts.push({
            traceId: trace.traceId,
            endTimeMs: trace.startTimeMs + trace.durationMs,
            model: span.llm.model ?? 'unknown',
            ttftMs: span.llm.ttftMs,
          });
      }
    }
    expect(ttfts.length).toBe(43);
  });

  afterAll(() => collector?.close());

  const everything = { from: BASE_MS, to: BASE_MS + 200_000 };
  const part = { from: BASE_MS + 30_000, to: BASE_MS + 70_000 };
  const queries: Array<[string, AlertStatsQuery]> = [
    ['P99 duration, all tasks', { ...everything, target: { kind: 'all' }, measure: 'duration', fraction: 0.99, examples: 'slowest' }],
    [
      'P50 duration, simple, part of the window',
      { ...part, target: { kind: 'taskClass', value: 'simple' }, measure: 'duration', fraction: 0.5, examples: 'slowest' },
    ],
    [
      'P95 perceived, service b',
      { ...everything, target: { kind: 'service', value: 'svc-b' }, measure: 'perceived', fraction: 0.95, examples: 'slowest' },
    ],
    [
      'over budget, task name',
      {
        ...everything,
        target: { kind: 'taskName', value: 'invoke_agent research' },
        measure: 'duration',
        fraction: null,
        examples: 'slowest-over-budget',
      },
    ],
    [
      'counts only, complex',
      { ...part, target: { kind: 'taskClass', value: 'complex' }, measure: 'duration', fraction: null, examples: 'none' },
    ],
    [
      'P95 TTFT of a model',
      { ...everything, target: { kind: 'model', value: 'gpt-4o' }, measure: 'ttft', fraction: 0.95, examples: 'slowest' },
    ],
    [
      'empty window',
      { from: BASE_MS - 10_000, to: BASE_MS, target: { kind: 'all' }, measure: 'duration', fraction: 0.99, examples: 'slowest' },
    ],
  ];

  it.each(queries)('%s: the same counts, percentile and examples as core', async (_name, query) => {
    const expected = windowStatsFromSamples(query, tasks, ttfts);
    const actual = await collector.collector.store.alertWindowStats(query);
    expect({ ...actual, percentile: null }).toEqual({ ...expected, percentile: null });
    if (expected.percentile === null) expect(actual.percentile).toBeNull();
    else expect(actual.percentile).toBeCloseTo(expected.percentile, 9);
  });

  it('charts a burn-rate rule from grouped counts exactly as point-by-point evaluation would', async () => {
    const from = BASE_MS - 60_000;
    const to = BASE_MS + 240_000;
    const response = await fetch(`${collector.url}/api/alerts/rules/slo-fast-burn/series?from=${from}&to=${to}&stepMs=20000`);
    const series = (await response.json()) as AlertSeriesResponse;
    const rule = collector.collector.alerting.rules.get('slo-fast-burn')!;
    const expected = [];
    for (let t = from + 20_000; t <= to; t += 20_000) {
      const observation = await collector.collector.alerting.evaluator.observe(rule, t);
      expected.push({ t, value: observation.value, sampleCount: observation.sampleCount });
    }
    expect(series.points).toEqual(expected);
    expect(series.points.filter((point) => point.value !== null).length).toBeGreaterThan(5);
  });

  it('covers non-trivial windows', () => {
    const stats = queries.map(([, query]) => windowStatsFromSamples(query, tasks, ttfts).count);
    expect(stats).toEqual([50, 15, 25, 25, 5, 14, 0]);
  });
});
