import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { HealthResponse, TraceDetail } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportPlans, ExportResultCode, type SpanPlan } from '../collector/official-exporter.js';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';

const MAX_SPANS_PER_TRACE = 5;

/**
 * A task with eight tool calls, ms after the base; the root ends last, so the SDK exports it last:
 *
 *   0                                                          1000
 *   |invoke_agent loop ..........................................|
 *      100 |tool-1| 150
 *             200 |tool-2| 250
 *                    ...
 *                                         800 |tool-8| 850
 *
 * With a cap of 5: the root and tool-1..tool-4 (the earliest) are analysed, tool-5..tool-8 counted.
 */
const loop: SpanPlan = {
  name: 'invoke_agent loop',
  startMs: 0,
  endMs: 1000,
  attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  children: Array.from({ length: 8 }, (_, n) => ({
    name: `tool-${n + 1}`,
    startMs: 100 * (n + 1),
    endMs: 100 * (n + 1) + 50,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': `tool-${n + 1}` },
  })),
};

/** A task within the cap: three spans, analysed whole. */
const small: SpanPlan = {
  name: 'invoke_agent small',
  startMs: 2000,
  endMs: 2300,
  attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  children: [
    { name: 'tool-a', startMs: 2010, endMs: 2100, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'a' } },
    { name: 'tool-b', startMs: 2100, endMs: 2200, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'b' } },
  ],
};

describe('the spans-per-trace cap on a live collector', () => {
  let collector: TestCollector;
  let traceIds: string[];
  const baseMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;

  beforeAll(async () => {
    collector = await startTestCollector({ maxSpansPerTrace: MAX_SPANS_PER_TRACE });
    const sent = await exportPlans(new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }), 'capped-agent', baseMs, [loop, small]);
    expect(sent.result.code).toBe(ExportResultCode.SUCCESS);
    traceIds = sent.traceIds;
    await waitForTraces(collector.url, 2);
  });
  afterAll(() => collector.close());

  const detailOf = async (traceId: string) => (await (await fetch(`${collector.url}/api/traces/${traceId}`)).json()) as TraceDetail;

  test('a trace beyond the cap is analysed from its root and earliest spans, whole in duration', async () => {
    const detail = await detailOf(traceIds[0]);
    expect(detail.spans.map((span) => span.name)).toEqual(['invoke_agent loop', 'tool-1', 'tool-2', 'tool-3', 'tool-4']);
    expect([detail.summary.spanCount, detail.summary.toolCalls, detail.summary.durationMs]).toEqual([5, 4, 1000]);
  });

  test('a trace within the cap is analysed whole', async () => {
    const detail = await detailOf(traceIds[1]);
    expect(detail.spans.map((span) => span.name)).toEqual(['invoke_agent small', 'tool-a', 'tool-b']);
  });

  test('the spans left out are counted in /metrics and /api/health, and stay stored', async () => {
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics.split('\n').filter((line) => line.startsWith('threshold_trace_spans_over_cap_total'))).toEqual([
      'threshold_trace_spans_over_cap_total 4',
    ]);
    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as HealthResponse;
    expect(health.spansOverTraceCap).toBe(4);
    const stored = await collector.collector.store.loadTraceSpans([traceIds[0]]);
    expect(stored.get(traceIds[0])!.length).toBe(9);
  });
});
