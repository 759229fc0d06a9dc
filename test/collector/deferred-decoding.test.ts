import type { TraceDetail, TraceList } from '@threshold/core';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';
import { postProtobuf, protobufBody as protobufAt } from './otlp-protobuf-body.js';

/**
 * Ingest only checks and counts a protobuf request; its spans are decoded when their traces are
 * analysed. These tests hold that to the same results as spans decoded at ingest (OTLP/JSON).
 */
const QUIET_MS = 100;
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const protobufBody = (service: string, plans: JsonSpanPlan[]) => protobufAt(service, baseMs, plans);
const agent = { 'gen_ai.operation.name': 'invoke_agent' };
const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' };
const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.output_tokens': 40 };

const list = async (url: string) => (await (await fetch(`${url}/api/traces?limit=100`)).json()) as TraceList;
const detail = async (url: string, traceId: string) => (await (await fetch(`${url}/api/traces/${traceId}`)).json()) as TraceDetail;

/**
 *   0                                   1000
 *   |task .................................|
 *     50 |chat| 300
 *               300 |lookup| 600
 *                            600 |chat| 900
 */
const turn = (traceId: string): JsonSpanPlan[] => [
  { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000, attributes: agent },
  { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'chat', startMs: 50, endMs: 300, attributes: chat },
  { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 300, endMs: 600, attributes: tool },
  { traceId, spanId: spanIdOf(4), parentSpanId: spanIdOf(1), name: 'chat', startMs: 600, endMs: 900, attributes: chat },
];

describe('spans decoded when analysed, not when acknowledged', () => {
  let collector: TestCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  test('a trace sent in protobuf is analysed exactly as the same trace sent in JSON', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock });
    const viaJson = traceIdOf(0xd1);
    const viaProtobuf = traceIdOf(0xd2);
    expect((await postJson(collector.url, otlpJsonBody('agent', baseMs, turn(viaJson)))).status).toBe(200);
    expect(await postProtobuf(collector.url, protobufBody('agent', turn(viaProtobuf)))).toBe(200);
    expect(collector.collector.assembler.heldSpans.pending).toBe(8);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();

    const [json, protobuf] = [await detail(collector.url, viaJson), await detail(collector.url, viaProtobuf)];
    const withoutTraceId = (trace: TraceDetail) => ({
      ...trace,
      summary: { ...trace.summary, traceId: '' },
      spans: trace.spans.map((span) => ({ ...span, traceId: '' })),
    });
    expect(withoutTraceId(protobuf)).toEqual(withoutTraceId(json));
    expect([protobuf.summary.spanCount, protobuf.summary.durationMs, protobuf.summary.breakdown]).toEqual([
      4,
      1000,
      { llm: 550, tool: 300, state: 0, orchestration: 0, other: 150 },
    ]);
    expect(collector.collector.assembler.heldSpans.pending).toBe(0);
  });

  test('a trace whose spans come in protobuf, then JSON, then protobuf again is analysed whole', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock });
    const traceId = traceIdOf(0xd3);
    const other = traceIdOf(0xd4);
    const [task, firstChat, lookup, secondChat] = turn(traceId);
    expect(await postProtobuf(collector.url, protobufBody('agent', [firstChat, ...turn(other)]))).toBe(200);
    expect((await postJson(collector.url, otlpJsonBody('agent', baseMs, [lookup]))).status).toBe(200);
    expect(await postProtobuf(collector.url, protobufBody('agent', [secondChat, task]))).toBe(200);
    clock.advance(QUIET_MS);
    await collector.collector.analysis.sweep();

    const trace = await detail(collector.url, traceId);
    expect(trace.spans.map((span) => span.name).sort()).toEqual(['chat', 'chat', 'lookup', 'task']);
    expect([trace.summary.spanCount, trace.summary.breakdown]).toEqual([
      4,
      { llm: 550, tool: 300, state: 0, orchestration: 0, other: 150 },
    ]);
    expect((await detail(collector.url, other)).summary.spanCount).toBe(4);
    expect((await list(collector.url)).total).toBe(2);
  });

  test('protobuf traces beyond the spans held in memory wait in the store and are all analysed', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: QUIET_MS, clock, assembly: { maxPendingSpans: 8, recoverIdsPerLook: 2 } });
    const ids = Array.from({ length: 6 }, (_, i) => traceIdOf(0xd0 + 0x10 * i));
    // Three requests of two traces each: the first request fills the memory the backlog may take.
    for (let i = 0; i < ids.length; i += 2) {
      expect(await postProtobuf(collector.url, protobufBody('agent', [...turn(ids[i]), ...turn(ids[i + 1])]))).toBe(200);
    }
    expect(collector.collector.assembler.heldSpans.pending).toBe(8);
    clock.advance(QUIET_MS);
    for (let sweep = 0; sweep < 10 && (await list(collector.url)).total < ids.length; sweep++) await collector.collector.analysis.sweep();

    const traces = await list(collector.url);
    expect(traces.traces.map((trace) => [trace.traceId, trace.spanCount, trace.durationMs]).sort()).toEqual(
      ids.map((id) => [id, 4, 1000]).sort(),
    );
    for (const id of ids) expect((await detail(collector.url, id)).summary.breakdown.tool).toBe(300);
    expect(collector.collector.assembler.heldSpans.pending).toBe(0);
  });
});
