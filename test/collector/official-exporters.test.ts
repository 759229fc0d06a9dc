import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { StatsResponse, TraceDetail, TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';

/**
 * The answer-question task, times in ms after the base:
 *
 *   0                                                  1800
 *   |invoke_agent answer-question .......................|
 *        100 |chat gpt-4o ...........| 900
 *                                     900 |execute_tool search| 1500
 *
 * llm 800, tool 600, the agent's own time 100 + 300 = 400.
 */
const answerQuestion: SpanPlan = {
  name: 'invoke_agent answer-question',
  startMs: 0,
  endMs: 1800,
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'answer-question' },
  children: [
    {
      name: 'chat gpt-4o',
      startMs: 100,
      endMs: 900,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai' },
    },
    {
      name: 'execute_tool search',
      startMs: 900,
      endMs: 1500,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' },
    },
  ],
};

/** A task with no children starting at `startMs`, lasting `durationMs`. */
const plainTask = (startMs: number, durationMs: number): SpanPlan => ({
  name: 'invoke_agent quick',
  startMs,
  endMs: startMs + durationMs,
  attributes: { 'gen_ai.operation.name': 'invoke_agent' },
});

describe('spans from the official OTel exporters', () => {
  let collector: TestCollector;
  const baseMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
  let answerTraceId: string;

  beforeAll(async () => {
    collector = await startTestCollector();
    const proto = await exportPlans(
      new ProtoExporter({ url: `${collector.url}/v1/traces`, compression: CompressionAlgorithm.GZIP }),
      'agent-proto',
      baseMs,
      [answerQuestion, plainTask(2000, 100), plainTask(4000, 250)],
    );
    const json = await exportPlans(new JsonExporter({ url: `${collector.url}/v1/traces` }), 'agent-json', baseMs + 10_000, [
      plainTask(0, 400),
      plainTask(2000, 3000),
    ]);
    expect([proto.result.code, json.result.code]).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    answerTraceId = proto.traceIds[0];
    await waitForTraces(collector.url, 5);
  });

  afterAll(() => collector.close());

  test('the detail of a trace sent as gzip protobuf has its exact timing and breakdown', async () => {
    const detail = (await (await fetch(`${collector.url}/api/traces/${answerTraceId}`)).json()) as TraceDetail;
    expect(detail.summary).toEqual({
      traceId: answerTraceId,
      service: 'agent-proto',
      name: 'invoke_agent answer-question',
      taskClass: 'simple',
      startTimeMs: baseMs,
      durationMs: 1800,
      perceivedMs: 1800,
      band: 'noticeable',
      perceivedBand: 'noticeable',
      budgetMs: 2000,
      overBudget: false,
      spanCount: 3,
      llmCalls: 1,
      toolCalls: 1,
      error: false,
      breakdown: { llm: 800, tool: 600, state: 0, orchestration: 0, other: 400 },
    });
    expect(detail.spans.map((span) => [span.name, span.category, span.startOffsetMs, span.durationMs, span.selfMs, span.critical])).toEqual(
      [
        ['invoke_agent answer-question', 'task', 0, 1800, 400, true],
        ['chat gpt-4o', 'llm', 100, 800, 800, true],
        ['execute_tool search', 'tool', 900, 600, 600, true],
      ],
    );
    expect(detail.spans[1].llm).toEqual({ model: 'gpt-4o', provider: 'openai' });
    expect(detail.spans[2].tool).toEqual({ name: 'search' });
  });

  test('stats by task class are R-7 percentiles, band counts and breakdown means over all five traces', async () => {
    // durations 100, 250, 400, 1800, 3000 ms: P50 = 400; P95 at rank 3.8 = 1800 + 0.8 × 1200;
    // P99 at rank 3.96 = 1800 + 0.96 × 1200.
    const stats = (await (await fetch(`${collector.url}/api/stats`)).json()) as StatsResponse;
    expect(stats.groups).toHaveLength(1);
    const [group] = stats.groups;
    expect({ ...group, p95Ms: undefined, p99Ms: undefined, perceivedP99Ms: undefined }).toEqual({
      key: 'simple',
      count: 5,
      p50Ms: 400,
      p95Ms: undefined,
      p99Ms: undefined,
      perceivedP99Ms: undefined,
      bands: { instant: 0, responsive: 3, noticeable: 1, frustrating: 1, uncomfortable: 0, broken: 0 },
      // Nothing streamed and no first-output event: each task is perceived at its full duration.
      perceivedBands: { instant: 0, responsive: 3, noticeable: 1, frustrating: 1, uncomfortable: 0, broken: 0 },
      breakdownMeanMs: { llm: 160, tool: 120, state: 0, orchestration: 0, other: 830 },
      budgetMs: 2000,
      overBudgetRate: 0.2,
    });
    expect(group.p95Ms).toBeCloseTo(2760, 9);
    expect(group.p99Ms).toBeCloseTo(2952, 9);
    expect(group.perceivedP99Ms).toBeCloseTo(2952, 9);
  });

  test('stats by service split the protobuf and JSON senders', async () => {
    const stats = (await (await fetch(`${collector.url}/api/stats?groupBy=service`)).json()) as StatsResponse;
    expect(stats.groups.map((group) => [group.key, group.count, group.p50Ms, group.budgetMs])).toEqual([
      ['agent-proto', 3, 250, null],
      ['agent-json', 2, 1700, null],
    ]);
  });

  test('the trace list is newest first and filters by service, band and minimum duration', async () => {
    const names = async (query: string) => {
      const list = (await (await fetch(`${collector.url}/api/traces?${query}`)).json()) as TraceList;
      return [list.total, list.traces.map((trace) => trace.durationMs)];
    };
    expect(await names('')).toEqual([5, [3000, 400, 250, 100, 1800]]);
    expect(await names('service=agent-json')).toEqual([2, [3000, 400]]);
    expect(await names('band=responsive')).toEqual([3, [400, 250, 100]]);
    expect(await names('minDurationMs=1800')).toEqual([2, [3000, 1800]]);
    expect(await names(`from=${baseMs + 10_000}`)).toEqual([2, [3000, 400]]);
    expect(await names(`to=${baseMs + 10_000}`)).toEqual([3, [250, 100, 1800]]);
    expect(await names('limit=2&offset=1')).toEqual([5, [400, 250]]);
  });
});
